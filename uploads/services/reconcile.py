"""The reconciler: what makes a lost or cut-short message harmless.

Redis can lose a message (restarted without persistence), and a worker killed mid-task leaves
its message unacknowledged until the visibility timeout. Neither matters here: every run of the
reconciler looks in the database for documents, cases and emails that have waited longer than
PIPELINE_STUCK_AFTER_SECONDS and sends their task again. The tasks are safe to run twice, so
sending one that was only slow costs a query.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from uploads import task_names
from uploads.models import Case, CaseStatus, Document, Notification
from uploads.services.dispatch import enqueue, stuck_after
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
    cutoff = (now or timezone.now()) - stuck_after()
    unclaimed_or_stale = Q(claimed_at__isnull=True) | Q(claimed_at__lt=cutoff)
    # Documents are read as they arrive, a draft's too. Submitting sends again those still waiting,
    # so a document waits from its last status change or its case's submission, whichever is later:
    # one that waited through a slow draft is not sent twice right after the submission.
    sent_at_submission_or_earlier = Q(case__submitted_at__isnull=True) | Q(case__submitted_at__lt=cutoff)
    documents = list(
        Document.objects.filter(
            unclaimed_or_stale,
            sent_at_submission_or_earlier,
            status__in=DOCUMENT_WAITING,
            status_changed_at__lt=cutoff,
            case__status__in=CASE_READS_DOCUMENTS,
        )
        .order_by("status_changed_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    # A submitted case whose message was lost, or a processing one whose documents are all final
    # but whose summary never came (its last document's worker stopped before finalising).
    waiting_documents = Document.objects.filter(case=OuterRef("pk"), status__in=DOCUMENT_WAITING)
    cases = list(
        Case.objects.alias(has_waiting=Exists(waiting_documents))
        .filter(Q(status=CaseStatus.SUBMITTED) | Q(status=CaseStatus.PROCESSING, has_waiting=False))
        .filter(updated_at__lt=cutoff)
        .order_by("updated_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    notifications = list(
        Notification.objects.filter(unclaimed_or_stale, sent_at__isnull=True, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    enqueue(task_names.DOCUMENT_PROCESS, documents)
    enqueue(task_names.CASE_PROCESS, cases)
    enqueue(task_names.NOTIFICATIONS_SEND, [[pk] for pk in notifications])
    return Reconciled(documents=documents, cases=cases, notifications=notifications)
