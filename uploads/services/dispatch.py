"""How the pipeline's services hand work to Celery, and when waiting work counts as stuck."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction

from navis.celery import app as celery_app


def enqueue(task_name: str, object_id: int) -> None:
    """Send the task `task_name` for this id once the current transaction commits."""

    def send() -> None:
        celery_app.send_task(task_name, args=[object_id])

    # robust: a broker that does not answer must not undo what committed; the reconciler finds
    # whatever stayed waiting and sends it again.
    transaction.on_commit(send, robust=True)


def stuck_after() -> timedelta:
    """How long a claim or a waiting status may last before the pipeline takes it up again."""
    return timedelta(seconds=settings.PIPELINE_STUCK_AFTER_SECONDS)
