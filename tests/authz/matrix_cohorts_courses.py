"""The matrix rows of cohorts (API and pages) and courses (pages and API)."""

from tests.authz.cases import (
    ATTENDANCE_TAKERS_API,
    ATTENDANCE_TAKERS_PAGE,
    COHORT_MANAGERS_API,
    COHORT_MANAGERS_PAGE,
    COHORT_MANAGERS_POST,
    CURRICULUM_ITEM,
    ELSEWHERE,
    MANAGERS_PAGE,
    MANAGERS_POST,
    OPEN,
    OUTSIDER_APPLICATION,
    RUNNING,
    RUNNING_MEMBERS_API,
    SESSION,
    SESSION_MEMBERS_API,
    SIGNED_IN_API,
    SIGNED_IN_PAGE,
    TRAINEE_APPLICATION,
    TRAINEE_EXCUSE,
    TRAINEE_MEMBERSHIP,
    TRAINEES_PAGE,
    Case,
    codes,
    everyone,
)
from tests.cohorts.world import get as cohort_get
from tests.cohorts.world import ids as cohort_ids
from tests.cohorts.world import series_data
from tests.courses.world import get as course_get
from tests.courses.world import quiz_answer
from tests.mentoring.world import get as mentoring_get

COHORTS_AND_COURSES: dict[str, Case] = {
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
}
