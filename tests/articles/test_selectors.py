from datetime import date
from types import SimpleNamespace

import pytest

from articles import selectors, services
from tests.articles.conftest import publish
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_the_live_page_reads_the_same_in_one_statement_as_through_the_orm(editor, reviewer, monkeypatch):
    first = publish(ArticleFactory(created_by=editor), editor, reviewer)
    second = publish(ArticleFactory(created_by=editor), editor, reviewer)
    withdrawn = publish(ArticleFactory(created_by=editor), editor, reviewer)
    article = ArticleFactory(created_by=editor, next_review_due=date(2030, 1, 31), questions=3, resources=2, sources=2)
    article.related.set([first, second, withdrawn, article])
    publish(article, editor, reviewer)
    services.article_unpublish(article=withdrawn, user=editor)

    in_one_statement = selectors.article_live_page(slug=article.slug)
    monkeypatch.setattr(selectors, "connection", SimpleNamespace(vendor="sqlite"))
    through_the_orm = selectors.article_live_page(slug=article.slug)

    assert in_one_statement == through_the_orm
    page, cards = in_one_statement
    assert page.reviewed_by_name == "Dr Rui Reviewer" and page.reviewed_by_credentials == "MD, Oncology"
    assert page.next_review_due == date(2030, 1, 31) and len(page.sources) == 2
    # Newest first; neither the withdrawn article nor the page itself is offered as related.
    assert [card.url for card in cards] == [second.get_absolute_url(), first.get_absolute_url()]
