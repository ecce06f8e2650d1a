from celery import shared_task

from navis.services import heartbeat_record as record


@shared_task(name="navis.tasks.heartbeat_record")
def heartbeat_record(name: str = "worker") -> None:
    """Record that a worker picked up a task just now."""
    record(name=name)
