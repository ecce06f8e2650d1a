from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import search, selectors
from articles.models import ArticleRevision
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


def found(client, query: str):
    response = client.get(reverse("articles:search"), {"q": query})
    assert response.status_code == 200
    return response


def test_gastric_finds_the_stomach_articles_through_the_cancer_types_other_name(client, library):
    results = found(client, "gastric").context["results"]

    assert set(results) == {library["stomach_her2"], library["stomach_surgery"]}


def test_common_words_find_the_cancer_by_its_everyday_name(client, library):
    assert found(client, "colon cancer").context["results"] == [library["bowel"]]
    assert found(client, "colorectal").context["results"] == [library["bowel"]]


def test_a_misspelt_search_finds_the_stomach_articles_and_says_what_it_searched_for(client, library):
    response = found(client, "stomch cancer")

    assert set(response.context["results"]) == {library["stomach_her2"], library["stomach_surgery"]}
    html = response.content.decode()
    assert "We found nothing for “stomch cancer”, so we searched for <strong>stomach cancer</strong>." in html
    assert set(found(client, "stomch cancr").context["results"]) == set(response.context["results"])


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
        results = found(client, "bowel").context["results"]

    statement = next(q["sql"] for q in queries if "ts_rank" in q["sql"])
    assert '"search_vector" @@' in statement
    assert "to_tsvector" not in statement
    # A card reads its title and summary: the text, its HTML and JSON stay in the database.
    assert {"body_text", "body_html", "content", "search_vector"} <= results[0].live_revision.get_deferred_fields()


@pytest.mark.parametrize("query", ["stomach", "stomch cancer", "", "nothing matches this"])
def test_the_number_of_queries_does_not_grow_with_the_library(
    client, library, editor, reviewer, django_assert_num_queries, query
):
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

    assert set(found(client, "gastric").context["results"]) == {library["stomach_her2"], library["stomach_surgery"]}
    response = found(client, "stomch")
    assert response.context["search"].searched_for == "stomach"
    assert len(response.context["results"]) == 2


def test_renaming_a_cancer_type_in_the_admin_changes_what_its_articles_are_found_by(client, library, editor):
    bowel = library["bowel"].cancer_type
    assert found(client, "intestinal").context["results"] == []
    staff = Client()
    staff.force_login(editor)
    form = {"name": "Intestinal cancer", "slug": bowel.slug, "description": "", "order": 0, "profile": "bowel"}

    response = staff.post(reverse("admin:articles_cancertype_change", args=[bowel.pk]), form)

    assert response.status_code == 302
    assert found(client, "intestinal").context["results"] == [library["bowel"]]  # its text never says so
