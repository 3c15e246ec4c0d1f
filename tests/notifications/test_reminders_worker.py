"""Reminders on a real Celery worker and the real broker (Redis in CI): each due reminder is
sent exactly once whatever is duplicated or killed (`pytest -m worker` selects these). The
`worker` fixture is test_worker.py's (shared through conftest.py)."""

import os
import signal
import time

import pytest

from notifications.models import Delivery, Notification
from notifications.tasks import deliver_reminder, run_reminder_scans
from tests.factories import TraineeFactory
from tests.notifications import fake_reminder
from tests.notifications.test_worker import (
    Worker,
    _held_pid,
    _hold_next_send_to,
    _recipients,
    needs_redis,
    wait_for,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fake_reminder(settings):
    # No quiet hours here or in the worker (tests/worker_settings.py): a run at night is the same.
    settings.NOTIFICATIONS_QUIET_HOURS = False
    fake_reminder.install()
    yield
    fake_reminder.uninstall()


def people(prefix, n):
    return [TraineeFactory(email=f"{prefix}{i}@remind.test") for i in range(n)]


def all_sent(n):
    def check():
        return (
            Notification.objects.filter(kind=fake_reminder.KIND, email_status="sent").count() == n
        )

    return check


def scan():
    return run_reminder_scans(kinds=[fake_reminder.KIND])


def test_a_scan_run_twice_and_a_task_enqueued_twice_send_once(worker):
    everyone = people("twice", 3)
    assert scan() == 3
    assert scan() == 0  # a second beat, or a scan run twice: nothing new
    first = Delivery.objects.order_by("pk").first()
    deliver_reminder.delay(first.pk)  # the same delivery enqueued again
    deliver_reminder.delay(first.pk)
    wait_for(all_sent(3), what="three e-mails")
    # One worker process, one message at a time: a marker queued last proves the duplicates ran.
    marker = TraineeFactory(email="zz-marker@remind.test")
    assert scan() == 1
    wait_for(all_sent(4), what="the marker")
    assert _recipients(worker[0].mail_dir) == sorted([p.email for p in everyone] + [marker.email])
    assert Delivery.objects.filter(status="sent").count() == 4


@needs_redis
@pytest.mark.worker_env(WORKER_VISIBILITY_TIMEOUT="300")
def test_pool_process_killed_mid_delivery_is_redelivered_and_sent_once(worker):
    mail_dir = worker[0].mail_dir
    everyone = people("child", 3)
    _hold_next_send_to(mail_dir, "deliver-child1@remind.test")
    scan()
    pid = _held_pid(mail_dir, "deliver-child1@remind.test")
    held = Delivery.objects.get(recipient=everyone[1])
    assert held.status == "sending"
    os.kill(pid, signal.SIGKILL)
    wait_for(all_sent(3), what="every e-mail")
    assert _recipients(mail_dir) == [p.email for p in everyone]
    assert Notification.objects.filter(recipient=everyone[1]).count() == 1
    assert worker[0].process.poll() is None


@needs_redis
def test_whole_worker_killed_mid_delivery_a_new_one_delivers_within_30_s(worker):
    mail_dir = worker[0].mail_dir
    everyone = people("crash", 4)
    _hold_next_send_to(mail_dir, "deliver-crash1@remind.test")
    scan()
    _held_pid(mail_dir, "deliver-crash1@remind.test")
    worker[0].kill_all()
    assert Delivery.objects.get(recipient=everyone[1]).status == "sending"

    restarted = time.monotonic()
    worker.append(Worker(worker[0].queue, mail_dir).start())
    wait_for(all_sent(4), timeout=30, what="every e-mail within 30 s")
    assert time.monotonic() - restarted < 30
    assert _recipients(mail_dir) == [p.email for p in everyone]
    assert Delivery.objects.filter(status="sent").count() == 4
