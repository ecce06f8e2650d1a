"""What goes wrong in production, done for real: workers killed mid-task, Redis restarted, messages
delivered twice, clamd stopped. Every case must still end in a final status, exactly once.

To catch a worker in the middle of a task without a hook in the code, the test's own clamd is
frozen (SIGSTOP): the worker has claimed the document and waits inside the scan for a verdict.
"""

import os
import random
import signal
import time

import pytest
import redis
from django.conf import settings
from django.urls import reverse

from navis.celery import app as celery_app
from tests import broker
from tests.storage import stored_files
from tests.uploads import cases, samples
from tests.uploads.conftest import OwnClamd, OwnRedis, sent_emails, wait_for
from tests.uploads.test_sweep import named_files
from tests.uploads.test_tasks import all_final_and_mailed, assert_final_exactly_once, submit, submitted_case
from tests.workers import celery_beat, celery_worker, kill_worker, pool_processes, purge_queues
from uploads import task_names
from uploads.models import CaseStatus, Document, DocumentStatus, Notification, PipelineStep

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

D = DocumentStatus


@pytest.fixture
def clamd_env(own_clamd: OwnClamd) -> dict[str, str]:
    """Point the worker at the test's own clamd, over its socket."""
    return {"CLAMD_SOCKET": own_clamd.socket.socket_path, "CLAMD_HOST": ""}


def documents() -> list[bytes]:
    return [samples.pathology_report_pdf(), samples.text_pdf(samples.CLINIC_LETTER)]


def broker_is_idle() -> bool:
    """No message waits in the queue and none is being worked on (kombu's unacked hash is empty)."""
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    return client.llen("celery") == 0 and client.hlen("unacked") == 0


def claimed_mid_scan() -> Document | None:
    return Document.objects.filter(status=D.SCANNING, claim_token__isnull=False).first()


def test_a_worker_killed_mid_task_is_taken_over_and_each_case_is_reviewed_once(
    worker_logs, pipeline_env, clamd_env, own_clamd, mailbox
):
    purge_queues()
    cases = [submitted_case(*documents()) for _ in range(2)]
    env = {**pipeline_env, **clamd_env}

    os.kill(own_clamd.pid, signal.SIGSTOP)
    try:
        with celery_worker(worker_logs, **env) as worker:
            for case in cases:
                submit(case)
            stuck = wait_for(claimed_mid_scan, timeout=30, logs=worker_logs, what="a worker to be mid-scan")
            kill_worker(worker)  # SIGKILL to the worker and its pool, in the middle of the scan
    finally:
        os.kill(own_clamd.pid, signal.SIGCONT)
    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts) == (D.SCANNING, 0)  # nobody is left to finish it

    # A new worker takes the rest; the reconciler sends the killed document again once its
    # claim is older than PIPELINE_STUCK_AFTER_SECONDS, and the next run takes it over.
    with celery_worker(worker_logs, **env), celery_beat(worker_logs, **env):
        wait_for(lambda: all_final_and_mailed(cases), timeout=90, logs=worker_logs, what="every case to be reviewed")

    assert_final_exactly_once(cases, mailbox)
    stuck.refresh_from_db()
    assert (stuck.status, stuck.attempts) == (D.DONE, 1)
    assert stuck.failure_reason == "An attempt at scanning did not finish."
    assert PipelineStep.objects.filter(document=stuck, name=PipelineStep.Name.SCAN, outcome="ok").count() == 1


def test_a_pool_process_killed_mid_task_gives_a_redelivery_that_does_nothing_twice(
    worker_logs, pipeline_env, clamd_env, own_clamd, mailbox
):
    purge_queues()
    case = submitted_case(*documents())
    env = {**pipeline_env, **clamd_env}

    with celery_worker(worker_logs, **env) as worker, celery_beat(worker_logs, **env):
        os.kill(own_clamd.pid, signal.SIGSTOP)
        try:
            submit(case)
            wait_for(claimed_mid_scan, timeout=30, logs=worker_logs, what="a worker to be mid-scan")
            # Only the process running the task dies; the worker gives its message back to Redis
            # (task_reject_on_worker_lost), and the redelivery finds the document claimed.
            (pool,) = pool_processes(worker)
            os.kill(pool, signal.SIGKILL)
            wait_for(
                lambda: "WorkerLostError" in "".join(log.read_text() for log in worker_logs.glob("worker-*.log")),
                timeout=20,
                what="the worker to notice",
            )
        finally:
            os.kill(own_clamd.pid, signal.SIGCONT)
        wait_for(lambda: all_final_and_mailed([case]), timeout=90, logs=worker_logs, what="the case to be reviewed")

    assert_final_exactly_once([case], mailbox)


