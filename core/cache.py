"""The Redis cache backend, keeping one client per server.

Django's Redis backend builds a new `redis.Redis` client around its connection pool for every
command (`RedisCacheClient.get_client`), and building one sets up its response callbacks anew: on
a signed-in page, where the session is read from the cache, that was about a tenth of the
request. A client holds no state of its own between commands (the pool holds the connections and
notices a fork), so one per server serves every command of the process's cache instance (Django
keeps one per thread)."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class RedisClientKeeper(RedisCacheClient):
    def __init__(self, servers, **options):
        super().__init__(servers, **options)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisClientKeeper
