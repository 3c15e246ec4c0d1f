"""Taking back a member who left: the same role again, counted against the capacity, their
accepted application accepted again; refused for someone still a member, for a closed cohort,
and for anyone but the cohort's managers."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from cohorts import services
from cohorts.models import Application, Cohort, Membership
from core.errors import Conflict
from core.models import AuditEvent
from tests.cohorts.factories import ApplicationFactory, cohort_with
from tests.factories import ManagerFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def left(cohort, person, manager):
    membership = Membership.objects.get(cohort=cohort, user=person, status="active")
    services.withdraw_membership(actor=manager, membership=membership)
    membership.refresh_from_db()
    return membership


def test_a_withdrawn_trainee_is_taken_back(manager, trainee):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    ApplicationFactory(
        cohort=cohort,
        applicant=trainee,
        status=Application.Status.ACCEPTED,
        decided_at=timezone.now(),
    )
    gone = left(cohort, trainee, manager)
    assert Application.objects.get(applicant=trainee).status == Application.Status.WITHDRAWN
    back = services.reinstate_member(actor=manager, membership=gone)
    assert back.is_active and back.role == Membership.Role.TRAINEE and back.pk != gone.pk
    assert Application.objects.get(applicant=trainee).status == Application.Status.ACCEPTED
    assert AuditEvent.objects.filter(action="cohorts.reinstate_member").count() == 1


def test_refusals(manager, trainee):
    cohort = cohort_with(manager=manager, trainees=[trainee], capacity=1)
    with pytest.raises(Conflict) as still:
        services.reinstate_member(
            actor=manager, membership=Membership.objects.get(cohort=cohort, user=trainee)
        )
    assert still.value.code == "still_member"
    gone = left(cohort, trainee, manager)
    with pytest.raises(PermissionDenied):
        services.reinstate_member(actor=ManagerFactory(), membership=gone)
    services.add_member(actor=manager, cohort=cohort, user=TraineeFactory(), role="trainee")
    with pytest.raises(Conflict) as full:
        services.reinstate_member(actor=manager, membership=gone)
    assert full.value.code == "cohort_full"
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.ARCHIVED)
    gone.refresh_from_db()
    with pytest.raises(Conflict) as closed:
        services.reinstate_member(actor=manager, membership=gone)
    assert closed.value.code == "cohort_closed"
    assert not Membership.objects.filter(cohort=cohort, user=trainee, status="active").exists()


def test_the_members_page_offers_take_back(login, manager, trainee):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    gone = left(cohort, trainee, manager)
    client = login(manager)
    url = reverse("cohorts:member_reinstate", args=[gone.pk])
    page = client.get(reverse("cohorts:members", args=[cohort.pk]), {"status": "withdrawn"})
    assert url in page.content.decode()
    assert client.post(url).status_code == 302
    assert Membership.objects.filter(cohort=cohort, user=trainee, status="active").exists()
    assert client.post(url).status_code == 409  # already back
    assert login(trainee).post(url).status_code == 404
