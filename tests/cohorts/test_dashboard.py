"""The manager's dashboard: its figures equal courses.progress and the marks after every write
path (the stored snapshots and counters are kept in step by the paths themselves). What it shows,
its flags, budgets and exports: test_dashboard_lists."""

import datetime

import pytest
from django.utils import timezone

from cohorts import services, tallies
from cohorts.dashboard import cohort_dashboard
from cohorts.models import Attendance, Membership, Session
from courses import services as course_services
from courses import snapshots
from courses.models import AssignmentSubmission, LessonProgress, QuizAttempt
from courses.progress import course_status, progress_for
from tests.cohorts.factories import (
    CurriculumItemFactory,
    MembershipFactory,
    SessionFactory,
    at,
    cohort_with,
    today,
)
from tests.courses.factories import (
    AssignmentFactory,
    EnrollmentFactory,
    QuestionFactory,
    QuizFactory,
    build_course,
    lessons_of,
    right_answers,
    wrong_answers,
)
from tests.factories import MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db


# --- The figures worked out from the records ------------------------------------------------------


def reference(cohort, now=None):
    """Every figure of the dashboard computed from the records themselves, the slow way: course
    percentages by courses.progress (THE rule), attendance from the marks by its definition (ended
    sessions whose attendance was taken, since joining, are expected, excused ones are not, unmarked ones count as absent).
    Returns ({user id: row figures}, {session id: session figures})."""
    now = now or timezone.now()
    members = list(
        Membership.objects.active().trainees().filter(cohort=cohort).select_related("user")
    )
    items = list(cohort.curriculum.select_related("course").order_by("position"))
    counted = [i for i in items if i.required] or items
    percent, required = {}, {}
    for item in items:
        for user_id, status in progress_for([m.user for m in members], item.course).items():
            percent[(user_id, item.course_id)] = status.percent
            required[item.course_id] = status.required_total
    # Sessions count once they have ended and attendance was taken (a mark other than an excuse).
    ended = list(Session.objects.filter(cohort=cohort, ends_at__lte=now))
    marks = list(Attendance.objects.filter(session__cohort=cohort))
    taken = {a.session_id for a in marks if a.status != "excused"}
    held = [s for s in ended if s.pk in taken]
    held_marks = [a for a in marks if a.session_id in {s.pk for s in held}]
    course_ids = [i.course_id for i in items]
    rows = {}
    for member in members:
        measured = [
            percent[(member.user_id, i.course_id)] for i in counted if required[i.course_id]
        ]
        mine = [a for a in held_marks if a.user_id == member.user_id]
        attended = sum(a.attended for a in mine)
        excused = sum(a.status == "excused" for a in mine)
        expected = sum(1 for s in held if s.starts_at >= member.joined_at)
        sessions_counted = max(expected - excused, attended)
        in_courses = {"user": member.user, "lesson__module__course_id__in": course_ids}
        moments = [
            member.user.last_login,
            *(a.marked_at for a in marks if a.user_id == member.user_id and a.attended),
            *LessonProgress.objects.filter(**in_courses).values_list("last_seen_at", flat=True),
            *QuizAttempt.objects.filter(**in_courses).values_list("submitted_at", flat=True),
            *AssignmentSubmission.objects.filter(**in_courses).values_list(
                "submitted_at", flat=True
            ),
        ]
        rows[member.user_id] = {
            "course_percents": {c: percent[(member.user_id, c)] for c in course_ids},
            "completion": sum(measured) // len(measured) if measured else 0,
            "attended": attended,
            "counted": sessions_counted,
            "attendance": attended * 100 // sessions_counted if sessions_counted else None,
            "last_activity": max((t for t in moments if t is not None), default=None),
        }
    sessions = {}
    for session in held:
        here = [a for a in held_marks if a.session_id == session.pk and a.user_id in rows]
        figures = {s: sum(a.status == s for a in here) for s in Attendance.Status.values}
        sessions[session.pk] = {**figures, "unmarked": len(rows) - len(here)}
    for session in ended:
        if session.pk not in taken:  # shown as "attendance not taken", counted for nobody
            sessions[session.pk] = {**dict.fromkeys(Attendance.Status.values, 0), "unmarked": 0}
    return rows, sessions


