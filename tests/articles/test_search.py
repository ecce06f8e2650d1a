from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import search, selectors, services
from articles.models import Article, ArticleRevision, SearchWord
from tests.articles.conftest import publish
from tests.factories import ArticleFactory, CancerTypeFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(editor, reviewer):
    """Stomach and bowel articles, named as the demo content names them."""
    stomach = CancerTypeFactory(name="Stomach cancer", slug="stomach-cancer", also_called="gastric cancer")
    bowel = CancerTypeFactory(name="Bowel cancer", slug="bowel-cancer")
    immunotherapy = TopicFactory(name="Immunotherapy")
    articles = {
        "stomach_her2": ArticleFactory(
            cancer_type=stomach,
            title="What does HER2 mean in stomach cancer?",
            body="HER2 is a protein. Some stomach cancers make too much of it.",
        ),
        "stomach_surgery": ArticleFactory(
            cancer_type=stomach, title="What happens in an operation to remove the stomach?", body="A gastrectomy."
        ),
        "bowel": ArticleFactory(
            cancer_type=bowel, title="What is MSI in bowel cancer?", body="MSI-high bowel cancer may respond."
        ),
    }
    for article in articles.values():
        article.created_by = editor
        article.save()
        publish(article, editor, reviewer)
    articles["stomach_her2"].topics.add(immunotherapy)
    return articles


def found(client, query: str, **params):
    response = client.get(reverse("articles:search"), {"q": query, **params})
    assert response.status_code == 200
    return response


def urls(*articles) -> list[str]:
    return [article.get_absolute_url() for article in articles]


def found_urls(client, query: str, **params) -> list[str]:
    return [result.url for result in found(client, query, **params).context["results"]]


def test_gastric_finds_the_stomach_articles_through_the_cancer_types_other_name(client, library):
    results = found_urls(client, "gastric")

    assert sorted(results) == sorted(urls(library["stomach_her2"], library["stomach_surgery"]))


def test_common_words_find_the_cancer_by_its_everyday_name(client, library):
    assert found_urls(client, "colon cancer") == urls(library["bowel"])
    assert found_urls(client, "colorectal") == urls(library["bowel"])


def test_a_misspelt_search_finds_the_stomach_articles_and_says_what_it_searched_for(client, library):
    response = found(client, "stomch cancer")

    results = [result.url for result in response.context["results"]]
    assert sorted(results) == sorted(urls(library["stomach_her2"], library["stomach_surgery"]))
    html = response.content.decode()
    assert "We found nothing for “stomch cancer”, so we searched for <strong>stomach cancer</strong>." in html
    assert sorted(found_urls(client, "stomch cancr")) == sorted(results)


def test_an_empty_search_shows_popular_topics_and_cancer_types_not_a_blank_page(client, library):
    html = found(client, "").content.decode()

    assert "Popular topics" in html and '<a href="?q=Immunotherapy">Immunotherapy</a>' in html
    assert '<a href="/cancer/stomach-cancer/">Stomach cancer</a>' in html
    assert '<a href="/cancer/bowel-cancer/">Bowel cancer</a>' in html


def test_results_show_the_matching_words_highlighted_and_everything_else_escaped(client, editor, reviewer):
    publish(
        ArticleFactory(
            created_by=editor,
            title="What does a PSA result mean?",
            body="A PSA < 4 <script>alert(1)</script> is usually called normal & reassuring.",
        ),
        editor,
        reviewer,
    )

    html = found(client, "normal").content.decode()

    assert "A PSA &lt; 4 is usually called <mark>normal</mark> &amp; reassuring." in html
    assert "<script>alert" not in html


def test_highlight_escapes_the_text_and_keeps_only_its_own_marks():
    start, stop = search.MATCH_START, search.MATCH_STOP

    assert search.highlight(f"a <b> {start}HER2{stop} & {stop}c") == "a &lt;b&gt; <mark>HER2</mark> &amp; c"
    assert search.highlight(f"{start}<mark>x") == "<mark>&lt;mark&gt;x</mark>"


def test_search_reads_the_stored_index_instead_of_reading_every_revision(client, library):
    revision = library["bowel"].live_revision
    assert ArticleRevision.objects.get(pk=revision.pk).search_vector  # written on publish

    with CaptureQueriesContext(connection) as queries:
        assert found_urls(client, "bowel") == urls(library["bowel"])

    statement = next(q["sql"] for q in queries if "ts_rank" in q["sql"])
    assert "revision.search_vector @@" in statement
    assert "to_tsvector" not in statement
    # A card reads its title and summary: the text's HTML and JSON stay in the database.
    assert "body_html" not in statement and "content" not in statement


@pytest.mark.parametrize("query", ["stomach", "stomch cancer", "", "nothing matches this"])
def test_the_number_of_queries_does_not_grow_with_the_library(
    client, library, editor, reviewer, django_assert_num_queries, query
):
    found(client, query)  # the process reads the cancer types' names once (see the test below)
    with CaptureQueriesContext(connection) as few:
        found(client, query)
    for _ in range(4):
        publish(ArticleFactory(created_by=editor, cancer_type=library["stomach_her2"].cancer_type), editor, reviewer)
    with django_assert_num_queries(len(few)):
        found(client, query)


def test_without_postgresql_search_finds_other_names_and_typos_the_plain_way(client, library, monkeypatch):
    sqlite = SimpleNamespace(vendor="sqlite")
    monkeypatch.setattr(selectors, "connection", sqlite)
    monkeypatch.setattr(search, "connection", sqlite)

    assert sorted(found_urls(client, "gastric")) == sorted(urls(library["stomach_her2"], library["stomach_surgery"]))
    response = found(client, "stomch")
    assert response.context["search"].searched_for == "stomach"
    assert len(response.context["results"]) == 2


