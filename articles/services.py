"""Every change to an article's workflow state happens here."""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from articles import cache, search
from articles.content import article_content
from articles.models import Article, ArticleEvent, ArticleRevision, ArticleStatus, CancerType, SearchWord, Topic
from articles.rendering import html_to_text, render_markdown
from articles.workflow import WorkflowError, transition_for
from navis.models import User
from uploads.models import Notification
from uploads.services.notifications import notifications_create

Action = ArticleEvent.Action
Kind = Notification.Kind


def _move(article: Article, *, action: str, user: User | None) -> str:
    """Check the action is allowed from the article's status and for this person; return the target."""
    transition = transition_for(action, article.status)
    if user is not None and not user.has_perm(transition.permission):
        raise PermissionDenied(f'You do not have permission to "{transition.label.lower()}".')
    return transition.target


def _event(
    article: Article, action: str, user: User | None, revision: ArticleRevision | None = None, comment: str = ""
) -> ArticleEvent:
    return ArticleEvent.objects.create(
        article=article, revision=revision or article.revisions.first(), action=action, actor=user, comment=comment
    )


def _notify(event: ArticleEvent, kind: str) -> None:
    # In the event's transaction: the email is owed exactly when the event happened.
    notifications_create(case=None, kinds=[kind], article_event=event)


def _locked(article: Article) -> Article:
    # Re-read under a row lock: two staff clicking at once cannot both move the same article.
    return Article.objects.select_for_update().get(pk=article.pk)


@transaction.atomic
def article_revision_record(*, article: Article, user: User | None) -> ArticleRevision | None:
    """Snapshot the working copy as a new revision if it changed; a changed text goes back to draft."""
    article = _locked(article)
    content = article_content(article)
    latest = article.revisions.first()
    if latest is not None and latest.content == content:
        return None
    body_html = render_markdown(content["body"])
    revision = ArticleRevision.objects.create(
        article=article,
        number=(latest.number + 1) if latest else 1,
        content=content,
        title=content["title"],
        summary=content["summary"],
        cancer_type_id=content["cancer_type_id"],
        next_review_due=article.next_review_due,
        body_html=body_html,
        body_text=html_to_text(body_html),
        created_by=user,
    )
    revision.topics.set(content["topic_ids"])
    if article.status != ArticleStatus.DRAFT:
        # Whatever was approved, scheduled or live stays as it was; this new text needs its own review.
        Article.objects.filter(pk=article.pk).update(status=ArticleStatus.DRAFT, publish_at=None)
    _event(article, Action.EDITED, user, revision)
    return revision


@transaction.atomic
def article_submit(*, article: Article, user: User) -> Article:
    """Send the current text to a medical reviewer."""
    article = _locked(article)
    article.status = _move(article, action="submit", user=user)
    article.save(update_fields=["status", "updated_at"])
    _notify(_event(article, Action.SUBMITTED, user), Kind.ARTICLE_SUBMITTED)
    return article


def _editors_since_last_approval(article: Article) -> set[int]:
    revisions = article.revisions.all()
    last_live = article.live_revision
    if last_live is not None:
        revisions = revisions.filter(number__gt=last_live.number)
    return {r.created_by_id for r in revisions if r.created_by_id}


@transaction.atomic
def article_approve(*, article: Article, user: User, comment: str = "") -> Article:
    """Approve the exact text under review. Nobody approves text they edited themselves."""
    article = _locked(article)
    target = _move(article, action="approve", user=user)
    if user.pk in _editors_since_last_approval(article):
        raise PermissionDenied("You edited this text, so another medical reviewer must approve it.")
    revision = article.revisions.first()
    revision.approved_by = user
    revision.approved_at = timezone.now()
    revision.save(update_fields=["approved_by", "approved_at"])
    article.status = target
    article.save(update_fields=["status", "updated_at"])
    _notify(_event(article, Action.APPROVED, user, revision, comment), Kind.ARTICLE_APPROVED)
    return article


def _send_back(article: Article, *, action: str, user: User, comment: str) -> Article:
    if not comment.strip():
        raise ValidationError({"comment": "Say what needs to change, so the editor knows."})
    article = _locked(article)
    article.status = _move(article, action=action, user=user)
    article.save(update_fields=["status", "updated_at"])
    _notify(_event(article, Action.SENT_BACK, user, comment=comment.strip()), Kind.ARTICLE_SENT_BACK)
    return article


@transaction.atomic
def article_send_back(*, article: Article, user: User, comment: str) -> Article:
    """Return the text to its editor with the reviewer's reason."""
    return _send_back(article, action="send_back", user=user, comment=comment)


@transaction.atomic
def article_review_needs_changes(*, article: Article, user: User, comment: str) -> Article:
    """Ask the editor for a new draft of a published text; the live text stays up meanwhile."""
    return _send_back(article, action="needs_changes", user=user, comment=comment)


