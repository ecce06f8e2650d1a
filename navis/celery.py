"""The Celery app, configured from Django settings under the CELERY namespace."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "navis.settings")

app = Celery("navis")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.task_prerun.connect
@signals.task_postrun.connect
def close_old_database_connections(task=None, **kwargs) -> None:
    """Give tasks the connection lifecycle Django gives requests: reuse, unless broken or too old."""
    # Celery's own Django fixup would otherwise open a new PostgreSQL connection for every task
    # (settings.CELERY_DB_REUSE_MAX); this drops one that failed, or that CONN_MAX_AGE retired,
    # and CONN_HEALTH_CHECKS tests a kept one before a task uses it.
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
