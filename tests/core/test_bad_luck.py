"""Bad luck: a broker that cannot be reached after commit, a worker killed between a chunk's commit
and its PDFs, a message delivered twice, a cache that is down. Each must lose nothing, do nothing
twice and answer the page."""

import contextlib
import datetime
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.mail.backends.locmem import EmailBackend
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from certificates import bulk
from certificates import services as certificates
from certificates.models import BulkIssueRun, Certificate
from cohorts.models import Announcement, Attendance, Membership
from cohorts.services import announcements
from notifications import tasks as notification_tasks
from notifications.models import Notification
from tests.cohorts.factories import SessionFactory, at, cohort_with, today
from tests.factories import TraineeFactory

CACHE_CALLS = ("get", "get_many", "set", "set_many", "add", "incr", "decr", "delete", "touch")


@contextlib.contextmanager
def cache_down():
    """Every call to the default cache fails as a Redis that cannot be reached does, the
    counters' own Redis pipeline (core.throttling) included."""
    backend = caches["default"]
    down = ConnectionError("cache down")
    with contextlib.ExitStack() as stack:
        for name in CACHE_CALLS:
            stack.enter_context(mock.patch.object(backend, name, side_effect=down))
        if isinstance(backend, RedisCache):
            stack.enter_context(mock.patch.object(backend._cache, "get_client", side_effect=down))
        yield


def broker_down(task):
    return mock.patch.object(task, "delay", side_effect=OperationalError("broker down"))


@pytest.fixture
def storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


@pytest.fixture
def cohort(manager, trainee, storage):
    c = cohort_with(manager=manager, trainees=[trainee])
    Membership.objects.filter(cohort=c).update(
        joined_at=timezone.now() - datetime.timedelta(days=30)
    )
    return c


class WorkerKilled(BaseException):
    """What a killed pool process looks like from inside the task: nothing after it runs."""


# --- Certificates: PDFs and bulk runs whose message was lost ---------------------------------


@pytest.mark.django_db(transaction=True)
def test_broker_down_at_issue_the_certificate_stands_and_the_sweep_renders_its_pdf(
    login, cohort, trainee, manager
):
    client = login(manager)
    url = reverse("certificates:issue", args=[cohort.pk, trainee.pk])
    with broker_down(certificates.render_certificate):
        response = client.post(url)
    assert response.status_code == 302
    certificate = Certificate.objects.get(cohort=cohort, trainee=trainee)
    assert certificate.sha256 == ""
    # Not yet: the render may still be on its way.
    assert bulk.sweep_unfinished() == (0, 0)
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=6)):
        assert bulk.sweep_unfinished() == (1, 0)
    certificate.refresh_from_db()
    assert len(certificate.sha256) == 64 and certificate.file
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=12)):
        assert bulk.sweep_unfinished() == (0, 0)


@pytest.mark.django_db(transaction=True)
def test_broker_down_at_bulk_start_the_run_is_started_by_the_sweep(login, cohort, trainee, manager):
    client = login(manager)
    with broker_down(bulk.bulk_issue):
        response = client.post(reverse("certificates:bulk", args=[cohort.pk]))
    assert response.status_code == 302
    run = BulkIssueRun.objects.get(cohort=cohort)
    assert run.status == BulkIssueRun.Status.QUEUED
    assert bulk.sweep_unfinished() == (0, 0)
    later = timezone.now() + datetime.timedelta(minutes=3)
    with broker_down(bulk.bulk_issue), time_machine.travel(later):
        # The broker is still down: the run waits for the next sweep, nothing is lost.
        assert bulk.sweep_unfinished() == (0, 1)
    with time_machine.travel(later + datetime.timedelta(minutes=3)):
        assert bulk.sweep_unfinished() == (0, 1)
    run.refresh_from_db()
    assert (run.status, run.done, run.failed) == ("finished", 1, 0)
    assert Certificate.objects.get(cohort=cohort, trainee=trainee).sha256


@pytest.mark.django_db
def test_a_run_killed_after_a_chunk_committed_renders_that_chunks_pdfs_when_it_starts_over(
    cohort, trainee, manager
):
    other = TraineeFactory()
    Membership.objects.create(cohort=cohort, user=other, role="trainee")
    run = BulkIssueRun.objects.create(cohort=cohort, started_by=manager)
    with (
        mock.patch.object(certificates.pdf, "render", side_effect=WorkerKilled),
        pytest.raises(WorkerKilled),
    ):
        bulk.run_bulk_issue(run.pk)
    run.refresh_from_db()
    assert run.status == BulkIssueRun.Status.RUNNING
    assert Certificate.objects.filter(cohort=cohort, sha256="").count() == 2
    # Its worker is gone: once the run stops moving, it starts over.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        run = bulk.run_bulk_issue(run.pk)
    assert (run.status, run.done, run.failed) == ("finished", 2, 0)
    assert Certificate.objects.filter(cohort=cohort).count() == 2
    assert not Certificate.objects.filter(cohort=cohort, sha256="").exists()
    assert Notification.objects.filter(kind="certificates.issued").count() == 2


