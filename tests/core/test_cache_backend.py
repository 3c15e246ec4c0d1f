"""The Redis cache backend keeps one client per server instead of building one per command, and
still behaves as Django's: values, counters, expiry, many keys at once, and a server that does
not answer raises (each caller logs it and reads the database)."""

import uuid

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCacheClient

from config.settings import base as base_settings
from core.cache import RedisCache

needs_redis = pytest.mark.skipif(not settings.REDIS_URL, reason="needs REDIS_URL")


def _cache(location=None):
    prefix = f"test-cache-{uuid.uuid4().hex}"
    return RedisCache(location or settings.REDIS_URL, {"KEY_PREFIX": prefix})


def test_production_settings_use_it_when_redis_is_configured():
    if base_settings.REDIS_URL:
        assert base_settings.CACHES["default"]["BACKEND"] == "core.cache.RedisCache"
    else:
        assert base_settings.CACHES["default"]["BACKEND"].endswith("FileBasedCache")


def test_one_client_serves_every_command_of_a_cache():
    cache = _cache("redis://127.0.0.1:6379/0")
    first = cache._cache.get_client("a")
    assert cache._cache.get_client("b", write=True) is first
    # Django's own client builds a new one each time: what this backend avoids.
    django_client = RedisCacheClient(["redis://127.0.0.1:6379/0"])
    assert django_client.get_client("a") is not django_client.get_client("a")


def test_each_cache_instance_has_its_own_client():
    one, two = _cache("redis://127.0.0.1:6379/0"), _cache("redis://127.0.0.1:6379/0")
    assert one._cache.get_client() is not two._cache.get_client()


@needs_redis
def test_it_stores_counts_and_forgets_like_djangos():
    cache = _cache()
    cache.set("name", {"ar": "علي"}, timeout=60)
    assert cache.get("name") == {"ar": "علي"}
    assert cache.add("n", 1, timeout=60)
    assert not cache.add("n", 5, timeout=60)
    assert cache.incr("n") == 2
    cache.set_many({"x": 1, "y": 2}, timeout=60)
    assert cache.get_many(["x", "y", "z"]) == {"x": 1, "y": 2}
    cache.set("gone", 1, timeout=0)
    assert cache.get("gone") is None
    cache.delete("name")
    assert cache.get("name", "missing") == "missing"


@needs_redis
def test_the_test_settings_cache_is_this_backend():
    assert isinstance(caches["default"], RedisCache)


def test_a_server_that_does_not_answer_raises():
    cache = _cache("redis://127.0.0.1:1/0")
    with pytest.raises(Exception, match="(?i)connect"):
        cache.get("anything")
    # The client is kept even so; the next command tries the server again.
    with pytest.raises(Exception, match="(?i)connect"):
        cache.set("anything", 1)
