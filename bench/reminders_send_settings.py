"""Settings of the one real worker bench/reminders_send.py starts: the bench's throw-away
database, a queue of its own, e-mails to the local memory backend, the bench's reminder."""

import os

from config.settings.test import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["BENCH_DB_NAME"]  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["BENCH_QUEUE"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The figure is the sending path, at any hour the bench runs.
NOTIFICATIONS_QUIET_HOURS = False

from tests.notifications import fake_reminder  # noqa: E402

fake_reminder.install()
