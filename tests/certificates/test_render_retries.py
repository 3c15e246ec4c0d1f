"""A PDF that cannot be made: its render is tried a few times, then the sweep stops sending it
again, logs it once and shows it to the cohort's managers, who may have it made again."""

import datetime
import logging
from unittest import mock

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certificates import bulk, services
from certificates.models import Certificate
from core.models import AuditEvent
from tests.cohorts.factories import cohort_with
from tests.factories import ManagerFactory

pytestmark = pytest.mark.django_db

MAX = Certificate.MAX_RENDER_ATTEMPTS
GAVE_UP = "Gave up on the PDF of certificate"


@pytest.fixture
def broken_pdf():
    with mock.patch.object(services.pdf, "render", side_effect=RuntimeError("no font")) as render:
        yield render


@pytest.fixture
def failed(cohort, trainee, manager):
    """A certificate whose render failed every time it was tried."""
    certificate = services._new_certificate(cohort, trainee, actor=manager)
    Certificate.objects.filter(pk=certificate.pk).update(render_attempts=MAX)
    return certificate


def _gave_up(caplog):
    return [r for r in caplog.records if r.getMessage().startswith(GAVE_UP)]


def test_the_sweep_stops_after_the_last_failed_attempt_and_logs_it_once(
    cohort, trainee, manager, broken_pdf, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.issue_certificate(cohort=cohort, trainee=trainee, actor=manager)
    certificate.refresh_from_db()
    assert (certificate.sha256, certificate.render_attempts) == ("", 1)
    start = timezone.now()
    renders = []
    for sweep in range(1, 10):
        with time_machine.travel(start + datetime.timedelta(minutes=6 * sweep)):
            renders.append(bulk.sweep_unfinished()[0])
    # Attempts 2 to 5 come from the sweep; after the fifth it sends nothing any more.
    assert renders == [1] * (MAX - 1) + [0] * (10 - MAX)
    assert broken_pdf.call_count == MAX
    certificate.refresh_from_db()
    assert (certificate.sha256, certificate.render_attempts) == ("", MAX)
    [record] = _gave_up(caplog)
    assert record.levelno == logging.ERROR and str(certificate.pk) in record.getMessage()
    # A message still on its way (or delivered again) tries nothing either.
    assert services.render_certificate(certificate.pk) is False
    assert broken_pdf.call_count == MAX and len(_gave_up(caplog)) == 1


def test_a_render_that_fails_before_the_last_attempt_logs_no_give_up(
    cohort, trainee, manager, broken_pdf, caplog
):
    certificate = services._new_certificate(cohort, trainee, actor=manager)
    Certificate.objects.filter(pk=certificate.pk).update(render_attempts=MAX - 2)
    with pytest.raises(RuntimeError):
        services.render_certificate(certificate.pk)
    assert _gave_up(caplog) == []
    with pytest.raises(RuntimeError):
        services.render_certificate(certificate.pk)
    assert len(_gave_up(caplog)) == 1


def test_the_cohorts_managers_see_the_failed_pdfs_in_both_languages(login, cohort, manager, failed):
    client = login(manager)
    url = reverse("certificates:manage", args=[cohort.pk])
    page = client.get(url).content.decode()
    assert "تعذّر إنشاء ملف PDF لشهادة واحدة" in page
    assert reverse("certificates:retry_renders", args=[cohort.pk]) in page
    client.cookies["lang"] = "en"
    page = client.get(url).content.decode()
    assert "The PDF of 1 certificate could not be made" in page
    # A PDF still being tried, or made, is not a failure.
    Certificate.objects.filter(pk=failed.pk).update(render_attempts=MAX - 1)
    page = client.get(url).content.decode()
    assert "could not be made" not in page
    assert reverse("certificates:retry_renders", args=[cohort.pk]) not in page


def test_a_managers_retry_starts_the_count_again_and_enqueues_the_render(
    login, cohort, manager, failed, django_capture_on_commit_callbacks
):
    client = login(manager)
    url = reverse("certificates:retry_renders", args=[cohort.pk])
    with (
        mock.patch.object(services.render_certificate, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates:manage", args=[cohort.pk])
    delay.assert_called_once_with(failed.pk)
    failed.refresh_from_db()
    assert failed.render_attempts == 0
    assert AuditEvent.objects.filter(action="certificates.retry_renders").count() == 1
    # The render it enqueued makes the PDF, and the line is gone.
    assert services.render_certificate(failed.pk) is True
    failed.refresh_from_db()
    assert len(failed.sha256) == 64 and failed.render_attempts == 1
    page = client.get(response["Location"]).content.decode()
    assert "render-failed" not in page


def test_the_retry_is_refused_to_others_and_without_the_csrf_token(
    login, cohort, trainee, mentor, manager, failed
):
    url = reverse("certificates:retry_renders", args=[cohort.pk])
    other_manager = ManagerFactory()
    cohort_with(manager=other_manager)
    for person in (other_manager, trainee, mentor):
        assert login(person).post(url).status_code == 404
    assert Client().post(url).status_code == 302  # to sign in
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(manager)
    assert guarded.post(url).status_code == 403
    assert login(manager).get(url).status_code == 405
    failed.refresh_from_db()
    assert failed.render_attempts == MAX
    assert not AuditEvent.objects.filter(action="certificates.retry_renders").exists()