def shown(cohort, now=None):
    board = cohort_dashboard(cohort, now=now, page_size=200)
    rows = {
        r.user_id: {
            "course_percents": r.course_percents,
            "completion": r.completion_percent,
            "attended": r.sessions_attended,
            "counted": r.sessions_counted,
            "attendance": r.attendance_percent,
            "last_activity": r.last_activity,
        }
        for r in board.rows
    }
    sessions = {
        s.session_id: {
            "present": s.present,
            "late": s.late,
            "excused": s.excused,
            "absent": s.absent,
            "unmarked": s.unmarked,
        }
        for s in board.sessions
    }
    return rows, sessions


def assert_in_step(cohort, now=None):
    """The dashboard equals the records, and the stored figures were kept by the write path
    itself: recounting everything from the records finds nothing to fix."""
    assert shown(cohort, now) == reference(cohort, now)
    assert snapshots.rebuild() == 0
    assert tallies.rebuild() == 0


# --- Every write path keeps the figures in step ---------------------------------------------------


@pytest.fixture
def world(manager):
    """A running cohort (started 30 days ago) with a facilitator and three trainees; curriculum:
    course A (two text lessons, a quiz, an assignment) and course B (one text lesson); two held
    sessions, one running now (started half an hour ago) and one next week."""
    facilitator = MentorFactory()
    cohort = cohort_with(manager=manager, facilitators=[facilitator])
    first = build_course(modules=1, lessons_per_module=2)
    module = first.modules.get()
    quiz = QuizFactory(module=module, position=10)
    QuestionFactory(lesson=quiz)
    assignment = AssignmentFactory(module=module, position=11)
    second = build_course(modules=1, lessons_per_module=1)
    CurriculumItemFactory(cohort=cohort, course=first, position=1)
    CurriculumItemFactory(cohort=cohort, course=second, position=2)
    people = TraineeFactory.create_batch(3, last_login=None)
    for person in people:
        MembershipFactory(
            cohort=cohort, user=person, joined_at=timezone.now() - datetime.timedelta(days=25)
        )
    now = timezone.now()
    past = [
        SessionFactory(
            cohort=cohort,
            facilitator=facilitator,
            starts_at=at(today() - datetime.timedelta(days=days), 17),
            ends_at=at(today() - datetime.timedelta(days=days), 19),
        )
        for days in (10, 3)
    ]
    running = SessionFactory(
        cohort=cohort,
        facilitator=facilitator,
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(hours=2),
    )
    upcoming = SessionFactory(
        cohort=cohort,
        facilitator=facilitator,
        starts_at=at(today() + datetime.timedelta(days=7), 17),
        ends_at=at(today() + datetime.timedelta(days=7), 19),
    )
    return {
        "cohort": cohort,
        "manager": manager,
        "facilitator": facilitator,
        "people": people,
        "first": first,
        "second": second,
        "texts": [lesson for lesson in lessons_of(first) if lesson.kind == "text"],
        "quiz": quiz,
        "assignment": assignment,
        "past": past,
        "running": running,
        "upcoming": upcoming,
    }


def roll_call(w):
    a, b, c = w["people"]
    first, second = w["past"]
    services.mark_roll_call(
        actor=w["facilitator"], session=first, marks={a.pk: "present", b.pk: "late", c.pk: "absent"}
    )
    services.mark_roll_call(actor=w["manager"], session=second, marks={a.pk: "absent"})
    # A correction: the latest attended mark becomes an absence.
    services.mark_roll_call(actor=w["manager"], session=first, marks={a.pk: "absent"})


def check_in(w):
    a, b, _c = w["people"]
    session = w["running"]
    on_time = session.starts_at + datetime.timedelta(minutes=2)
    services.check_in(user=a, session=session, code=session.check_in_code, now=on_time)
    services.check_in(user=a, session=session, code=session.check_in_code)  # twice: no change
    services.check_in(user=b, session=session, code=session.check_in_code)  # late


