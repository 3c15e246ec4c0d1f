"""Cohorts: one run of the leadership programme with its people (memberships), selection
(application questions and applications), curriculum, completion policy, calendar of sessions,
attendance, excuse requests and announcements.

A person's role in a cohort is a `Membership`; course access, review rights and progress
visibility follow from it (see cohorts.apps, which plugs these rules into courses.access).

Access (one path per model, `Model.objects.visible_to(user)`; decision 001 in docs/decisions):
- staff (is_staff / superuser) see every cohort and everything in it;
- a program manager manages only the cohorts where they hold an active MANAGER membership; the
  creator of a cohort becomes its first manager. The global MANAGER role lets a person create
  cohorts, not read other managers' ones;
- members see their own cohorts; anyone (even signed out) sees cohorts that are recruiting, as
  the public page with the application form;
- trainees see only their own applications and attendance; a facilitator the sessions they
  facilitate (and the attendance of those sessions) while they hold an active mentor, facilitator
  or manager membership of the cohort: removing them ends their powers, whatever the session's
  `facilitator` still says.

One module per area (base, cohort with its memberships, application, session, attendance,
announcement); everything is re-exported here, so callers write `from cohorts.models import X`."""

from .announcement import Announcement, AnnouncementQuerySet, CalendarFeed
from .application import Application, ApplicationQuerySet, ApplicationQuestion
from .attendance import (
    Attendance,
    AttendanceQuerySet,
    AttendanceTally,
    ExcuseRequest,
    ExcuseRequestQuerySet,
    SessionTally,
)
from .base import (
    BAGHDAD,
    CHECK_IN_ALPHABET,
    CHECK_IN_CODE_LENGTH,
    access_key,
    is_staff,
    new_calendar_token,
    new_check_in_code,
    signed_in,
)
from .cohort import (
    FACILITATING_ROLES,
    Cohort,
    CohortQuerySet,
    CompletionPolicy,
    CurriculumItem,
    Membership,
    MembershipQuerySet,
)
from .session import Session, SessionQuerySet

__all__ = [
    "Announcement",
    "AnnouncementQuerySet",
    "Application",
    "ApplicationQuerySet",
    "ApplicationQuestion",
    "Attendance",
    "AttendanceQuerySet",
    "AttendanceTally",
    "BAGHDAD",
    "CHECK_IN_ALPHABET",
    "CHECK_IN_CODE_LENGTH",
    "CalendarFeed",
    "Cohort",
    "CohortQuerySet",
    "CompletionPolicy",
    "CurriculumItem",
    "ExcuseRequest",
    "ExcuseRequestQuerySet",
    "FACILITATING_ROLES",
    "Membership",
    "MembershipQuerySet",
    "Session",
    "SessionQuerySet",
    "SessionTally",
    "access_key",
    "is_staff",
    "new_calendar_token",
    "new_check_in_code",
    "signed_in",
]
