"""A real Celery worker process on the configured broker (Redis in CI) and database: the
notification path end to end, and the duplicate-delivery guarantee."""

import os
import subprocess
import sys
import time
import uuid
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from accounts.models import User
from config.celery import app
from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import send_notification_email
from tests.factories import TraineeFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture
def worker(tmp_path, monkeypatch):
    if os.environ.get("CI") == "true":
        assert settings.REDIS_URL, "CI must run the worker test against Redis"
    queue = f"test-{uuid.uuid4().hex[:12]}"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "WORKER_DB_NAME": str(connection.settings_dict["NAME"]),
        "WORKER_QUEUE": queue,
        "WORKER_MAIL_DIR": str(mail_dir),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "-Q",
            queue,
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel=WARNING",
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    # Publish from this process to the worker's queue, for real (not eagerly).
    monkeypatch.setattr(app.conf, "task_always_eager", False)
    monkeypatch.setattr(app.conf, "task_default_queue", queue)
    try:
        yield {"queue": queue, "mail_dir": mail_dir, "process": process}
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        if os.environ.get("WORKER_TEST_VERBOSE"):
            sys.stdout.write(output.decode(errors="replace"))


def wait_for(predicate, *, timeout=60.0, what="condition"):
    """Poll until the worker has done its part; a deadline, not a fixed sleep."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _status(notification):
    return Notification.objects.values_list("email_status", flat=True).get(pk=notification.pk)


def _mails(mail_dir):
    messages = [message_from_bytes(p.read_bytes()) for p in sorted(mail_dir.glob("*.log"))]
    return messages


def _subject(message):
    return str(make_header(decode_header(message["Subject"])))


def test_worker_sends_each_notification_once_in_the_recipients_language(worker):
    arabic = TraineeFactory(email="arabic@example.org", preferred_language="ar")
    english = TraineeFactory(email="english@example.org", preferred_language="en")

    first = notify(recipient=arabic, kind="accounts.role_changed", params={"role": "mentor"})
    # Duplicated deliveries of the same message (as after a worker crash) must not send twice.
    send_notification_email.delay(first.pk)
    send_notification_email.delay(first.pk)
    second = notify(recipient=english, kind="accounts.role_changed", params={"role": "mentor"})

    wait_for(lambda: _status(first) == "sent", what="first e-mail")
    # One worker process, one message at a time: once the second is sent, the duplicates queued
    # before it have been handled too.
    wait_for(lambda: _status(second) == "sent", what="second e-mail")

    mails = _mails(worker["mail_dir"])
    recipients = sorted(m["To"] for m in mails)
    assert recipients == ["arabic@example.org", "english@example.org"]
    by_recipient = {m["To"]: m for m in mails}
    assert "Your role has changed" in _subject(by_recipient["english@example.org"])
    english_body = by_recipient["english@example.org"].get_payload(decode=True).decode()
    assert "Mentor" in english_body
    with translation.override("ar"):
        arabic_title = translation.gettext("Your role has changed")
        arabic_role = str(User.Role.MENTOR.label)
    assert arabic_title != "Your role has changed", "the Arabic catalogue is not compiled"
    assert arabic_title in _subject(by_recipient["arabic@example.org"])
    assert arabic_role in by_recipient["arabic@example.org"].get_payload(decode=True).decode()
    first.refresh_from_db()
    assert first.emailed_at is not None


def test_task_enqueued_inside_a_rolled_back_transaction_never_runs(worker):
    from django.db import transaction

    person = TraineeFactory(email="rollback@example.org")
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(recipient=person, kind="accounts.role_changed", params={"role": "mentor"})
        raise RuntimeError("abort")
    marker = notify(recipient=person, kind="accounts.role_changed", params={"role": "trainee"})
    wait_for(lambda: _status(marker) == "sent", what="marker e-mail")
    assert Notification.objects.count() == 1
    assert len(_mails(worker["mail_dir"])) == 1
