"""Settings for the real Celery worker process that tests/notifications/test_worker.py starts.

It talks to the same database the test run created (name passed in the environment), the same
broker (Redis when REDIS_URL is set), and writes e-mails to files the test can read."""

import os

from config.settings.test import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["WORKER_DB_NAME"]  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["WORKER_QUEUE"]
EMAIL_BACKEND = "tests.notifications.mail_backend.RecordingEmailBackend"
if REDIS_URL:  # noqa: F405
    # A killed worker's unacknowledged messages come back after seconds, not 40 minutes: a
    # short visibility timeout, and a restore scan every second (kombu's default is every 100 s).
    # Every test task finishes (or is killed) well within it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "visibility_timeout": int(os.environ.get("WORKER_VISIBILITY_TIMEOUT", "5")),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }

# The tests' own reminder (tests/notifications/fake_reminder.py), known to the worker too.
from tests.notifications import fake_reminder  # noqa: E402

fake_reminder.install()
# The worker tests are about exactly-once delivery at any hour of the run; quiet hours and the
# weekend are tested in process with a frozen clock (tests/notifications/test_reminders_delivery.py).
NOTIFICATIONS_QUIET_HOURS = False
