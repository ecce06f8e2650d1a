"""Emails the product owes: recorded with the change they are about, then sent once by a task.

A notification row is written in the same transaction as the case or document change that calls
for it, so it exists exactly when the change does (and once: see the model's constraints). The
send task claims the row before mailing. What no database can make exactly once is the hand-off
to the mail server itself: a worker that dies after the server accepted a message and before the
row says so sends it again on the next try. We accept that one rare duplicate over a lost email.
"""

import logging

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from articles.emails import ARTICLE_KINDS, article_email
from articles.models import ArticleEvent
from navis.emails import roles_changed_email, two_factor_link_email
from navis.models import TwoFactorSetupLink, User
from uploads import task_names
from uploads.emails import case_reference, case_submitted_context, email_message
from uploads.models import Case, CaseEvent, Document, DocumentStatus, Notification
from uploads.services.dispatch import enqueue, stuck_after, write_despite_blips

logger = logging.getLogger(__name__)

Kind = Notification.Kind

SUBJECTS = {
    Kind.STAFF_CASE_READY: "Case {reference} is waiting for review",
    Kind.STAFF_CASE_NEEDS_ATTENTION: "Case {reference} needs attention",
    Kind.STAFF_DOCUMENT_QUARANTINED: "A document in case {reference} was quarantined",
    Kind.STAFF_FOLLOW_UP_RECEIVED: "Case {reference} has a follow-up question",
    Kind.STAFF_CHANGES_REQUESTED: "Changes asked for on your guidance for case {reference}",
    # What a patient reads in the subject line says nothing of their health either.
    Kind.PATIENT_CASE_READY: "Your records are with our reviewers",
    Kind.PATIENT_DOCUMENT_QUARANTINED: "We could not accept one of your files",
}
# The patient's letters about what they did or what we wrote (subject, text and HTML templates,
# uploads/emails.py); the kinds above are plain text with their subject here.
LETTERS = frozenset(
    {
        Kind.CASE_SUBMITTED,
        Kind.GUIDANCE_READY,
        Kind.FOLLOW_UP_RECEIVED,
        Kind.NEW_COPY_REQUESTED,
        Kind.CASE_WITHDRAWN,
        Kind.ACCOUNT_DELETED,
    }
)
# Staff emails for the reviewer who holds the case (everyone, while nobody does).
FOR_CASE_HOLDER = frozenset({Kind.STAFF_FOLLOW_UP_RECEIVED, Kind.STAFF_CHANGES_REQUESTED})
PATIENT_KINDS = LETTERS | {Kind.PATIENT_CASE_READY, Kind.PATIENT_DOCUMENT_QUARANTINED}
# What the emails show: a case's reference, priority, due date and summary notes, never its answers
# (the event's time finds the follow-up question a letter is about, for its due date).
EMAIL_READS = [
    "recipient",
    "case__public_id",
    "case__priority",
    "case__due_at",
    "case__summary",
    "case__submitted_at",
    "case__withdrawn_at",
    "case__owner__email",
    "case__assigned_to__email",
    "case__assigned_to__is_active",
    "document__uploaded_at",
    "document__scan_result",
    "event__at",
    "article_event",
    "log_entry",
    "two_factor_link",
]


def notifications_create(
    *,
    case: Case | None,
    kinds: list[str],
    event: CaseEvent | None = None,
    document: Document | None = None,
    recipient: str = "",
    article_event: ArticleEvent | None = None,
    log_entry: LogEntry | None = None,
    two_factor_link: TwoFactorSetupLink | None = None,
) -> list[Notification]:
    """Record the emails owed about a case event, a document, an article's event or staff roles; sent after commit.

    Call it inside the transaction of the change: the rows commit or roll back with it.
    """
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                case=case,
                kind=kind,
                event=event,
                document=document,
                recipient=recipient,
                article_event=article_event,
                log_entry=log_entry,
                two_factor_link=two_factor_link,
            )
            for kind in kinds
        ]
    )
    # One message for the emails of one change: one hand-off instead of one an email.
    enqueue(task_names.NOTIFICATIONS_SEND, [[notification.pk for notification in notifications]])
    return notifications


def notifications_send(*, notification_ids: list[int]) -> int:
    """Send each owed email of the list over one connection to the mail server; return how many went."""
    connection = get_connection()
    try:
        return sum(notification_send(notification_id=pk, connection=connection) for pk in notification_ids)
    finally:
        connection.close()


