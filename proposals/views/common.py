"""What the proposal pages share: the one way to reach a proposal, and the refused-action page."""

from django.shortcuts import get_object_or_404

from ..models import Proposal

PAGE_SIZE = 50


def visible_proposal(request, pk) -> Proposal:
    return get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related("cohort", "lead"), pk=pk
    )
