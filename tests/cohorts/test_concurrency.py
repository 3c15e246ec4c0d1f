"""Capacity holds under concurrency: many managers accepting different applicants at the same
moment never take a cohort past its capacity. Real PostgreSQL connections, one per thread."""

import threading

import pytest
from django.db import connection, connections

from cohorts import services
from cohorts.models import Application, Cohort, Membership
from tests.cohorts.factories import ApplicationFactory, MembershipFactory, cohort_with
from tests.factories import ManagerFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no row locks and serialises writers; the guarantee is PostgreSQL's",
    ),
]


def test_concurrent_acceptances_never_exceed_capacity():
    capacity, applicants = 3, 12
    cohort = cohort_with(
        manager=ManagerFactory(), status=Cohort.Status.RECRUITING, capacity=capacity
    )
    managers = [ManagerFactory() for _ in range(applicants)]
    for person in managers:
        MembershipFactory(cohort=cohort, user=person, role=Membership.Role.MANAGER)
    applications = [ApplicationFactory(cohort=cohort) for _ in range(applicants)]
    barrier = threading.Barrier(applicants)
    outcomes, errors = [], []

    def accept(manager, application):
        try:
            barrier.wait(timeout=10)
            result = services.decide_application(
                actor=manager, application=application, decision="accepted", overflow="waitlist"
            )
            outcomes.append(result.status)
        except services.Conflict as exc:  # pragma: no cover - would mean a lost race
            outcomes.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - any failure in a thread is reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=accept, args=(m, a))
        for m, a in zip(managers, applications, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not errors, errors
    assert sorted(outcomes) == sorted(
        ["accepted"] * capacity + ["waitlisted"] * (applicants - capacity)
    )
    assert Membership.objects.active().trainees().filter(cohort=cohort).count() == capacity
    assert Application.objects.filter(cohort=cohort, status="accepted").count() == capacity


def test_concurrent_withdrawals_promote_each_waitlisted_once():
    cohort = cohort_with(manager=ManagerFactory(), status=Cohort.Status.RUNNING, capacity=4)
    members = [MembershipFactory(cohort=cohort) for _ in range(4)]
    waiting = [
        ApplicationFactory(cohort=cohort, status="waitlisted", decided_at=cohort.created_at)
        for _ in range(3)
    ]
    barrier = threading.Barrier(len(members))
    errors = []

    def leave(membership):
        try:
            barrier.wait(timeout=10)
            services.withdraw_membership(actor=membership.user, membership=membership)
        except Exception as exc:  # noqa: BLE001 - any failure in a thread is reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=leave, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert Membership.objects.active().trainees().filter(cohort=cohort).count() == 3
    assert {a.pk for a in Application.objects.filter(status="accepted")} == {w.pk for w in waiting}
