"""Cohort pages, one module per area: public (the public pages and a member's own), manage
(running a cohort: edit, status, curriculum, application form, people, announcements), selection
(applications and decisions), sessions (sessions, roll call, sign-in sheets, excuses) and
dashboard; common holds what they share. urls.py names every page from here.

Objects are reached through their model's `visible_to(user)`, and a cohort's management pages
through `Cohort.objects.managed_by(user)`: out of scope answers 404. Every change is a call to
cohorts.services: bad input shows the form again with 400, an action the person may not take
answers 403, a state that forbids it 409 with the service's message."""

from .dashboard import dashboard, dashboard_export
from .dashboard import trainee as dashboard_trainee
from .manage import (
    announcements,
    change_status,
    cohort_create,
    cohort_edit,
    curriculum,
    curriculum_move,
    curriculum_remove,
    manage_cohort,
    manage_list,
    member_reinstate,
    member_withdraw,
    members,
    questions,
)
from .public import (
    apply,
    calendar,
    calendar_rotate,
    check_in,
    cohort_detail,
    cohort_list,
    mine,
    my_attendance,
    request_excuse,
    withdraw_application,
)
from .selection import (
    application,
    application_decide,
    applications,
    applications_bulk,
    applications_export,
)
from .sessions import (
    excuse_decide,
    excuses,
    roll_call,
    session_cancel,
    session_create,
    session_detail,
    session_import,
    session_rotate_code,
    session_series,
    sessions,
)

__all__ = [
    "announcements",
    "application",
    "application_decide",
    "applications",
    "applications_bulk",
    "applications_export",
    "apply",
    "calendar",
    "calendar_rotate",
    "change_status",
    "check_in",
    "cohort_create",
    "cohort_detail",
    "cohort_edit",
    "cohort_list",
    "curriculum",
    "curriculum_move",
    "curriculum_remove",
    "dashboard",
    "dashboard_export",
    "dashboard_trainee",
    "excuse_decide",
    "excuses",
    "manage_cohort",
    "manage_list",
    "member_reinstate",
    "member_withdraw",
    "members",
    "mine",
    "my_attendance",
    "questions",
    "request_excuse",
    "roll_call",
    "session_cancel",
    "session_create",
    "session_detail",
    "session_import",
    "session_rotate_code",
    "session_series",
    "sessions",
    "withdraw_application",
]
