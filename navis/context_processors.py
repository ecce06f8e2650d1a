from functools import cache

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone


@cache
def navigation_urls() -> dict[str, str]:
    # Reversed once per process: the header is on every page and its links never change.
    names = {
        "home": "home",
        "cancer_types": "articles:cancer_type_list",
        "search": "articles:search",
        "admin": "admin:index",
        "account": "account_email",
        "cases": "uploads:dashboard",
        "login": "account_login",
        "logout": "account_logout",
        "signup": "account_signup",
        "feed": "articles:feed_atom",
    }
    return {key: reverse(name) for key, name in names.items()}


@cache
def static_urls() -> dict[str, str]:
    # Looked up once per process: {% static %} searches the manifest of hashed names on every page.
    return {"site": static("css/site.css"), "print": static("css/print.css"), "icon": static("img/icon.svg")}


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "nav": navigation_urls(),
        "static_urls": static_urls(),
        # For the footer: {% now "Y" %} goes through the locale's date formats, ten times the cost.
        "year": timezone.localdate().year,
    }
