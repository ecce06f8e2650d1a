"""Whole public pages, cached for readers who are not signed in.

`PublicPageCacheMiddleware` answers a cached page before the rest of the middleware runs; a view opts
its pages in with `@public_page`. The cache is the shared one (Redis in production), so every worker
sees the same pages, and one number, the generation, makes them all stale at once: publishing or
unpublishing anything bumps it.
"""

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

GENERATION_KEY = "articles:pages:generation"
PAGE_TIMEOUT_SECONDS = 60 * 60
# Headers that belong to one response only, never to a stored page.
PER_RESPONSE_HEADERS = {"x-request-id", "set-cookie", "content-length"}


def clear_article_pages() -> None:
    """Make every cached public page stale at once."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.add(GENERATION_KEY, 1, timeout=None)


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

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not (is_cacheable_request(request) and is_public_page_path(request.path_info)):
            return self.get_response(request)
        key = f"articles:page:{request.path}"
        # One round trip to the cache: the current generation and the stored page together.
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY, 0)
        stored = found.get(key)
        if stored is not None and stored[0] == generation:
            _, headers, content = stored
            return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        if response.status_code == 200 and not response.cookies:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            headers = {k: v for k, v in response.items() if k.lower() not in PER_RESPONSE_HEADERS}
            cache.set(key, (generation, headers, response.content), timeout=PAGE_TIMEOUT_SECONDS)
        return response
