"""Sessions: production reads them from Redis when it has Redis, the database stays the durable
copy, and the embedded default keeps them in the database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent.parent
CACHED_DB = "django.contrib.sessions.backends.cached_db"


def _production_session_engine(redis_url: str) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="lms.example.org",
        EMAIL_URL="dummymail://",
        SITE_URL="https://lms.example.org",
        REDIS_URL=redis_url,
    )
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import config.settings.production as s; print(getattr(s, 'SESSION_ENGINE', ''))",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_production_reads_sessions_through_redis_when_it_has_redis():
    assert _production_session_engine("redis://127.0.0.1:6379/0") == CACHED_DB


def test_production_without_redis_keeps_sessions_in_the_database():
    # Django's default engine: the database.
    assert _production_session_engine("") in {"", "django.contrib.sessions.backends.db"}


def _session_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("accounts:profile")).status_code == 200
    return [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]


@pytest.mark.django_db
def test_cached_sessions_skip_the_session_table_and_outlive_the_cache(settings, login, trainee):
    settings.SESSION_ENGINE = CACHED_DB
    client = login(trainee)
    assert _session_queries(client) == []
    # Redis restarted or evicted the key: the person stays signed in from the database row.
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    caches[settings.SESSION_CACHE_ALIAS].delete(KEY_PREFIX + session_key)
    assert len(_session_queries(client)) == 1
    # ...and the row read back is cached again.
    assert _session_queries(client) == []


@pytest.mark.django_db
def test_signing_out_ends_a_cached_session(settings, login, trainee):
    settings.SESSION_ENGINE = CACHED_DB
    client = login(trainee)
    assert client.get(reverse("accounts:profile")).status_code == 200
    client.post(reverse("account_logout"))
    assert client.get(reverse("accounts:profile")).status_code == 302
