"""The manager's dashboard as it is read: the figures it shows, at-risk flags with their reasons,
sorting, filters and pages, the query count that does not grow with the cohort, and the exports
holding the rows shown."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from cohorts import services
from cohorts.dashboard import cohort_dashboard
from cohorts.exports import csv_chunks, xlsx_bytes
from cohorts.models import Attendance
from courses import services as course_services
from courses import structure
from courses.models import AssignmentSubmission
from courses.progress import progress_for
from tests.cohorts.factories import (
    AttendanceFactory,
    CurriculumItemFactory,
    MembershipFactory,
    SessionFactory,
    at,
    cohort_with,
    today,
)
from tests.cohorts.test_dashboard import reference, shown
from tests.courses.factories import (
    AssignmentFactory,
    LessonFactory,
    LessonProgressFactory,
    QuizAttemptFactory,
    QuizFactory,
    SubmissionFactory,
    build_course,
    lessons_of,
)
from tests.factories import MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db


# --- Definitions, flags, lists --------------------------------------------------------------------


def build_cohort(manager, trainees: int, sessions: int = 4):
    """A running cohort with two curriculum courses (one with a quiz and an overdue assignment),
    some progress, held sessions with marks, one session to come, and `trainees` trainees.
    Written with factories, which keep the stored figures in step as the services do."""
    cohort = cohort_with(manager=manager)
    first = build_course(modules=2, lessons_per_module=2)
    quiz = QuizFactory(module=first.modules.first(), position=10)
    assignment = AssignmentFactory(
        module=first.modules.first(), position=11, due_days_after_start=7
    )
    second = build_course(modules=1, lessons_per_module=3)
    CurriculumItemFactory(cohort=cohort, course=first, position=1)
    CurriculumItemFactory(cohort=cohort, course=second, position=2)
    held = [
        SessionFactory(
            cohort=cohort,
            starts_at=at(today() - datetime.timedelta(days=20 - i), 17),
            ends_at=at(today() - datetime.timedelta(days=20 - i), 19),
        )
        for i in range(sessions)
    ]
    SessionFactory(
        cohort=cohort,
        starts_at=at(today() + datetime.timedelta(days=3), 17),
        ends_at=at(today() + datetime.timedelta(days=3), 19),
    )
    text_lessons = [lesson for lesson in lessons_of(first) if lesson.kind == "text"]
    people = TraineeFactory.create_batch(trainees)
    joined = timezone.now() - datetime.timedelta(days=25)
    stamp = timezone.now()
    for index, person in enumerate(people):
        MembershipFactory(cohort=cohort, user=person, joined_at=joined)
        for lesson in text_lessons[: index % 5]:
            LessonProgressFactory(user=person, lesson=lesson, started_at=stamp, completed_at=stamp)
        if index % 2:
            QuizAttemptFactory(user=person, lesson=quiz, number=1, score=100, passed=True)
        if index % 3 == 0:
            SubmissionFactory(
                user=person,
                lesson=assignment,
                status=AssignmentSubmission.Status.ACCEPTED,
                reviewed_at=timezone.now(),
            )
        for n, session in enumerate(held):
            if (index + n) % 4:
                AttendanceFactory(
                    session=session,
                    user=person,
                    status="present" if (index + n) % 4 != 3 else "absent",
                )
    return cohort, [first, second], people, held


def test_completion_is_the_mean_of_the_required_courses(manager):
    cohort, courses, people, _held = build_cohort(manager, trainees=12)
    assert shown(cohort) == reference(cohort)
    rows = {row.user_id: row for row in cohort_dashboard(cohort, page_size=200).rows}
    for course in courses:
        statuses = progress_for(people, course)
        for person in people:
            assert rows[person.pk].course_percents[course.pk] == statuses[person.pk].percent
    for person in people:
        row = rows[person.pk]
        assert row.completion_percent == sum(row.course_percents.values()) // 2
    # Only the required course counts once one is marked required.
    cohort.curriculum.filter(course=courses[1]).update(required=False)
    rows = {row.user_id: row for row in cohort_dashboard(cohort, page_size=200).rows}
    assert all(r.completion_percent == r.course_percents[courses[0].pk] for r in rows.values())


def test_attendance_percent_counts_unmarked_sessions_as_absent_and_excuses_out(manager):
    cohort = cohort_with(manager=manager)
    person = TraineeFactory()
    MembershipFactory(
        cohort=cohort, user=person, joined_at=timezone.now() - datetime.timedelta(days=40)
    )
    sessions = [
        SessionFactory(
            cohort=cohort,
            starts_at=at(today() - datetime.timedelta(days=10 - i), 17),
            ends_at=at(today() - datetime.timedelta(days=10 - i), 19),
        )
        for i in range(4)
    ]
    upcoming = SessionFactory(  # not held yet: does not count, nor does its excuse
        cohort=cohort,
        starts_at=at(today() + datetime.timedelta(days=3), 17),
        ends_at=at(today() + datetime.timedelta(days=3), 19),
    )
    AttendanceFactory(session=sessions[0], user=person, status="present")
    AttendanceFactory(session=sessions[1], user=person, status="late")
    AttendanceFactory(session=sessions[2], user=person, status="excused")
    AttendanceFactory(session=upcoming, user=person, status="excused")
    # sessions[3]: the roll call was taken (another trainee is marked) but this person is
    # unmarked: counts as absent.
    other = TraineeFactory()
    MembershipFactory(
        cohort=cohort, user=other, joined_at=timezone.now() - datetime.timedelta(days=40)
    )
    AttendanceFactory(session=sessions[3], user=other, status="present")
    row = next(r for r in cohort_dashboard(cohort).rows if r.user_id == person.pk)
    assert (row.sessions_attended, row.sessions_counted) == (2, 3)
    assert row.attendance_percent == 66
    assert [f.code for f in row.flags] == ["attendance"]
    assert "66%" in row.flags[0].message and "75%" in row.flags[0].message


def test_sessions_before_joining_are_not_expected(manager):
    cohort = cohort_with(manager=manager)
    early, late = TraineeFactory(), TraineeFactory()
    MembershipFactory(cohort=cohort, user=early, joined_at=timezone.now() - datetime.timedelta(40))
    MembershipFactory(cohort=cohort, user=late, joined_at=timezone.now() - datetime.timedelta(5))
    facilitator = MentorFactory()
    for days in (20, 10, 2):
        session = SessionFactory(
            cohort=cohort,
            starts_at=at(today() - datetime.timedelta(days=days), 17),
            ends_at=at(today() - datetime.timedelta(days=days), 19),
        )
        # The roll call was taken: only the facilitator is marked.
        AttendanceFactory(session=session, user=facilitator, status="present")
    rows = {r.user_id: r for r in cohort_dashboard(cohort).rows}
    assert rows[early.pk].sessions_counted == 3
    assert rows[late.pk].sessions_counted == 1
    assert shown(cohort) == reference(cohort)


def test_only_ended_sessions_with_attendance_taken_count(manager):
    """A session still running does not count everyone not checked in yet as absent, and one that
    ended without a roll call is shown as not taken, counted for nobody."""
    cohort = cohort_with(manager=manager)
    people = [TraineeFactory() for _ in range(3)]
    for person in people:
        MembershipFactory(
            cohort=cohort, user=person, joined_at=timezone.now() - datetime.timedelta(days=30)
        )
    last_week = SessionFactory(
        cohort=cohort,
        starts_at=at(today() - datetime.timedelta(days=7), 17),
        ends_at=at(today() - datetime.timedelta(days=7), 19),
    )
    untaken = SessionFactory(
        cohort=cohort,
        starts_at=at(today() - datetime.timedelta(days=2), 17),
        ends_at=at(today() - datetime.timedelta(days=2), 19),
    )
    running = SessionFactory(
        cohort=cohort,
        starts_at=timezone.now() - datetime.timedelta(minutes=30),
        ends_at=timezone.now() + datetime.timedelta(minutes=90),
    )
    for person in people:
        AttendanceFactory(session=last_week, user=person, status="present")
    AttendanceFactory(session=running, user=people[0], status="present")
    board = cohort_dashboard(cohort)
    assert {(r.sessions_attended, r.sessions_counted) for r in board.rows} == {(1, 1)}
    assert board.average_attendance == 100
    assert board.at_risk_count == 0
    stats = {s.session_id: s for s in board.sessions}
    assert set(stats) == {last_week.pk, untaken.pk}
    assert stats[untaken.pk].taken is False and stats[untaken.pk].percent is None
    assert stats[last_week.pk].percent == 100
    assert shown(cohort) == reference(cohort)


def test_inactive_and_overdue_flags_give_their_reasons(manager):
    cohort = cohort_with(manager=manager, starts_on=today() - datetime.timedelta(days=30))
    course = build_course(modules=1, lessons_per_module=1)
    AssignmentFactory(module=course.modules.get(), position=5, due_days_after_start=7)
    CurriculumItemFactory(cohort=cohort, course=course, due_on=today() - datetime.timedelta(days=1))
    idle, busy = TraineeFactory(), TraineeFactory()
    long_ago = timezone.now() - datetime.timedelta(days=30)
    MembershipFactory(cohort=cohort, user=idle, joined_at=long_ago)
    MembershipFactory(cohort=cohort, user=busy, joined_at=long_ago)
    lesson = course.modules.get().lessons.get(kind="text")
    stamp = timezone.now()
    LessonProgressFactory(user=busy, lesson=lesson, started_at=stamp, completed_at=stamp)
    rows = {r.user_id: r for r in cohort_dashboard(cohort).rows}
    assert {f.code for f in rows[idle.pk].flags} == {"inactive", "overdue"}
    assert rows[idle.pk].overdue == 2  # the assignment and the overdue course
    assert "30" in next(f.message for f in rows[idle.pk].flags if f.code == "inactive")
    assert {f.code for f in rows[busy.pk].flags} == {"overdue"}
    assert rows[busy.pk].last_activity is not None


def test_last_activity_comes_from_lessons_and_attendance(manager):
    cohort = cohort_with(manager=manager)
    course = build_course(modules=1, lessons_per_module=1)
    CurriculumItemFactory(cohort=cohort, course=course)
    person = TraineeFactory(last_login=None)
    MembershipFactory(cohort=cohort, user=person)
    assert cohort_dashboard(cohort).rows[0].last_activity is None
    progress = course_services.start_lesson(user=person, lesson=lessons_of(course)[0])
    assert cohort_dashboard(cohort).rows[0].last_activity == progress.last_seen_at
    session = SessionFactory(
        cohort=cohort,
        starts_at=timezone.now() - datetime.timedelta(minutes=5),
        ends_at=timezone.now() + datetime.timedelta(hours=1),
    )
    mark = services.check_in(user=person, session=session, code=session.check_in_code)
    assert cohort_dashboard(cohort).rows[0].last_activity == mark.marked_at


def test_filters_sorting_and_pagination(manager):
    cohort, _courses, people, _held = build_cohort(manager, trainees=9)
    board = cohort_dashboard(cohort, sort="-completion", page=2, page_size=4)
    assert board.count == 9 and board.pages == 3 and len(board.rows) == 4
    values = [r.completion_percent for r in board.matching]
    assert values == sorted(values, reverse=True)
    searched = cohort_dashboard(cohort, q=people[0].email)
    assert [r.user_id for r in searched.rows] == [people[0].pk]
    assert searched.total_trainees == 9
    at_risk = cohort_dashboard(cohort, flag="at_risk")
    assert all(r.at_risk for r in at_risk.matching)
    assert sum(b.count for b in board.distribution) == 9


def test_each_page_shows_the_persons_details_and_this_cohorts_progress(manager):
    """The columns only shown (name, Latin name, e-mail, governorate, course percentages) are
    read for the page's rows after the sort: each page holds the same rows as one long page, with
    the person's details and their tally in this cohort, not another cohort's."""
    cohort, _courses, people, _held = build_cohort(manager, trainees=7)
    other = cohort_with(manager=manager)
    elsewhere = build_course(modules=1, lessons_per_module=2)
    CurriculumItemFactory(cohort=other, course=elsewhere, position=1)
    stamp = timezone.now()
    for person in people[:4]:
        MembershipFactory(cohort=other, user=person, joined_at=stamp)
        lesson = lessons_of(elsewhere)[0]
        LessonProgressFactory(user=person, lesson=lesson, started_at=stamp, completed_at=stamp)
    people[2].full_name_latin = "Latin Name"
    people[2].governorate = "basra"
    people[2].save()

    def details(rows):
        return [
            (r.user_id, r.name, r.name_latin, r.email, r.governorate, r.course_percents)
            for r in rows
        ]

    for sort in ("risk", "-name", "completion"):
        whole = cohort_dashboard(cohort, sort=sort, page_size=200).rows
        paged = [
            row
            for number in (1, 2, 3)
            for row in cohort_dashboard(cohort, sort=sort, page=number, page_size=3).rows
        ]
        assert details(paged) == details(whole)
        assert details(cohort_dashboard(cohort, sort=sort, page=None).rows) == details(whole)
    by_person = {row.user_id: row for row in whole}
    for person in people:
        row = by_person[person.pk]
        assert (row.name, row.name_latin, row.email, row.governorate) == (
            person.full_name or person.email,
            person.full_name_latin,
            person.email,
            person.governorate,
        )
    assert shown(cohort) == reference(cohort)
    assert all(set(r.course_percents) == {elsewhere.pk} for r in cohort_dashboard(other).rows)


def test_session_aggregates_follow_the_trainees_listed(manager):
    cohort, _courses, people, held = build_cohort(manager, trainees=8, sessions=2)
    stats = cohort_dashboard(cohort).sessions
    assert [s.session_id for s in stats] == [h.pk for h in held]
    for stat, session in zip(stats, held, strict=True):
        marks = Attendance.objects.filter(session=session)
        assert stat.present == marks.filter(status="present").count()
        assert stat.absent == marks.filter(status="absent").count()
        assert stat.unmarked == 8 - marks.count()
    # A search narrows the per-session figures to the trainees it finds.
    one = cohort_dashboard(cohort, q=people[1].email).sessions
    for stat, session in zip(one, held, strict=True):
        mark = Attendance.objects.filter(session=session, user=people[1]).first()
        assert (stat.present, stat.absent, stat.unmarked) == (
            int(bool(mark) and mark.status == "present"),
            int(bool(mark) and mark.status == "absent"),
            int(mark is None),
        )


@pytest.mark.parametrize("options", [{}, {"q": "trainee"}, {"governorate": "najaf"}])
def test_dashboard_same_number_of_queries_at_both_sizes(manager, options):
    counts = []
    for size in (10, 200):
        cohort, *_ = build_cohort(manager, trainees=size, sessions=3)
        with CaptureQueriesContext(connection) as queries:
            board = cohort_dashboard(cohort, **options)
        assert board.total_trainees == size
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 12


def test_exports_hold_exactly_the_filtered_rows_in_order(manager):
    cohort, _courses, people, _held = build_cohort(manager, trainees=6)
    people[0].full_name = "=HYPERLINK(1)"
    people[0].save(update_fields=["full_name"])
    board = cohort_dashboard(cohort, sort="name", flag="at_risk", page_size=2)
    text = "".join(csv_chunks(board))
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [line[2] for line in table[1:]] == [r.email for r in board.matching]
    assert len(table) - 1 == board.count > len(board.rows)
    assert all(not line[0].startswith("=") for line in table[1:])

    sheet = load_workbook(io.BytesIO(xlsx_bytes(board))).active
    values = list(sheet.iter_rows(values_only=True))
    assert [v[2] for v in values[1:]] == [r.email for r in board.matching]
    assert values[0] == tuple(table[0])


def test_a_new_required_lesson_counts_for_everyone_once_the_task_ran(
    manager, django_capture_on_commit_callbacks
):
    cohort = cohort_with(manager=manager)
    course = build_course(modules=1, lessons_per_module=2)
    CurriculumItemFactory(cohort=cohort, course=course)
    person = TraineeFactory()
    MembershipFactory(cohort=cohort, user=person)
    for lesson in lessons_of(course):
        course_services.complete_lesson(user=person, lesson=lesson)
    assert cohort_dashboard(cohort).rows[0].completion_percent == 100
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        LessonFactory(module=course.modules.get(), position=9)  # the admin or the shell alike
    # The course's refresh, beside the cached structure moving on (courses.structure).
    assert len([c for c in callbacks if c is not structure._move]) == 1
    assert cohort_dashboard(cohort).rows[0].completion_percent == 66
