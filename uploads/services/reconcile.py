"""The reconciler: what makes a lost or cut-short message harmless.

Redis can lose a message (restarted without persistence), and a worker killed mid-task leaves
its message unacknowledged until the visibility timeout. Neither matters here: every run of the
reconciler looks in the database for documents, cases and emails that have waited longer than
PIPELINE_STUCK_AFTER_SECONDS and sends their task again. The tasks are safe to run twice, so
sending one that was only slow costs a query. Each resend is stamped on its row (`task_sent_at`),
and a row sent within that time is left alone: a message still queued is not doubled, one that
was lost is sent again. The reconciler has a queue of its own (settings.CELERY_TASK_ROUTES), so
the backlog it rescues never delays it.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from uploads import task_names
from uploads.models import Case, CaseStatus, Document, Notification
from uploads.services.dispatch import stuck_after, tasks_send
from uploads.services.processing import CASE_READS_DOCUMENTS, DOCUMENT_WAITING

# The most of each kind sent again per run: a backlog drains over a few runs, not in one burst.
BATCH = 500


@dataclass(frozen=True)
class Reconciled:
    documents: list[int]
    cases: list[int]
    notifications: list[int]


def pipeline_reconcile(*, now: datetime | None = None) -> Reconciled:
    """Send again the tasks of documents, cases and emails stuck for longer than they should be."""
    now = now or timezone.now()
    cutoff = now - stuck_after()
    unclaimed_or_stale = Q(claimed_at__isnull=True) | Q(claimed_at__lt=cutoff)
    # Waiting is measured from the database alone, so a run after beat ticks were lost (Redis
    # down) catches up on everything; and from the last time the task was sent, so one sent a
    # moment ago (by this reconciler, or by a submission, for a document read through a slow
    # draft) and still queued is not sent twice, while one the broker lost is sent again.
    not_sent_lately = Q(task_sent_at__isnull=True) | Q(task_sent_at__lt=cutoff)
    documents = Document.objects.filter(
        unclaimed_or_stale,
        not_sent_lately,
        status__in=DOCUMENT_WAITING,
        status_changed_at__lt=cutoff,
        case__status__in=CASE_READS_DOCUMENTS,
    ).order_by("status_changed_at")
    # A submitted case whose message was lost, or a processing one whose documents are all final
    # but whose summary never came (its last document's worker stopped before finalising).
    waiting_documents = Document.objects.filter(case=OuterRef("pk"), status__in=DOCUMENT_WAITING)
    cases = (
        Case.objects.alias(has_waiting=Exists(waiting_documents))
        .filter(Q(status=CaseStatus.SUBMITTED) | Q(status=CaseStatus.PROCESSING, has_waiting=False))
        .filter(not_sent_lately, updated_at__lt=cutoff)
        .order_by("updated_at")
    )
    notifications = Notification.objects.filter(
        unclaimed_or_stale, not_sent_lately, sent_at__isnull=True, created_at__lt=cutoff
    ).order_by("created_at")
    return Reconciled(
        documents=tasks_send(task_names.DOCUMENT_PROCESS, documents, now=now, limit=BATCH),
        cases=tasks_send(task_names.CASE_PROCESS, cases, now=now, limit=BATCH),
        notifications=tasks_send(
            task_names.NOTIFICATIONS_SEND, notifications, now=now, limit=BATCH, argument=lambda pk: [pk]
        ),
    )
