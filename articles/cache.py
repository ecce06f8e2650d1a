"""Whole public pages, cached for readers who are not signed in.

`PublicPageCacheMiddleware` answers a cached page before the rest of the middleware runs; a view opts
its pages in with `@public_page`. Pages are kept only in the shared Redis, so every worker sees the same
pages (a cache in one process's memory could not be cleared by a publish in another, such as the Celery
worker's), and one number, the generation, makes them all stale at once: publishing or unpublishing
anything bumps it.
"""

import json
from collections.abc import Callable
from functools import cache, lru_cache

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from redis import Redis

from navis.cache import RedisCache

GENERATION_KEY = "articles:pages:generation"
# Pages are stored as bytes, no longer pickled: a key of their own leaves pickled ones to expire unread.
PAGE_KEY_PREFIX = "articles:page-bytes:"
PAGE_TIMEOUT_SECONDS = 60 * 60
# Headers that belong to one response only, never to a stored page.
PER_RESPONSE_HEADERS = {"x-request-id", "set-cookie"}


@cache
def shared_redis() -> Redis | None:
    """The Redis that every process shares through the default cache; None if that cache is not Redis."""
    backend = caches["default"]
    return backend.primary if isinstance(backend, RedisCache) else None


def cache_key(name: str) -> str:
    """`name` as the default cache would store it, so its KEY_PREFIX and clear() apply to pages too."""
    return caches["default"].make_key(name)


def clear_article_pages() -> None:
    """Make every cached public page stale at once."""
    redis = shared_redis()
    if redis is not None:
        redis.incr(cache_key(GENERATION_KEY))


def is_cacheable_request(request: HttpRequest) -> bool:
    """A plain GET from a reader with no session, no pending messages and no query string."""
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let the page cache keep this view's successful responses."""
    view.public_page = True
    return view


@lru_cache(maxsize=4096)
def is_public_page_path(path: str) -> bool:
    """Whether `path` is served by a view marked @public_page (other paths never touch the cache)."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return getattr(match.func, "public_page", False)


class PublicPageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.redis = shared_redis()
        self.generation_key = cache_key(GENERATION_KEY) if self.redis else ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (self.redis and is_cacheable_request(request) and is_public_page_path(request.path_info)):
            return self.get_response(request)
        key = cache_key(PAGE_KEY_PREFIX + request.path)
        # One round trip, straight to Redis: the current generation and the stored page together.
        generation, stored = self.redis.mget(self.generation_key, key)
        generation = generation or b"0"
        if stored is not None:
            # "generation\nheaders as JSON\ncontent": reading a page never unpickles what Redis holds.
            stored_generation, headers, content = stored.split(b"\n", 2)
            if stored_generation == generation:
                return HttpResponse(content, headers=json.loads(headers))
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            headers = {k: v for k, v in response.items() if k.lower() not in PER_RESPONSE_HEADERS}
            page = b"\n".join([generation, json.dumps(headers).encode(), response.content])
            self.redis.set(key, page, ex=PAGE_TIMEOUT_SECONDS)
        return response