def notification_send(*, notification_id: int, connection: BaseEmailBackend | None = None) -> bool:
    """Send one owed email unless it was sent or another run is sending it; True if sent now."""
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - stuck_after()))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return False
    mine = Notification.objects.filter(pk=notification_id, claimed_at=now)
    try:
        notification = (
            Notification.objects.select_related("case__owner", "case__assigned_to", "document", "event")
            .only("kind", *EMAIL_READS)
            .get(pk=notification_id)
        )
        message = notification_message(notification)
        if message.to:
            if connection is not None:
                connection.open()  # once: the next emails of the batch go the same way
                message.connection = connection
            message.send()
    except Exception as exc:
        # Not sent: given back at once (over a fresh connection if the database blinked), so that
        # Celery's retry sends it now rather than the reconciler once the claim is stuck.
        error = type(exc).__name__
        if not write_despite_blips(lambda: mine.update(claimed_at=None, last_error=error)):
            logger.warning(
                "Notification %s: could not give its claim back; it is sent again once stuck", notification_id
            )
        raise
    # Sent: a retry now would mail it twice, so this run keeps its claim and marks the row sent over a
    # fresh connection if the database blinked. Only a database down for longer leaves it claimed, to
    # be sent again once stuck: the rare duplicate the module's docstring accepts.
    # The address a row holds itself (an account's deletion) is personal data it no longer needs.
    marked = write_despite_blips(
        lambda: mine.update(
            sent_at=timezone.now(),
            claimed_at=None,
            recipient="",
            last_error="" if message.to else "Nobody to send it to.",
        )
    )
    if not marked:
        logger.warning("Notification %s was sent but could not be marked sent", notification_id)
        return True
    if not message.to:
        logger.warning("Notification %s had nobody to send it to", notification_id)
    return True


def notification_message(notification: Notification) -> EmailMessage:
    """The email for a notification: to the patient (with no health information), or to staff."""
    if notification.kind in ARTICLE_KINDS:
        return article_email(kind=notification.kind, event_id=notification.article_event_id)
    if notification.kind == Kind.STAFF_ROLES_CHANGED:
        return roles_changed_email(log_entry_id=notification.log_entry_id)
    if notification.kind == Kind.STAFF_TWO_FACTOR_LINK:
        return two_factor_link_email(link_id=notification.two_factor_link_id)
    case = notification.case
    if notification.kind == Kind.ACCOUNT_DELETED:
        recipients = [notification.recipient] if notification.recipient else []
    elif notification.kind in PATIENT_KINDS:
        recipients = [case.owner.email]
    elif notification.kind in FOR_CASE_HOLDER and case.assigned_to and case.assigned_to.is_active:
        recipients = [case.assigned_to.email]
    else:
        recipients = staff_email_addresses()
    if notification.kind in LETTERS:
        return email_message(template=notification.kind, to=recipients, context=_letter_context(notification))
    reference = str(case.public_id)[:8]
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "reference": reference,
        "case": case,
        "document": notification.document,
        "admin_url": _admin_url(case),
    }
    body = render_to_string(f"uploads/email/{notification.kind}.txt", context)
    return EmailMessage(subject=SUBJECTS[notification.kind].format(reference=reference), body=body, to=recipients)


def _letter_context(notification: Notification) -> dict:
    case = notification.case
    if case is None:
        return {}
    reference = case_reference(case)
    if notification.kind == Kind.CASE_SUBMITTED:
        return case_submitted_context(reference=reference, submitted_at=case.submitted_at)
    if notification.kind == Kind.CASE_WITHDRAWN:
        # The records the withdrawal deleted: those the patient removed from the draft went before.
        withdrawn = case.documents.filter(status=DocumentStatus.DELETED, deleted_at__gte=case.withdrawn_at)
        return {"reference": reference, "deleted_count": withdrawn.count()}
    if notification.kind == Kind.FOLLOW_UP_RECEIVED:
        question = case.follow_ups.filter(asked_at__lte=notification.event.at).order_by("-asked_at", "-id").first()
        return {"reference": reference, "due": question.due_at if question else None}
    return {"reference": reference}


def staff_email_addresses() -> list[str]:
    """Who hears about cases: PIPELINE_STAFF_EMAILS, or else every active member of staff."""
    if settings.PIPELINE_STAFF_EMAILS:
        return list(settings.PIPELINE_STAFF_EMAILS)
    return list(User.objects.filter(is_staff=True, is_active=True).order_by("pk").values_list("email", flat=True))


def _admin_url(case: Case) -> str:
    try:
        path = reverse("admin:uploads_case_change", args=[case.pk])
    except NoReverseMatch:
        path = reverse("admin:index")
    return f"{settings.SITE_URL}{path}"