def sheet_import(w):
    a, b, c = w["people"]
    sheet = f"email,status\n{a.email},present\n{b.email},غائب\n{c.email},excused\n"
    for session in w["past"]:
        services.import_attendance_csv(
            actor=w["manager"], session=session, data=sheet, dry_run=False
        )


def excuse_decisions(w):
    # Approved in advance: an excused mark at a session not held yet, which counts only once
    # the session is held.
    a, b, _c = w["people"]
    for person in (a, b):
        excuse = services.request_excuse(user=person, session=w["upcoming"], reason="سفر")
        services.decide_excuse(actor=w["facilitator"], excuse=excuse, approve=person == a)
    assert Attendance.objects.get(user=a, session=w["upcoming"]).status == "excused"
    assert_in_step(w["cohort"], now=w["upcoming"].ends_at)


def lessons_completed(w):
    a, b, _c = w["people"]
    for lesson in w["texts"]:
        course_services.complete_lesson(user=a, lesson=lesson)
    course_services.start_lesson(user=b, lesson=w["texts"][0])
    course_services.complete_lesson(user=b, lesson=lessons_of(w["second"])[0])
    course_services.complete_lesson(user=b, lesson=lessons_of(w["second"])[0])  # twice


def lessons_reopened(w):
    """Opening a lesson again (the lesson page's path) moves the last activity without a
    transaction of its own; a status read before the row was deleted starts it afresh."""
    a, b, _c = w["people"]
    first = w["first"]
    for person, lesson in ((a, w["texts"][0]), (b, w["texts"][1])):
        course_services.reopen_lesson(
            user=person, lesson=lesson, status=course_status(person, first)
        )
        course_services.reopen_lesson(
            user=person, lesson=lesson, status=course_status(person, first)
        )
    stale = course_status(a, first)
    LessonProgress.objects.filter(user=a, lesson=w["texts"][0]).delete()
    course_services.reopen_lesson(user=a, lesson=w["texts"][0], status=stale)
    assert LessonProgress.objects.filter(user__in=[a, b]).count() == 2


def quizzes(w):
    a, b, _c = w["people"]
    quiz = w["quiz"]
    course_services.submit_quiz_attempt(user=a, lesson=quiz, answers=wrong_answers(quiz))
    course_services.submit_quiz_attempt(user=b, lesson=quiz, answers=wrong_answers(quiz))
    course_services.submit_quiz_attempt(user=b, lesson=quiz, answers=right_answers(quiz))


def assignments(w):
    a, b, c = w["people"]
    lesson, manager = w["assignment"], w["manager"]
    for person in (a, b, c):
        course_services.submit_assignment(user=person, lesson=lesson, text="مسودتي")
    mine = AssignmentSubmission.objects.filter(lesson=lesson)
    course_services.review_submission(reviewer=manager, submission=mine.get(user=a), accept=True)
    course_services.review_submission(
        reviewer=manager, submission=mine.get(user=b), accept=False, feedback="أضف مثالاً"
    )
    course_services.submit_assignment(user=b, lesson=lesson, text="النسخة الثانية")


def structure_changes(w, django_capture_on_commit_callbacks):
    texts, manager = w["texts"], w["manager"]
    # A lesson made optional, another added as required: every trainee's figures move, in a
    # task after commit.
    with django_capture_on_commit_callbacks(execute=True):
        course_services.update_lesson(actor=manager, lesson=texts[1], is_required=False)
    with django_capture_on_commit_callbacks(execute=True):
        course_services.add_lesson(
            actor=manager, module=w["second"].modules.get(), kind="text", title="درس جديد"
        )


def withdrawal_and_deleted_mark(w):
    roll_call(w)
    a, b, _c = w["people"]
    membership = Membership.objects.get(cohort=w["cohort"], user=b, status="active")
    services.withdraw_membership(actor=w["manager"], membership=membership)
    # A mark deleted in the admin takes its count with it.
    Attendance.objects.get(session=w["past"][0], user=a).delete()


