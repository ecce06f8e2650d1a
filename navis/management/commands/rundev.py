import os
import sys
from pathlib import Path

import redis
from django.conf import settings
from django.core.management.base import BaseCommand

from navis.demo import DEMO_LOGINS, DEMO_PASSWORD

FILESYSTEM_BROKER_URL = "filesystem://"


def development_broker_url(redis_url: str, configured: str | None = None) -> str:
    """Use the broker set in the environment, else Redis when it answers, else the filesystem."""
    if configured:
        return configured
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=1, socket_timeout=1).ping()
    except (redis.RedisError, OSError, ValueError):
        return FILESYSTEM_BROKER_URL
    return redis_url


class Command(BaseCommand):
    help = "Run the web server, a Celery worker and beat together. One Ctrl-C stops all three."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000", help="Address the web server listens on.")

    def handle(self, *args, addr: str, **options) -> None:
        broker = development_broker_url(settings.REDIS_URL, os.environ.get("CELERY_BROKER_URL"))
        bin_dir = Path(sys.executable).parent
        env = {
            **os.environ,
            "CELERY_BROKER_URL": broker,
            "NAVIS_ADDR": addr,
            "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            "PYTHONUNBUFFERED": "1",
        }
        broker_name = "Redis" if broker.startswith("redis") else "the filesystem broker (no Redis answered)"
        lines = [
            "",
            f"Navis is starting at http://{addr}/ (staff: http://{addr}/admin/)",
            f"Background work goes through {broker_name}.",
            "Demo logins (password for all: " + DEMO_PASSWORD + "):",
            *(f"  {login.role:<20} {login.email}" for login in DEMO_LOGINS),
            "Press Ctrl-C once to stop the web server, the worker and beat.",
            "",
        ]
        self.stdout.write("\n".join(lines))
        self.stdout.flush()
        procfile = settings.BASE_DIR / "Procfile.dev"
        honcho = str(bin_dir / "honcho")
        os.execvpe(honcho, [honcho, "start", "-f", str(procfile), "-d", str(settings.BASE_DIR)], env)  # noqa: S606
