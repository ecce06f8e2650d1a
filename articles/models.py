from functools import lru_cache

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from articles.profiles import GENERIC, PROFILE_CHOICES, CancerProfile, profile_for
from navis.models import TimeStampedModel


# Reversed once per slug and process: reverse() costs ~15 µs, and an article page links five or more.
@lru_cache(maxsize=4096)
def article_path(slug: str) -> str:
    return reverse("articles:detail", args=[slug])


@lru_cache(maxsize=4096)
def article_questions_path(slug: str) -> str:
    return reverse("articles:questions", args=[slug])


@lru_cache(maxsize=1024)
def cancer_type_path(slug: str) -> str:
    return reverse("articles:cancer_type", args=[slug])


@lru_cache(maxsize=4096)
def cancer_type_topic_path(slug: str, topic_slug: str) -> str:
    return reverse("articles:cancer_type_topic", args=[slug, topic_slug])


class CancerType(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True, help_text="One or two plain sentences shown on its page.")
    overview = models.TextField(
        blank=True,
        help_text="A few plain paragraphs at the top of its page: what this cancer is, and where to start reading.",
    )
    also_called = models.CharField(
        max_length=300,
        blank=True,
        help_text='Other names people search for, separated by commas: for stomach cancer, "gastric cancer".',
    )
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first.")
    profile = models.CharField(
        max_length=30,
        choices=PROFILE_CHOICES,
        default=GENERIC.slug,
        help_text="The markers and stage questions intake asks, and what the records are checked for.",
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return cancer_type_path(self.slug)

    @property
    def cancer_profile(self) -> CancerProfile:
        return profile_for(self.profile)


class Topic(models.Model):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleStatus(models.TextChoices):
    """Where the working copy of an article stands. Transitions: articles/workflow.py."""

    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In medical review"
    APPROVED = "approved", "Approved"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHED = "published", "Published"
    UNPUBLISHED = "unpublished", "Unpublished"


class HowMade(models.TextChoices):
    AI_DRAFTED = "ai_drafted", "drafted by AI from the named sources, then edited and medically reviewed"
    STAFF_WRITTEN = "staff_written", "written by Navis staff and medically reviewed"


# The columns a card, a feed entry or a sitemap line reads.
CARD_FIELDS = (
    "slug",
    "published_at",
    "live_revision__title",
    "live_revision__summary",
    "live_revision__approved_at",
    "live_revision__cancer_type__name",
    "live_revision__cancer_type__slug",
)


class ArticleQuerySet(models.QuerySet):
    def published(self) -> "ArticleQuerySet":
        """Articles the public can read: those with a live revision."""
        return self.filter(live_revision__isnull=False)

    def for_listing(self) -> "ArticleQuerySet":
        """Published articles with only what a card shows, newest first: never a body, its HTML or JSON."""
        return (
            self.published()
            .select_related("live_revision", "live_revision__cancer_type")
            .only(*CARD_FIELDS)
            .order_by("-published_at", "-id")
        )

    def review_overdue(self) -> "ArticleQuerySet":
        """Published articles whose next medical review date has passed."""
        return self.published().filter(review_overdue=True)

    def awaiting_medical_review(self) -> "ArticleQuerySet":
        """The medical reviewers' queue: text submitted for review, and live text past its review date."""
        overdue_live = models.Q(status=ArticleStatus.PUBLISHED, review_overdue=True)
        return self.filter(models.Q(status=ArticleStatus.IN_REVIEW) | overdue_live)


class Article(TimeStampedModel):
    """An article's working copy, edited by staff. The public reads its live revision only."""

    title = models.CharField("question", max_length=200, help_text="The reader's question, as they would ask it.")
    slug = models.SlugField(max_length=200, unique=True)
    cancer_type = models.ForeignKey(CancerType, on_delete=models.PROTECT, related_name="articles")
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    summary = models.CharField(
        max_length=300,
        help_text="One or two sentences: shown in lists and search results, and as the meta description.",
    )
    body = models.TextField(
        help_text=(
            "Markdown. Start with the short answer. Use ## for sections and ### for sub-sections, "
            "numbered lists for steps. Links belong under resources and sources."
        )
    )
    byline = models.CharField(max_length=150, default="Navis AI", help_text='An author\'s name, or "Navis AI".')
    how_made = models.CharField(max_length=20, choices=HowMade.choices, default=HowMade.AI_DRAFTED)
    disclaimer = models.TextField(blank=True, help_text="Leave empty to show the site-wide disclaimer.")
    related = models.ManyToManyField("self", blank=True, symmetrical=False, related_name="+")
    featured = models.BooleanField(default=False, help_text="Shown first on the home page.")
    next_review_due = models.DateField(null=True, blank=True, help_text="When a medical reviewer should look again.")

    status = models.CharField(max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT, db_index=True)
    publish_at = models.DateTimeField(null=True, blank=True, help_text="When a scheduled article goes live.")
    live_revision = models.ForeignKey(
        "ArticleRevision", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    review_overdue = models.BooleanField(default=False, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        permissions = [
            ("submit_article", "Can submit an article for medical review"),
            ("review_article", "Can approve an article or send it back"),
            ("publish_article", "Can publish, schedule and unpublish approved articles"),
        ]
        # The home page's newest and featured answers, read in for_listing()'s order: a few index rows,
        # not a sort of the whole library.
        indexes = [
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                name="article_published_newest",
                condition=Q(live_revision__isnull=False),
            ),
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                name="article_featured_newest",
                condition=Q(live_revision__isnull=False, featured=True),
            ),
            # A cancer-type page reaches its articles from their live revisions: this index answers each
            # one (order and address) without reading the article's row, and without scanning the library.
            models.Index(fields=["live_revision"], include=["id", "published_at", "slug"], name="article_live_card"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return article_path(self.slug)

    @property
    def is_live(self) -> bool:
        return self.live_revision_id is not None


class ArticleQuestion(models.Model):
    """A question the reader can take to their care team."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text


class ArticleResource(models.Model):
    """Where to find more information."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    note = models.CharField(max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class ArticleSource(models.Model):
    """A source the article is grounded in."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    url = models.URLField(max_length=500)
    guideline_version = models.CharField(max_length=100, blank=True)
    accessed_on = models.DateField(default=timezone.localdate)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class ArticleRevision(models.Model):
    """An immutable snapshot of everything a reader would see, recorded at every change."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField(help_text="Every field of the working copy, as it was.")
    # Denormalised from content for public lists, search and feeds.
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300)
    cancer_type = models.ForeignKey(CancerType, on_delete=models.PROTECT, related_name="+")
    # The topics a cancer-type page files the live text under, as rows: the page reads a few per topic.
    topics = models.ManyToManyField(Topic, blank=True, related_name="revisions")
    next_review_due = models.DateField(null=True, blank=True)
    body_html = models.TextField(help_text="The body, rendered and sanitised.")
    body_text = models.TextField(help_text="The body as plain text, for search.")
    # Written when the revision goes live (articles.services), so a search reads an index, not every text.
    search_vector = SearchVectorField(null=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["article", "number"], name="article_revision_number_unique")]
        indexes = [GinIndex(fields=["search_vector"], name="article_revision_search")]

    def __str__(self) -> str:
        return f"{self.title} (revision {self.number})"

    def editor_ids(self) -> set[int]:
        """Who wrote this text: the authors of every revision since the approval before this one."""
        earlier = self.article.revisions.filter(number__lt=self.number, approved_at__isnull=False).first()
        revisions = self.article.revisions.filter(number__gt=earlier.number if earlier else 0, number__lte=self.number)
        return {pk for pk in revisions.values_list("created_by_id", flat=True) if pk}


class SearchWord(models.Model):
    """A word the site uses, which "did you mean" puts a typo right against (articles.search).

    The words of the cancer types' names, the topics and the published questions: added on publish, and
    made anew when one may have gone (articles.services). Its trigram index finds the words like a typed
    one without reading every article.
    """

    # Text, not varchar: the trigram index is for text, and PostgreSQL does not read it for a varchar column.
    word = models.TextField(primary_key=True)

    class Meta:
        ordering = ["word"]
        # Without fastupdate a word is in the index once added: a pending list is read in full by every search,
        # and makes the planner pass the index over.
        indexes = [GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], fastupdate=False, name="search_word_trigrams")]

    def __str__(self) -> str:
        return self.word


class ArticleEvent(models.Model):
    """Who moved an article through the workflow, when, and why."""

    class Action(models.TextChoices):
        EDITED = "edited", "Edited"
        SUBMITTED = "submitted", "Submitted for review"
        APPROVED = "approved", "Approved"
        SENT_BACK = "sent_back", "Sent back"
        SCHEDULED = "scheduled", "Scheduled"
        UNSCHEDULED = "unscheduled", "Schedule cancelled"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"
        RESTORED = "restored", "Restored an earlier revision"
        REAPPROVED = "reapproved", "Re-approved as still accurate"
        REVIEW_OVERDUE = "review_overdue", "Medical review overdue"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="events")
    revision = models.ForeignKey(ArticleRevision, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor or 'Navis'}"
