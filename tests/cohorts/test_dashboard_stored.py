"""The dashboard's page query stored per connection (cohorts.dashboard._PAGE_QUERY): composed once
for the whole cohort and once for any one trainee, run afterwards with the time and the trainee's
id, and giving the same board as composing afresh after every change a manager or a trainee
makes (the test suite's STORED_SQL_CHECK also compares the SQL on every use)."""

import dataclasses
import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from certificates import eligibility as certificates_eligibility
from certificates.eligibility import ByName, eligibility
from cohorts import dashboard, dashboard_figures
from cohorts.dashboard import cohort_dashboard
from cohorts.models import Attendance
from tests.cohorts.factories import AttendanceFactory, SessionFactory, at, today
from tests.cohorts.test_dashboard_lists import build_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def composed(monkeypatch):
    """How many times the figures' query was built (composed)."""
    calls = []
    real = dashboard_figures.figures

    def counted(*args, **kwargs):
        calls.append(args[-1])  # the time it is built for
        return real(*args, **kwargs)

    monkeypatch.setattr(dashboard_figures, "figures", counted)
    return calls


def _board(board) -> dict:
    rows = [
        {k: v for k, v in dataclasses.asdict(row).items() if k != "flags"}
        | {"flags": [(f.code, f.message) for f in row.flags]}
        for row in board.rows
    ]
    return {
        "rows": rows,
        "count": board.count,
        "at_risk": board.at_risk_count,
        "distribution": [(b.low, b.high, b.count) for b in board.distribution],
        "flags": board.flag_counts,
        "completion": board.average_completion,
        "attendance": board.average_attendance,
        "sums": board.sums,
    }


def _fresh(cohort, **options) -> dict:
    """The board with nothing stored (a new store for this call)."""
    saved = dashboard._PAGE_QUERY
    dashboard._PAGE_QUERY = type(saved)()
    try:
        return _board(cohort_dashboard(cohort, **options))
    finally:
        dashboard._PAGE_QUERY = saved


@override_settings(STORED_SQL_CHECK=False)
def test_the_page_query_is_composed_once_per_cohort_and_once_for_any_trainee(manager, composed):
    cohort, _courses, people, _held = build_cohort(manager, trainees=6)
    first = cohort_dashboard(cohort, page_size=4)
    assert len(composed) == 2  # with the time given and a second later, to find it in the SQL
    for number in (1, 2, 1):
        board = cohort_dashboard(cohort, page_size=4, page=number)
        assert _board(board) == _fresh(cohort, page_size=4, page=number)
    assert _board(first)["rows"] == _fresh(cohort, page_size=4)["rows"]
    composed.clear()
    for person in (*people, *people):
        one = cohort_dashboard(cohort, user_id=person.pk)
        assert [row.user_id for row in one.rows] == [person.pk]
        assert _board(one) == _fresh(cohort, user_id=person.pk)
    # Twice for the first trainee (the probe); the others and the second round from the store.
    # (_fresh builds its own four times per call: 2 x 12.)
    assert len(composed) == 2 + 2 * 12


@override_settings(STORED_SQL_CHECK=False)
def test_a_search_is_composed_for_its_one_use(manager, composed):
    cohort, _courses, people, _held = build_cohort(manager, trainees=3)
    name = people[1].full_name
    for _time in range(2):
        board = cohort_dashboard(cohort, q=name)
        assert [row.user_id for row in board.rows] == [people[1].pk]
    assert len(composed) == 2  # once a search, nothing stored
    assert all(key[1] != name for key in dashboard._PAGE_QUERY._entries("default"))


@override_settings(STORED_SQL_CHECK=False)
def test_the_stored_query_follows_the_time(manager):
    cohort, _courses, people, _held = build_cohort(manager, trainees=4)
    now = timezone.now()
    for moment in (now, now + datetime.timedelta(days=3), now + datetime.timedelta(days=30)):
        assert _board(cohort_dashboard(cohort, now=moment)) == _fresh(cohort, now=moment)
    # A month later with nothing done, everyone is inactive.
    late = cohort_dashboard(cohort, now=now + datetime.timedelta(days=30))
    assert all("inactive" in [f.code for f in row.flags] for row in late.rows)


@override_settings(STORED_SQL_CHECK=False)
def test_changes_show_on_the_next_read(manager):
    cohort, _courses, people, held = build_cohort(manager, trainees=5)
    cohort_dashboard(cohort)
    # A policy change, a session held since, a mark, an excuse for a session to come.
    cohort.min_attendance_percent = 90
    cohort.save()
    assert _board(cohort_dashboard(cohort)) == _fresh(cohort)
    SessionFactory(
        cohort=cohort,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=1),
    )
    AttendanceFactory(session=held[0], user=people[0], status=Attendance.Status.LATE)
    upcoming = SessionFactory(
        cohort=cohort,
        starts_at=at(today() + datetime.timedelta(days=5), 17),
        ends_at=at(today() + datetime.timedelta(days=5), 19),
    )
    AttendanceFactory(session=upcoming, user=people[1], status=Attendance.Status.EXCUSED)
    for options in ({}, {"user_id": people[1].pk}, {"flag": "at_risk"}, {"sort": "name"}):
        assert _board(cohort_dashboard(cohort, **options)) == _fresh(cohort, **options)


def _verdicts(cohort) -> tuple:
    pages = ByName(cohort, 2)
    found = [(e.user_id, e.eligible, e.reasons) for e in [*pages[0:2], *pages[2:4]]]
    return found, (pages.issued, pages.ready, pages.missing)


@override_settings(STORED_SQL_CHECK=False)
def test_eligibility_reads_the_same_figures_from_the_store(manager, monkeypatch):
    # Certificates' query over the trainees' tally figures (certificates.eligibility._PAGES).
    composed = []
    real = certificates_eligibility._compose_page

    def counted(*args):
        composed.append(args)
        return real(*args)

    monkeypatch.setattr(certificates_eligibility, "_compose_page", counted)
    cohort, _courses, people, _held = build_cohort(manager, trainees=4)
    first = _verdicts(cohort)
    assert len(composed) == 2  # built twice to be stored (core.compiled.Stored)
    assert _verdicts(cohort) == first
    assert len(composed) == 2  # from the store
    saved = certificates_eligibility._PAGES
    certificates_eligibility._PAGES = type(saved)()
    try:
        assert _verdicts(cohort) == first  # composed afresh
    finally:
        certificates_eligibility._PAGES = saved
    assert len(composed) == 4
    assert sorted(user_id for user_id, _e, _r in first[0]) == sorted(p.pk for p in people)
    assert any(reasons for _u, _e, reasons in first[0])
    assert eligibility(cohort, people[0]).reasons == {u: r for u, _e, r in first[0]}[people[0].pk]


def test_a_stored_page_runs_one_query(manager):
    cohort, _courses, _people, _held = build_cohort(manager, trainees=3)
    cohort_dashboard(cohort)
    with CaptureQueriesContext(connection) as first:
        cohort_dashboard(cohort, with_columns=False)
    with CaptureQueriesContext(connection) as second:
        cohort_dashboard(cohort, with_columns=False)
    assert len(first) == len(second)
    page_queries = [q for q in second if "MATERIALIZED" in q["sql"]]
    assert len(page_queries) == 1