def curriculum_changes(w):
    lessons_completed(w)
    manager, cohort, a = w["manager"], w["cohort"], w["people"][0]
    # A course a trainee has worked in (enrolled directly) before it joins the curriculum.
    third = build_course(modules=1, lessons_per_module=2)
    EnrollmentFactory(user=a, course=third)
    course_services.complete_lesson(user=a, lesson=lessons_of(third)[0])
    services.add_curriculum_item(actor=manager, cohort=cohort, course=third)
    assert shown(cohort) == reference(cohort)
    services.remove_curriculum_item(actor=manager, item=cohort.curriculum.get(course=w["second"]))
    assert shown(cohort) == reference(cohort)
    services.set_curriculum(
        actor=manager,
        cohort=cohort,
        items=[{"course": third}, {"course": w["second"]}, {"course": w["first"]}],
    )


def admissions(w):
    manager, cohort, first = w["manager"], w["cohort"], w["first"]
    # Someone who worked in a curriculum course before being admitted.
    newcomer = TraineeFactory()
    EnrollmentFactory(user=newcomer, course=first)
    course_services.complete_lesson(user=newcomer, lesson=w["texts"][0])
    services.add_member(actor=manager, cohort=cohort, user=newcomer, role="trainee")
    # A trainee who leaves, goes on working in the course (enrolled directly) and comes back.
    a = w["people"][0]
    membership = Membership.objects.get(cohort=cohort, user=a, status="active")
    services.withdraw_membership(actor=manager, membership=membership)
    EnrollmentFactory(user=a, course=first)
    course_services.complete_lesson(user=a, lesson=w["texts"][1])
    services.add_member(actor=manager, cohort=cohort, user=a, role="trainee")


WRITE_PATHS = [
    roll_call,
    check_in,
    sheet_import,
    excuse_decisions,
    lessons_completed,
    lessons_reopened,
    quizzes,
    assignments,
    curriculum_changes,
    withdrawal_and_deleted_mark,
    admissions,
]


@pytest.mark.parametrize("write", WRITE_PATHS, ids=lambda f: f.__name__)
def test_every_write_path_keeps_the_figures_equal_to_the_records(world, write):
    assert shown(world["cohort"]) == reference(world["cohort"])
    write(world)
    assert_in_step(world["cohort"])


def test_structure_changes_refresh_everyone_after_commit(world, django_capture_on_commit_callbacks):
    lessons_completed(world)
    structure_changes(world, django_capture_on_commit_callbacks)
    assert_in_step(world["cohort"])
    a, b, _c = world["people"]
    rows = {r.user_id: r for r in cohort_dashboard(world["cohort"]).rows}
    # b completed course B's only lesson, which now has two; a both texts of course A, of which
    # one is optional now (required: a text, the quiz, the assignment).
    assert rows[b.pk].course_percents[world["second"].pk] == 50
    assert rows[a.pk].course_percents[world["first"].pk] == 33


def test_all_write_paths_one_after_another(world, django_capture_on_commit_callbacks):
    for write in WRITE_PATHS:
        if write is lessons_completed:
            continue  # part of curriculum_changes
        write(world)
        assert_in_step(world["cohort"])
    structure_changes(world, django_capture_on_commit_callbacks)
    assert_in_step(world["cohort"])
    assert len(cohort_dashboard(world["cohort"]).rows) == 3  # b left, a newcomer came


def test_a_counter_left_behind_shows_and_is_repaired(world):
    """What the check above guards against: a mark written past the services is not counted
    until the repair command runs."""
    a = world["people"][0]
    Attendance.objects.bulk_create(
        [Attendance(session=world["past"][0], user=a, status="present", source="roll_call")]
    )
    assert shown(world["cohort"]) != reference(world["cohort"])
    assert tallies.rebuild() == 2  # the session's counter and the trainee's
    assert shown(world["cohort"]) == reference(world["cohort"])
    assert tallies.rebuild() == 0
