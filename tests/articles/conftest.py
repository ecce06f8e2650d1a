import pytest

from articles import services
from articles.models import Article
from tests.factories import ArticleFactory, StaffFactory


@pytest.fixture
def editor(db):
    return StaffFactory(email="editor@example.com", full_name="Eda Editor", groups=["Editor"])


@pytest.fixture
def reviewer(db):
    return StaffFactory(
        email="reviewer@example.com",
        full_name="Dr Rui Reviewer",
        credentials="MD, Oncology",
        groups=["Medical reviewer"],
    )


@pytest.fixture
def second_reviewer(db):
    return StaffFactory(email="reviewer2@example.com", full_name="Dr Sam Second", groups=["Medical reviewer"])


def approve(article: Article, editor, reviewer) -> Article:
    """Record, submit and approve the article's current text with the real services."""
    services.article_revision_record(article=article, user=editor)
    services.article_submit(article=article, user=editor)
    services.article_approve(article=article, user=reviewer)
    return article


def publish(article: Article, editor, reviewer) -> Article:
    """Take an article through the whole workflow with the real services."""
    approve(article, editor, reviewer)
    services.article_publish(article=article, user=editor)
    article.refresh_from_db()
    return article


@pytest.fixture
def approved_article(editor, reviewer) -> Article:
    return approve(ArticleFactory(created_by=editor), editor, reviewer)


@pytest.fixture
def published_article(editor, reviewer) -> Article:
    return publish(ArticleFactory(created_by=editor), editor, reviewer)
