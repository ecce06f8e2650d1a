"""The editorial emails: who hears of an article's workflow event, and what they read.

They go through the outbox (uploads/services/notifications.py) like every email the product owes:
a Notification row written with the event, sent after commit by a task that retries.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q, QuerySet
from django.urls import reverse

from articles.models import ArticleEvent
from navis.models import User
from uploads.emails import email_message
from uploads.models import Notification

Kind = Notification.Kind
# Who each editorial email goes to: the medical reviewers, or the editors of the text.
TO_REVIEWERS = frozenset({Kind.ARTICLE_SUBMITTED, Kind.ARTICLE_REVIEW_DUE})
TO_EDITORS = frozenset({Kind.ARTICLE_SENT_BACK, Kind.ARTICLE_APPROVED})
ARTICLE_KINDS = TO_REVIEWERS | TO_EDITORS


def article_email(*, kind: str, event_id: int) -> EmailMultiAlternatives:
    """The email of `kind` about an article's workflow event, to whoever it concerns now."""
    event = ArticleEvent.objects.select_related("article", "actor", "revision").get(pk=event_id)
    context = {
        "title": event.article.title,
        "actor": event.actor or settings.SITE_NAME,
        "comment": event.comment,
        "revision": event.revision,
        "admin_url": settings.SITE_URL + reverse("admin:articles_article_change", args=[event.article_id]),
    }
    return email_message(template=kind, to=article_email_recipients(kind=kind, event=event), context=context)


def article_email_recipients(*, kind: str, event: ArticleEvent) -> list[str]:
    """Reviewers who may approve the text (never its own editors), or the editors who wrote it."""
    editors = event.revision.editor_ids() if event.revision else set()
    if kind in TO_REVIEWERS:
        people = _holding("articles.review_article").exclude(pk__in=editors)
    else:
        submitted = event.article.events.filter(action=ArticleEvent.Action.SUBMITTED, at__lte=event.at).first()
        if submitted and submitted.actor_id:
            editors.add(submitted.actor_id)
        people = User.objects.filter(pk__in=editors, is_active=True)
        if not people.exists():
            # Text nobody on staff wrote (imported, or its editor left): every editor hears.
            people = _holding("articles.submit_article")
    people = people.exclude(pk=event.actor_id) if event.actor_id else people
    return list(people.order_by("pk").values_list("email", flat=True))


def _holding(permission: str) -> QuerySet[User]:
    # Held through a group or directly. Superusers hold every permission, but they are not the editorial team.
    app_label, codename = permission.split(".")
    through_group = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label)
    directly = Q(user_permissions__codename=codename, user_permissions__content_type__app_label=app_label)
    return User.objects.filter(through_group | directly, is_active=True, is_staff=True).distinct()
