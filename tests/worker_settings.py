"""Settings for the real Celery worker process that tests/notifications/test_worker.py starts.

It talks to the same database the test run created (name passed in the environment), the same
broker (Redis when REDIS_URL is set), and writes e-mails to files the test can read."""

import os

from config.settings.test import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["WORKER_DB_NAME"]  # noqa: F405
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_DEFAULT_QUEUE = os.environ["WORKER_QUEUE"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["WORKER_MAIL_DIR"]
