from django.contrib.sitemaps.views import sitemap as django_sitemap
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from articles import selectors
from articles.cache import public_page
from articles.sitemaps import SITEMAPS
from navis.health import readiness


@require_GET
@public_page
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "featured": selectors.articles_featured(),
        "latest": selectors.articles_latest(),
        "cancer_types": selectors.cancer_types_with_articles(),
    }
    return TemplateResponse(request, "home.html", context)


@require_GET
def sitemap(request: HttpRequest) -> HttpResponse:
    return django_sitemap(request, sitemaps=SITEMAPS)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Answer while the process is alive, whatever else is down."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Say whether database, broker and file storage answer; 503 when one does not."""
    results = readiness()
    ready = all(result.ok for result in results)
    body = {
        "status": "ok" if ready else "unavailable",
        "checks": {r.name: {"ok": r.ok, **({"error": r.detail} if r.detail else {})} for r in results},
    }
    return JsonResponse(body, status=200 if ready else 503)
