"""The revision diff: the fields that changed, the words added and removed, in the labels editors know."""

from datetime import date

import pytest

from articles.content import article_content
from articles.diff import content_diff
from tests.factories import ArticleFactory, CancerTypeFactory, TopicFactory

pytestmark = pytest.mark.django_db


def text(change, *kinds: str) -> str:
    return "".join(t for kind, t in change.runs if kind in kinds)


@pytest.fixture
def content():
    article = ArticleFactory(
        summary="Surgery is the main treatment.",
        cancer_type=CancerTypeFactory(name="Stomach cancer", slug="stomach-cancer"),
        next_review_due=date(2027, 3, 1),
    )
    return article_content(article)


def test_a_changed_field_shows_the_words_added_and_removed(content):
    after = {**content, "summary": "Surgery is often the first treatment."}

    [change] = content_diff(content, after)

    assert change.label == "Summary"
    assert (change.added, change.removed) == (2, 1)
    assert text(change, "remove").split() == ["main"]
    assert text(change, "add").split() == ["often", "first"]
    assert text(change, "same", "add") == "Surgery is often the first treatment."
    assert text(change, "same", "remove") == "Surgery is the main treatment."


def test_ids_show_as_the_names_they_stand_for(content):
    bowel = CancerTypeFactory(name="Bowel cancer", slug="bowel-cancer")
    diet = TopicFactory(name="Diet and nutrition")
    after = {**content, "cancer_type_id": bowel.pk, "topic_ids": [diet.pk], "next_review_due": "2028-01-15"}

    changes = {change.label: change for change in content_diff(content, after)}

    assert set(changes) == {"Cancer type", "Topics", "Next medical review"}
    assert text(changes["Cancer type"], "remove").strip() == "Stomach"
    assert text(changes["Cancer type"], "same", "add") == "Bowel cancer"
    assert text(changes["Topics"], "add") == "Diet and nutrition"
    assert text(changes["Next medical review"], "same", "remove") == "1 March 2027"
    assert text(changes["Next medical review"], "same", "add") == "15 January 2028"


def test_a_long_unchanged_passage_is_shortened_around_the_change(content):
    words = " ".join(f"word{i}" for i in range(200))
    before = {**content, "body": f"Start. {words} End."}
    after = {**content, "body": f"Begin. {words} End."}

    [change] = content_diff(before, after)

    assert change.label == "The answer"
    # The words after the change, then the rest left out.
    assert [kind for kind, _ in change.runs] == ["remove", "add", "same", "gap"]
    shown = text(change, "same")
    assert shown.startswith(" word0 word1 ") and "word100" not in shown and "End." not in shown


def test_the_first_revision_shows_every_field_as_added(content):
    changes = content_diff(None, content)

    labels = [change.label for change in changes]
    assert labels[:2] == ["Question", "Cancer type"]
    assert all(change.removed == 0 and change.added for change in changes)


def test_names_take_three_queries_however_many_ids(content, django_assert_num_queries):
    topics = [TopicFactory(name=f"Topic {i}") for i in range(5)]
    related = [ArticleFactory() for _ in range(4)]
    after = {**content, "topic_ids": [t.pk for t in topics], "related_ids": [a.pk for a in related]}

    with django_assert_num_queries(3):
        changes = content_diff(content, after)

    assert [change.label for change in changes] == ["Topics", "Related articles"]