def test_redis_restarted_mid_run_loses_its_messages_and_every_case_is_still_reviewed_once(
    worker_logs, pipeline_env, clamd_env, own_clamd, own_redis: OwnRedis, mailbox
):
    cases = [submitted_case(*documents()) for _ in range(3)]
    env = {**pipeline_env, **clamd_env}
    worker = celery_worker(worker_logs, broker_url=own_redis.url, **env)

    with worker, celery_beat(worker_logs, CELERY_BROKER_URL=own_redis.url, **env):
        os.kill(own_clamd.pid, signal.SIGSTOP)
        try:
            with celery_app.connection_for_write(own_redis.url) as connection:
                for case in cases:
                    celery_app.send_task(task_names.CASE_PROCESS, args=[case.pk], connection=connection)
            wait_for(claimed_mid_scan, timeout=30, logs=worker_logs, what="a worker to be mid-scan")
            # The other documents' messages wait in Redis; a restart without persistence loses them.
            own_redis.stop()
            time.sleep(1)
            own_redis.start()
        finally:
            os.kill(own_clamd.pid, signal.SIGCONT)
        wait_for(lambda: all_final_and_mailed(cases), timeout=120, logs=worker_logs, what="every case to be reviewed")

    assert_final_exactly_once(cases, mailbox)


def test_every_message_delivered_twice_to_two_workers_changes_nothing_twice(worker_logs, pipeline_env, mailbox):
    purge_queues()
    cases = [submitted_case(*documents()) for _ in range(3)]

    with celery_worker(worker_logs, **pipeline_env), celery_worker(worker_logs, **pipeline_env):
        for case in cases:
            submit(case)
            submit(case)
            # The same message twice, as Redis redelivers one whose visibility timeout passed.
            task_id = f"redelivered-{case.pk}"
            for _ in range(2):
                celery_app.send_task(task_names.CASE_PROCESS, args=[case.pk], task_id=task_id)
            for document in case.documents.all():
                for _ in range(2):
                    celery_app.send_task(task_names.DOCUMENT_PROCESS, args=[document.pk])
        wait_for(lambda: all_final_and_mailed(cases), timeout=90, logs=worker_logs, what="every case to be reviewed")
        wait_for(broker_is_idle, timeout=30, logs=worker_logs, what="every duplicate to have run")

    assert_final_exactly_once(cases, mailbox)
    assert len(sent_emails(mailbox)) == 2 * len(cases)


def test_with_clamd_stopped_nothing_is_clean_until_it_is_back(worker_logs, pipeline_env, clamd_env, own_clamd, mailbox):
    purge_queues()
    case = submitted_case(*documents())
    assert own_clamd.script("stop").returncode == 0

    with celery_worker(worker_logs, **pipeline_env, **clamd_env), celery_beat(worker_logs, **pipeline_env):
        submit(case)
        wait_for(
            lambda: case.documents.filter(status=D.PENDING_SCAN).count() == 2,
            timeout=30,
            logs=worker_logs,
            what="both documents to wait for the scanner",
        )
        # Several retries come and go while clamd is down: none may let a document through.
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:
            seen = set(case.documents.values_list("status", flat=True))
            assert seen <= {D.RECEIVED, D.SCANNING, D.PENDING_SCAN}, seen
            time.sleep(0.1)
        assert not PipelineStep.objects.filter(case=case, name=PipelineStep.Name.SCAN).exclude(outcome="pending")
        assert PipelineStep.objects.filter(case=case, name=PipelineStep.Name.SCAN, outcome="pending").count() >= 4

        assert own_clamd.script("start").returncode == 0
        wait_for(lambda: all_final_and_mailed([case]), timeout=60, logs=worker_logs, what="the case to be reviewed")

    assert_final_exactly_once([case], mailbox)
    assert set(case.documents.values_list("attempts", flat=True)) == {0}


