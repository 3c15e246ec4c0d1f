"""One writer per stored figure: the attendance counters are recounted from the marks by
`tallies.refresh_session` and `tallies.refresh_trainees`, idempotent and self-repairing, and a
roll call recounts once for the whole list (the same number of queries for 4 or 40 trainees)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cohorts import services, tallies
from cohorts.models import Attendance, AttendanceTally, Membership, SessionTally
from tests.cohorts.factories import MembershipFactory, SessionFactory, cohort_with
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def held_session(manager, size):
    cohort = cohort_with(manager=manager)
    people = TraineeFactory.create_batch(size)
    for person in people:
        MembershipFactory(cohort=cohort, user=person)
    start = timezone.now() - datetime.timedelta(hours=1)
    session = SessionFactory(
        cohort=cohort, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    return cohort, people, session


def figures(cohort, session):
    people = {
        t.user_id: (t.present, t.late, t.excused, t.absent, t.last_attended_at, t.active_trainee)
        for t in AttendanceTally.objects.filter(cohort=cohort)
    }
    tally = SessionTally.objects.get(session=session)
    return people, (tally.present, tally.late, tally.excused, tally.absent)


def test_a_refresh_repairs_a_wrong_row_and_a_second_changes_nothing(manager):
    cohort, people, session = held_session(manager, 3)
    marks = {people[0].pk: "present", people[1].pk: "late", people[2].pk: "absent"}
    services.mark_roll_call(actor=manager, session=session, marks=marks)
    right = figures(cohort, session)
    assert right[1] == (1, 1, 0, 1)
    # A figure written past the writers (a bug, a hand edit) is put right by the next refresh.
    AttendanceTally.objects.filter(cohort=cohort, user=people[0]).update(present=7, absent=3)
    SessionTally.objects.filter(session=session).update(present=9)
    tallies.marks_changed(session, [p.pk for p in people])
    assert figures(cohort, session) == right
    # Safe to call twice: nothing changes and nothing is written.
    with CaptureQueriesContext(connection) as second:
        tallies.refresh_trainees(cohort.pk, [p.pk for p in people])
    assert figures(cohort, session) == right
    assert not [q for q in second.captured_queries if q["sql"].startswith("UPDATE")]


def test_a_missing_counter_is_created_from_the_marks_and_a_withdrawn_trainee_is_not_active(
    manager,
):
    cohort, people, session = held_session(manager, 2)
    services.mark_roll_call(
        actor=manager, session=session, marks={people[0].pk: "present", people[1].pk: "late"}
    )
    right = figures(cohort, session)
    AttendanceTally.objects.filter(cohort=cohort).delete()
    SessionTally.objects.filter(session=session).delete()
    tallies.marks_changed(session, [people[0].pk, people[1].pk])
    assert figures(cohort, session) == right
    Membership.objects.filter(cohort=cohort, user=people[1]).update(
        status=Membership.Status.WITHDRAWN
    )
    tallies.refresh_trainees(cohort.pk, [people[1].pk])
    assert figures(cohort, session)[0][people[1].pk][-1] is False


def test_a_deleted_mark_is_recounted_without_creating_counters(manager):
    cohort, people, session = held_session(manager, 2)
    services.mark_roll_call(
        actor=manager, session=session, marks={people[0].pk: "present", people[1].pk: "present"}
    )
    Attendance.objects.filter(session=session, user=people[0]).delete()
    people_figures, session_figures = figures(cohort, session)
    assert session_figures == (1, 0, 0, 0)
    assert people_figures[people[0].pk][:5] == (0, 0, 0, 0, None)


def roll_call_queries(manager, size):
    cohort, people, session = held_session(manager, size)
    marks = {person.pk: "present" for person in people}
    with CaptureQueriesContext(connection) as queries:
        services.mark_roll_call(actor=manager, session=session, marks=marks)
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if "tally" in q["sql"].lower() and q["sql"].startswith(("UPDATE", "INSERT"))
    ]
    return len(queries.captured_queries), writes


def test_a_roll_call_recounts_once_for_the_whole_list(manager):
    small_total, small_tally = roll_call_queries(manager, 4)
    large_total, large_tally = roll_call_queries(manager, 40)
    # The counters are written as often for 4 or 40 trainees; the marks themselves cost the same
    # number of queries each.
    assert len(large_tally) == len(small_tally)
    per_mark = (large_total - small_total) / 36
    assert per_mark == int(per_mark)
    assert large_total - 40 * per_mark == small_total - 4 * per_mark
