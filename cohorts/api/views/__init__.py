"""Viewsets of the cohorts API, one module per area: cohorts (cohorts and "my cohorts", the
application form, curriculum, members, the dashboard with its exports, announcements), selection
(applications with the managers' decisions, memberships), sessions (roll call, self check-in,
excuses, sign-in sheet import, attendance) and calendar (the personal calendar address).

Every object comes through a `visible_to(user)` queryset (404 out of scope); an action the
person may not take on a visible object answers 403; a state that forbids it 409."""

from .calendar import CalendarFeedView
from .cohorts import CohortViewSet
from .selection import ApplicationViewSet, MembershipViewSet
from .sessions import AttendanceViewSet, ExcuseViewSet, SessionViewSet

__all__ = [
    "ApplicationViewSet",
    "AttendanceViewSet",
    "CalendarFeedView",
    "CohortViewSet",
    "ExcuseViewSet",
    "MembershipViewSet",
    "SessionViewSet",
]
