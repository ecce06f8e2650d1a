"""Readiness checks: can this process reach everything it needs to serve a request?"""

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from kombu import Connection

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str = ""


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker() -> None:
    url = settings.CELERY_BROKER_URL
    with Connection(
        url,
        connect_timeout=BROKER_TIMEOUT_SECONDS,
        transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    ) as broker:
        broker.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT_SECONDS)
        # Opening a channel makes the transport talk to the server (Redis answers PING here).
        broker.default_channel  # noqa: B018


def check_storage() -> None:
    name = default_storage.save(f"readiness/{uuid.uuid4().hex}", ContentFile(b"ok"))
    try:
        with default_storage.open(name) as probe:
            if probe.read() != b"ok":
                raise OSError("file storage returned other bytes than were written")
    finally:
        default_storage.delete(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "broker": check_broker,
    "storage": check_storage,
}


def readiness() -> list[CheckResult]:
    """Run every readiness check and say which parts answer."""
    results = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # noqa: BLE001 - any failure means "not ready", reported by name
            logger.warning("readiness check %s failed: %s", name, exc.__class__.__name__)
            results.append(CheckResult(name=name, ok=False, detail=f"{exc.__class__.__name__}: {exc}"[:200]))
        else:
            results.append(CheckResult(name=name, ok=True))
    return results
