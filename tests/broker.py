"""What the web process left in the real broker (Redis), read the way a worker would read it."""

import base64
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import redis
from django.conf import settings

QUEUE = "celery"


@dataclass(frozen=True)
class QueuedTask:
    name: str
    args: list
    raw: bytes


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL)


def queued_tasks() -> list[QueuedTask]:
    """The messages waiting in the default queue, oldest first."""
    tasks = []
    for raw in reversed(_redis().lrange(QUEUE, 0, -1)):
        message = json.loads(raw)
        args, _kwargs, _embed = json.loads(base64.b64decode(message["body"]))
        tasks.append(QueuedTask(name=message["headers"]["task"], args=args, raw=raw))
    return tasks


def purge() -> None:
    _redis().delete(QUEUE)


# The discard port: nothing listens there, so a connection is refused at once.
UNREACHABLE_URL = "redis://127.0.0.1:9/0"


@contextmanager
def unreachable() -> Iterator[None]:
    """Point this process's Celery at a broker that does not answer, then back at the real one."""
    from navis.celery import app

    def forget_connections() -> None:
        # The app keeps its connection and producer pools; new ones read the broker URL again.
        app._pool = None
        app.amqp._producer_pool = None

    # Celery reads CELERY_BROKER_URL from the environment before its own settings.
    before = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = UNREACHABLE_URL
    forget_connections()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("CELERY_BROKER_URL")
        else:
            os.environ["CELERY_BROKER_URL"] = before
        forget_connections()