@pytest.mark.django_db
def test_a_duplicate_message_leaves_a_run_in_progress_to_its_worker(cohort, trainee, manager):
    run = BulkIssueRun.objects.create(cohort=cohort, started_by=manager)
    with (
        mock.patch.object(certificates.pdf, "render", side_effect=WorkerKilled),
        pytest.raises(WorkerKilled),
    ):
        bulk.bulk_issue.apply(args=[run.pk], task_id="first-message")
    # A second message for the same run (a second enqueue) while the first one still holds it.
    bulk.bulk_issue.apply(args=[run.pk], task_id="second-message")
    run.refresh_from_db()
    assert run.status == BulkIssueRun.Status.RUNNING
    assert Certificate.objects.get(cohort=cohort).sha256 == ""
    # The first message, redelivered after its worker died, takes its run back.
    bulk.bulk_issue.apply(args=[run.pk], task_id="first-message")
    run.refresh_from_db()
    assert (run.status, run.done) == ("finished", 1)
    assert Certificate.objects.get(cohort=cohort).sha256


@pytest.mark.django_db
def test_a_run_left_running_by_a_dead_worker_is_started_again_by_the_sweep(
    cohort, trainee, manager
):
    run = BulkIssueRun.objects.create(cohort=cohort, started_by=manager)
    BulkIssueRun.objects.filter(pk=run.pk).update(status=BulkIssueRun.Status.RUNNING)
    assert bulk.start_bulk_issue(cohort=cohort, actor=manager).pk == run.pk
    assert bulk.sweep_unfinished() == (0, 1)
    run.refresh_from_db()
    assert (run.status, run.done) == ("finished", 1)


# --- Announcements ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_broker_down_at_posting_an_announcement_loses_nothing(manager, trainee, mentor):
    cohort = cohort_with(manager=manager, trainees=[trainee], mentors=[mentor])
    with broker_down(announcements.send_announcement):
        announcement = announcements.post_announcement(
            actor=manager, cohort=cohort, title="تغيير القاعة", body="الجلسة القادمة في القاعة ٢"
        )
    assert Announcement.objects.get(pk=announcement.pk).sent_at is None
    assert announcements.sweep_announcements() == 0  # its message may still be on its way
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=3)):
        assert announcements.sweep_announcements() == 1
        assert announcements.sweep_announcements() == 0
    announcement.refresh_from_db()
    assert announcement.sent_at is not None and announcement.recipient_count == 2
    assert Notification.objects.filter(kind="cohorts.announcement").count() == 2


# --- A cache that cannot be reached -------------------------------------------------------------


@pytest.mark.django_db
def test_check_in_works_while_the_cache_is_down(login, manager, trainee, caplog):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    session = SessionFactory(cohort=cohort, starts_at=at(today(), 17), ends_at=at(today(), 19))
    client = login(trainee)
    url = reverse("cohorts:check_in", args=[session.pk])
    with time_machine.travel(at(today(), 17, 2)), cache_down():
        wrong = client.post(url, {"code": "ZZZZZZ"})
        right = client.post(url, {"code": session.check_in_code})
    assert wrong.status_code == 400
    assert right.status_code == 302
    assert Attendance.objects.get(session=session, user=trainee).status == "present"
    logged = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert "Could not count a wrong check-in code in the cache" in logged


@pytest.mark.django_db
def test_certificate_verify_page_works_while_the_cache_is_down(client, cohort, trainee, caplog):
    certificate = certificates.issue_certificate(cohort=cohort, trainee=trainee, check=False)
    with cache_down():
        page = client.get(reverse("certificates:verify", args=[certificate.code]))
        data = client.get(reverse("certificates:verify_json", args=[certificate.code]))
    assert page.status_code == 200
    assert data.status_code == 200 and data.json()["name_ar"] == certificate.name_ar
    logged = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert logged.count("Could not count certificate lookups in the cache") == 2


# --- The daily digest ---------------------------------------------------------------------------


def held_for_digest(person, count=2):
    for n in range(count):
        Notification.objects.create(
            recipient=person,
            kind="cohorts.announcement",
            params={"cohort": "الدفعة", "title": f"إعلان {n}", "body": "نص"},
            email_status=Notification.EmailStatus.DIGEST,
        )


@pytest.mark.django_db
def test_a_digest_killed_mid_send_goes_out_today_when_its_message_comes_back(trainee):
    held_for_digest(trainee)
    task = notification_tasks.send_person_digest
    with (
        mock.patch.object(EmailBackend, "send_messages", side_effect=WorkerKilled),
        pytest.raises(WorkerKilled),
    ):
        task.apply(args=[trainee.pk], task_id="digest-message")
    assert not mail.outbox
    # A duplicate message meanwhile leaves the rows to the one that claimed them.
    assert task.apply(args=[trainee.pk], task_id="another-message").result is False
    # The killed message is redelivered: the digest goes now, not with tomorrow's.
    assert task.apply(args=[trainee.pk], task_id="digest-message").result is True
    assert task.apply(args=[trainee.pk], task_id="digest-message").result is False
    assert [m.to for m in mail.outbox] == [[trainee.email]]
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_the_daily_run_hands_each_persons_digest_to_a_task_of_its_own(trainee, outsider):
    """One task for everyone runs into its time limit with a large enough audience and leaves
    the rest held until the next day; each person's digest is a task of its own."""
    held_for_digest(trainee)
    held_for_digest(outsider, 1)
    with mock.patch.object(notification_tasks.send_person_digest, "delay") as delay:
        assert notification_tasks.send_daily_digests() == 2
    assert sorted(call.args for call in delay.call_args_list) == [(trainee.pk,), (outsider.pk,)]
    assert not mail.outbox  # nothing sent inside the daily run itself
    with mock.patch.object(
        notification_tasks.send_person_digest, "delay", side_effect=OperationalError("down")
    ):
        assert notification_tasks.send_daily_digests() == 2
    # The broker was down: still held, for the next run.
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"digest"}
    assert notification_tasks.send_daily_digests() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([trainee.email, outsider.email])
