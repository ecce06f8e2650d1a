"""What the benchmarks share: a production-like environment, a database to fill, a server to load."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/navis_bench")
BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")


def production_env(work_dir: Path, **extra: str) -> dict[str, str]:
    """Settings as production has them, on this machine's PostgreSQL and Redis."""
    return {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": "bench-only-secret-key-bench-only-secret-key-bench-only-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "False",
        "SESSION_COOKIE_SECURE": "False",
        "CSRF_COOKIE_SECURE": "False",
        "DATABASE_URL": BENCH_DATABASE_URL,
        "REDIS_URL": BENCH_REDIS_URL,
        "CELERY_BROKER_URL": BENCH_REDIS_URL,
        "CACHE_URL": BENCH_REDIS_URL,
        "NAVIS_VAR_DIR": str(work_dir / "var"),
        "STATIC_ROOT": str(work_dir / "static"),
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "navis.settings",
        **extra,
    }


def create_database() -> None:
    """Create the bench database afresh."""
    import psycopg

    name = BENCH_DATABASE_URL.rsplit("/", 1)[1]
    admin_url = BENCH_DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def fresh_site_output(script: str, *args: str, what: str, **extra_env: str) -> str:
    """Run `script` with production settings on a freshly migrated bench database; return what it printed."""
    with work_dir() as directory:
        env = production_env(directory, **extra_env)
        create_database()
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        result = subprocess.run(
            [sys.executable, "-c", script, *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
    if result.returncode:
        raise RuntimeError(f"The {what} benchmark failed:\n{result.stderr}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int = 2, pid_file: Path | None = None) -> Iterator[str]:
    """Serve the site under gunicorn on loopback; yield its base URL. The master's pid goes to pid_file."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "navis.wsgi:application", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning"]
    if pid_file is not None:
        command += ["--pid", str(pid_file)]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1)  # noqa: S310 - our own server on loopback
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def requests_per_second(url: str, *, seconds: int = 10, connections: int = 8, threads: int = 2) -> float:
    """Load `url` with wrk and return the requests per second it measured."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed: run `make bench`, which installs it.")
    # A short warm-up so each worker has its connections and caches before the measured run.
    subprocess.run([wrk, "-t1", "-c2", "-d2s", url], check=True, capture_output=True)
    result = subprocess.run(
        [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", url], check=True, capture_output=True, text=True
    )
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    if non_2xx:
        raise RuntimeError(f"{url} answered {non_2xx.group(1)} errors under load:\n{result.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout).group(1))


@contextmanager
def work_dir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="navis-bench-") as path:
        yield Path(path)


@contextmanager
def celery_worker(env: dict[str, str], log_path: Path, *, concurrency: int = 1) -> Iterator[subprocess.Popen]:
    """Run a Celery worker with these settings until the block ends; its log goes to log_path."""
    command = [sys.executable, "-m", "celery", "-A", "navis", "worker", "--loglevel=INFO"]
    command += [f"--concurrency={concurrency}", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while " ready." not in log_path.read_text():
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"The Celery worker did not start:\n{log_path.read_text()}")
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)
