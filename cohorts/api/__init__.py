"""The cohorts API (see views/); config/api.py registers the viewsets."""

from .views import (
    ApplicationViewSet,
    AttendanceViewSet,
    CalendarFeedView,
    CohortViewSet,
    ExcuseViewSet,
    MembershipViewSet,
    SessionViewSet,
)

__all__ = [
    "ApplicationViewSet",
    "AttendanceViewSet",
    "CalendarFeedView",
    "CohortViewSet",
    "ExcuseViewSet",
    "MembershipViewSet",
    "SessionViewSet",
]
