"""The dashboard's sorting, paging and whole-cohort figures are worked out by the database
(cohorts.dashboard._figures, _summary, _order) so that a page builds its own rows only: the
pages, read one after the other, give exactly the rows of the whole list in the order SORTS
defines, and the figures above the table equal those counted over every row of the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cohorts import dashboard as dash
from cohorts.models import Attendance, Membership
from tests.cohorts.factories import AttendanceFactory, MembershipFactory, SessionFactory, at, today
from tests.cohorts.test_dashboard_lists import build_cohort
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(manager):
    """Fourteen trainees with varied progress and marks, and what the counters cannot answer
    alone: a check-in and an excuse at sessions not held yet, a trainee who joined after the
    first sessions, one without a name (listed by e-mail address), names in both scripts and
    cases, and a withdrawn member with marks."""
    cohort, _courses, people, held = build_cohort(manager, trainees=11, sessions=4)
    upcoming = cohort.sessions.get(starts_at__gt=timezone.now())
    soon = SessionFactory(
        cohort=cohort,
        starts_at=timezone.now() + datetime.timedelta(minutes=10),
        ends_at=timezone.now() + datetime.timedelta(hours=2),
    )
    AttendanceFactory(session=soon, user=people[0], status="present")
    AttendanceFactory(session=upcoming, user=people[1], status="excused")
    late_joiner = TraineeFactory(full_name="زينب علي")
    MembershipFactory(cohort=cohort, user=late_joiner, joined_at=held[2].starts_at)
    AttendanceFactory(session=held[3], user=late_joiner, status="present")
    nameless = TraineeFactory(full_name="", email="zz.nameless@example.org")
    MembershipFactory(cohort=cohort, user=nameless)
    capital = TraineeFactory(full_name="Adam Early")
    MembershipFactory(cohort=cohort, user=capital)
    gone = TraineeFactory()
    MembershipFactory(cohort=cohort, user=gone, status=Membership.Status.WITHDRAWN)
    AttendanceFactory(session=held[0], user=gone, status="present")
    SessionFactory(cohort=cohort, starts_at=at(today(), 1), ends_at=at(today(), 2))  # not taken
    return cohort


def _ids(rows):
    return [row.user_id for row in rows]


@pytest.mark.parametrize("sort", dash.SORT_CHOICES)
@pytest.mark.parametrize("flag", ["", "at_risk", "overdue"])
def test_pages_read_in_turn_are_the_whole_list_in_the_order_of_sorts(cohort, sort, flag):
    everything = dash.cohort_dashboard(cohort, sort=sort, flag=flag, page=None)
    paged = []
    for page in range(1, everything.pages * 1 + 6):
        board = dash.cohort_dashboard(cohort, sort=sort, flag=flag, page=page, page_size=4)
        if page > board.pages:
            break
        assert len(board.rows) == min(4, board.count - (page - 1) * 4)
        paged += board.rows
    assert _ids(paged) == _ids(everything.rows)
    assert len(everything.rows) == everything.count
    key = dash.SORTS[sort.lstrip("-")]
    expected = sorted(everything.rows, key=key, reverse=sort.startswith("-"))
    assert [key(r) for r in everything.rows] == [key(r) for r in expected]


@pytest.mark.parametrize("flag", ["", "at_risk", "inactive", "attendance", "overdue"])
def test_the_figures_above_the_table_are_those_of_every_row_listed(cohort, flag):
    board = dash.cohort_dashboard(cohort, flag=flag, page_size=3)
    rows = dash.cohort_dashboard(cohort, flag=flag, page=None).rows
    if flag and flag != "at_risk":
        assert all(flag in {f.code for f in r.flags} for r in rows)
    assert board.count == len(rows) == len(board.matching)
    assert _ids(board.matching) == _ids(rows)
    assert board.at_risk_count == sum(1 for r in rows if r.flags)
    completions = [r.completion_percent for r in rows]
    attendances = [r.attendance_percent for r in rows if r.attendance_percent is not None]
    assert board.average_completion == (
        sum(completions) // len(completions) if completions else None
    )
    assert board.average_attendance == (
        sum(attendances) // len(attendances) if attendances else None
    )
    assert [b.count for b in board.distribution] == [
        sum(1 for c in completions if low <= c <= high) for low, high in dash.BUCKETS
    ]
    for code, n in board.flag_counts.items():
        assert n == sum(1 for r in rows for f in r.flags if f.code == code), code


def test_every_flag_of_a_row_has_its_message(cohort):
    rows = dash.cohort_dashboard(cohort, page=None).rows
    # The fixture raises each of the dashboard's own flags somewhere, and not everywhere.
    for code in ("attendance", "overdue"):
        flagged = [r for r in rows if code in {f.code for f in r.flags}]
        assert 0 < len(flagged) < len(rows), code
    for row in rows:
        for flag in row.flags:
            assert flag.message and flag.label
        codes = [f.code for f in row.flags]
        assert len(codes) == len(set(codes))


def test_marks_of_sessions_not_held_yet_are_not_counted(cohort):
    first, second = (
        Membership.objects.filter(cohort=cohort, role="trainee")
        .order_by("user_id")
        .values_list("user_id", flat=True)[:2]
    )
    rows = {r.user_id: r for r in dash.cohort_dashboard(cohort, page=None).rows}
    held = Attendance.objects.filter(session__cohort=cohort, session__ends_at__lte=timezone.now())
    for user_id in (first, second):
        mine = held.filter(user_id=user_id)
        assert rows[user_id].sessions_attended == mine.filter(status="present").count()


def test_a_page_reads_its_own_rows_only(cohort):
    with CaptureQueriesContext(connection) as queries:
        board = dash.cohort_dashboard(cohort, sort="name", page=2, page_size=5)
    assert len(board.rows) == 5
    # One query reads rows (the page's, with its LIMIT); the others are the sessions, the
    # curriculum, the marks, the aggregate and the reasons' or columns' own.
    limited = [q["sql"] for q in queries.captured_queries if "LIMIT 5" in q["sql"]]
    assert len(limited) == 1 and "OFFSET 5" in limited[0]


def test_a_page_past_the_last_shows_the_last(cohort):
    last = dash.cohort_dashboard(cohort, sort="name", page=99, page_size=5)
    assert last.page == last.pages == 3
    everything = dash.cohort_dashboard(cohort, sort="name", page=None)
    assert _ids(last.rows) == _ids(everything.rows)[10:]
    assert last.count == everything.count == 14
    nobody = dash.cohort_dashboard(cohort, q="nobody-by-this-name", page=4)
    assert (nobody.page, nobody.count, nobody.rows, nobody.average_completion) == (1, 0, [], None)
    assert nobody.total_trainees == 14


def test_one_trainee_narrowed_by_id_has_the_figures_of_the_whole_list(cohort):
    everyone = {r.user_id: r for r in dash.cohort_dashboard(cohort, page=None).rows}
    for user_id, row in list(everyone.items())[:5]:
        one = dash.cohort_dashboard(cohort, user_id=user_id)
        assert [r.user_id for r in one.rows] == [user_id]
        assert one.rows[0] == row
        assert one.total_trainees == len(everyone)
    assert dash.cohort_dashboard(cohort, user_id=0).rows == []


@pytest.mark.parametrize("page", [10**6, 10**18, 2**63 + 5])
def test_a_page_number_beyond_any_cohort_shows_the_last_page(cohort, page):
    board = dash.cohort_dashboard(cohort, sort="name", page=page, page_size=5)
    assert (board.page, len(board.rows), board.count) == (3, 4, 14)
