"""The dashboard's stored figures in cohorts: attendance counters follow every mark (written,
changed, deleted with a session or a person), the nightly task and the command repair what was
written past the services and find nothing the second time, and concurrent check-ins and roll
calls neither lose a count nor deadlock (PostgreSQL)."""

import datetime
import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from cohorts import services, tallies, tasks
from cohorts.dashboard import cohort_dashboard
from cohorts.models import Attendance, AttendanceTally, Membership, SessionTally
from tests.cohorts.factories import MembershipFactory, SessionFactory, cohort_with
from tests.factories import ManagerFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def counters(cohort):
    """{user id: (present, late, excused, absent)}, {session id: (...)}, leaving out zeros."""
    people = {
        t.user_id: (t.present, t.late, t.excused, t.absent)
        for t in AttendanceTally.objects.filter(cohort=cohort)
    }
    sessions = {
        t.session_id: (t.present, t.late, t.excused, t.absent)
        for t in SessionTally.objects.filter(session__cohort=cohort)
    }
    return tuple({k: v for k, v in table.items() if any(v)} for table in (people, sessions))


def counted_from_marks(cohort):
    people, sessions = {}, {}
    for mark in Attendance.objects.filter(session__cohort=cohort):
        for key, table in ((mark.user_id, people), (mark.session_id, sessions)):
            row = list(table.get(key, (0, 0, 0, 0)))
            row[Attendance.Status.values.index(mark.status)] += 1
            table[key] = tuple(row)
    return people, sessions


@pytest.fixture
def held(manager):
    cohort = cohort_with(manager=manager)
    people = TraineeFactory.create_batch(3)
    for person in people:
        MembershipFactory(cohort=cohort, user=person)
    day = timezone.now() - datetime.timedelta(days=2)
    sessions = [
        SessionFactory(
            cohort=cohort,
            starts_at=day + datetime.timedelta(days=n),
            ends_at=day + datetime.timedelta(days=n, hours=2),
        )
        for n in range(2)
    ]
    return cohort, people, sessions


def test_counters_follow_marks_and_their_deletion(manager, held):
    cohort, (a, b, c), (first, second) = held
    services.mark_roll_call(
        actor=manager, session=first, marks={a.pk: "present", b.pk: "late", c.pk: "absent"}
    )
    services.mark_roll_call(actor=manager, session=second, marks={a.pk: "excused", b.pk: "late"})
    services.mark_roll_call(actor=manager, session=second, marks={b.pk: "absent"})  # changed
    assert counters(cohort) == counted_from_marks(cohort)
    assert counters(cohort)[0][b.pk] == (0, 1, 0, 1)

    first.delete()  # the admin: the session's marks go with it
    assert counters(cohort)[0] == counted_from_marks(cohort)[0]
    b.delete()  # a person deleted with their marks
    assert counters(cohort)[1] == counted_from_marks(cohort)[1] == {second.pk: (0, 0, 1, 0)}
    assert tallies.rebuild() == 0


def test_who_counts_as_an_active_trainee_follows_every_membership_change(manager, held):
    cohort, (a, b, c), (first, _second) = held
    marks = {a.pk: "present", b.pk: "present", c.pk: "late"}
    services.mark_roll_call(actor=manager, session=first, marks=marks)
    membership = Membership.objects.get(cohort=cohort, user=a)
    membership.role = Membership.Role.MENTOR  # the admin saves the whole row
    membership.save()
    Membership.objects.get(cohort=cohort, user=b).delete()  # the admin deletes one
    active = AttendanceTally.objects.filter(cohort=cohort, active_trainee=True)
    assert list(active.values_list("user_id", flat=True)) == [c.pk]
    stat = next(s for s in cohort_dashboard(cohort).sessions if s.session_id == first.pk)
    assert (stat.present, stat.late, stat.unmarked) == (0, 1, 0)
    assert tallies.rebuild() == 0


def test_rebuild_and_the_nightly_task_repair_and_are_safe_to_run_twice(manager, held):
    cohort, (a, b, _c), (first, _second) = held
    services.mark_roll_call(actor=manager, session=first, marks={a.pk: "present", b.pk: "late"})
    AttendanceTally.objects.filter(user=a).update(present=7)
    SessionTally.objects.filter(session=first).update(absent=3)
    AttendanceTally.objects.filter(user=b).update(course_percents={"999": 50}, handed_in=[1])
    assert tallies.rebuild([cohort.pk]) == 3
    assert counters(cohort) == counted_from_marks(cohort)
    assert AttendanceTally.objects.get(user=b).course_percents == {}
    # Every active trainee has a tally, marked or not.
    assert AttendanceTally.objects.filter(cohort=cohort).count() == 3

    schedule = settings.CELERY_BEAT_SCHEDULE["refresh-progress-snapshots"]
    assert schedule["task"] == "cohorts.tasks.refresh_progress_snapshots"
    AttendanceTally.objects.filter(user=b).update(late=0)
    assert tasks.refresh_progress_snapshots() == 1
    assert tasks.refresh_progress_snapshots() == 0


@pytest.mark.django_db(transaction=True)
def test_simultaneous_check_ins_and_roll_calls_count_every_mark():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks and serialises writers; the guarantee is PostgreSQL's")
    manager = ManagerFactory()
    cohort = cohort_with(manager=manager)
    people = TraineeFactory.create_batch(8)
    for person in people:
        MembershipFactory(cohort=cohort, user=person)
    now = timezone.now()
    running = SessionFactory(
        cohort=cohort,
        starts_at=now - datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=1),
    )
    earlier = SessionFactory(
        cohort=cohort,
        starts_at=now - datetime.timedelta(days=1),
        ends_at=now - datetime.timedelta(days=1) + datetime.timedelta(hours=2),
    )
    barrier = threading.Barrier(len(people) + 2)
    errors = []

    def run(action):
        try:
            barrier.wait(timeout=10)
            action()
        except Exception as exc:  # noqa: BLE001 - any failure in a thread is reported below
            errors.append(exc)
        finally:
            connections.close_all()

    actions = [
        lambda p=p: services.check_in(user=p, session=running, code=running.check_in_code)
        for p in people
    ]
    # Two roll calls, each over everyone, in opposite orders of the request.
    actions.append(
        lambda: services.mark_roll_call(
            actor=manager, session=running, marks={p.pk: "late" for p in people}
        )
    )
    actions.append(
        lambda: services.mark_roll_call(
            actor=manager, session=earlier, marks={p.pk: "absent" for p in reversed(people)}
        )
    )
    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, [str(e) for e in errors]
    assert Attendance.objects.filter(session=running).count() == len(people)
    assert counters(cohort) == counted_from_marks(cohort)
    assert tallies.rebuild() == 0
