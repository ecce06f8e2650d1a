"""What a reader sees of an article, as one value: taken from the working copy or from a revision.

The public page and the staff preview both render a `PageContent`, so a preview looks exactly as the
page will once published.
"""

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from django.utils import timezone

from articles.models import Article, ArticleRevision, CancerType, HowMade
from articles.rendering import render_markdown


@lru_cache(maxsize=1024)
def _long_date(day: date) -> str:
    # strftime's month names cost more than the rest of a source's line, and a site has few distinct dates.
    return f"{day.day} {day:%B %Y}"


CONTENT_FIELDS = ("title", "summary", "body", "byline", "how_made", "disclaimer", "next_review_due")


def article_content(article: Article) -> dict[str, Any]:
    """Snapshot everything a reader would see of the working copy, as JSON-ready data."""
    return {
        **{field: getattr(article, field) for field in CONTENT_FIELDS},
        "next_review_due": article.next_review_due.isoformat() if article.next_review_due else None,
        "cancer_type_id": article.cancer_type_id,
        "topic_ids": sorted(topic.pk for topic in article.topics.all()),
        "related_ids": sorted(related.pk for related in article.related.all()),
        "questions": [q.text for q in article.questions.all()],
        "resources": [{"name": r.name, "url": r.url, "note": r.note} for r in article.resources.all()],
        "sources": [
            {
                "title": s.title,
                "publisher": s.publisher,
                "url": s.url,
                "guideline_version": s.guideline_version,
                "accessed_on": s.accessed_on.isoformat() if s.accessed_on else None,
            }
            for s in article.sources.all()
        ],
    }


@dataclass(frozen=True)
class Source:
    title: str
    publisher: str
    url: str
    guideline_version: str
    accessed_on: date | None

    @property
    def details(self) -> str:
        """What the list of sources shows after the linked title: "Publisher. Version. Accessed 3 March 2025."."""
        details = [f"{self.publisher}."]
        if self.guideline_version:
            details.append(f"{self.guideline_version}.")
        if self.accessed_on:
            details.append(f"Accessed {_long_date(self.accessed_on)}.")
        return " ".join(details)


@dataclass(frozen=True)
class Resource:
    name: str
    url: str
    note: str


@dataclass(frozen=True)
class PageContent:
    """Everything the article template shows, whether live or in preview."""

    slug: str
    title: str
    summary: str
    body_html: str
    byline: str
    how_made: str
    how_made_label: str
    disclaimer: str
    cancer_type_name: str
    cancer_type_slug: str
    questions: list[str]
    resources: list[Resource]
    sources: list[Source]
    related_ids: list[int]
    published_at: datetime | None
    reviewed_by_name: str
    reviewed_by_credentials: str
    reviewed_at: datetime | None
    next_review_due: date | None
    revision_number: int | None

    @property
    def dates(self) -> dict[str, str]:
        """The page's dates, formatted once: ISO for <time datetime> and in words for readers."""
        published = timezone.localtime(self.published_at).date() if self.published_at else None
        reviewed = timezone.localtime(self.reviewed_at).date() if self.reviewed_at else None
        return {
            "published_iso": published.isoformat() if published else "",
            "published": _long_date(published) if published else "",
            "published_at_iso": self.published_at.isoformat() if self.published_at else "",
            "reviewed_iso": reviewed.isoformat() if reviewed else "",
            "reviewed": _long_date(reviewed) if reviewed else "",
            "reviewed_at_iso": self.reviewed_at.isoformat() if self.reviewed_at else "",
            "next_review_iso": self.next_review_due.isoformat() if self.next_review_due else "",
            "next_review": f"{self.next_review_due:%B %Y}" if self.next_review_due else "",
        }

    @classmethod
    def from_content(
        cls,
        *,
        slug: str,
        content: dict[str, Any],
        cancer_type_name: str,
        cancer_type_slug: str,
        body_html: str | None = None,
        published_at: datetime | None = None,
        reviewed_by_name: str = "",
        reviewed_by_credentials: str = "",
        reviewed_at: datetime | None = None,
        revision_number: int | None = None,
    ) -> "PageContent":
        next_review = content.get("next_review_due")
        return cls(
            slug=slug,
            title=content["title"],
            summary=content["summary"],
            body_html=body_html if body_html is not None else render_markdown(content["body"]),
            byline=content["byline"],
            how_made=content["how_made"],
            how_made_label=HowMade(content["how_made"]).label,
            disclaimer=content["disclaimer"],
            cancer_type_name=cancer_type_name,
            cancer_type_slug=cancer_type_slug,
            questions=list(content["questions"]),
            resources=[Resource(**r) for r in content["resources"]],
            sources=[
                Source(**{**s, "accessed_on": date.fromisoformat(s["accessed_on"]) if s["accessed_on"] else None})
                for s in content["sources"]
            ],
            related_ids=list(content["related_ids"]),
            published_at=published_at,
            reviewed_by_name=reviewed_by_name,
            reviewed_by_credentials=reviewed_by_credentials,
            reviewed_at=reviewed_at,
            next_review_due=date.fromisoformat(next_review) if next_review else None,
            revision_number=revision_number,
        )

    @classmethod
    def from_revision(
        cls,
        article: Article,
        *,
        content: dict[str, Any],
        cancer_type: CancerType,
        revision: ArticleRevision | None,
        body_html: str | None = None,
    ) -> "PageContent":
        """The page for `content`, signed by `revision`'s medical reviewer if it has one."""
        reviewer = revision.approved_by if revision else None
        return cls.from_content(
            slug=article.slug,
            content=content,
            cancer_type_name=cancer_type.name,
            cancer_type_slug=cancer_type.slug,
            body_html=body_html,
            published_at=article.published_at,
            reviewed_by_name=(reviewer.full_name or reviewer.email) if reviewer else "",
            reviewed_by_credentials=reviewer.credentials if reviewer else "",
            reviewed_at=revision.approved_at if revision else None,
            revision_number=revision.number if revision else None,
        )

    @classmethod
    def live(cls, article: Article) -> "PageContent":
        """The published page: the live revision, exactly as it was approved."""
        revision = article.live_revision
        return cls.from_revision(
            article,
            content=revision.content,
            cancer_type=revision.cancer_type,
            revision=revision,
            body_html=revision.body_html,
        )

    @classmethod
    def preview(cls, article: Article) -> "PageContent":
        """The working copy as it would look if it were published now."""
        latest = article.revisions.select_related("approved_by").first()
        return cls.from_revision(
            article,
            content=article_content(article),
            cancer_type=article.cancer_type,
            revision=latest if latest and latest.approved_at else None,
        )
