import pytest
from django.urls import reverse

from articles import services
from tests.articles.conftest import publish
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_the_questions_page_lists_the_live_questions_with_room_to_write(client, editor, reviewer):
    article = publish(ArticleFactory(created_by=editor, questions=3), editor, reviewer)
    article.questions.create(text="A question added to the working copy only?", order=9)

    response = client.get(reverse("articles:questions", args=[article.slug]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Questions to ask your oncology team</h1>" in html
    assert [f"Question {i} for my team?" in html for i in (1, 2, 3)] == [True, True, True]
    assert html.index("Question 1 for") < html.index("Question 2 for") < html.index("Question 3 for")
    assert "working copy only" not in html  # only what a medical reviewer approved
    assert html.count('<div class="question-sheet__lines" aria-hidden="true">') == 3
    assert "My own questions and notes" in html
    assert f'<a href="{article.get_absolute_url()}">Back to the answer</a>' in html


def test_each_article_links_to_its_printable_questions(client, published_article):
    html = client.get(published_article.get_absolute_url()).content.decode()

    url = reverse("articles:questions", args=[published_article.slug])
    assert f'<a href="{url}">Print these questions on one page, with room to write the answers</a>' in html


def test_the_questions_of_a_draft_or_unpublished_article_are_not_found(client, editor, reviewer, published_article):
    draft = ArticleFactory(created_by=editor)
    services.article_unpublish(article=published_article, user=editor)

    for article in (draft, published_article):
        assert client.get(reverse("articles:questions", args=[article.slug])).status_code == 404


def test_the_questions_page_reads_one_query(client, published_article, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get(reverse("articles:questions", args=[published_article.slug]), {"fresh": 1})

    assert response.status_code == 200
