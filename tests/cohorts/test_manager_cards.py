"""What waits for the people who run a cohort: an in-app notification for each new application
(no e-mail) and each excuse request (to the facilitator too), and a count on their home that
links to the page where they decide; nothing for a manager of another cohort."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts import services
from cohorts.models import Cohort
from notifications.models import Notification
from tests.cohorts.factories import SessionFactory, cohort_with
from tests.factories import ManagerFactory, MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def apply(cohort, person):
    return services.apply_to_cohort(
        applicant=person, cohort=cohort, motivation="أريد", availability="مساءً", consent=True
    )


def test_a_new_application_is_in_the_managers_centre_only(
    manager, django_capture_on_commit_callbacks
):
    other_manager = ManagerFactory()
    cohort_with(manager=other_manager)
    cohort = cohort_with(manager=manager, status=Cohort.Status.RECRUITING)
    applicant = TraineeFactory(full_name="زينب علي")
    with django_capture_on_commit_callbacks(execute=True):
        apply(cohort, applicant)
    assert told("cohorts.new_application") == {manager.pk}
    note = Notification.objects.get(kind="cohorts.new_application")
    assert "زينب علي" in note.rendered()[1]
    assert note.url == reverse("cohorts:applications", args=[cohort.pk])
    assert manager.email not in {m.to[0] for m in mail.outbox}  # in the centre only


def test_an_excuse_request_reaches_the_facilitator_and_the_managers(manager, trainee):
    facilitator = MentorFactory()
    other_manager = ManagerFactory()
    cohort_with(manager=other_manager)
    cohort = cohort_with(manager=manager, trainees=[trainee], facilitators=[facilitator])
    start = timezone.now() + datetime.timedelta(days=2)
    session = SessionFactory(
        cohort=cohort,
        facilitator=facilitator,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
    )
    services.request_excuse(user=trainee, session=session, reason="موعد طبي")
    assert told("cohorts.excuse_requested") == {manager.pk, facilitator.pk}


def test_the_managers_home_counts_what_waits_in_one_query(login, manager, trainee):
    cohort = cohort_with(manager=manager, trainees=[trainee], status=Cohort.Status.RECRUITING)
    client = login(manager)
    client.get(reverse("core:home"))
    with CaptureQueriesContext(connection) as empty:
        html = client.get(reverse("core:home")).content.decode()
    assert reverse("cohorts:applications", args=[cohort.pk]) not in html
    for person in TraineeFactory.create_batch(3):
        apply(cohort, person)
    start = timezone.now() + datetime.timedelta(days=2)
    session = SessionFactory(
        cohort=cohort, starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    services.request_excuse(user=trainee, session=session, reason="سفر")
    with CaptureQueriesContext(connection) as waiting:
        html = client.get(reverse("core:home")).content.decode()
    # The applications and the excuse notified the manager: this page counts the unread badge
    # again, once; what waits is still counted in one query.
    assert len(waiting.captured_queries) == len(empty.captured_queries) + 1
    assert reverse("cohorts:applications", args=[cohort.pk]) in html
    assert reverse("cohorts:excuses", args=[cohort.pk]) in html
    assert "3 طلبات التحاق جديدة تنتظر" in html
    assert "طلب اعتذار واحد ينتظر" in html
    # The trainee of the same cohort sees no such counts.
    trainee_home = login(trainee).get(reverse("core:home")).content.decode()
    assert reverse("cohorts:applications", args=[cohort.pk]) not in trainee_home
