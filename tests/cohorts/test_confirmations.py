"""Consequential one-click actions ask first: moving a cohort's status, withdrawing a member and
telling an applicant a decision show what will happen and change nothing until confirmed; the
confirmed POST carries every field the manager typed."""

import pytest
from django.urls import reverse

from cohorts.models import Application, Cohort, Membership
from notifications.models import Notification
from tests.cohorts.factories import ApplicationFactory, cohort_with
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["lang"] = "en"
    return client


def hidden(html: str, name: str, value: str) -> bool:
    return f'<input type="hidden" name="{name}" value="{value}">' in html


def test_a_status_move_asks_first_and_says_what_it_means(login, manager):
    cohort = cohort_with(manager=manager, status=Cohort.Status.RECRUITING)
    client = english(login(manager))
    url = reverse("cohorts:change_status", args=[cohort.pk])

    asked = client.post(url, {"status": "draft"})

    assert asked.status_code == 200
    html = asked.content.decode()
    assert "stops taking applications" in html
    assert hidden(html, "status", "draft") and hidden(html, "confirmed", "1")
    assert 'class="danger"' in html  # going back is not the natural next step
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.RECRUITING

    done = client.post(url, {"status": "draft", "confirmed": "1"})
    assert done.status_code == 302
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.DRAFT


def test_the_natural_next_step_is_asked_without_the_danger_colour(login, manager):
    cohort = cohort_with(manager=manager, status=Cohort.Status.RECRUITING)
    asked = login(manager).post(
        reverse("cohorts:change_status", args=[cohort.pk]), {"status": "running"}
    )
    assert asked.status_code == 200
    assert 'class="danger"' not in asked.content.decode()


def test_a_forbidden_move_is_refused_at_once_without_asking(login, manager):
    cohort = cohort_with(manager=manager, status=Cohort.Status.RUNNING)
    refused = login(manager).post(
        reverse("cohorts:change_status", args=[cohort.pk]), {"status": "draft"}
    )
    assert refused.status_code == 409


def test_withdrawing_asks_first_and_keeps_the_reason_typed(login, manager, trainee):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    membership = Membership.objects.get(cohort=cohort, user=trainee)
    client = english(login(manager))
    url = reverse("cohorts:member_withdraw", args=[membership.pk])

    asked = client.post(url, {"reason": "انتقل إلى البصرة"})

    assert asked.status_code == 200
    html = asked.content.decode()
    assert "a manager can take them back later" in html
    assert hidden(html, "reason", "انتقل إلى البصرة")
    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE

    assert client.post(url, {"reason": "انتقل إلى البصرة", "confirmed": "1"}).status_code == 302
    membership.refresh_from_db()
    assert membership.status == Membership.Status.WITHDRAWN


def test_a_decision_the_applicant_is_told_of_asks_first(login, manager):
    cohort = cohort_with(manager=manager, status=Cohort.Status.RECRUITING, capacity=5)
    application = ApplicationFactory(cohort=cohort, applicant=TraineeFactory(full_name="زينب"))
    client = english(login(manager))
    url = reverse("cohorts:application_decide", args=[application.pk])

    asked = client.post(url, {"decision": "rejected", "note": "قدّمت متأخرة"})

    assert asked.status_code == 200
    html = asked.content.decode()
    assert "زينب is told at once" in html
    assert hidden(html, "note", "قدّمت متأخرة")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert not Notification.objects.filter(recipient=application.applicant).exists()

    client.post(url, {"decision": "rejected", "note": "قدّمت متأخرة", "confirmed": "1"})
    application.refresh_from_db()
    assert (application.status, application.decision_note) == ("rejected", "قدّمت متأخرة")


def test_shortlisting_stays_one_click(login, manager):
    cohort = cohort_with(manager=manager, status=Cohort.Status.RECRUITING)
    application = ApplicationFactory(cohort=cohort)
    response = login(manager).post(
        reverse("cohorts:application_decide", args=[application.pk]), {"decision": "shortlisted"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.SHORTLISTED
