"""Start a real Celery worker process for a test, and stop it afterwards."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from navis.celery import app as celery_app
from tests.services import subprocess_env

STARTUP_SECONDS = 60


@contextmanager
def celery_worker(log_dir: Path, *, broker_url: str | None = None, **env: str) -> Iterator[subprocess.Popen]:
    """Run `celery worker` as its own process until the block ends; its log goes to log_dir."""
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    log_path = log_dir / f"worker-{uuid.uuid4().hex[:8]}.log"
    broker_url = broker_url or settings.CELERY_BROKER_URL
    environment = subprocess_env(CELERY_BROKER_URL=broker_url, **env)
    command = [sys.executable, "-m", "celery", "-A", "navis", "worker", "--loglevel=INFO", "--concurrency=1"]
    command += ["--hostname", name, "--without-gossip", "--without-mingle", "--without-heartbeat"]
    with log_path.open("w") as log:
        # A process group of its own, so that a test can kill the worker and its pool at once.
        process = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env=environment, start_new_session=True
        )
    try:
        _wait_until_ready(process, log_path)
        yield process
    finally:
        stop_process(process)


@contextmanager
def celery_beat(log_dir: Path, **env: str) -> Iterator[subprocess.Popen]:
    """Run `celery beat` as its own process until the block ends, with its schedule file in log_dir."""
    log_path = log_dir / f"beat-{uuid.uuid4().hex[:8]}.log"
    schedule = log_dir / f"beat-schedule-{uuid.uuid4().hex[:8]}"
    command = [sys.executable, "-m", "celery", "-A", "navis", "beat", "--loglevel=INFO", f"--schedule={schedule}"]
    with log_path.open("w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=subprocess_env(**env))
    try:
        yield process
    finally:
        stop_process(process)


def kill_worker(process: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool processes at once, as a lost machine or the OOM killer would."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def pool_processes(process: subprocess.Popen) -> list[int]:
    """The pids of the worker's pool processes, which run the tasks."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def stop_process(process: subprocess.Popen) -> None:
    """Stop a process the tests started: politely, then for sure."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The Celery worker exited with {process.returncode}:\n{log_path.read_text()}")
        if " ready." in log_path.read_text():
            return
        time.sleep(0.2)
    raise RuntimeError(f"The Celery worker was not ready after {STARTUP_SECONDS} s:\n{log_path.read_text()}")


def purge_queues() -> None:
    """Drop messages an earlier run left in the test broker."""
    celery_app.control.purge()