@transaction.atomic
def article_reapprove(*, article: Article, user: User, next_review_due: date, comment: str = "") -> Article:
    """Confirm the live text is still accurate: it stays word for word, approved again until a new date.

    The new review date and approval are a new revision, so the old approval stays on record; it keeps
    the text's author, and becomes live at once (it is not a draft: nothing else changed).
    """
    if next_review_due <= timezone.localdate():
        raise ValidationError({"next_review_due": "Choose a review date in the future."})
    article = _locked(article)
    _move(article, action="reapprove", user=user)
    live = article.live_revision
    if user.pk in live.editor_ids():
        raise PermissionDenied("You edited this text, so another medical reviewer must re-approve it.")
    latest = article.revisions.first()
    if latest.pk != live.pk:
        raise WorkflowError("The article has a newer draft than its live text; review that draft instead.")
    now = timezone.now()
    revision = ArticleRevision.objects.create(
        article=article,
        number=latest.number + 1,
        content={**live.content, "next_review_due": next_review_due.isoformat()},
        title=live.title,
        summary=live.summary,
        cancer_type_id=live.cancer_type_id,
        next_review_due=next_review_due,
        body_html=live.body_html,
        body_text=live.body_text,
        created_by_id=live.created_by_id,
        approved_by=user,
        approved_at=now,
    )
    revision.topics.set(live.content["topic_ids"])
    # The working copy carries the date too, or the next save would record it as an edit.
    article.next_review_due = next_review_due
    article.save(update_fields=["next_review_due", "updated_at"])
    _event(article, Action.REAPPROVED, user, revision, comment.strip())
    return _go_live(article, revision, user, now)


def _approved_current_revision(article: Article) -> ArticleRevision:
    revision = article.revisions.first()
    if revision is None or revision.approved_at is None:
        raise WorkflowError("Only text a medical reviewer approved can be published.")
    return revision


def _index(revisions: QuerySet[ArticleRevision], cancer_type_name: str) -> None:
    # PostgreSQL only: SQLite, a laptop's database, searches the text itself.
    if connection.vendor == "postgresql":
        revisions.update(search_vector=search.revision_search_vector(cancer_type_name))


def _unindex(article: Article) -> None:
    # Only the live revision has a search vector: search ranks and counts the vectors it finds, without a join
    # to ask which revisions are live.
    ArticleRevision.objects.filter(article=article, search_vector__isnull=False).update(search_vector=None)


def cancer_type_search_refresh(*, cancer_type: CancerType) -> None:
    """Rewrite what the live articles of a cancer type are found by, after it was renamed."""
    live = Article.objects.published().values("live_revision_id")
    _index(ArticleRevision.objects.filter(cancer_type=cancer_type, pk__in=live), cancer_type.name)


def search_words_add(*, texts: Iterable[str]) -> None:
    """Add the words of `texts` to the list "did you mean" puts typos right against."""
    words = search.vocabulary_words(texts)
    SearchWord.objects.bulk_create([SearchWord(word=word) for word in sorted(words)], ignore_conflicts=True)


@transaction.atomic
def search_words_rebuild() -> None:
    """Bring the word list back to the words of the cancer types, the topics and the published questions."""
    texts = [
        *(text for pair in CancerType.objects.values_list("name", "also_called") for text in pair),
        *Topic.objects.values_list("name", flat=True),
        *Article.objects.published().values_list("live_revision__title", flat=True),
    ]
    words = search.vocabulary_words(texts)
    # Only what changed: a few rows, not the whole list written again (and its index with it).
    stored = set(SearchWord.objects.values_list("word", flat=True))
    SearchWord.objects.filter(word__in=stored - words).delete()
    # A publish at the same moment may add one of them first.
    SearchWord.objects.bulk_create([SearchWord(word=word) for word in sorted(words - stored)], ignore_conflicts=True)


def _go_live(article: Article, revision: ArticleRevision, user: User | None, now: datetime) -> Article:
    cancer_type = revision.cancer_type
    _unindex(article)
    _index(ArticleRevision.objects.filter(pk=revision.pk), cancer_type.name)
    reworded = article.live_revision is not None and article.live_revision.title != revision.title
    article.live_revision = revision
    article.status = ArticleStatus.PUBLISHED
    article.publish_at = None
    article.published_at = article.published_at or now
    review_due = revision.next_review_due
    article.review_overdue = bool(review_due and review_due < timezone.localdate(now))
    article.save(
        update_fields=["live_revision", "status", "publish_at", "published_at", "review_overdue", "updated_at"]
    )
    if reworded:
        # The old question's words may be used nowhere else now.
        search_words_rebuild()
    else:
        topics = Topic.objects.filter(pk__in=revision.content.get("topic_ids", [])).values_list("name", flat=True)
        search_words_add(texts=[revision.title, cancer_type.name, cancer_type.also_called, *topics])
    _event(article, Action.PUBLISHED, user, revision)
    transaction.on_commit(cache.clear_article_pages)
    return article


