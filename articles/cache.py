"""Whole public pages, cached for readers who are not signed in.

`PublicPageCacheMiddleware` answers a cached page before the rest of the middleware runs (it sits just
after the request id); a view opts its pages in with `@public_page`. Pages are kept in the shared Redis,
so every worker sees the same pages, and one token, the generation, makes them all stale at once:
publishing or unpublishing anything replaces it (a random token, not a counter, so that a Redis that lost
its data never hands out a generation a process has seen before).

Each process also keeps its own copies of the pages it served, and trusts them for
GENERATION_CHECK_SECONDS after it last read the generation: the round trip to Redis was most of a cached
page's time. A publish in this process forgets them at once; one in another process (the Celery worker's
scheduled publishing) reaches this one's readers within that second.
"""

import json
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache, lru_cache

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.http.response import ResponseHeaders
from django.urls import Resolver404, resolve
from redis import Redis

from navis.cache import RedisCache
from navis.middleware import has_control_characters

GENERATION_KEY = "articles:pages:generation"
# Pages are stored as bytes, no longer pickled: a key of their own leaves pickled ones to expire unread.
PAGE_KEY_PREFIX = "articles:page-bytes:"
PAGE_TIMEOUT_SECONDS = 60 * 60
# Headers that belong to one response only, never to a stored page.
PER_RESPONSE_HEADERS = {"x-request-id", "set-cookie"}
# How long a process serves its own copies before it reads the generation again.
GENERATION_CHECK_SECONDS = 1.0
# Pages each process keeps (about 12 kB each); the least recently served go first.
LOCAL_PAGES = 512


@cache
def shared_redis() -> Redis | None:
    """The Redis that every process shares through the default cache; None if that cache is not Redis."""
    backend = caches["default"]
    return backend.primary if isinstance(backend, RedisCache) else None


def cache_key(name: str) -> str:
    """`name` as the default cache would store it, so its KEY_PREFIX and clear() apply to pages too."""
    return caches["default"].make_key(name)


@dataclass(frozen=True)
class StoredPage:
    generation: bytes
    headers: dict[str, str]
    content: bytes
    # The headers as Django keeps them, checked and encoded once: setting ten headers on each response
    # from the cache cost as much as the rest of serving it.
    checked_headers: dict[str, tuple[str, str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "checked_headers", ResponseHeaders(self.headers)._store)

    def response(self) -> HttpResponse:
        response = HttpResponse(self.content)
        response.headers._store = dict(self.checked_headers)
        return response


class LocalPages:
    """This process's copies of cached pages, and the generation it last read from Redis, and when.

    One lock keeps it whole under a threaded server; it is held for a dictionary operation or two.
    """

    def __init__(self) -> None:
        self.pages: OrderedDict[str, StoredPage] = OrderedDict()
        self.generation = b""
        self.read_at = float("-inf")
        self.lock = threading.Lock()

    def fresh(self, path: str) -> StoredPage | None:
        """The copy of `path`, if the generation was read within GENERATION_CHECK_SECONDS and it still holds."""
        with self.lock:
            page = self.pages.get(path)
            if page is None or page.generation != self.generation:
                return None
            if time.monotonic() - self.read_at > GENERATION_CHECK_SECONDS:
                return None
            self.pages.move_to_end(path)
            return page

    def generation_read(self, generation: bytes) -> None:
        with self.lock:
            if generation != self.generation:
                self.pages.clear()
                self.generation = generation
            self.read_at = time.monotonic()

    def keep(self, path: str, page: StoredPage) -> None:
        with self.lock:
            self.pages[path] = page
            self.pages.move_to_end(path)
            while len(self.pages) > LOCAL_PAGES:
                self.pages.popitem(last=False)

    def forget(self) -> None:
        with self.lock:
            self.pages.clear()
            self.read_at = float("-inf")


local_pages = LocalPages()


def new_generation() -> bytes:
    return secrets.token_hex(8).encode()


def clear_article_pages() -> None:
    """Make every cached public page stale at once."""
    local_pages.forget()
    redis = shared_redis()
    if redis is not None:
        redis.set(cache_key(GENERATION_KEY), new_generation())


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
    """Serve a stored page before the middleware after it runs; store the public pages it lets through.

    A stored page carries the headers of the response it was, so the later layers' headers (CSP,
    Permissions-Policy, the security headers) come with it. What those layers would have refused, it
    lets through to them: control characters, and plain HTTP where the site redirects to HTTPS.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.redis = shared_redis()
        self.generation_key = cache_key(GENERATION_KEY) if self.redis else ""
        self.https_only = settings.SECURE_SSL_REDIRECT

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (self.redis and self.servable(request)):
            return self.get_response(request)
        path = request.path
        page = local_pages.fresh(path)
        if page is not None:
            return page.response()
        key = cache_key(PAGE_KEY_PREFIX + path)
        # One round trip, straight to Redis: the current generation and the stored page together.
        generation, stored = self.redis.mget(self.generation_key, key)
        if generation is None:
            # First use, or a Redis that lost its data: whoever sets it first decides.
            self.redis.set(self.generation_key, new_generation(), nx=True)
            generation = self.redis.get(self.generation_key)
        local_pages.generation_read(generation)
        if stored is not None:
            # "generation\nheaders as JSON\ncontent": reading a page never unpickles what Redis holds.
            stored_generation, headers, content = stored.split(b"\n", 2)
            if stored_generation == generation:
                page = StoredPage(generation, json.loads(headers), content)
                local_pages.keep(path, page)
                return page.response()
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            headers = {k: v for k, v in response.items() if k.lower() not in PER_RESPONSE_HEADERS}
            page = StoredPage(generation, headers, response.content)
            self.redis.set(
                key, b"\n".join([generation, json.dumps(headers).encode(), page.content]), ex=PAGE_TIMEOUT_SECONDS
            )
            local_pages.keep(path, page)
        return response

    def servable(self, request: HttpRequest) -> bool:
        return (
            is_cacheable_request(request)
            and (not self.https_only or request.is_secure())
            and is_public_page_path(request.path_info)
            and not has_control_characters(request)
        )
