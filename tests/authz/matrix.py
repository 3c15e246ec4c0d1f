"""The authorization matrix: every URL pattern and API route of the product, with the status each
persona gets. tests/authz/test_matrix.py fails when a route is missing from here, so a new page
cannot ship without someone deciding who may open it.

Out-of-scope objects answer 404 (the object is not in the persona's visible_to() set); a page the
persona's role may never use answers 403; anonymous visitors are sent to sign in (302) on pages and
get 401 from the API. Later apps add their rows in their own section."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.certificates.world import get as certificate_get
from tests.cohorts.factories import today
from tests.cohorts.world import get as cohort_get
from tests.cohorts.world import ids as cohort_ids
from tests.cohorts.world import series_data
from tests.courses.world import get as course_get
from tests.courses.world import quiz_answer
from tests.mentoring.world import get as mentoring_get
from tests.proposals.world import get as proposal_get

ROLES = ("anonymous", "trainee", "mentor", "manager", "staff")
# Every URL is walked by two more personas (tests/cohorts/world.py builds their objects):
# - "other_manager": a program manager who runs only a cohort of their own, with nobody of the
#   world in it (the whole cohorts world exists when they walk, so the outsider is a trainee of
#   "elsewhere" for them). By default they get what the manager gets; rows whose objects belong to
#   the manager's cohorts or people say otherwise (404: out of their scope);
# - "removed_facilitator": a mentor removed as facilitator of "running" while still named as the
#   facilitator of its sessions (a stale pointer, put back with a direct update). By default they
#   get what the mentor gets; rows where the mentor acts as facilitator or reviewer say otherwise
#   (what a plain mentor with no cohort gets).
EXTRA_ROLES = ("other_manager", "removed_facilitator")
ALL_ROLES = ROLES + EXTRA_ROLES


@dataclass(frozen=True)
class Case:
    expect: dict[str, int]
    method: str = "get"
    # kwargs for reverse() and data; values may be callables taking the `world` fixture dict
    # (and so may data as a whole, when its keys depend on the world too).
    kwargs: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] | Callable[[dict], dict] | None = None
    api: bool = False
    # The extra personas' codes where the section's default (in `expect`) is wrong for the row.
    other_manager: int | None = None
    removed_facilitator: int | None = None

    def code_for(self, role: str) -> int:
        explicit = getattr(self, role) if role in EXTRA_ROLES else None
        return explicit if explicit is not None else self.expect[role]


def codes(
    anonymous, trainee, mentor, manager, staff, *, other_manager=None, removed_facilitator=None
):
    """Each persona's status; the extra personas default to the manager's and the mentor's."""
    return {
        **dict(zip(ROLES, (anonymous, trainee, mentor, manager, staff), strict=True)),
        "other_manager": manager if other_manager is None else other_manager,
        "removed_facilitator": mentor if removed_facilitator is None else removed_facilitator,
    }


def everyone(code):
    return dict.fromkeys(ALL_ROLES, code)


SIGNED_IN_PAGE = codes(302, 200, 200, 200, 200)
MANAGERS_PAGE = codes(302, 403, 403, 200, 200)
MANAGERS_POST = codes(302, 403, 403, 302, 302)
SIGNED_IN_API = codes(401, 200, 200, 200, 200)
# Cohorts (tests/cohorts/world.py): the manager persona manages "running"; the mentor persona
# facilitates its sessions. The other manager cannot see "running" at all (404); the removed
# facilitator still sees it (a past member keeps their history) but may not run it (403), and
# takes no attendance: its sessions are not theirs to see (404).
COHORT_MANAGERS_API = codes(401, 403, 403, 200, 200, other_manager=404)
ATTENDANCE_TAKERS_API = codes(401, 403, 200, 200, 200, other_manager=404, removed_facilitator=404)
RUNNING = {"pk": cohort_get("running")}
ELSEWHERE = {"pk": cohort_get("elsewhere")}
SESSION = {"pk": cohort_get("session")}
OUTSIDER_APPLICATION = {"pk": cohort_get("outsider_application")}
TRAINEE_MEMBERSHIP = {"pk": cohort_get("trainee_membership")}
TRAINEE_EXCUSE = {"pk": cohort_get("trainee_excuse")}
# Cohorts pages: management pages of the manager's cohorts answer 404 to the other manager.
COHORT_MANAGERS_PAGE = codes(302, 404, 404, 200, 200, other_manager=404)
COHORT_MANAGERS_POST = codes(302, 404, 404, 302, 302, other_manager=404)
ATTENDANCE_TAKERS_PAGE = codes(302, 403, 200, 200, 200, other_manager=404, removed_facilitator=404)
TRAINEES_PAGE = codes(302, 200, 403, 403, 403, other_manager=404, removed_facilitator=404)
# What the members of "running" read: the other manager is not one (404); the removed facilitator
# keeps the cohort's own pages (their history) but not its sessions and excuses.
RUNNING_MEMBERS_API = codes(401, 200, 200, 200, 200, other_manager=404)
SESSION_MEMBERS_API = codes(401, 200, 200, 200, 200, other_manager=404, removed_facilitator=404)
# Objects the extra personas have no part in, whatever the section's default.
NOT_THEIRS = {"other_manager": 404, "removed_facilitator": 404}
OPEN = {"pk": cohort_get("open")}
TRAINEE_APPLICATION = {"pk": cohort_get("trainee_application")}
CURRICULUM_ITEM = {"pk": cohort_get("running"), "item_pk": cohort_get("curriculum_item")}

