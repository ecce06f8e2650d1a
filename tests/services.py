"""The real services the tests use, and how to say clearly which one is missing."""

import os
from dataclasses import replace

import psycopg
import redis
from django.conf import settings


def unreachable_services() -> list[str]:
    """Name each service the tests need that does not answer, with the variable that points at it."""
    problems = []
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        problems.append(
            f"The tests run on PostgreSQL, but DATABASE_URL selects {db['ENGINE']}. "
            "Set DATABASE_URL=postgres://USER@HOST:PORT/NAME."
        )
    else:
        try:
            psycopg.connect(
                host=db["HOST"] or None,
                port=db["PORT"] or None,
                user=db["USER"] or None,
                password=db["PASSWORD"] or None,
                dbname="postgres",
                connect_timeout=3,
            ).close()
        except psycopg.Error as exc:
            problems.append(
                f"PostgreSQL at {db['HOST']}:{db['PORT']} does not answer ({exc.__class__.__name__}). "
                "Start it, or set DATABASE_URL to a server that runs."
            )
    for variable in ("REDIS_URL", "CELERY_BROKER_URL"):
        url = getattr(settings, variable)
        try:
            redis.Redis.from_url(url, socket_connect_timeout=3).ping()
        except (redis.RedisError, OSError, ValueError) as exc:
            problems.append(
                f"Redis at {url} ({variable}) does not answer ({exc.__class__.__name__}). "
                f"Start it, or set {variable} to a server that runs."
            )
    problems.extend(unreachable_clamd())
    return problems


def unreachable_clamd() -> list[str]:
    """Say so when clamd, which scans every upload, does not answer where the settings point."""
    from uploads.pipeline.errors import ScannerUnavailable
    from uploads.pipeline.scan import ClamdAddress, clamd_ping

    address = ClamdAddress.from_settings()
    variable = "CLAMD_HOST and CLAMD_PORT" if address.host else "CLAMD_SOCKET"
    try:
        clamd_ping(replace(address, timeout=3))
    except ScannerUnavailable as exc:
        return [
            f"clamd at {address} ({variable}) does not answer ({exc.__cause__ or exc}). "
            f"Start it with `scripts/clamd.sh start` (`make test` does), or set {variable} to a clamd that runs."
        ]
    return []


def database_url_for_subprocess() -> str:
    """The URL of the database this test run uses (the test database, once it exists)."""
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] or ""
    if db["PASSWORD"]:
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a process (worker, server) that must see what this test run sees."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocess(),
        **private_storage_env(),
        "PYTHONUNBUFFERED": "1",
    }
    env.update(extra)
    return env


def private_storage_env() -> dict[str, str]:
    """The variables that give a process the private storage this test uses (navis/settings.py)."""
    from tests.storage import on_s3

    options = settings.STORAGES["default"]["OPTIONS"]
    if not on_s3():
        return {"PRIVATE_MEDIA_ROOT": str(options["location"]), "PRIVATE_STORAGE_S3_BUCKET": ""}
    return {
        "PRIVATE_STORAGE_S3_BUCKET": options["bucket_name"],
        "PRIVATE_STORAGE_S3_PREFIX": options["location"],
        "PRIVATE_STORAGE_S3_ENDPOINT_URL": options["endpoint_url"],
        "PRIVATE_STORAGE_S3_REGION": options["region_name"],
        "PRIVATE_STORAGE_S3_ACCESS_KEY_ID": options["access_key"],
        "PRIVATE_STORAGE_S3_SECRET_ACCESS_KEY": options["secret_key"],
        "PRIVATE_STORAGE_S3_SSE": options["server_side_encryption"],
        "PRIVATE_STORAGE_S3_KMS_KEY_ID": options["kms_key_id"],
    }
