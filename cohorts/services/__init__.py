"""Every state change of cohorts, one module per area: lifecycle (the cohort, its status, curriculum
and application form), selection (applications, decisions, memberships, the waitlist), sessions,
attendance (marks, roll call, check-in, excuses), sheet_import, announcements (with the task that
delivers them), calendar, and the permission checks they share. Pages, the API, the admin and tasks
call these through this package (`services.decide_application`); none saves a status itself.

Errors (core.errors): bad input raises django ValidationError (400), no right to act
PermissionDenied (403), a state that forbids the action `Conflict` (409), re-exported here for
callers that catch it. Every function is atomic, so nothing is half-saved."""

from core.errors import Conflict

from .announcements import (
    deliver_announcement,
    post_announcement,
    send_announcement,
)
from .attendance import (
    CHECK_IN_OPENS_BEFORE,
    LATE_AFTER,
    MAX_CHECK_IN_FAILURES,
    RosterRow,
    active_trainee_ids,
    check_in,
    check_in_window,
    decide_excuse,
    is_active_trainee,
    mark_attendance,
    mark_roll_call,
    request_excuse,
    session_roster,
    set_mark,
)
from .calendar import (
    calendar_feed_for,
    rotate_calendar_token,
)
from .lifecycle import (
    COHORT_FIELDS,
    STATUS_TRANSITIONS,
    CurriculumEntry,
    add_curriculum_item,
    change_cohort_status,
    create_cohort,
    remove_curriculum_item,
    set_application_questions,
    set_curriculum,
    update_cohort,
)
from .permissions import (
    can_manage_cohort,
    can_take_attendance,
    require_attendance_taker,
    require_cohort_manager,
)
from .selection import (
    DECIDING_STATUSES,
    DECISIONS,
    MAX_ANSWER_LENGTH,
    BulkResult,
    Decision,
    DecisionResult,
    Overflow,
    WithdrawalResult,
    add_member,
    apply_to_cohort,
    bulk_decide,
    decide_application,
    fill_from_waitlist,
    withdraw_application,
    withdraw_membership,
)
from .sessions import (
    MAX_SERIES,
    SESSION_FIELDS,
    create_session,
    generate_series,
    rotate_check_in_code,
    update_session,
)
from .sheet_import import (
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    STATUS_WORDS,
    ImportReport,
    ImportRow,
    RowError,
    import_attendance_csv,
)

__all__ = [
    "BulkResult",
    "CHECK_IN_OPENS_BEFORE",
    "COHORT_FIELDS",
    "Conflict",
    "CurriculumEntry",
    "DECIDING_STATUSES",
    "DECISIONS",
    "Decision",
    "DecisionResult",
    "ImportReport",
    "ImportRow",
    "LATE_AFTER",
    "MAX_ANSWER_LENGTH",
    "MAX_CHECK_IN_FAILURES",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "MAX_SERIES",
    "Overflow",
    "RosterRow",
    "RowError",
    "SESSION_FIELDS",
    "STATUS_TRANSITIONS",
    "STATUS_WORDS",
    "WithdrawalResult",
    "active_trainee_ids",
    "add_curriculum_item",
    "add_member",
    "apply_to_cohort",
    "bulk_decide",
    "calendar_feed_for",
    "can_manage_cohort",
    "can_take_attendance",
    "change_cohort_status",
    "check_in",
    "check_in_window",
    "create_cohort",
    "create_session",
    "decide_application",
    "decide_excuse",
    "deliver_announcement",
    "fill_from_waitlist",
    "generate_series",
    "import_attendance_csv",
    "is_active_trainee",
    "mark_attendance",
    "mark_roll_call",
    "post_announcement",
    "remove_curriculum_item",
    "request_excuse",
    "require_attendance_taker",
    "require_cohort_manager",
    "rotate_calendar_token",
    "rotate_check_in_code",
    "send_announcement",
    "session_roster",
    "set_application_questions",
    "set_curriculum",
    "set_mark",
    "update_cohort",
    "update_session",
    "withdraw_application",
    "withdraw_membership",
]