def test_a_case_submitted_while_the_broker_does_not_answer_is_processed_once_it_does(
    worker_logs, pipeline_env, mailbox, client, patient, consent_text
):
    purge_queues()
    case = cases.complete_case(patient, consent_text, ("pathology.pdf", samples.pathology_report_pdf()))
    client.force_login(patient)

    with broker.unreachable():
        response = client.post(reverse("uploads:case_check", args=[case.public_id]))

    # The patient lands on the case page as after any submission: no 500 for a case that was saved.
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    # The broker answers again: the reconciler sends the submitted case and its email.
    with celery_worker(worker_logs, **pipeline_env), celery_beat(worker_logs, **pipeline_env):
        wait_for(lambda: all_final_and_mailed([case]), timeout=90, logs=worker_logs, what="the case to be reviewed")

    assert_final_exactly_once([case], mailbox)
    assert case.notifications.get(kind=Notification.Kind.CASE_SUBMITTED).sent_at


# --- The database cut off in the middle of a step ------------------------------------------------


def terminate_sessions(*, waiting_on_a_lock_in: str = "") -> int:
    """Terminate the other sessions on the test database, as a restart or failover does; how many.

    With `waiting_on_a_lock_in`, only the sessions whose statement waits on a lock in that table.
    """
    from django.db import connection

    condition = "datname = current_database() AND pid <> pg_backend_pid()"
    if waiting_on_a_lock_in:
        condition += " AND wait_event_type = 'Lock' AND query LIKE %s"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")  # fresh figures inside a transaction too
        cursor.execute(
            f"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE {condition}",  # noqa: S608
            # Anywhere in the statement: an outcome writes its steps inside the statement that records it.
            [f'%INSERT INTO "{waiting_on_a_lock_in}"%'] if waiting_on_a_lock_in else [],
        )
        return cursor.fetchone()[0]


def assert_no_attempt_lost(document: Document) -> None:
    """The document is done, and a transient error cost it no attempt and no takeover."""
    document.refresh_from_db()
    assert (document.status, document.attempts, document.failure_reason) == (D.DONE, 0, "")
    assert not PipelineStep.objects.filter(document=document, detail__contains="worker stopped").exists()
    assert not PipelineStep.objects.filter(document=document).exclude(outcome="ok").exists()


def test_a_database_connection_cut_mid_scan_costs_no_attempt(worker_logs, pipeline_env, clamd_env, own_clamd, mailbox):
    purge_queues()
    case = submitted_case(samples.pathology_report_pdf())
    (document,) = case.documents.all()

    # No beat: Celery's own retry takes the document up again, long before a takeover could.
    with celery_worker(worker_logs, **pipeline_env, **clamd_env):
        os.kill(own_clamd.pid, signal.SIGSTOP)
        try:
            submit(case)
            wait_for(claimed_mid_scan, timeout=30, logs=worker_logs, what="a worker to be mid-scan")
            # The worker's connection dies while it waits for the verdict: its outcome meets a closed one.
            assert terminate_sessions() >= 1
        finally:
            os.kill(own_clamd.pid, signal.SIGCONT)
        wait_for(lambda: all_final_and_mailed([case]), timeout=30, logs=worker_logs, what="the case to be reviewed")

    assert_final_exactly_once([case], mailbox)
    assert_no_attempt_lost(document)


