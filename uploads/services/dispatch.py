"""How the pipeline's services hand work to Celery, when waiting work counts as stuck, and which
errors pass by themselves."""

import time
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import InterfaceError, connection, transaction
from django.db import OperationalError as DatabaseError
from django.db.models import QuerySet
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from navis.celery import app as celery_app

# The database or the broker not answering, or a connection to either cut: retried, never counted
# against a document, since the same work succeeds once they answer.
TRANSIENT_ERRORS = (DatabaseError, InterfaceError, BrokerError, RedisConnectionError, RedisTimeoutError)
# How long a run whose database connection failed waits before each try of a write it still owes.
_BLIP_WAITS_SECONDS = (0.0, 0.5, 2.0)


def write_despite_blips(write: Callable[[], object]) -> bool:
    """Run a short write, again over a fresh connection after a transient error; True once it went."""
    # The error may have cut this process's connection: a broken one is replaced first, and a
    # database that is down is given a moment to come back.
    for wait in _BLIP_WAITS_SECONDS:
        time.sleep(wait)
        try:
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()
            write()
        except TRANSIENT_ERRORS:
            continue
        return True
    return False


def enqueue(task_name: str, arguments: Iterable[object]) -> None:
    """Send the task `task_name` once per argument (an id, or a list of ids) after the commit."""
    arguments = list(arguments)
    if not arguments:
        return

    def send() -> None:
        # One producer for them all: a connection from the pool once, not once a message.
        with celery_app.producer_or_acquire() as producer:
            for argument in arguments:
                celery_app.send_task(task_name, args=[argument], producer=producer)

    # robust: a broker that does not answer must not undo what committed; the reconciler finds
    # whatever stayed waiting and sends it again.
    transaction.on_commit(send, robust=True)


def tasks_send(
    task_name: str,
    rows: QuerySet,
    *,
    now: datetime,
    limit: int | None = None,
    argument: Callable[[int], object] = lambda pk: pk,
) -> list[int]:
    """Send the task of each of `rows` (the first `limit`) after the commit, stamped as sent now; their ids.

    The reconciler measures from `task_sent_at`: work sent a moment ago is not sent again before
    it could be picked up.
    """
    ids = list(rows.values_list("pk", flat=True)[:limit])
    if ids:
        rows.model.objects.filter(pk__in=ids).update(task_sent_at=now)
        enqueue(task_name, [argument(pk) for pk in ids])
    return ids


def stuck_after() -> timedelta:
    """How long a claim or a waiting status may last before the pipeline takes it up again."""
    return timedelta(seconds=settings.PIPELINE_STUCK_AFTER_SECONDS)
