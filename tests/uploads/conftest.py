import os
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from uploads.pipeline.scan import ClamdAddress

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass(frozen=True)
class OwnClamd:
    """A clamd of the test's own, started by the project's script, that the test may stop or freeze."""

    socket: ClamdAddress
    tcp: ClamdAddress
    environment: dict[str, str]

    def script(self, command: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["bash", str(ROOT / "scripts" / "clamd.sh"), command],
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=60,
        )

    @property
    def pid(self) -> int:
        return int((Path(self.environment["CLAMD_DIR"]) / "clamd.pid").read_text())


def free_tcp_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def own_clamd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnClamd]:
    # A short folder: a unix socket's path may not be longer than about 100 characters.
    folder = tmp_path_factory.mktemp("clamd")
    port = free_tcp_port()
    environment = {
        **os.environ,
        "CLAMD_DIR": str(folder),
        "CLAMD_SOCKET": str(folder / "clamd.sock"),
        "CLAMD_HOST": "127.0.0.1",
        "CLAMD_PORT": str(port),
        "CLAMD_STREAM_MAX_LENGTH": "1M",
    }
    clamd = OwnClamd(
        socket=ClamdAddress(socket_path=str(folder / "clamd.sock"), timeout=10),
        tcp=ClamdAddress(host="127.0.0.1", port=port, timeout=10),
        environment=environment,
    )
    started = clamd.script("start")
    assert started.returncode == 0, started.stdout + started.stderr
    yield clamd
    clamd.script("stop")


# --- The case pipeline ----------------------------------------------------------------------


def queued(broker) -> list[tuple[str, list]]:
    """The tasks waiting in the test broker (the `broker` fixture), oldest first, as (name, args)."""
    return [(task.name, task.args) for task in broker.queued_tasks()]


def send_queued_emails(broker) -> int:
    """Run each email task waiting in the test broker in this process, as a worker would; return how many."""
    from uploads import task_names, tasks

    emails = [task for task in broker.queued_tasks() if task.name == task_names.NOTIFICATIONS_SEND]
    for task in emails:
        tasks.notifications_send(*task.args)
    return len(emails)


def sent_emails(directory: Path) -> list:
    """The emails Django's file backend (EMAIL_URL=filemail:////DIR) wrote to `directory`."""
    import email
    from email import policy

    separator = b"\n" + b"-" * 79 + b"\n"
    messages = []
    for path in sorted(directory.glob("*.log")):
        for chunk in path.read_bytes().split(separator):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=policy.default))
    return messages


def wait_for(condition, *, timeout: float = 60, logs: Path | None = None, what: str = "the condition"):
    """Poll `condition` until it returns something true, and return it; fail after `timeout` s."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    details = "\n".join(log.read_text()[-6000:] for log in sorted(logs.glob("*.log"))) if logs else ""
    raise AssertionError(f"Waited {timeout} s for {what}.\n{details}")


@pytest.fixture
def mailbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where workers write the emails they send (Django's file backend)."""
    return tmp_path_factory.mktemp("mail")


STAFF_EMAIL = "reviewers@navis.test"


@pytest.fixture
def pipeline_env(mailbox: Path) -> dict[str, str]:
    """A worker's settings for pipeline tests: short limits, so a stopped worker is taken over soon."""
    return {
        "CELERY_TASK_SOFT_TIME_LIMIT": "8",
        "CELERY_TASK_TIME_LIMIT": "10",
        "CELERY_VISIBILITY_TIMEOUT": "12",
        "PIPELINE_STUCK_AFTER_SECONDS": "12",
        "PIPELINE_RECONCILE_INTERVAL": "1",
        "PIPELINE_RETRY_BACKOFF_SECONDS": "1",
        "PIPELINE_STAFF_EMAILS": STAFF_EMAIL,
        "EMAIL_URL": f"filemail:///{mailbox}",
    }


@dataclass
class OwnRedis:
    """A redis-server of the test's own on a free port, that the test may stop and start again."""

    port: int
    directory: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        import redis

        # No persistence: a restart loses every message, as a Redis without AOF does.
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--daemonize", "no", "--dir", str(self.directory)]
        with (self.directory / "redis.log").open("a") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        wait_for(lambda: _answers(client), timeout=10, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def _answers(client) -> bool:
    import redis

    try:
        return client.ping()
    except redis.RedisError:
        return False


@pytest.fixture
def own_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OwnRedis]:
    server = OwnRedis(port=free_tcp_port(), directory=tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()
