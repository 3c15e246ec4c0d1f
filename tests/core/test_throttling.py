"""The API's rate limits: a person's requests are counted whatever proves who they are (session or
token), the one over the rate gets 429 with Retry-After, a new window counts afresh, and the
counter is one atomic integer, so requests at the same moment are all counted."""

import datetime
import threading
import uuid

import pytest
import time_machine
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework import throttling as drf_throttling
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from rest_framework.views import APIView

from config.settings import base as base_settings
from core import throttling
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_a_minute(monkeypatch):
    # The test settings turn the throttles off; these tests put the production ones back (the
    # views read them from APIView) at a rate of three a minute.
    monkeypatch.setattr(
        APIView,
        "throttle_classes",
        [throttling.AnonRateThrottle, throttling.UserRateThrottle],
    )
    monkeypatch.setitem(drf_throttling.SimpleRateThrottle.THROTTLE_RATES, "user", "3/min")
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, set by the test: the middle of a minute-long window."""
    now = {"t": 1_800_000_030.0}
    monkeypatch.setattr(throttling.CountingThrottle, "timer", lambda self: now["t"])
    return now


def test_session_and_token_count_together_and_the_fourth_is_refused(client, three_a_minute, clock):
    person = TraineeFactory()
    client.force_login(person)
    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=person).key}")
    assert client.get("/api/v1/me/").status_code == 200
    assert token.get("/api/v1/me/").status_code == 200
    assert client.get("/api/v1/me/").status_code == 200
    refused = token.get("/api/v1/me/")
    assert refused.status_code == 429
    # Thirty seconds are left of the window.
    assert refused["Retry-After"] == "30"
    assert client.get("/api/v1/me/").status_code == 429
    # Somebody else has their own count.
    client.force_login(TraineeFactory())
    assert client.get("/api/v1/me/").status_code == 200


def test_a_new_window_counts_afresh(client, three_a_minute, clock):
    client.force_login(TraineeFactory())
    statuses = [client.get("/api/v1/me/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    clock["t"] += 30  # the next minute
    assert client.get("/api/v1/me/").status_code == 200


def test_the_api_answers_while_the_cache_is_down(client, three_a_minute, clock, monkeypatch):
    def unreachable(key, timeout):
        raise ConnectionError("cache down")

    monkeypatch.setattr(throttling, "hit", unreachable)
    client.force_login(TraineeFactory())
    assert [client.get("/api/v1/me/").status_code for _ in range(4)] == [200] * 4


def test_requests_at_the_same_moment_are_all_counted():
    """Twenty threads count under one key: the counts are 1 to 20, none lost (REST framework's
    own throttles read and wrote back a list, and concurrent requests overwrote each other)."""
    key = f"test-throttle-{uuid.uuid4().hex}"
    counts = []
    lock = threading.Lock()
    start = threading.Barrier(20)

    def one():
        start.wait()
        count = throttling.hit(key, 60)
        with lock:
            counts.append(count)

    threads = [threading.Thread(target=one) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        assert sorted(counts) == list(range(1, 21))
        # One small integer with an expiry, not a list of times.
        assert cache.get(key) == 20
        client = cache._cache.get_client(cache.make_and_validate_key(key))
        assert 0 < client.ttl(cache.make_and_validate_key(key)) <= 60
    else:
        # The embedded file cache has no atomic increment across writers: the count is at
        # least one and never more than the requests made.
        assert 1 <= max(counts) <= 20
    cache.delete(key)


def test_production_settings_use_these_throttles():
    assert base_settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "core.throttling.AnonRateThrottle",
        "core.throttling.UserRateThrottle",
    ]


def test_a_counter_on_the_file_cache_keeps_its_own_timeout(settings, tmp_path):
    """The file cache writes an incremented value back with its default timeout (five minutes):
    a counter kept for hours (wrong check-in codes) must not end five minutes after a count."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    start = datetime.datetime(2030, 1, 2, 10, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        assert [throttling.hit("failures", 12 * 60 * 60) for _ in range(3)] == [1, 2, 3]
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        assert caches["default"].get("failures") == 3
    with time_machine.travel(start + datetime.timedelta(hours=13), tick=False):
        assert caches["default"].get("failures") is None