# Mentoring (tests/mentoring/world.py).
MENTORSHIP = {"pk": mentoring_get("mentorship")}
MENTORING_ROUND = {"pk": mentoring_get("round")}
MENTORING_PAIR = {"trainee": mentoring_get("waiting"), "mentor": lambda w: w["mentor"].pk}
MENTORING_ROUND_POST = codes(302, 404, 404, 302, 302, other_manager=404)
NOT_THEIRS_CODES = {"other_manager": 404, "removed_facilitator": 404}
COHORT_ROUND_API = codes(401, 404, 404, 200, 200, other_manager=404)

MATRIX: dict[str, Case] = {
    # --- shell ---------------------------------------------------------------------------------
    "core:home": Case(everyone(200)),
    "core:set_language": Case(everyone(302), method="post", data={"language": "en"}),
    "core:healthz": Case(everyone(200)),
    "core:ping": Case(everyone(200)),
    "schema": Case(everyone(200)),
    "api_docs": Case(everyone(200)),
    # --- allauth (sign-in pages redirect people who are already signed in) ----------------------
    "account_login": Case(codes(200, 302, 302, 302, 302)),
    "account_logout": Case(codes(302, 200, 200, 200, 200)),
    "account_inactive": Case(everyone(200)),
    "account_signup": Case(codes(200, 302, 302, 302, 302)),
    "account_reauthenticate": Case(SIGNED_IN_PAGE),
    "account_request_reauthentication_code": Case(SIGNED_IN_PAGE),
    "account_confirm_reauthentication_code": Case(codes(302, 302, 302, 302, 302)),
    "account_email": Case(SIGNED_IN_PAGE),
    "account_email_verification_sent": Case(everyone(200)),
    "account_change_password": Case(SIGNED_IN_PAGE),
    "account_set_password": Case(codes(302, 302, 302, 302, 302)),
    "account_reset_password": Case(everyone(200)),
    "account_confirm_login_code": Case(codes(302, 302, 302, 302, 302)),
    "account_confirm_email": Case(everyone(200), kwargs={"key": "not-a-real-key"}),
    "account_reset_password_from_key_done": Case(everyone(200)),
    "account_reset_password_from_key": Case(
        everyone(200), kwargs={"uidb36": "zz", "key": "not-a-real-key"}
    ),
    "account_reset_password_done": Case(everyone(200)),
    "mfa_index": Case(SIGNED_IN_PAGE),
    "mfa_authenticate": Case(everyone(302)),
    "mfa_reauthenticate": Case(codes(302, 302, 302, 302, 302)),
    # Enrolling a second factor first asks for the password again (reauthentication).
    "mfa_activate_totp": Case(everyone(302)),
    "mfa_deactivate_totp": Case(codes(302, 404, 404, 404, 404)),
    "mfa_view_recovery_codes": Case(codes(302, 404, 404, 404, 404)),
    "mfa_generate_recovery_codes": Case(codes(302, 302, 302, 302, 302)),
    "mfa_download_recovery_codes": Case(codes(302, 404, 404, 404, 404)),
    # --- headless sign-in API for app clients: a browser session opens nothing there (the app
    # client authenticates by X-Session-Token only; see tests/accounts/test_mfa.py) ----------
    "headless:app:account:change_password": Case(everyone(401)),
    "headless:app:account:confirm_login_code": Case(everyone(409)),
    "headless:app:account:confirm_reauthentication_code": Case(everyone(401)),
    "headless:app:account:current_session": Case(everyone(401)),
    "headless:app:account:login": Case(everyone(405)),
    "headless:app:account:manage_email": Case(everyone(401)),
    "headless:app:account:manage_phone": Case(everyone(401)),
    "headless:app:account:reauthenticate": Case(everyone(401)),
    "headless:app:account:request_password_reset": Case(everyone(405)),
    "headless:app:account:request_reauthentication_code": Case(everyone(401)),
    "headless:app:account:resend_email_verification_code": Case(everyone(405)),
    "headless:app:account:resend_phone_verification_code": Case(everyone(405)),
    "headless:app:account:resend_reauthentication_code": Case(everyone(401)),
    "headless:app:account:reset_password": Case(everyone(400)),
    "headless:app:account:signup": Case(everyone(405)),
    "headless:app:account:verify_email": Case(everyone(400)),
    "headless:app:account:verify_phone": Case(everyone(409)),
    "headless:app:config": Case(everyone(200)),
    "headless:app:mfa:authenticate": Case(everyone(401)),
    "headless:app:mfa:authenticators": Case(everyone(401)),
    "headless:app:mfa:manage_recovery_codes": Case(everyone(401)),
    "headless:app:mfa:manage_totp": Case(everyone(401)),
    "headless:app:mfa:reauthenticate": Case(everyone(401)),
    "headless:app:tokens:refresh": Case(everyone(405)),
    # --- accounts -------------------------------------------------------------------------------
    "accounts:profile": Case(SIGNED_IN_PAGE),
    "accounts:people": Case(MANAGERS_PAGE),
    # The outsider, in no cohort of the manager (the pool); for the other manager, a trainee of
    # "elsewhere", a cohort they do not run (the whole cohorts world exists for them): 404.
    "accounts:person": Case(
        MANAGERS_PAGE, kwargs={"pk": lambda w: w["outsider"].pk}, other_manager=404
    ),
    # Global roles are for staff alone (a program manager's reach ends at their cohorts).
    "accounts:set_role": Case(
        codes(302, 403, 403, 403, 302),
        method="post",
        kwargs={"pk": lambda w: w["outsider"].pk},
        data={"role": "trainee"},
    ),
    "api:me": Case(SIGNED_IN_API, api=True),
    "api:api-root": Case(SIGNED_IN_API, api=True),
    "api:person-list": Case(SIGNED_IN_API, api=True),
    # Another trainee: only managers and staff can see them at all.
    "api:person-detail": Case(
        codes(401, 404, 404, 200, 200, other_manager=404),
        kwargs={"pk": lambda w: w["outsider"].pk},
        api=True,
    ),
    "api:person-set-role": Case(
        codes(401, 403, 403, 403, 200),
        method="post",
        kwargs={"pk": lambda w: w["outsider"].pk},
        data={"role": "trainee"},
        api=True,
    ),
    # --- notifications --------------------------------------------------------------------------
    "notifications:inbox": Case(SIGNED_IN_PAGE),
    "notifications:mark_all_read": Case(codes(302, 302, 302, 302, 302), method="post"),
    # Only one's own notification: the outsider's is not found, staff included.
    "notifications:mark_one_read": Case(
        codes(302, 404, 404, 404, 404),
        method="post",
        kwargs={"pk": lambda w: w["outsider_notification"].pk},
    ),
    "notifications:preferences": Case(SIGNED_IN_PAGE),
    # The signed token is the credential; a tampered one is refused for everyone.
    "notifications:unsubscribe": Case(everyone(400), kwargs={"token": "tampered"}),
    "api:notification-preference-list": Case(SIGNED_IN_API, api=True),
    "api:notification-list": Case(SIGNED_IN_API, api=True),
    "api:notification-mark-read": Case(SIGNED_IN_API, method="post", data={}, api=True),
    # The outsider's notification: nobody else may read it, staff included.
    "api:notification-detail": Case(
        codes(401, 404, 404, 404, 404),
        kwargs={"pk": lambda w: w["outsider_notification"].pk},
        api=True,
    ),
    # --- cohorts (objects from tests/cohorts/world.py) -----------------------------------------
    # The secret calendar address is the credential: it answers whoever holds it.
    "calendar:feed": Case(everyone(200), kwargs={"token": cohort_get("trainee_feed")}),
    "api:calendar-feed": Case(SIGNED_IN_API, api=True),
    "api:cohort-list": Case(SIGNED_IN_API, api=True),
    "api:cohort-mine": Case(SIGNED_IN_API, api=True),
    # "running": trainee and mentor (its facilitator) are members, the manager manages it.
    "api:cohort-detail": Case(RUNNING_MEMBERS_API, kwargs=RUNNING, api=True),
    "api:cohort-questions": Case(RUNNING_MEMBERS_API, kwargs=RUNNING, api=True),
    "api:cohort-curriculum": Case(RUNNING_MEMBERS_API, kwargs=RUNNING, api=True),
    "api:cohort-announcements": Case(RUNNING_MEMBERS_API, kwargs=RUNNING, api=True),
    "api:cohort-members": Case(COHORT_MANAGERS_API, kwargs=RUNNING, api=True),
    "api:cohort-dashboard": Case(COHORT_MANAGERS_API, kwargs=RUNNING, api=True),
    "api:cohort-dashboard-export": Case(COHORT_MANAGERS_API, kwargs=RUNNING, api=True),
    "api:cohort-change-status": Case(
        COHORT_MANAGERS_API, method="post", kwargs=RUNNING, data={"status": "completed"}, api=True
    ),
    # "elsewhere": recruiting (so visible to all) and managed by another manager.
    "api:cohort-apply": Case(
        codes(401, 201, 403, 403, 403),
        method="post",
        kwargs=ELSEWHERE,
        data={"motivation": "أريد أن أخدم", "availability": "المساء", "consent": True},
        api=True,
    ),
    "api:cohort-my-application": Case(codes(401, 404, 404, 404, 404), kwargs=ELSEWHERE, api=True),
    "api:cohort-applications-export": Case(
        codes(401, 403, 403, 403, 200), kwargs=ELSEWHERE, api=True
    ),
    "api:application-list": Case(SIGNED_IN_API, api=True),
    # The outsider's application to a cohort the manager persona does not manage.
    "api:application-detail": Case(
        codes(401, 404, 404, 404, 200), kwargs=OUTSIDER_APPLICATION, api=True
    ),
    "api:application-decide": Case(
        codes(401, 404, 404, 404, 200),
        method="post",
        kwargs=OUTSIDER_APPLICATION,
        data={"decision": "shortlisted"},
        api=True,
    ),
    "api:application-withdraw": Case(
        codes(401, 404, 404, 404, 403), method="post", kwargs=OUTSIDER_APPLICATION, api=True
    ),
    "api:application-bulk-decide": Case(
        codes(401, 403, 403, 403, 200),
        method="post",
        data={
            "cohort": cohort_get("elsewhere"),
            "ids": cohort_ids("outsider_application"),
            "decision": "rejected",
        },
        api=True,
    ),
    "api:membership-list": Case(SIGNED_IN_API, api=True),
    "api:membership-detail": Case(
        codes(401, 200, 404, 200, 200, other_manager=404), kwargs=TRAINEE_MEMBERSHIP, api=True
    ),
    "api:membership-withdraw": Case(
        codes(401, 200, 404, 200, 200, other_manager=404),
        method="post",
        kwargs=TRAINEE_MEMBERSHIP,
        api=True,
    ),
    "api:session-list": Case(SIGNED_IN_API, api=True),
    "api:session-detail": Case(SESSION_MEMBERS_API, kwargs=SESSION, api=True),
    # The other manager may not name "running" (400: unknown cohort).
    "api:session-series": Case(
        codes(401, 403, 403, 201, 201, other_manager=400),
        method="post",
        data=series_data(),
        api=True,
    ),
    # Yesterday's session: check-in and excuses are closed (409) for its trainee; others may not
    # (those who cannot see the session get 404).
    "api:session-check-in": Case(
        codes(401, 409, 403, 403, 403, other_manager=404, removed_facilitator=404),
        method="post",
        kwargs=SESSION,
        data={"code": "WRONG1"},
        api=True,
    ),
    "api:session-excuse": Case(
        codes(401, 409, 403, 403, 403, other_manager=404, removed_facilitator=404),
        method="post",
        kwargs=SESSION,
        data={"reason": "موعد طبي"},
        api=True,
    ),
    "api:session-attendance": Case(ATTENDANCE_TAKERS_API, kwargs=SESSION, api=True),
    # "session" was held yesterday: its managers are told it cannot be called off any more.
    "api:session-cancel": Case(
        codes(401, 403, 403, 409, 409, other_manager=404, removed_facilitator=404),
        method="post",
        kwargs=SESSION,
        api=True,
    ),
    "api:session-rotate-code": Case(ATTENDANCE_TAKERS_API, method="post", kwargs=SESSION, api=True),
    "api:session-import-sheet": Case(
        ATTENDANCE_TAKERS_API,
        method="post",
        kwargs=SESSION,
        data={"text": "email,status\n", "dry_run": True},
        api=True,
    ),
    "api:attendance-list": Case(SIGNED_IN_API, api=True),
    # The outsider's attendance in the other cohort.
    "api:attendance-detail": Case(
        codes(401, 404, 404, 404, 200),
        kwargs={"pk": cohort_get("outsider_attendance")},
        api=True,
    ),
    "api:excuse-list": Case(SIGNED_IN_API, api=True),
    "api:excuse-detail": Case(SESSION_MEMBERS_API, kwargs=TRAINEE_EXCUSE, api=True),
    "api:excuse-decide": Case(
        ATTENDANCE_TAKERS_API,
        method="post",
        kwargs=TRAINEE_EXCUSE,
        data={"approve": True},
        api=True,
    ),
    # --- cohorts pages (objects from tests/cohorts/world.py) ---------------------------------
    # Recruiting cohorts are public; a running one is seen by its members (the trainee, the mentor
    # as facilitator) and managers. Management pages answer 404 to everyone but the cohort's
    # managers; a session's pages are for whoever takes its attendance (the trainee sees the
    # session, so 403); check-in and excuses are the trainees' own.
    "cohorts:list": Case(everyone(200)),
    "cohorts:detail": Case(codes(404, 200, 200, 200, 200, other_manager=404), kwargs=RUNNING),
    "cohorts:apply": Case(
        codes(302, 302, 403, 403, 403),
        method="post",
        kwargs=ELSEWHERE,
        data={"motivation": "أريد أن أخدم", "availability": "المساء", "consent": "on"},
    ),
    "cohorts:withdraw_application": Case(
        codes(302, 302, 404, 404, 404), method="post", kwargs=OPEN
    ),
    "cohorts:mine": Case(SIGNED_IN_PAGE),
    "cohorts:my_attendance": Case(codes(302, 200, 404, 404, 404), kwargs=RUNNING),
    "cohorts:check_in": Case(TRAINEES_PAGE, kwargs=SESSION),
    "cohorts:request_excuse": Case(TRAINEES_PAGE, kwargs={"pk": cohort_get("future")}),
    "cohorts:calendar": Case(SIGNED_IN_PAGE),
    "cohorts:calendar_rotate": Case(everyone(302), method="post"),
    "cohorts:manage": Case(MANAGERS_PAGE),
    "cohorts:create": Case(MANAGERS_PAGE),
    "cohorts:manage_cohort": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "cohorts:edit": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "cohorts:change_status": Case(
        COHORT_MANAGERS_POST,
        method="post",
        kwargs=RUNNING,
        data={"status": "completed", "confirmed": "1"},
    ),
    "cohorts:curriculum": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "cohorts:curriculum_remove": Case(COHORT_MANAGERS_POST, method="post", kwargs=CURRICULUM_ITEM),
    "cohorts:curriculum_move": Case(
        COHORT_MANAGERS_POST, method="post", kwargs=CURRICULUM_ITEM, data={"direction": "up"}
    ),
    "cohorts:questions": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "cohorts:applications": Case(COHORT_MANAGERS_PAGE, kwargs=OPEN),
    "cohorts:applications_bulk": Case(
        COHORT_MANAGERS_POST,
        method="post",
        kwargs=OPEN,
        data={"ids": cohort_ids("trainee_application"), "decision": "shortlisted"},
    ),
    "cohorts:applications_export": Case(COHORT_MANAGERS_PAGE, kwargs=OPEN),
    "cohorts:application": Case(COHORT_MANAGERS_PAGE, kwargs=TRAINEE_APPLICATION),
    "cohorts:application_decide": Case(
        COHORT_MANAGERS_POST,
        method="post",
        kwargs=TRAINEE_APPLICATION,
        data={"decision": "shortlisted"},
    ),
    "cohorts:members": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "cohorts:member_withdraw": Case(
        COHORT_MANAGERS_POST, method="post", kwargs=TRAINEE_MEMBERSHIP, data={"confirmed": "1"}
    ),
    # The trainee is still a member: their managers are told so (409), nobody else finds it.
    "cohorts:member_reinstate": Case(
        codes(302, 404, 404, 409, 409, other_manager=404),
        method="post",
        kwargs=TRAINEE_MEMBERSHIP,
    ),
    # The cohort's reminder log: its managers and staff only.
    "cohorts:reminder_log": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "cohorts:announcements": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "cohorts:sessions": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "cohorts:session_create": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "cohorts:session_series": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "cohorts:excuses": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "cohorts:dashboard": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "cohorts:dashboard_export": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    # A trainee's page: the cohort's managers, staff and the trainee's active mentor (the mentor
    # persona mentors the trainee persona in "running"); anyone else 404.
    "cohorts:dashboard_trainee": Case(
        codes(302, 404, 200, 200, 200, other_manager=404, removed_facilitator=404),
        kwargs={
            **RUNNING,
            "user_id": lambda w: (mentoring_get("mentorship")(w), w["trainee"].pk)[1],
        },
    ),
    "cohorts:session": Case(ATTENDANCE_TAKERS_PAGE, kwargs=SESSION),
    "cohorts:session_rotate_code": Case(
        codes(302, 403, 302, 302, 302, other_manager=404, removed_facilitator=404),
        method="post",
        kwargs=SESSION,
    ),
    "cohorts:session_cancel": Case(COHORT_MANAGERS_PAGE, kwargs=SESSION),
    "cohorts:roll_call": Case(ATTENDANCE_TAKERS_PAGE, kwargs=SESSION),
    "cohorts:session_import": Case(ATTENDANCE_TAKERS_PAGE, kwargs=SESSION),
    # The trainee's own request for next week: they see it, but deciding is the facilitator's.
    "cohorts:excuse_decide": Case(
        codes(302, 403, 302, 302, 302, other_manager=404, removed_facilitator=404),
        method="post",
        kwargs=TRAINEE_EXCUSE,
        data={"decision": "approve"},
    ),
    # --- courses pages (objects from tests/courses/world.py) ---------------------------------
    # The trainee is enrolled in `course`, not in `other_course`; the mentor in neither.
    # Managers open the trainee pages as a preview, and may not record progress there (403).
    "courses:mine": Case(SIGNED_IN_PAGE),
    "courses:course": Case(codes(302, 200, 404, 200, 200), kwargs={"pk": course_get("course")}),
    "courses:lesson": Case(
        codes(302, 404, 404, 200, 200), kwargs={"pk": course_get("other_lesson")}
    ),
    "courses:complete_lesson": Case(
        codes(302, 302, 404, 403, 403), method="post", kwargs={"pk": course_get("lesson")}
    ),
    "courses:submit_quiz": Case(
        codes(302, 302, 404, 403, 403),
        method="post",
        kwargs={"pk": course_get("quiz")},
        data=quiz_answer,
    ),
    "courses:submit_assignment": Case(
        codes(302, 302, 404, 403, 403),
        method="post",
        kwargs={"pk": course_get("assignment")},
        data={"text": "جوابي"},
    ),
    "courses:resource": Case(codes(302, 200, 404, 200, 200), kwargs={"pk": course_get("resource")}),
    # The outsider's submission: only managers and staff (and, through cohorts, the outsider's
    # mentors) may see it; the other manager meets the outsider as a trainee of "elsewhere" (404).
    "courses:submission_file": Case(
        codes(302, 404, 404, 200, 200, other_manager=404),
        kwargs={"pk": course_get("outsider_submission")},
    ),
    "courses:review_queue": Case(codes(302, 403, 200, 200, 200)),
    "courses:review": Case(
        codes(302, 404, 404, 200, 200, other_manager=404),
        kwargs={"pk": course_get("outsider_submission")},
    ),
    "courses:manage": Case(MANAGERS_PAGE),
    "courses:course_create": Case(MANAGERS_PAGE),
    "courses:manage_course": Case(MANAGERS_PAGE, kwargs={"pk": course_get("course")}),
    "courses:course_edit": Case(MANAGERS_PAGE, kwargs={"pk": course_get("course")}),
    "courses:course_publish": Case(
        MANAGERS_POST, method="post", kwargs={"pk": course_get("course")}
    ),
    "courses:course_unpublish": Case(
        MANAGERS_POST, method="post", kwargs={"pk": course_get("course")}
    ),
    "courses:course_trainees": Case(MANAGERS_PAGE, kwargs={"pk": course_get("course")}),
    # The trainee, for the other manager a trainee of "running", which they do not run.
    "courses:unenroll": Case(
        MANAGERS_POST,
        other_manager=404,
        method="post",
        kwargs={"pk": course_get("course"), "user_pk": course_get("trainee")},
    ),
    "courses:module_add": Case(MANAGERS_PAGE, kwargs={"pk": course_get("course")}),
    "courses:module_edit": Case(MANAGERS_PAGE, kwargs={"pk": course_get("module")}),
    "courses:module_move": Case(
        MANAGERS_POST, method="post", kwargs={"pk": course_get("module")}, data={"direction": "up"}
    ),
    "courses:module_delete": Case(MANAGERS_PAGE, kwargs={"pk": course_get("module")}),
    "courses:lesson_add": Case(MANAGERS_PAGE, kwargs={"pk": course_get("module")}),
    "courses:lesson_edit": Case(MANAGERS_PAGE, kwargs={"pk": course_get("quiz")}),
    "courses:lesson_move": Case(
        MANAGERS_POST, method="post", kwargs={"pk": course_get("quiz")}, data={"direction": "up"}
    ),
    "courses:lesson_delete": Case(MANAGERS_PAGE, kwargs={"pk": course_get("lesson")}),
    "courses:question_add": Case(MANAGERS_PAGE, kwargs={"pk": course_get("quiz")}),
    "courses:question_edit": Case(MANAGERS_PAGE, kwargs={"pk": course_get("question")}),
    "courses:question_move": Case(
        MANAGERS_POST,
        method="post",
        kwargs={"pk": course_get("question")},
        data={"direction": "down"},
    ),
    "courses:question_delete": Case(MANAGERS_PAGE, kwargs={"pk": course_get("question")}),
    # --- courses API (same objects; tests/courses/test_authorization_matrix.py adds the POST
    # variants and a second trainee). Managers may preview and act on any lesson.
    "api:course-list": Case(SIGNED_IN_API, api=True),
    "api:course-detail": Case(
        codes(401, 200, 404, 200, 200), kwargs={"pk": course_get("course")}, api=True
    ),
    "api:course-outline": Case(
        codes(401, 200, 404, 200, 200), kwargs={"pk": course_get("course")}, api=True
    ),
    "api:lesson-detail": Case(
        codes(401, 404, 404, 200, 200), kwargs={"pk": course_get("other_lesson")}, api=True
    ),
    "api:lesson-start": Case(
        codes(401, 200, 404, 200, 200), method="post", kwargs={"pk": course_get("lesson")}, api=True
    ),
    "api:lesson-complete": Case(
        codes(401, 200, 404, 200, 200), method="post", kwargs={"pk": course_get("lesson")}, api=True
    ),
    "api:lesson-resource": Case(
        codes(401, 200, 404, 200, 200), kwargs={"pk": course_get("resource")}, api=True
    ),
    "api:lesson-quiz-attempts": Case(
        codes(401, 200, 404, 200, 200), kwargs={"pk": course_get("quiz")}, api=True
    ),
    "api:lesson-submissions": Case(
        codes(401, 200, 404, 200, 200), kwargs={"pk": course_get("assignment")}, api=True
    ),
    "api:submission-list": Case(SIGNED_IN_API, api=True),
    "api:submission-detail": Case(
        codes(401, 404, 404, 200, 200, other_manager=404),
        kwargs={"pk": course_get("outsider_submission")},
        api=True,
    ),
    "api:submission-file": Case(
        codes(401, 404, 404, 200, 200, other_manager=404),
        kwargs={"pk": course_get("outsider_submission")},
        api=True,
    ),
    "api:submission-review": Case(
        codes(401, 404, 404, 200, 200, other_manager=404),
        method="post",
        kwargs={"pk": course_get("outsider_submission")},
        data={"decision": "accept"},
        api=True,
    ),
    "api:progress-list": Case(SIGNED_IN_API, api=True),
    # --- proposals (objects from tests/proposals/world.py): the trainee leads them; the mentor
    # reviews "reviewed" and "implementing"; the manager runs their cohort. The other manager and
    # the removed facilitator have no part in any proposal (NOT_THEIRS: 404).
    "proposals:mine": Case(SIGNED_IN_PAGE),
    "proposals:showcase": Case(everyone(200)),
    "proposals:showcase_item": Case(everyone(200), kwargs={"pk": proposal_get("showcased")}),
    "proposals:queue": Case(SIGNED_IN_PAGE),
    "proposals:review": Case(
        codes(302, 404, 200, 404, 404),
        kwargs={"pk": proposal_get("assignment")},
        **NOT_THEIRS,
    ),
    "proposals:create": Case(codes(302, 200, 403, 403, 403, other_manager=404), kwargs=RUNNING),
    "proposals:manage": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "proposals:assign": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "proposals:rubric": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "proposals:detail": Case(SIGNED_IN_PAGE, kwargs={"pk": proposal_get("reviewed")}, **NOT_THEIRS),
    "proposals:edit": Case(
        codes(302, 200, 404, 403, 403), kwargs={"pk": proposal_get("draft")}, **NOT_THEIRS
    ),
    "proposals:compare": Case(
        SIGNED_IN_PAGE, kwargs={"pk": proposal_get("reviewed")}, **NOT_THEIRS
    ),
    "proposals:transition": Case(
        codes(302, 302, 403, 403, 403),
        method="post",
        kwargs={"pk": proposal_get("reviewed"), "action": "withdraw"},
        **NOT_THEIRS,
    ),
    "proposals:attach": Case(
        codes(302, 400, 404, 403, 403),
        method="post",
        kwargs={"pk": proposal_get("draft")},
        **NOT_THEIRS,
    ),
    "proposals:invite": Case(
        codes(302, 400, 404, 403, 403),
        method="post",
        kwargs={"pk": proposal_get("draft")},
        **NOT_THEIRS,
    ),
    "proposals:respond": Case(
        codes(302, 403, 404, 403, 403),
        method="post",
        kwargs={"pk": proposal_get("draft")},
        **NOT_THEIRS,
    ),
    "proposals:decide": Case(
        codes(302, 403, 403, 200, 200),
        kwargs={"pk": proposal_get("reviewed")},
        **NOT_THEIRS,
    ),
    "proposals:note": Case(
        codes(302, 403, 302, 302, 302),
        method="post",
        kwargs={"pk": proposal_get("reviewed")},
        data={"body": "ملاحظة"},
        **NOT_THEIRS,
    ),
    "proposals:implementation": Case(
        SIGNED_IN_PAGE, kwargs={"pk": proposal_get("implementing")}, **NOT_THEIRS
    ),
    "proposals:attachment": Case(
        codes(302, 200, 404, 200, 200),
        kwargs={"pk": proposal_get("attachment")},
        **NOT_THEIRS,
    ),
    "proposals:photo": Case(SIGNED_IN_PAGE, kwargs={"pk": proposal_get("photo")}, **NOT_THEIRS),
    "api:proposal-list": Case(SIGNED_IN_API, api=True),
    "api:proposal-detail": Case(
        codes(401, 200, 200, 200, 200),
        kwargs={"pk": proposal_get("reviewed")},
        api=True,
        **NOT_THEIRS,
    ),
    "api:proposal-transitions": Case(
        codes(401, 200, 200, 200, 200),
        kwargs={"pk": proposal_get("reviewed")},
        api=True,
        **NOT_THEIRS,
    ),
    "api:proposal-reviews": Case(
        codes(401, 200, 200, 200, 200),
        kwargs={"pk": proposal_get("reviewed")},
        api=True,
        **NOT_THEIRS,
    ),
    "api:proposal-transition": Case(
        codes(401, 200, 403, 403, 403),
        method="post",
        kwargs={"pk": proposal_get("reviewed")},
        data={"action": "withdraw"},
        api=True,
        **NOT_THEIRS,
    ),
    "api:proposal-decide": Case(
        codes(401, 403, 403, 200, 200),
        method="post",
        kwargs={"pk": proposal_get("reviewed")},
        data={"approve": True, "message": "قرار"},
        api=True,
        **NOT_THEIRS,
    ),
    "api:review-assignment-review": Case(
        codes(401, 404, 400, 403, 403),
        method="post",
        kwargs={"pk": proposal_get("assignment")},
        data={"scores": {}},
        api=True,
        **NOT_THEIRS,
    ),
    # --- certificates (tests/certificates/world.py): the trainee holds a certificate of
    # "running"; issuing, revoking and bulk runs are for the cohort's managers (404 to others).
    "certificates:verify": Case(everyone(200), kwargs={"code": certificate_get("code")}),
    "certificates:verify_json": Case(everyone(200), kwargs={"code": certificate_get("code")}),
    "certificates:issuer": Case(everyone(200)),
    "certificates:check_credential": Case(
        everyone(400), method="post", kwargs={"code": certificate_get("code")}
    ),
    "certificates:mine": Case(SIGNED_IN_PAGE),
    "certificates:download": Case(
        codes(302, 200, 404, 200, 200, other_manager=404),
        kwargs={"pk": certificate_get("certificate")},
    ),
    "certificates:badge": Case(
        codes(302, 200, 404, 200, 200, other_manager=404),
        kwargs={"pk": certificate_get("certificate")},
    ),
    "certificates:manage": Case(COHORT_MANAGERS_PAGE, kwargs={"cohort_id": cohort_get("running")}),
    "certificates:progress": Case(
        COHORT_MANAGERS_PAGE, kwargs={"cohort_id": cohort_get("running")}
    ),
    "certificates:issue": Case(
        codes(302, 404, 404, 302, 302, other_manager=404),
        method="post",
        kwargs={"cohort_id": cohort_get("running"), "user_id": certificate_get("holder")},
    ),
    "certificates:revoke": Case(
        codes(302, 404, 404, 302, 302, other_manager=404),
        method="post",
        kwargs={"cohort_id": cohort_get("running"), "pk": certificate_get("certificate")},
        data={"reason": "سبب"},
    ),
    "certificates:bulk": Case(
        codes(302, 404, 404, 302, 302, other_manager=404),
        method="post",
        kwargs={"cohort_id": cohort_get("running")},
    ),
    "certificates_api:certificate-list": Case(SIGNED_IN_API, api=True),
    "certificates_api:certificate-detail": Case(
        codes(401, 200, 404, 200, 200, other_manager=404),
        kwargs={"pk": certificate_get("certificate")},
        api=True,
    ),
    # Without ?cohort= these answer 400 to everyone signed in (the matrix sends no query).
    "certificates_api:certificate-eligibility": Case(codes(401, 400, 400, 400, 400), api=True),
    "certificates_api:certificate-bulk-progress": Case(codes(401, 400, 400, 400, 400), api=True),
    "certificates_api:certificate-issue": Case(
        codes(401, 404, 404, 201, 201, other_manager=404),
        method="post",
        data={"cohort": cohort_get("running"), "trainee": certificate_get("holder")},
        api=True,
    ),
    "certificates_api:certificate-bulk": Case(
        codes(401, 404, 404, 202, 202, other_manager=404),
        method="post",
        data={"cohort": cohort_get("running")},
        api=True,
    ),
    "certificates_api:certificate-revoke": Case(
        codes(401, 404, 404, 200, 200, other_manager=404),
        method="post",
        kwargs={"pk": certificate_get("certificate")},
        data={"reason": "سبب"},
        api=True,
    ),
    "certificates_api:certificate-reissue": Case(
        codes(401, 404, 404, 201, 201, other_manager=404),
        method="post",
        kwargs={"pk": certificate_get("certificate")},
        api=True,
    ),
    # --- mentoring (tests/mentoring/world.py): the mentor persona mentors the trainee persona in
    # "running" (accepted, one meeting); the manager runs its rounds ("round" is the next draft).
    # A mentorship is reached by its two people, the cohort's managers and staff (404 for others);
    # acting on it is for its mentor or trainee, as the service says (403).
    "mentoring:round": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    "mentoring:load": Case(COHORT_MANAGERS_PAGE, kwargs=RUNNING),
    **{
        f"mentoring:round_{action}": Case(
            MENTORING_ROUND_POST, method="post", kwargs=MENTORING_ROUND, data=MENTORING_PAIR
        )
        for action in ("pin", "forbid", "rerun", "publish")
    },
    "mentoring:my_mentees": Case(SIGNED_IN_PAGE),
    "mentoring:my_mentor": Case(SIGNED_IN_PAGE),
    "mentoring:mentorship": Case(
        codes(302, 200, 200, 200, 200, **NOT_THEIRS_CODES), kwargs=MENTORSHIP
    ),
    "mentoring:accept": Case(
        codes(302, 403, 409, 403, 403, **NOT_THEIRS_CODES), method="post", kwargs=MENTORSHIP
    ),
    "mentoring:decline": Case(
        codes(302, 403, 409, 403, 403, **NOT_THEIRS_CODES),
        method="post",
        kwargs=MENTORSHIP,
        data={"reason": "سبب"},
    ),
    "mentoring:meeting": Case(
        codes(302, 403, 302, 403, 403, **NOT_THEIRS_CODES),
        method="post",
        kwargs=MENTORSHIP,
        data={"date": lambda w: today().isoformat(), "duration_minutes": 30},
    ),
    "mentoring:goal": Case(
        codes(302, 302, 302, 403, 403, **NOT_THEIRS_CODES),
        method="post",
        kwargs=MENTORSHIP,
        data={"text": "هدف", "progress": 10},
    ),
    "mentoring:fit": Case(
        codes(302, 302, 302, 403, 403, **NOT_THEIRS_CODES),
        method="post",
        kwargs=MENTORSHIP,
        data={"fit": "good"},
    ),
    "mentoring:profile": Case(codes(302, 403, 200, 403, 403)),
    "mentoring:intake": Case(
        codes(302, 200, 404, 404, 404, **NOT_THEIRS_CODES), kwargs=TRAINEE_MEMBERSHIP
    ),
    # Mentoring API: the same people; lists are filtered by visible_to (200, maybe empty).
    "api:mentorship-list": Case(SIGNED_IN_API, api=True),
    "api:mentorship-detail": Case(
        codes(401, 200, 200, 200, 200, **NOT_THEIRS_CODES), kwargs=MENTORSHIP, api=True
    ),
    "api:mentorship-accept": Case(
        codes(401, 403, 409, 403, 403, **NOT_THEIRS_CODES),
        method="post",
        kwargs=MENTORSHIP,
        api=True,
    ),
    "api:mentorship-decline": Case(
        codes(401, 403, 409, 403, 403, **NOT_THEIRS_CODES),
        method="post",
        kwargs=MENTORSHIP,
        data={"reason": "سبب"},
        api=True,
    ),
    "api:mentorship-fit": Case(
        codes(401, 200, 200, 403, 403, **NOT_THEIRS_CODES),
        method="post",
        kwargs=MENTORSHIP,
        data={"fit": "good"},
        api=True,
    ),
    "api:meeting-list": Case(SIGNED_IN_API, api=True),
    "api:goal-list": Case(SIGNED_IN_API, api=True),
    "api:match-round-list": Case(SIGNED_IN_API, api=True),
    "api:match-round-detail": Case(COHORT_ROUND_API, kwargs=MENTORING_ROUND, api=True),
    "api:match-round-run": Case(
        COHORT_ROUND_API, method="post", data={"cohort": cohort_get("running")}, api=True
    ),
    "api:match-round-publish": Case(
        COHORT_ROUND_API, method="post", kwargs=MENTORING_ROUND, api=True
    ),
}

# The Django admin is one rule for the whole namespace: staff only; everyone else is sent to the
# admin sign-in. test_matrix.py checks the index and every registered model's changelist.
ADMIN_NAMESPACE = "admin"
