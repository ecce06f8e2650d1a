import pytest
from django.core.management import call_command

from articles.models import Article, CancerType

pytestmark = pytest.mark.django_db


def test_demo_content_is_published_through_the_workflow_and_loads_twice_safely(settings):
    settings.DEBUG = True
    call_command("demo_load")
    call_command("demo_load")

    published = Article.objects.published()
    assert published.count() >= 6
    assert CancerType.objects.filter(articles__live_revision__isnull=False).distinct().count() >= 3
    assert all(a.live_revision.approved_by.email == "reviewer@navis.test" for a in published)
    assert Article.objects.count() == published.count()


def test_the_demo_answers_the_seed_question_with_every_part(settings, client):
    settings.DEBUG = True
    call_command("demo_load")
    article = Article.objects.get(title="How does CAR-T cell therapy work for stomach cancer?")

    html = client.get(article.get_absolute_url()).content.decode()

    for part in [
        "Stomach cancer",
        "Written by",
        "Medically reviewed by",
        "For information only",
        "<ol>",
        "Questions to ask your oncology team",
        "Where to find more information",
        "Sources",
        "Upload your records for guidance specific to your case",
    ]:
        assert part in html, part
