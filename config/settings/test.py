"""Settings for the test suite: fast hashing, outbox e-mail, tasks run inline unless a test
starts a real worker."""

import os
import uuid

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_CLASSES": []}  # noqa: F405
# Lets seed_demo run in tests although DEBUG is off.
TESTING = True

# Each run of the suite keys the cache apart from every earlier run (whose entries may outlive it
# in Redis or the file cache while the new test database hands out the same ids again). Set in
# the environment, so that a worker process a test starts shares the run's keys.
os.environ.setdefault("ISHTAR_TEST_CACHE_RUN", uuid.uuid4().hex[:12])
CACHES = {
    "default": {
        **CACHES["default"],  # noqa: F405
        "KEY_PREFIX": f"ishtar-test-{os.environ['ISHTAR_TEST_CACHE_RUN']}",
    }
}

# Stored SQL (core.compiled.Stored) is composed afresh on every use too and compared with what
# was stored, so that a key missing something fails the test that reaches it.
STORED_SQL_CHECK = True
