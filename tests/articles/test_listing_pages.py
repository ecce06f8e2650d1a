import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import selectors
from articles.models import Topic
from articles.selectors import SECTION_CARDS
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
    tests, surgery = TopicFactory(name="Biomarker testing"), TopicFactory(name="Surgery", slug="surgery")
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


def test_a_topic_shows_its_newest_answers_and_links_to_all_of_them_a_page_at_a_time(
    client, stomach, editor, reviewer, monkeypatch
):
    surgery = Topic.objects.get(name="Surgery")
    for n in range(SECTION_CARDS):
        article = ArticleFactory(created_by=editor, cancer_type=stomach, title=f"Surgery question {n}?")
        article.topics.add(surgery)
        publish(article, editor, reviewer)
    monkeypatch.setattr(selectors, "ANSWERS_PER_PAGE", 2)

    html = client.get(stomach.get_absolute_url()).content.decode()

    surgery_section = html[html.index(">Surgery</h2>") : html.index(">More answers</h2>")]
    # The newest three, not the first one published; a section showing all it has links nowhere.
    assert re.findall(r"<h3><a [^>]+>([^<]+)</a></h3>", surgery_section) == [
        "Surgery question 2?",
        "Surgery question 1?",
        "Surgery question 0?",
    ]
    all_surgery = reverse("articles:cancer_type_topic", args=[stomach.slug, surgery.slug])
    assert f'<a href="{all_surgery}">All 4 answers on Surgery</a>' in surgery_section
    assert html.count('class="section-more"') == 1

    first, second = client.get(all_surgery), client.get(all_surgery, {"page": 2})
    titles = [re.findall(r'<h2 class="card__title"><a [^>]+>([^<]+)</a>', r.content.decode()) for r in (first, second)]
    assert titles == [["Surgery question 2?", "Surgery question 1?"], ["Surgery question 0?", "What is a gastrectomy?"]]
    assert "Page 1 of 2" in first.content.decode() and 'href="?page=2" rel="next"' in first.content.decode()
    assert 'href="?page=1" rel="prev"' in second.content.decode()
    for missing in ({"page": 3}, {"page": "last"}):
        assert client.get(all_surgery, missing).status_code == 404
    everything = client.get(reverse("articles:cancer_type_answers", args=[stomach.slug])).content.decode()
    assert "6 answers, newest first: page 1 of 3." in everything
    assert client.get(reverse("articles:cancer_type_topic", args=[stomach.slug, "no-such-topic"])).status_code == 404


def test_answers_with_no_topic_beyond_a_section_link_to_the_whole_list(client, editor, reviewer):
    bowel = CancerTypeFactory(name="Bowel cancer", slug="bowel-cancer")
    for n in range(SECTION_CARDS + 1):
        publish(ArticleFactory(created_by=editor, cancer_type=bowel, title=f"Bowel question {n}?"), editor, reviewer)

    html = client.get(bowel.get_absolute_url()).content.decode()

    assert sections(html) == ["Answers"]
    assert html.count("<h3><a ") == SECTION_CARDS and "Bowel question 0?" not in html
    everything = reverse("articles:cancer_type_answers", args=[bowel.slug])
    assert f'<a href="{everything}">All answers about bowel cancer</a>' in html


@pytest.mark.parametrize(
    "page", ["home", "cancer_type", "cancer_type_topic", "cancer_type_answers", "cancer_type_list", "search"]
)
def test_listing_pages_read_a_fixed_number_of_queries_and_only_what_a_card_shows(
    client, stomach, editor, reviewer, django_assert_num_queries, page
):
    url = {
        "home": reverse("home"),
        "cancer_type": stomach.get_absolute_url(),
        "cancer_type_topic": reverse("articles:cancer_type_topic", args=[stomach.slug, "surgery"]),
        "cancer_type_answers": reverse("articles:cancer_type_answers", args=[stomach.slug]),
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


def test_cards_escape_what_staff_wrote(client, editor, reviewer):
    publish(
        ArticleFactory(created_by=editor, featured=True, title='Is <b>"this"</b> & that safe?', summary="<i>x</i>"),
        editor,
        reviewer,
    )

    html = client.get(reverse("home")).content.decode()

    assert (
        '<h3><a href="/answers/' in html and "Is &lt;b&gt;&quot;this&quot;&lt;/b&gt; &amp; that safe?</a></h3>" in html
    )
    assert "<p>&lt;i&gt;x&lt;/i&gt;</p>" in html and "<b>" not in html
