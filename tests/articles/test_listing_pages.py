import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Topic
from tests.articles.conftest import publish
from tests.factories import ArticleFactory, CancerTypeFactory, TopicFactory

pytestmark = pytest.mark.django_db

# A card shows a title, a summary and a cancer type: these columns are for the article page and search.
BIG_REVISION_COLUMNS = {"content", "body_html", "body_text", "search_vector"}
BIG_ARTICLE_COLUMNS = {"body", "summary", "disclaimer"}


@pytest.fixture
def stomach(editor, reviewer):
    cancer_type = CancerTypeFactory(
        name="Stomach cancer",
        slug="stomach-cancer",
        overview="Most stomach cancers begin in the lining.\n\nTests of the cancer shape the treatment.",
    )
    tests, surgery = TopicFactory(name="Biomarker testing"), TopicFactory(name="Surgery")
    her2 = ArticleFactory(created_by=editor, cancer_type=cancer_type, title="What does HER2 mean?")
    her2.topics.add(tests)
    operation = ArticleFactory(created_by=editor, cancer_type=cancer_type, title="What is a gastrectomy?")
    operation.topics.add(surgery)
    untopical = ArticleFactory(created_by=editor, cancer_type=cancer_type, title="Where do I start?")
    for article in (her2, operation, untopical):
        publish(article, editor, reviewer)
    return cancer_type


def sections(html: str) -> list[str]:
    return re.findall(r'<h2 id="topic-\d+">([^<]+)</h2>', html)


def test_the_cancer_type_page_has_an_overview_its_answers_by_topic_and_the_offer(client, stomach):
    html = client.get(stomach.get_absolute_url()).content.decode()

    assert '<h2 id="overview-title">Overview</h2>' in html
    assert "<p>Most stomach cancers begin in the lining.</p>" in html
    assert sections(html) == ["Biomarker testing", "Surgery", "More answers"]
    assert html.index("What does HER2 mean?") < html.index("What is a gastrectomy?") < html.index("Where do I start?")
    assert f'<a class="button" href="{reverse("uploads:lead_start")}" rel="nofollow">' in html
    assert "(Atom feed)" not in html


def test_the_home_page_offers_both_reading_answers_and_guidance_on_your_own_case(client, stomach):
    html = client.get(reverse("home")).content.decode()

    assert '<h2 id="offer-read-title">Read our answers</h2>' in html
    assert '<h2 id="offer-guidance-title">Get guidance on your own case</h2>' in html
    assert f'<a class="button" href="{reverse("uploads:lead_start")}" rel="nofollow">' in html
    assert '<a href="/cancer/stomach-cancer/">Stomach cancer</a>' in html


def test_the_offer_on_the_home_page_leads_to_the_guidance_sign_up(client, stomach):
    response = client.get(reverse("uploads:lead_start"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_signup"))


@pytest.mark.parametrize("page", ["home", "cancer_type", "cancer_type_list", "search"])
def test_listing_pages_read_a_fixed_number_of_queries_and_only_what_a_card_shows(
    client, stomach, editor, reviewer, django_assert_num_queries, page
):
    url = {
        "home": reverse("home"),
        "cancer_type": stomach.get_absolute_url(),
        "cancer_type_list": reverse("articles:cancer_type_list"),
        "search": reverse("articles:search"),
    }[page]
    params = {"q": "stomach"} if page == "search" else {"fresh": 1}  # a query string skips the page cache
    client.get(url, params)  # a process's first search reads the cancer types' names (selectors.SynonymsCopy)
    with CaptureQueriesContext(connection) as few:
        client.get(url, params)
    for topic in ("Biomarker testing", "Surgery", None):
        article = ArticleFactory(created_by=editor, cancer_type=stomach, featured=True)
        if topic:
            article.topics.add(Topic.objects.get(name=topic))
        publish(article, editor, reviewer)

    with django_assert_num_queries(len(few)) as many:
        response = client.get(url, params)

    assert response.status_code == 200
    if page == "search":
        assert len(response.context["results"]) == 6
    for query in many.captured_queries:
        fetched = query["sql"].split(" FROM ")[0]
        # The snippet is cut from the text inside the database; the text itself is not fetched.
        fetched = re.sub(r'ts_headline\([^,]+, "articles_articlerevision"\."body_text"', "ts_headline(", fetched)
        # A column fetched whole, not one read inside a function (ts_rank) or a JSON key of it (topic_ids).
        for table, columns in (
            ("articles_articlerevision", BIG_REVISION_COLUMNS),
            ("articles_article", BIG_ARTICLE_COLUMNS),
            # The cancer type's own page shows its overview; lists of cancer types do not.
            ("articles_cancertype", set() if page == "cancer_type" else {"overview"}),
        ):
            for column in columns:
                assert not re.search(f'(SELECT|,) "{table}"."{column}"(,|$)', fetched), (column, fetched)
