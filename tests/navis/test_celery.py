import time

import pytest
from django.conf import settings

from navis.brokers import filesystem_transport_options
from navis.celery import app as celery_app
from navis.models import Heartbeat
from navis.tasks import heartbeat_record
from tests.workers import celery_worker, purge_queues

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def wait_for_heartbeat(name: str, timeout: float = 30) -> Heartbeat:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        heartbeat = Heartbeat.objects.filter(name=name).first()
        if heartbeat:
            return heartbeat
        time.sleep(0.2)
    raise AssertionError(f"no worker ran the task for {name!r} within {timeout} s")


def test_a_real_worker_on_redis_runs_a_task(worker_logs):
    assert settings.CELERY_BROKER_URL.startswith("redis://")
    assert not celery_app.conf.task_always_eager
    purge_queues()

    with celery_worker(worker_logs):
        heartbeat_record.delay("redis-test")
        heartbeat = wait_for_heartbeat("redis-test")

    assert heartbeat.seen_at is not None
    assert "navis.tasks.heartbeat_record" in next(worker_logs.glob("worker-*.log")).read_text()


def test_a_real_worker_on_the_filesystem_broker_runs_a_task(worker_logs, tmp_path):
    # The broker a laptop without Redis gets: web and worker share a folder of messages.
    var_dir = tmp_path / "var"
    with celery_worker(worker_logs, broker_url="filesystem://", NAVIS_VAR_DIR=str(var_dir)):
        with celery_app.connection_for_write(
            "filesystem://", transport_options=filesystem_transport_options(var_dir)
        ) as connection:
            heartbeat_record.apply_async(args=["filesystem-test"], connection=connection)
        heartbeat = wait_for_heartbeat("filesystem-test")

    assert heartbeat.name == "filesystem-test"


def test_celery_is_configured_to_never_lose_or_repeat_work():
    conf = celery_app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_soft_time_limit < conf.task_time_limit
    assert conf.broker_transport_options["visibility_timeout"] > conf.task_time_limit
    assert "heartbeat" in conf.beat_schedule


def database_sessions() -> int:
    """How many sessions PostgreSQL has seen on the test database since its statistics began."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def test_a_worker_keeps_its_database_connection_from_task_to_task(worker_logs):
    purge_queues()
    with celery_worker(worker_logs):
        heartbeat_record.delay("first")
        wait_for_heartbeat("first")
        time.sleep(1.5)  # PostgreSQL publishes session counts about once a second
        before = database_sessions()
        for number in range(20):
            heartbeat_record.delay(f"task-{number}")
        wait_for_heartbeat("task-19")
        time.sleep(1.5)
        after = database_sessions()

    # Celery alone would open a connection a task (celery/celery#9824): 20 sessions at least.
    assert after - before < 5


def test_a_connection_dropped_between_tasks_costs_no_task(worker_logs):
    from django.db import connection

    purge_queues()
    with celery_worker(worker_logs):
        heartbeat_record.delay("before")
        wait_for_heartbeat("before")
        # As a database restart or failover does to every connection a worker holds.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            assert cursor.fetchone()[0] >= 1
        heartbeat_record.delay("after")
        wait_for_heartbeat("after")

    assert "OperationalError" not in next(worker_logs.glob("worker-*.log")).read_text()
