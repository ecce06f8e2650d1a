import json
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from articles import selectors
from articles.cache import public_page
from articles.content import PageContent
from articles.models import CancerType, Topic, article_path, article_questions_path, cancer_type_path
from uploads.models import Lead

DEFAULT_DISCLAIMER = (
    "This page gives general information, not medical advice. It cannot take your own situation into "
    "account. Always talk to your oncologist or care team before making any decision about your treatment."
)


def article_json_ld(page: PageContent, canonical_url: str) -> str:
    """schema.org MedicalWebPage data, escaped to sit safely inside a script element."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "headline": page.title,
        "name": page.title,
        "description": page.summary,
        "url": canonical_url,
        "inLanguage": "en",
        "about": {"@type": "MedicalCondition", "name": page.cancer_type_name},
        "author": {"@type": "Organization" if page.byline == "Navis AI" else "Person", "name": page.byline},
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME, "url": settings.SITE_URL},
        "citation": [
            {"@type": "CreativeWork", "name": s.title, "url": s.url, "publisher": s.publisher} for s in page.sources
        ],
    }
    if page.published_at:
        data["datePublished"] = page.published_at.date().isoformat()
    if page.reviewed_at:
        data["lastReviewed"] = page.reviewed_at.date().isoformat()
        data["reviewedBy"] = {"@type": "Person", "name": page.reviewed_by_name}
        if page.reviewed_by_credentials:
            data["reviewedBy"]["honorificSuffix"] = page.reviewed_by_credentials
    text = json.dumps(data, ensure_ascii=False)
    return mark_safe(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S308


@cache
def lead_start_path() -> str:
    return reverse("uploads:lead_start")


def lead_capture_url(request: HttpRequest, slug: str = "") -> str:
    """The call to action: records a lead (for this article, if any), with the campaign the reader arrived from."""
    campaign = {field: request.GET[field] for field in Lead.UTM_FIELDS if request.GET.get(field)}
    query = urlencode({**({"article": slug} if slug else {}), **campaign})
    return f"{lead_start_path()}?{query}" if query else lead_start_path()


def article_page(
    request: HttpRequest, page: PageContent, *, related: list[selectors.ArticleCard], preview: bool
) -> HttpResponse:
    """Render the article template; the public page and the staff preview share it."""
    canonical_url = f"{settings.SITE_URL}{article_path(page.slug)}"
    context = {
        "page": page,
        "dates": page.dates,
        "related": related,
        "cancer_type_url": cancer_type_path(page.cancer_type_slug),
        "questions_url": article_questions_path(page.slug),
        "cta_url": lead_capture_url(request, page.slug),
        "disclaimer": page.disclaimer or DEFAULT_DISCLAIMER,
        "canonical_url": canonical_url,
        "json_ld": article_json_ld(page, canonical_url),
        "preview": preview,
    }
    return TemplateResponse(request, "articles/article_detail.html", context)


@require_safe
@public_page
def article_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page, related = selectors.article_live_page(slug=slug)
    return article_page(request, page, related=related, preview=False)


@require_safe
@public_page
def article_questions(request: HttpRequest, slug: str) -> HttpResponse:
    """The article's questions on one printable A4 page, with room to write the answers."""
    sheet = selectors.article_question_sheet(slug=slug)
    return TemplateResponse(
        request, "articles/article_questions.html", {"sheet": sheet, "article_url": article_path(slug)}
    )


# The columns a cancer-type page shows of its type: never the profile, which is for intake.
CANCER_TYPE_PAGE_FIELDS = ("name", "slug", "description", "overview")


@require_safe
@public_page
def cancer_type_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A cancer type's overview, its newest few answers on each topic, and the call to action."""
    cancer_type = get_object_or_404(CancerType.objects.only(*CANCER_TYPE_PAGE_FIELDS), slug=slug)
    context = {
        "cancer_type": cancer_type,
        "sections": selectors.cancer_type_sections(cancer_type=cancer_type),
        "feed_url": f"{cancer_type_path(cancer_type.slug)}feed.atom",
        "cta_url": lead_capture_url(request),
    }
    return TemplateResponse(request, "articles/cancer_type_detail.html", context)


@require_safe
@public_page
def cancer_type_answers(request: HttpRequest, slug: str, topic_slug: str = "") -> HttpResponse:
    """Every published answer about a cancer type (on one topic, if given), a page at a time (?page=)."""
    cancer_type = get_object_or_404(CancerType.objects.only("name", "slug"), slug=slug)
    topic = get_object_or_404(Topic.objects.only("name", "slug"), slug=topic_slug) if topic_slug else None
    page = selectors.cancer_type_answers_page(cancer_type=cancer_type, topic=topic, number=request.GET.get("page"))
    context = {"cancer_type": cancer_type, "topic": topic, "page": page, "cta_url": lead_capture_url(request)}
    return TemplateResponse(request, "articles/cancer_type_answers.html", context)


@require_safe
def cancer_type_list(request: HttpRequest) -> HttpResponse:
    return render(request, "articles/cancer_type_list.html", {"cancer_types": selectors.cancer_types_with_articles()})


@require_safe
@public_page  # its page with no words (the popular topics count every published article) comes from the cache
def search(request: HttpRequest) -> HttpResponse:
    page = selectors.search_page(query=request.GET.get("q", ""), page=request.GET.get("page"))
    return render(request, "articles/search.html", {"search": page, "query": page.query, "results": page.results})


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    return render(request, "robots.txt", {"SITE_URL": settings.SITE_URL}, content_type="text/plain")
