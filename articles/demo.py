"""Demo cancer types and articles, taken through the real workflow. Safe to run again."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from articles import demo_content, services
from articles.models import Article, ArticleRevision, CancerType, Topic
from navis.models import User

DEMO_EDITOR = "editor@navis.test"
DEMO_REVIEWER = "reviewer@navis.test"


def _working_copy(data: dict, cancer_types: dict[str, CancerType], topics: dict[str, Topic], editor: User) -> Article:
    article = Article(
        slug=data["slug"],
        title=data["title"],
        cancer_type=cancer_types[data["cancer_type"]],
        summary=data["summary"],
        body=data["body"].strip(),
        byline=data["byline"],
        how_made=data["how_made"],
        featured=data.get("featured", False),
        next_review_due=timezone.localdate() + timedelta(days=365),
        created_by=editor,
    )
    article.full_clean()
    article.save()
    article.topics.set([topics[slug] for slug in data["topics"]])
    for order, text in enumerate(data["questions"]):
        article.questions.create(text=text, order=order)
    for order, resource in enumerate(data["resources"]):
        article.resources.create(order=order, **resource)
    for order, source in enumerate(data["sources"]):
        article.sources.create(
            order=order,
            title=source["title"],
            publisher=source["publisher"],
            url=source["url"],
            guideline_version=source.get("guideline_version", ""),
            accessed_on=date.fromisoformat(source["accessed_on"]),
        )
    return article


@transaction.atomic
def load() -> None:
    """Create the demo cancer types and publish the demo articles that do not exist yet."""
    editor = User.objects.get(email=DEMO_EDITOR)
    reviewer = User.objects.get(email=DEMO_REVIEWER)
    cancer_types = {}
    for data in demo_content.CANCER_TYPES:
        cancer_types[data["slug"]], _ = CancerType.objects.update_or_create(
            slug=data["slug"], defaults={k: v for k, v in data.items() if k != "slug"}
        )
    topics = {}
    for data in demo_content.TOPICS:
        topics[data["slug"]], _ = Topic.objects.update_or_create(slug=data["slug"], defaults={"name": data["name"]})

    existing = set(Article.objects.values_list("slug", flat=True))
    new = [data for data in demo_content.ARTICLES if data["slug"] not in existing]
    created = {data["slug"]: _working_copy(data, cancer_types, topics, editor) for data in new}
    by_slug = {a.slug: a for a in Article.objects.filter(slug__in=[s for d in new for s in d.get("related", [])])}
    by_slug.update(created)
    now = timezone.now()
    for age_days, data in enumerate(reversed(new)):
        article = created[data["slug"]]
        article.related.set([by_slug[slug] for slug in data.get("related", []) if slug in by_slug])
        services.article_revision_record(article=article, user=editor)
        services.article_submit(article=article, user=editor)
        services.article_approve(article=article, user=reviewer)
        services.article_publish(article=article, user=editor)
        # Spread the demo articles over the past weeks, as a real archive would be.
        when = now - timedelta(days=3 * age_days + 1)
        Article.objects.filter(pk=article.pk).update(published_at=when)
        ArticleRevision.objects.filter(article=article).update(approved_at=when, created_at=when)
