"""Calling off a session that has not started: who may, who is told (a message nobody can turn
off), what is refused, on the page and through the API."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cohorts import services
from cohorts.models import ExcuseRequest, Membership, Session
from core.errors import Conflict
from core.models import AuditEvent
from notifications.models import Notification, Preference
from tests.cohorts.factories import ExcuseRequestFactory, SessionFactory, cohort_with
from tests.factories import ManagerFactory, MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db

KIND = "cohorts.session_cancelled"


@pytest.fixture
def world(manager, trainee, mentor):
    facilitator = MentorFactory()
    removed = TraineeFactory()
    cohort = cohort_with(
        manager=manager, trainees=[trainee, removed], mentors=[mentor], facilitators=[facilitator]
    )
    Membership.objects.filter(cohort=cohort, user=removed).update(
        status=Membership.Status.WITHDRAWN
    )
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    session = SessionFactory(
        cohort=cohort,
        facilitator=facilitator,
        starts_at=tomorrow,
        ends_at=tomorrow + datetime.timedelta(hours=2),
    )
    return {"cohort": cohort, "session": session, "facilitator": facilitator, "removed": removed}


def told(kind=KIND):
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_cancelling_tells_everyone_expected_and_removes_the_session(
    world, manager, trainee, mentor, django_capture_on_commit_callbacks
):
    session = world["session"]
    ExcuseRequestFactory(session=session, user=trainee)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.cancel_session(actor=manager, session=session, reason="عطل في القاعة")
    assert count == 3
    assert told() == {trainee.pk, mentor.pk, world["facilitator"].pk}
    assert not Session.objects.filter(pk=session.pk).exists()
    assert not ExcuseRequest.objects.filter(session_id=session.pk).exists()
    event = AuditEvent.objects.get(action="cohorts.cancel_session")
    assert event.actor_id == manager.pk
    # In-app text in the reader's language, with the reason; and an e-mail to each.
    title, body = Notification.objects.filter(recipient=trainee, kind=KIND).get().rendered()
    assert session.title in title and "عطل في القاعة" in body
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [trainee.email, mentor.email, world["facilitator"].email]
    )


def test_a_person_who_turned_everything_off_is_still_told(
    world, manager, trainee, django_capture_on_commit_callbacks
):
    """Safety-critical: a preference of "off" for the kind is not honoured."""
    Preference.objects.create(user=trainee, kind=KIND, mode=Preference.Mode.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_session(actor=manager, session=world["session"])
    assert trainee.email in {m.to[0] for m in mail.outbox}


def test_only_the_cohorts_managers_may_cancel(world, trainee, mentor):
    other_manager = ManagerFactory()
    cohort_with(manager=other_manager)
    for person in (trainee, mentor, world["facilitator"], other_manager):
        with pytest.raises(PermissionDenied):
            services.cancel_session(actor=person, session=world["session"])
    assert Session.objects.filter(pk=world["session"].pk).exists()
    assert not told()


def test_a_session_that_has_started_cannot_be_cancelled(world, manager):
    session = world["session"]
    with pytest.raises(Conflict) as refused:
        services.cancel_session(
            actor=manager, session=session, now=session.starts_at + datetime.timedelta(minutes=1)
        )
    assert refused.value.code == "session_started"
    assert Session.objects.filter(pk=session.pk).exists()
    assert not told()


def test_a_too_long_reason_is_refused_and_nothing_changes(world, manager):
    with pytest.raises(ValidationError) as refused:
        services.cancel_session(actor=manager, session=world["session"], reason="س" * 501)
    assert "reason" in refused.value.message_dict
    assert Session.objects.filter(pk=world["session"].pk).exists()


# --- The page ------------------------------------------------------------------------------------


def test_the_page_says_how_many_will_be_told_then_cancels_on_post(world, manager, trainee, login):
    client = login(manager)
    url = reverse("cohorts:session_cancel", args=[world["session"].pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "3" in page.content.decode()
    assert Session.objects.filter(pk=world["session"].pk).exists()  # a GET changes nothing
    detail = client.get(reverse("cohorts:session", args=[world["session"].pk]))
    assert url in detail.content.decode()
    done = client.post(url, {"reason": "مطر شديد"})
    assert done.status_code == 302
    assert done.url == reverse("cohorts:sessions", args=[world["cohort"].pk])
    assert not Session.objects.filter(pk=world["session"].pk).exists()
    assert trainee.pk in told()


@pytest.mark.parametrize("reason", ["a\x00b", "س" * 501])
def test_bad_input_on_the_page_keeps_the_session(world, manager, login, reason):
    client = login(manager)
    url = reverse("cohorts:session_cancel", args=[world["session"].pk])
    response = client.post(url, {"reason": reason})
    assert response.status_code == 400
    assert Session.objects.filter(pk=world["session"].pk).exists()
    assert not told()


def test_the_page_refuses_a_started_session(world, manager, login):
    session = world["session"]
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    client = login(manager)
    url = reverse("cohorts:session_cancel", args=[session.pk])
    assert client.post(url, {"reason": ""}).status_code == 409
    assert Session.objects.filter(pk=session.pk).exists()
    detail = client.get(reverse("cohorts:session", args=[session.pk]))
    assert url not in detail.content.decode()


@pytest.mark.parametrize("who", ["trainee", "mentor", "facilitator", "other_manager", "removed"])
def test_the_page_is_not_found_for_anyone_but_its_managers(world, login, who, trainee, mentor):
    people = {
        "trainee": trainee,
        "mentor": mentor,
        "facilitator": world["facilitator"],
        "other_manager": ManagerFactory(),
        "removed": world["removed"],
    }
    client = login(people[who])
    url = reverse("cohorts:session_cancel", args=[world["session"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": ""}).status_code == 404
    assert Session.objects.filter(pk=world["session"].pk).exists()


# --- The API -------------------------------------------------------------------------------------


def test_api_cancel(world, manager, trainee, api_login):
    url = f"/api/v1/sessions/{world['session'].pk}/cancel/"
    response = api_login(manager).post(url, {"reason": "عطل"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"told": 3}
    assert trainee.pk in told()


def test_api_cancel_refusals(world, manager, trainee, api_login):
    url = f"/api/v1/sessions/{world['session'].pk}/cancel/"
    assert api_login(trainee).post(url, {}, format="json").status_code == 403
    api_login(None).force_authenticate(None)
    bad = api_login(manager).post(url, {"reason": "x\x00"}, format="json")
    assert bad.status_code == 400
    Session.objects.filter(pk=world["session"].pk).update(
        starts_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    started = api_login(manager).post(url, {}, format="json")
    assert started.status_code == 409
    assert Session.objects.filter(pk=world["session"].pk).exists()
    assert not told()
