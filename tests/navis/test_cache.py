from django.conf import settings
from django.core.cache import cache, caches

from navis.cache import RedisCache


def test_a_redis_cache_url_selects_the_backend_that_keeps_its_client():
    assert settings.CACHES["default"]["BACKEND"] == "navis.cache.RedisCache"
    backend = caches["default"]

    assert isinstance(backend, RedisCache)
    assert backend.primary is backend.primary


def test_the_shared_cache_stores_reads_and_counts():
    cache.set("test:value", {"answer": 42})
    cache.set("test:count", 1)

    assert cache.get_many(["test:value", "test:missing"]) == {"test:value": {"answer": 42}}
    assert cache.incr("test:count") == 2