@transaction.atomic
def article_publish(*, article: Article, user: User | None) -> Article:
    """Put the approved current revision live now."""
    article = _locked(article)
    _move(article, action="publish", user=user)
    return _go_live(article, _approved_current_revision(article), user, timezone.now())


@transaction.atomic
def article_schedule(*, article: Article, user: User, publish_at: datetime) -> Article:
    """Put the approved current revision live at `publish_at` (beat publishes it)."""
    if publish_at <= timezone.now():
        raise ValidationError({"publish_at": "Choose a time in the future, or publish now."})
    article = _locked(article)
    target = _move(article, action="schedule", user=user)
    _approved_current_revision(article)
    article.status = target
    article.publish_at = publish_at
    article.save(update_fields=["status", "publish_at", "updated_at"])
    _event(article, Action.SCHEDULED, user, comment=f"for {timezone.localtime(publish_at):%Y-%m-%d %H:%M %Z}")
    return article


@transaction.atomic
def article_unschedule(*, article: Article, user: User) -> Article:
    """Cancel a scheduled publication; the text stays approved."""
    article = _locked(article)
    article.status = _move(article, action="unschedule", user=user)
    article.publish_at = None
    article.save(update_fields=["status", "publish_at", "updated_at"])
    _event(article, Action.UNSCHEDULED, user)
    return article


@transaction.atomic
def article_unpublish(*, article: Article, user: User) -> Article:
    """Take the article off the public site."""
    article = _locked(article)
    article.status = _move(article, action="unpublish", user=user)
    article.live_revision = None
    article.save(update_fields=["status", "live_revision", "updated_at"])
    _unindex(article)
    _event(article, Action.UNPUBLISHED, user)
    # Its question's words may be used nowhere else now.
    search_words_rebuild()
    transaction.on_commit(cache.clear_article_pages)
    return article


@transaction.atomic
def article_republish(*, article: Article, user: User) -> Article:
    """Put an unpublished article back up, with its approved current revision."""
    article = _locked(article)
    _move(article, action="republish", user=user)
    return _go_live(article, _approved_current_revision(article), user, timezone.now())


def article_publish_due(*, now: datetime | None = None) -> list[int]:
    """Publish every scheduled article whose time has come; a missed run catches up on the next."""
    now = now or timezone.now()
    published = []
    due = Article.objects.filter(status=ArticleStatus.SCHEDULED, publish_at__lte=now).values_list("pk", flat=True)
    for pk in due:
        with transaction.atomic():
            article = Article.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            # Another run may have published it, or staff cancelled the schedule, since the query.
            if article is None or article.status != ArticleStatus.SCHEDULED or article.publish_at > now:
                continue
            _go_live(article, _approved_current_revision(article), None, now)
            published.append(pk)
    return published


@transaction.atomic
def article_flag_overdue_reviews(*, today=None) -> int:
    """Mark published articles whose next review date has passed; return how many were newly flagged."""
    today = today or timezone.localdate()
    overdue = Article.objects.published().filter(review_overdue=False, live_revision__next_review_due__lt=today)
    articles = list(overdue.select_for_update())
    for article in articles:
        _notify(_event(article, Action.REVIEW_OVERDUE, None, article.live_revision), Kind.ARTICLE_REVIEW_DUE)
    return Article.objects.filter(pk__in=[a.pk for a in articles]).update(review_overdue=True)


@transaction.atomic
def article_restore_revision(*, article: Article, revision: ArticleRevision, user: User) -> ArticleRevision:
    """Copy an earlier revision back into the working copy, as a new draft."""
    if revision.article_id != article.pk:
        raise ValidationError("That revision belongs to another article.")
    article = _locked(article)
    content = revision.content
    for field in ("title", "summary", "body", "byline", "how_made", "disclaimer"):
        setattr(article, field, content[field])
    article.next_review_due = content["next_review_due"]
    article.cancer_type_id = content["cancer_type_id"]
    article.full_clean(exclude=["slug"])
    article.save()
    article.topics.set(content["topic_ids"])
    article.related.set(Article.objects.filter(pk__in=content["related_ids"]))
    article.questions.all().delete()
    article.questions.bulk_create(
        [article.questions.model(article=article, text=text, order=i) for i, text in enumerate(content["questions"])]
    )
    article.resources.all().delete()
    article.resources.bulk_create(
        [article.resources.model(article=article, order=i, **r) for i, r in enumerate(content["resources"])]
    )
    article.sources.all().delete()
    article.sources.bulk_create(
        [article.sources.model(article=article, order=i, **s) for i, s in enumerate(content["sources"])]
    )
    new_revision = article_revision_record(article=article, user=user)
    _event(article, Action.RESTORED, user, new_revision, comment=f"from revision {revision.number}")
    return new_revision or article.revisions.first()
