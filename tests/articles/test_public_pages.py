import json
import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from articles import services
from articles.cache import GENERATION_CHECK_SECONDS, GENERATION_KEY, cache_key, new_generation, shared_redis
from articles.models import ArticleRevision
from tests.articles.conftest import publish
from tests.factories import ArticleFactory, CancerTypeFactory

pytestmark = pytest.mark.django_db


def page_html(client, article) -> str:
    response = client.get(reverse("articles:detail", args=[article.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_article_page_shows_every_part_of_an_answer_page(client, editor, reviewer):
    cancer_type = CancerTypeFactory(name="Stomach cancer", slug="stomach-cancer")
    article = ArticleFactory(
        created_by=editor,
        cancer_type=cancer_type,
        title="How does CAR-T cell therapy work for stomach cancer?",
        byline="Navis AI",
        questions=3,
        resources=2,
        sources=2,
    )
    related = publish(ArticleFactory(created_by=editor, cancer_type=cancer_type), editor, reviewer)
    article.related.add(related)
    publish(article, editor, reviewer)
    article.refresh_from_db()

    html = page_html(client, article)

    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert "How does CAR-T cell therapy work for stomach cancer?</h1>" in html
    assert 'class="article__type"><a href="/cancer/stomach-cancer/">Stomach cancer</a>' in html
    assert f'<time datetime="{article.published_at:%Y-%m-%d}">' in html
    assert "<dt>Written by</dt>" in html and "<dd>Navis AI</dd>" in html
    approved = article.live_revision.approved_at
    assert f'Medically reviewed by Dr Rui Reviewer, MD, Oncology on <time datetime="{approved:%Y-%m-%d}">' in html
    assert "For information only" in html and "not medical advice" in html
    assert "<h2>How it works</h2>" in html and "<li><strong>First</strong> step.</li>" in html
    assert "Questions to ask your oncology team" in html
    assert html.count("for my team?</li>") == 3
    assert "Where to find more information" in html and "Resource 2</a>: A note." in html
    assert '<h2 id="sources-title">Sources</h2>' in html and "Source 2</a>. Publisher." in html
    assert "Related answers" in html and related.live_revision.title in html
    assert "Upload your records for guidance specific to your case" in html
    assert f"?article={article.slug}" in html
    assert "This is general information." in html
    assert "Next review due" not in html or article.next_review_due


def test_the_page_carries_canonical_open_graph_and_medical_web_page_data(client, published_article, reviewer):
    html = page_html(client, published_article)

    url = f"http://127.0.0.1:8000/answers/{published_article.slug}/"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:type" content="article">' in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "MedicalWebPage"
    assert data["about"]["name"] == published_article.cancer_type.name
    assert data["reviewedBy"]["name"] == reviewer.full_name
    assert data["lastReviewed"] == published_article.live_revision.approved_at.date().isoformat()


def test_json_ld_cannot_close_its_script_element(client, editor, reviewer):
    article = publish(
        ArticleFactory(created_by=editor, title="Is </script><script>alert(1)</script> safe?"), editor, reviewer
    )

    html = page_html(client, article)

    assert "</script><script>alert(1)" not in html


def test_the_query_count_does_not_grow_with_sources_questions_or_related(
    client, editor, reviewer, django_assert_num_queries
):
    small = ArticleFactory(created_by=editor, questions=1, resources=1, sources=1)
    small.related.add(publish(ArticleFactory(created_by=editor), editor, reviewer))
    publish(small, editor, reviewer)
    large = ArticleFactory(created_by=editor, questions=12, resources=8, sources=15)
    for _ in range(5):
        large.related.add(publish(ArticleFactory(created_by=editor), editor, reviewer))
    publish(large, editor, reviewer)

    with django_assert_num_queries(1):  # the article with its revision, reviewer and related articles
        page_html(client, small)
    with django_assert_num_queries(1):
        html = page_html(client, large)
    assert html.count("for my team?</li>") == 12


@pytest.mark.django_db(transaction=True)  # the cache is cleared when the change commits
def test_drafts_and_unpublished_articles_are_never_served(client, editor, reviewer, published_article):
    draft = ArticleFactory(created_by=editor)
    services.article_revision_record(article=draft, user=editor)

    assert client.get(reverse("articles:detail", args=[draft.slug])).status_code == 404
    assert client.get(reverse("articles:detail", args=[published_article.slug])).status_code == 200

    services.article_unpublish(article=published_article, user=editor)

    assert client.get(reverse("articles:detail", args=[published_article.slug])).status_code == 404


@pytest.mark.django_db(transaction=True)  # the cache is cleared when the change commits
def test_cached_pages_are_served_without_queries_and_cleared_on_publish(
    client, editor, reviewer, published_article, django_assert_num_queries
):
    url = reverse("articles:detail", args=[published_article.slug])
    client.get(url)
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200

    published_article.title = "A better question?"
    published_article.save()
    services.article_revision_record(article=published_article, user=editor)
    assert "A better question?" not in client.get(url).content.decode()
    services.article_submit(article=published_article, user=editor)
    services.article_approve(article=published_article, user=reviewer)
    services.article_publish(article=published_article, user=editor)

    assert "A better question?</h1>" in client.get(url).content.decode()


def test_a_cached_page_is_the_fresh_page_with_the_same_security_headers(
    client, published_article, django_assert_num_queries
):
    url = reverse("articles:detail", args=[published_article.slug])
    fresh = client.get(url)
    with django_assert_num_queries(0):
        cached = client.get(url)

    assert cached.content == fresh.content
    for header in ("Content-Type", "Content-Length", "Content-Security-Policy", "X-Frame-Options", "Vary"):
        assert cached[header] == fresh[header]
    for header in ("X-Content-Type-Options", "Referrer-Policy", "Cross-Origin-Opener-Policy"):
        assert cached[header] == fresh[header]
    assert cached["Content-Length"] == str(len(cached.content))
    assert cached["X-Request-ID"] != fresh["X-Request-ID"]
    # Each response from the cache has headers of its own: what one response is given stays off the next.
    again = client.get(url)
    assert again["X-Request-ID"] not in (cached["X-Request-ID"], fresh["X-Request-ID"])
    assert again["Permissions-Policy"] == fresh["Permissions-Policy"]


def test_a_publish_in_another_process_reaches_this_ones_readers_within_the_generation_check(client, published_article):
    page_html(client, published_article)
    revision = ArticleRevision.objects.get(article=published_article)
    ArticleRevision.objects.filter(pk=revision.pk).update(content={**revision.content, "title": "Changed elsewhere?"})
    # What a publish in the Celery worker does to Redis: this process's own copies it cannot reach.
    shared_redis().set(cache_key(GENERATION_KEY), new_generation())

    assert "Changed elsewhere?" not in page_html(client, published_article)  # this process's copy, for now
    time.sleep(GENERATION_CHECK_SECONDS + 0.1)
    assert "Changed elsewhere?</h1>" in page_html(client, published_article)


def test_over_plain_http_a_cached_page_is_sent_to_https_first(client, published_article, settings):
    settings.SECURE_SSL_REDIRECT = True
    url = reverse("articles:detail", args=[published_article.slug])
    assert client.get(url, secure=True).status_code == 200  # now in the cache

    response = client.get(url)

    assert response.status_code == 301
    assert response["Location"] == f"https://testserver{url}"


def test_a_cached_page_is_refused_to_control_characters_as_every_page_is(client, published_article):
    url = reverse("articles:detail", args=[published_article.slug])
    client.get(url)

    assert client.get(url, HTTP_COOKIE="utm_source=a\x00b").status_code == 400


@pytest.mark.django_db(transaction=True)  # the cache is cleared when the change commits
def test_renaming_a_cancer_type_in_the_admin_clears_cached_pages(client, editor, published_article):
    url = reverse("articles:detail", args=[published_article.slug])
    cancer_type = published_article.cancer_type
    assert f">{cancer_type.name}</a>" in client.get(url).content.decode()
    staff = Client()
    staff.force_login(editor)

    response = staff.post(
        reverse("admin:articles_cancertype_change", args=[cancer_type.pk]),
        {
            "name": "Stomach cancer",
            "slug": cancer_type.slug,
            "description": "Renamed.",
            "order": 0,
            "profile": "stomach",
        },
    )

    assert response.status_code == 302
    assert ">Stomach cancer</a>" in client.get(url).content.decode()


@pytest.fixture
def local_memory_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    shared_redis.cache_clear()
    yield
    shared_redis.cache_clear()


def test_pages_are_cached_only_in_a_cache_every_process_shares(
    client, local_memory_cache, published_article, django_assert_num_queries
):
    url = reverse("articles:detail", args=[published_article.slug])
    client.get(url)

    with django_assert_num_queries(1):  # a publish in the Celery worker could not clear this process's memory
        assert client.get(url).status_code == 200


def test_signed_in_readers_get_a_fresh_page_with_their_own_header(client, published_article, editor):
    client.get(reverse("articles:detail", args=[published_article.slug]))  # cached for anonymous readers
    client.force_login(editor)

    html = page_html(client, published_article)

    assert "Log out" in html


def test_the_cancer_type_page_lists_its_published_articles(client, editor, reviewer, published_article):
    draft = ArticleFactory(created_by=editor, cancer_type=published_article.cancer_type)

    response = client.get(reverse("articles:cancer_type", args=[published_article.cancer_type.slug]))

    html = response.content.decode()
    assert published_article.live_revision.title in html
    assert draft.title not in html


def test_the_home_page_shows_latest_and_featured_articles_and_cancer_types(client, editor, reviewer):
    featured = publish(ArticleFactory(created_by=editor, featured=True, title="Featured question?"), editor, reviewer)

    html = client.get(reverse("home")).content.decode()

    assert "Featured answers" in html and "Featured question?" in html
    assert featured.cancer_type.name in html


def test_search_ranks_title_matches_first_and_ignores_drafts(client, editor, reviewer):
    body_match = publish(
        ArticleFactory(created_by=editor, title="What is a biopsy?", body="Trastuzumab is mentioned once."),
        editor,
        reviewer,
    )
    title_match = publish(ArticleFactory(created_by=editor, title="How does trastuzumab work?"), editor, reviewer)
    ArticleFactory(created_by=editor, title="Draft about trastuzumab?")

    response = client.get(reverse("articles:search"), {"q": "trastuzumab"})

    results = response.context["results"]
    assert [result.url for result in results] == [title_match.get_absolute_url(), body_match.get_absolute_url()]


def test_sitemap_feeds_and_robots(client, published_article):
    sitemap = client.get(reverse("sitemap")).content.decode()
    assert f"/answers/{published_article.slug}/" in sitemap

    for name in ("articles:feed_rss", "articles:feed_atom"):
        assert published_article.live_revision.title in client.get(reverse(name)).content.decode()
    slug = published_article.cancer_type.slug
    atom = client.get(reverse("articles:cancer_type_feed_atom", args=[slug])).content.decode()
    assert published_article.live_revision.title in atom

    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots and "Sitemap: http://127.0.0.1:8000/sitemap.xml" in robots
