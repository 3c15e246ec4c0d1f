"""The API's rate limits, counted with one atomic increment per request.

REST framework's own throttles keep every request's time of the last window in a list, read and
written back whole on every request (a list of up to 600 times for a busy person) and with a race:
two requests at once read the same list and the second write loses the first. These count
requests per fixed window instead: one counter per person (or address) and window, incremented
atomically; with Redis, the increment and its expiry go in one round trip. A client may send up
to twice the rate across a window's edge, which is what a fixed window allows and enough to stop
abuse. The rates, scopes and the 429 answer with its Retry-After are REST framework's."""

import logging
import math

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from rest_framework import throttling

logger = logging.getLogger(__name__)


def hit(key: str, timeout: int) -> int:
    """Count one request under `key` and return the count so far. The counter is kept `timeout`
    seconds after its last count, whatever the cache."""
    cache = caches["default"]
    if isinstance(cache, RedisCache):
        full_key = cache.make_and_validate_key(key)
        # Django's Redis client stores integers as they are, so INCR works on them; one
        # pipeline sends the increment and the expiry together.
        client = cache._cache.get_client(full_key, write=True)
        pipe = client.pipeline(transaction=False)
        pipe.incr(full_key)
        pipe.expire(full_key, timeout)
        count, _ = pipe.execute()
        return int(count)
    if cache.add(key, 1, timeout):
        return 1
    try:
        count = cache.incr(key)
        # The file and database caches write the new count back with their default timeout
        # (five minutes), which would cut a longer counter short: the expiry is set again.
        cache.touch(key, timeout)
        return count
    except ValueError:
        # The counter expired between the two calls: this request opens a new one.
        cache.add(key, 1, timeout)
        return 1


def hit_in_window(key: str, duration: int, now: float) -> tuple[int, float]:
    """Count one request under `key` in the fixed window of `duration` seconds that holds `now`
    (a Unix time); returns the window's count so far and the seconds left until it ends."""
    window = math.floor(now / duration)
    return hit(f"{key}:{window}", duration), (window + 1) * duration - now


class CountingThrottle(throttling.SimpleRateThrottle):
    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        try:
            count, self.remaining = hit_in_window(self.key, self.duration, self.timer())
        except Exception:
            # A cache that cannot be reached costs the limit for a while, not the API.
            logger.exception("Could not count API requests in the cache")
            return True
        return count <= self.num_requests

    def wait(self):
        """Seconds until the window ends, when a new one starts counting."""
        return max(self.remaining, 0)


class AnonRateThrottle(CountingThrottle, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(CountingThrottle, throttling.UserRateThrottle):
    pass
