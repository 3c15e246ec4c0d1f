"""The manager's dashboard: figures agree with courses.progress, at-risk flags give their
reasons, the query count does not grow with the cohort, and the exports hold the rows shown."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from cohorts.dashboard import cohort_dashboard, csv_chunks, xlsx_bytes
from cohorts.models import Attendance
from courses.models import AssignmentSubmission, LessonProgress
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
from tests.courses.factories import (
    AssignmentFactory,
    LessonProgressFactory,
    QuizAttemptFactory,
    QuizFactory,
    SubmissionFactory,
    build_course,
    lessons_of,
)
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def build_cohort(manager, trainees: int, sessions: int = 4):
    """A running cohort with two curriculum courses (one with a quiz and an assignment), some
    progress, held sessions with marks, and `trainees` trainees."""
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


def test_completion_agrees_with_courses_progress(manager):
    cohort, courses, people, _held = build_cohort(manager, trainees=12)
    board = cohort_dashboard(cohort, page_size=200)
    rows = {row.user_id: row for row in board.rows}
    for course in courses:
        statuses = progress_for(people, course)
        for person in people:
            assert rows[person.pk].course_percents[course.pk] == statuses[person.pk].percent
    for person in people:
        row = rows[person.pk]
        expected = sum(row.course_percents.values()) // 2
        assert row.completion_percent == expected


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
    SessionFactory(  # not held yet: does not count
        cohort=cohort,
        starts_at=at(today() + datetime.timedelta(days=3), 17),
        ends_at=at(today() + datetime.timedelta(days=3), 19),
    )
    AttendanceFactory(session=sessions[0], user=person, status="present")
    AttendanceFactory(session=sessions[1], user=person, status="late")
    AttendanceFactory(session=sessions[2], user=person, status="excused")
    # sessions[3]: unmarked, counts as absent
    row = cohort_dashboard(cohort).rows[0]
    assert (row.sessions_attended, row.sessions_counted) == (2, 3)
    assert row.attendance_percent == 66
    assert [f.code for f in row.flags] == ["attendance"]
    assert "66%" in row.flags[0].message and "75%" in row.flags[0].message


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


def test_session_aggregates(manager):
    cohort, _courses, people, held = build_cohort(manager, trainees=8, sessions=2)
    stats = cohort_dashboard(cohort).sessions
    assert [s.session_id for s in stats] == [h.pk for h in held]
    for stat, session in zip(stats, held, strict=True):
        marks = Attendance.objects.filter(session=session)
        assert stat.present == marks.filter(status="present").count()
        assert stat.absent == marks.filter(status="absent").count()
        assert stat.unmarked == 8 - marks.count()


@pytest.mark.parametrize("trainees", [10, 200])
def test_dashboard_query_count_does_not_grow(manager, trainees, django_assert_max_num_queries):
    cohort, *_ = build_cohort(manager, trainees=trainees, sessions=6)
    with django_assert_max_num_queries(9):
        board = cohort_dashboard(cohort, page_size=50)
    assert board.count == trainees


def test_dashboard_same_number_of_queries_at_both_sizes(manager):
    counts = []
    for size in (10, 200):
        cohort, *_ = build_cohort(manager, trainees=size, sessions=3)
        with CaptureQueriesContext(connection) as queries:
            cohort_dashboard(cohort, q="", sort="risk")
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


def test_last_activity_comes_from_lessons_and_attendance(manager):
    cohort = cohort_with(manager=manager)
    course = build_course(modules=1, lessons_per_module=1)
    CurriculumItemFactory(cohort=cohort, course=course)
    person = TraineeFactory(last_login=None)
    MembershipFactory(cohort=cohort, user=person)
    seen = timezone.now() - datetime.timedelta(days=3)
    LessonProgress.objects.create(
        user=person, lesson=lessons_of(course)[0], started_at=seen, last_seen_at=seen
    )
    assert cohort_dashboard(cohort).rows[0].last_activity == seen
