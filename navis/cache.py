"""The shared cache: Django's Redis backend, with one Redis client per process instead of one per call."""

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis import Redis


class LongLivedRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Redis] = {}

    def get_client(self, key: str | None = None, *, write: bool = False) -> Redis:
        # Django builds a redis.Redis per call, whose ~170 response callbacks cost as much as the round trip
        # itself; the client only wraps its connection pool, so one per pool is safe across threads and forks.
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = LongLivedRedisCacheClient

    @property
    def primary(self) -> Redis:
        """The client of the server that takes writes, for code that needs Redis itself (the page cache)."""
        return self._cache.get_client(write=True)