def test_renaming_a_cancer_type_in_the_admin_changes_what_its_articles_are_found_by(client, library, editor):
    bowel = library["bowel"].cancer_type
    assert found_urls(client, "intestinal") == []
    staff = Client()
    staff.force_login(editor)
    form = {"name": "Intestinal cancer", "slug": bowel.slug, "description": "", "order": 0, "profile": "bowel"}

    response = staff.post(reverse("admin:articles_cancertype_change", args=[bowel.pk]), form)

    assert response.status_code == 302
    assert found_urls(client, "intestinal") == urls(library["bowel"])  # its text never says so
    assert "intestinal" in words()  # and "did you mean" knows its new name


def words() -> set[str]:
    return set(SearchWord.objects.values_list("word", flat=True))


def test_publishing_adds_its_words_to_the_list_did_you_mean_reads_and_unpublishing_takes_them_away(
    client, library, editor
):
    assert {"stomach", "gastric", "her2", "operation", "remove", "msi", "bowel"} <= words()
    assert "gastrectomy" not in words()  # a word of a body only
    response = found(client, "opration")
    assert response.context["search"].searched_for == "operation"
    assert found_urls(client, "opration") == urls(library["stomach_surgery"])

    services.article_unpublish(article=library["stomach_surgery"], user=editor)

    assert "operation" not in words() and "stomach" in words()
    assert found(client, "opration").context["search"].searched_for == ""


def test_a_reworded_question_takes_its_old_words_out_of_the_list(library, editor, reviewer):
    article = library["bowel"]
    article.title = "What does microsatellite instability mean for bowel cancer?"
    article.save()

    publish(article, editor, reviewer)

    assert {"microsatellite", "instability", "bowel"} <= words()
    assert "msi" not in words()
    # Only the live text is found: the revision it replaced keeps no search vector.
    vectors = ArticleRevision.objects.filter(article=article, search_vector__isnull=False)
    assert list(vectors.values_list("pk", flat=True)) == [Article.objects.get(pk=article.pk).live_revision_id]


def test_did_you_mean_reads_the_word_list_not_the_articles(client, library):
    with CaptureQueriesContext(connection) as queries:
        found(client, "stomch cancr")

    statement = next(q["sql"] for q in queries if "similarity" in q["sql"])
    assert "articles_searchword WHERE word %" in statement
    assert "articles_article" not in statement


def test_results_come_a_page_at_a_time_best_first_with_links_to_the_others(client, library, editor, reviewer):
    stomach = library["stomach_her2"].cancer_type
    more = [
        publish(
            ArticleFactory(created_by=editor, cancer_type=stomach, title=f"Stomach question {n}?"), editor, reviewer
        )
        for n in range(11)
    ]
    # 13 stomach articles: the two of the library say "stomach" in their question and their text.
    first = found(client, "stomach")
    second = found(client, "stomach", page="2")

    assert first.context["search"].total == second.context["search"].total == 13
    shown = [result.url for result in first.context["results"]] + found_urls(client, "stomach", page="2")
    assert len(first.context["results"]) == 10 and len(shown) == len(set(shown)) == 13
    assert set(shown) == set(urls(library["stomach_her2"], library["stomach_surgery"], *more))
    html = first.content.decode()
    assert "13 answers for “stomach”: 1 to 10" in html
    assert '<a href="?q=stomach&amp;page=2" rel="next">More answers</a>' in html
    assert "13 answers for “stomach”: 11 to 13" in second.content.decode()
    assert '<a href="?q=stomach&amp;page=1" rel="prev">Better matches</a>' in second.content.decode()
    for page in ("3", "0", "two", "²", "9" * 30):
        assert client.get(reverse("articles:search"), {"q": "stomach", "page": page}).status_code == 404


def test_a_snippet_shows_only_where_the_card_does_not_show_the_words_already(client, library):
    her2 = library["stomach_her2"].get_absolute_url()

    title_match = {result.url: result.snippet for result in found(client, "her2").context["results"]}
    body_match = {result.url: result.snippet for result in found(client, "protein").context["results"]}

    assert title_match == {her2: ""}
    assert body_match == {her2: "HER2 is a <mark>protein</mark>. Some stomach cancers make too much of it."}


def test_a_search_is_one_query_and_sees_a_cancer_types_new_other_name_at_once(
    client, library, django_assert_num_queries
):
    found(client, "gastric")
    with django_assert_num_queries(1):
        assert sorted(found_urls(client, "gastric")) == sorted(
            urls(library["stomach_her2"], library["stomach_surgery"])
        )
    bowel = library["bowel"].cancer_type
    bowel.also_called = "intestine cancer"
    bowel.save()

    # The statement says the names changed: the cancer types are read, and the search made again with them.
    with django_assert_num_queries(3):
        assert found_urls(client, "intestine") == urls(library["bowel"])
    with django_assert_num_queries(1):
        assert found_urls(client, "intestine") == urls(library["bowel"])


@pytest.mark.django_db(transaction=True)  # the cache is cleared when the change commits
def test_the_search_page_with_no_words_comes_from_the_page_cache_until_something_is_published(
    client, library, editor, reviewer, django_assert_num_queries
):
    bare = reverse("articles:search")  # as the menu links to it
    client.get(bare)
    with django_assert_num_queries(0):
        assert "Popular topics" in client.get(bare).content.decode()
    found(client, "stomach")
    with django_assert_num_queries(1):
        found(client, "stomach")  # a search is never cached
    article = ArticleFactory(created_by=editor, cancer_type=library["bowel"].cancer_type)
    article.topics.add(TopicFactory(name="Radiotherapy"))

    publish(article, editor, reviewer)

    assert '<a href="?q=Radiotherapy">Radiotherapy</a>' in client.get(bare).content.decode()
