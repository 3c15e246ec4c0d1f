"""The proposals API viewsets, registered in config/api.py."""

from .views import ProposalViewSet, ReviewAssignmentViewSet

__all__ = ["ProposalViewSet", "ReviewAssignmentViewSet"]
