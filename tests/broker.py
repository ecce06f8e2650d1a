"""What the web process left in the real broker (Redis), read the way a worker would read it."""

import base64
import json
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
