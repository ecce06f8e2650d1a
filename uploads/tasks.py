"""Celery entry points of the case pipeline: each takes ids, calls a service, and is safe to run twice.

Celery retries only what passes by itself: the database or the broker not answering, clamd giving
no verdict, the mail server not answering. Each retry waits longer (exponential backoff, with
jitter so that retries spread out). For a document, every error but clamd's silence also counts
as a failed attempt, and the third fails it for good with the reason; a file refused for what it
is fails at once (uploads/services/processing.py). Whatever runs out of retries is sent again by
the reconciler.
"""

import smtplib

from celery import shared_task
from django.conf import settings

from uploads import task_names
from uploads.pipeline.errors import ScannerUnavailable
from uploads.services import notifications, processing, reconcile, sweep
from uploads.services.dispatch import TRANSIENT_ERRORS

RETRY = {
    "max_retries": processing.MAX_ATTEMPTS,
    "retry_backoff": settings.PIPELINE_RETRY_BACKOFF_SECONDS,
    "retry_backoff_max": 600,
    "retry_jitter": True,
}


@shared_task(name=task_names.CASE_PROCESS, autoretry_for=TRANSIENT_ERRORS, **RETRY)
def case_process(case_id: int) -> None:
    """Start the pipeline on a submitted case; intake sends this after the submission commits."""
    processing.case_process(case_id=case_id)


@shared_task(name=task_names.DOCUMENT_PROCESS, autoretry_for=(*TRANSIENT_ERRORS, ScannerUnavailable), **RETRY)
def document_process(document_id: int) -> None:
    """Scan, copy and read one document, then finalise its case when it is the last one."""
    processing.document_process(document_id=document_id)


@shared_task(
    name=task_names.NOTIFICATIONS_SEND,
    autoretry_for=(*TRANSIENT_ERRORS, smtplib.SMTPException, ConnectionError, TimeoutError),
    **RETRY,
)
def notifications_send(notification_ids: list[int]) -> None:
    """Send the emails the pipeline owes, each unless it went already."""
    notifications.notifications_send(notification_ids=notification_ids)


@shared_task(name=task_names.RECONCILE)
def pipeline_reconcile() -> dict[str, int]:
    """Send again the work that waited too long (beat runs this every PIPELINE_RECONCILE_INTERVAL)."""
    found = reconcile.pipeline_reconcile()
    return {"documents": len(found.documents), "cases": len(found.cases), "notifications": len(found.notifications)}


@shared_task(name="uploads.tasks.storage_sweep")
def storage_sweep() -> int:
    """Delete the files no row names, past the grace period (beat runs this every STORAGE_SWEEP_INTERVAL)."""
    return sweep.storage_sweep()
