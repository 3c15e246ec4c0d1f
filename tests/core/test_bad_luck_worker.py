"""Bad luck with a real worker (tests/notifications/test_worker.py): the daily digest's worker
killed mid-send. The message comes back and the digest goes out today, once to each person."""

import os
import signal
import time

import pytest

from notifications.models import Notification
from notifications.tasks import send_daily_digests
from tests.factories import TraineeFactory
from tests.notifications.test_worker import (
    _held_pid,
    _hold_next_send_to,
    _recipients,
    needs_redis,
    wait_for,
    worker,  # noqa: F401 - the fixture
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _all_sent():
    return set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}


@needs_redis
# Only the immediate requeue of reject_on_worker_lost may bring the message back in time.
@pytest.mark.worker_env(WORKER_VISIBILITY_TIMEOUT="300")
def test_pool_process_killed_mid_digest_everyone_gets_todays_digest_once(worker):  # noqa: F811
    mail_dir = worker[0].mail_dir
    people = [TraineeFactory(email=f"digest{i}@example.org") for i in range(3)]
    for person in people:
        for n in range(2):
            Notification.objects.create(
                recipient=person,
                kind="accounts.role_changed",
                params={"role": "mentor", "n": n},
                email_status=Notification.EmailStatus.DIGEST,
            )
    _hold_next_send_to(mail_dir, "digest1@example.org")
    send_daily_digests.delay()

    pid = _held_pid(mail_dir, "digest1@example.org")
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()

    # No beat runs here: the redelivered message alone must send the held digest, today.
    wait_for(_all_sent, timeout=45, what="every digest")
    assert time.monotonic() - killed < 45
    assert _recipients(mail_dir) == [p.email for p in people]
    assert worker[0].process.poll() is None