def test_a_database_connection_cut_while_the_outcome_is_written_costs_no_attempt(
    worker_logs, pipeline_env, clamd_env, own_clamd, mailbox
):
    from django.db import connection, transaction

    purge_queues()
    case = submitted_case(samples.pathology_report_pdf())
    (document,) = case.documents.all()
    table = PipelineStep._meta.db_table

    with celery_worker(worker_logs, **pipeline_env, **clamd_env):
        os.kill(own_clamd.pid, signal.SIGSTOP)
        try:
            submit(case)
            wait_for(claimed_mid_scan, timeout=30, logs=worker_logs, what="a worker to be mid-scan")
            with transaction.atomic():
                # The steps' rows wait for this lock: the worker is caught writing its outcome, and
                # cut off right there.
                with connection.cursor() as cursor:
                    cursor.execute(f'LOCK TABLE "{table}" IN SHARE MODE')
                os.kill(own_clamd.pid, signal.SIGCONT)
                wait_for(
                    lambda: terminate_sessions(waiting_on_a_lock_in=table),
                    timeout=30,
                    logs=worker_logs,
                    what="the worker to write its outcome",
                )
        finally:
            os.kill(own_clamd.pid, signal.SIGCONT)
        wait_for(lambda: all_final_and_mailed([case]), timeout=30, logs=worker_logs, what="the case to be reviewed")

    assert_final_exactly_once([case], mailbox)
    assert_no_attempt_lost(document)
    assert "claim given back after a transient error" in "".join(p.read_text() for p in worker_logs.glob("worker-*"))


# --- A bounded soak: every fault at once ---------------------------------------------------------


def test_a_soak_of_kills_a_redis_restart_and_a_database_cut_loses_and_doubles_nothing(
    worker_logs, pipeline_env, clamd_env, own_redis: OwnRedis, mailbox, private_media
):
    """20 cases of 3 documents; pool processes killed mid-task, Redis restarted, PostgreSQL cut off."""
    cases = [
        submitted_case(*documents(), samples.text_pdf(f"{samples.CLINIC_LETTER}\nLetter {number}."))
        for number in range(20)
    ]
    env = {**pipeline_env, **clamd_env}
    hit: set[int] = set()
    done: list[str] = []

    def mid_task_on_a_new_document_or_all_final() -> Document | bool:
        claimed = Document.objects.filter(claim_token__isnull=False, status__in=[D.SCANNING, D.EXTRACTING])
        return claimed.exclude(pk__in=hit).first() or all_final_and_mailed(cases)

    with (
        celery_worker(worker_logs, broker_url=own_redis.url, **env) as worker,
        celery_beat(worker_logs, CELERY_BROKER_URL=own_redis.url, **env),
    ):
        with celery_app.connection_for_write(own_redis.url) as connection:
            for case in cases:
                celery_app.send_task(task_names.CASE_PROCESS, args=[case.pk], connection=connection)
        # Each fault strikes while a task is at work on a document no fault has struck yet.
        for fault in ("kill", "redis", "database", "kill", "kill"):
            running = wait_for(mid_task_on_a_new_document_or_all_final, timeout=40, logs=worker_logs, what="a task")
            if running is True:
                break  # all done before the last faults
            hit.add(running.pk)
            if fault == "kill":
                os.kill(random.choice(pool_processes(worker)), signal.SIGKILL)
            elif fault == "redis":
                # The messages still queued are lost with it: only the database remembers them.
                own_redis.stop()
                time.sleep(1)
                own_redis.start()
            else:
                assert terminate_sessions() >= 1
            done.append(fault)
            time.sleep(random.uniform(0.2, 1))  # the worker starts a new pool process meanwhile
        wait_for(lambda: all_final_and_mailed(cases), timeout=150, logs=worker_logs, what="every case to be reviewed")

    assert done[:3] == ["kill", "redis", "database"], done
    # Nothing lost, nothing doubled: each case reviewed and mailed once, each document read once.
    assert_final_exactly_once(cases, mailbox)
    documents_of_cases = Document.objects.filter(case__in=cases)
    assert documents_of_cases.count() == 3 * len(cases)
    assert set(documents_of_cases.values_list("status", flat=True)) == {D.DONE}
    findings = PipelineStep.objects.filter(document__in=documents_of_cases, name=PipelineStep.Name.FINDINGS)
    assert findings.filter(outcome="ok").count() == documents_of_cases.count()
    # No file that no row names.
    assert stored_files() == named_files()
    # Only the kills cost attempts, each at most one; the database cut and the Redis restart none.
    assert sum(documents_of_cases.values_list("attempts", flat=True)) <= done.count("kill")
    assert not PipelineStep.objects.filter(detail__regex="OperationalError|InterfaceError").exists()
