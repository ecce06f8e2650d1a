import os
import sys
from pathlib import Path

import redis
from django.conf import settings
from django.core.management.base import BaseCommand

from navis.demo import DEMO_LOGINS, DEMO_PASSWORD, DEMO_TOTP_SECRET

FILESYSTEM_BROKER_URL = "filesystem://"
PROCESS_CACHE_URL = "locmemcache://navis"


def redis_answers(redis_url: str) -> bool:
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1).ping()
    except (redis.RedisError, OSError, ValueError):
        return False
    return True


def development_broker_url(redis_url: str, configured: str | None = None) -> str:
    """Use the broker set in the environment, else Redis when it answers, else the filesystem."""
    if configured:
        return configured
    return redis_url if redis_answers(redis_url) else FILESYSTEM_BROKER_URL


def development_cache_url(redis_url: str, configured: str | None = None) -> str:
    """Use the cache set in the environment, else Redis when it answers, else a per-process cache.

    The cache goes in the Redis database after the broker's: clearing a cache empties its whole
    database, which must never take the broker's queue with it.
    """
    if configured:
        return configured
    if not redis_answers(redis_url):
        return PROCESS_CACHE_URL
    base, _, database = redis_url.rstrip("/").rpartition("/")
    if not database.isdigit():
        base, database = redis_url.rstrip("/"), "0"
    return f"{base}/{(int(database) + 1) % 16}"


class Command(BaseCommand):
    help = "Run the web server, a Celery worker and beat together. One Ctrl-C stops all three."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address the web server listens on.")

    def handle(self, *args, addr: str, **options) -> None:
        broker = development_broker_url(settings.REDIS_URL, os.environ.get("CELERY_BROKER_URL"))
        cache = development_cache_url(settings.REDIS_URL, os.environ.get("CACHE_URL"))
        bin_dir = Path(sys.executable).parent
        env = {
            **os.environ,
            "CELERY_BROKER_URL": broker,
            "CACHE_URL": cache,
            "NAVIS_ADDR": addr,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
        }
        broker_name = "Redis" if broker.startswith("redis") else "the filesystem broker (no Redis answered)"
        cache_name = (
            "the shared Redis cache"
            if cache.startswith("redis")
            else "a per-process cache (no Redis answered: login rate limits count per process)"
        )
        lines = [
            "",
            f"Navis is starting at http://{addr}/ (staff: http://{addr}/admin/)",
            f"Background work goes through {broker_name}; the cache is {cache_name}.",
            "Demo logins (password for all: " + DEMO_PASSWORD + "):",
            *(f"  {login.role:<20} {login.email}" for login in DEMO_LOGINS),
            f"Staff two-factor: authenticator-app secret {DEMO_TOTP_SECRET}",
            "  (or run `.venv/bin/python manage.py demo_code` for the current code).",
            "Press Ctrl-C once to stop the web server, the worker and beat.",
            "",
        ]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()
        procfile = settings.BASE_DIR / "Procfile.dev"
        honcho = str(bin_dir / "honcho")
        os.execvpe(honcho, [honcho, "start", "-f", str(procfile), "-d", str(settings.BASE_DIR)], env)  # noqa: S606
