"""The pipeline's tasks in a real Celery worker on Redis, sent as the intake flow sends them."""

import re
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from navis.celery import app as celery_app
from tests.factories import CaseFactory, DocumentFactory
from tests.storage import stored_files
from tests.uploads import cases, samples
from tests.uploads.conftest import STAFF_EMAIL, queued, sent_emails, wait_for
from tests.workers import celery_beat, celery_worker, purge_queues
from uploads import task_names
from uploads.models import Case, CaseEvent, CaseStatus, Document, DocumentStatus, Notification, PipelineStep
from uploads.services import intake

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]

D = DocumentStatus
FINAL = (CaseStatus.WAITING_FOR_REVIEW, CaseStatus.NEEDS_ATTENTION)


def submitted_case(*contents: bytes) -> Case:
    """A case as intake leaves it on submission: submitted, with its documents stored."""
    case = CaseFactory(biomarkers={"her2": "positive", "pd_l1": "CPS 8"})
    for content in contents:
        DocumentFactory(case=case, content=content)
    return case


def submit(case: Case) -> None:
    """What intake does after the submission commits."""
    celery_app.send_task(task_names.CASE_PROCESS, args=[case.pk])


def all_final_and_mailed(cases: list[Case]) -> bool:
    ids = [case.pk for case in cases]
    final = Case.objects.filter(pk__in=ids, status__in=FINAL).count() == len(ids)
    return final and not Notification.objects.filter(case__in=ids, sent_at__isnull=True).exists()


def assert_final_exactly_once(cases: list[Case], mailbox) -> None:
    """Each case reached review once: one summary event, one of each email, one finalise step."""
    emails = sent_emails(mailbox)
    to_patients = Counter(message["To"] for message in emails if message["To"] != STAFF_EMAIL)
    for case in cases:
        case.refresh_from_db()
        assert case.status == CaseStatus.WAITING_FOR_REVIEW, case.status
        # Intake records its own events (started, submitted); these are the pipeline's.
        pipeline = [CaseStatus.PROCESSING, CaseStatus.WAITING_FOR_REVIEW]
        events = list(case.events.filter(status__in=pipeline).values_list("status", flat=True))
        assert events == pipeline, events
        assert PipelineStep.objects.filter(case=case, name=PipelineStep.Name.FINALISE).count() == 1
        # Intake's own email (submitted) goes through the same outbox; these are the pipeline's.
        owed = case.notifications.exclude(kind=Notification.Kind.CASE_SUBMITTED)
        kinds = sorted(owed.values_list("kind", flat=True))
        assert kinds == [Notification.Kind.PATIENT_CASE_READY, Notification.Kind.STAFF_CASE_READY]
        submitted = case.notifications.filter(kind=Notification.Kind.CASE_SUBMITTED).count()
        assert to_patients[case.owner.email] == 1 + submitted
        assert case.summary["documents"] and all(doc["status"] == D.DONE for doc in case.summary["documents"])
    staff = [message for message in emails if message["To"] == STAFF_EMAIL]
    assert sorted(message["Subject"] for message in staff) == sorted(
        f"Case {str(case.public_id)[:8]} is waiting for review" for case in cases
    )


def test_cases_with_several_documents_end_waiting_for_review_with_their_findings_once(
    worker_logs, pipeline_env, mailbox
):
    purge_queues()
    cases = [
        submitted_case(samples.pathology_report_pdf(), samples.text_pdf(samples.CLINIC_LETTER), photo())
        for _ in range(3)
    ]

    with celery_worker(worker_logs, **pipeline_env):
        for case in cases:
            submit(case)
        wait_for(lambda: all_final_and_mailed(cases), timeout=90, logs=worker_logs, what="every case to be reviewed")

    assert_final_exactly_once(cases, mailbox)
    for case in cases:
        comparison = {row["key"]: row["outcome"] for row in case.summary["comparison"]}
        assert comparison["her2"] == "differs" and comparison["pd_l1"] == "agrees"
        report = case.documents.get(kind="pathology_report")
        assert "CPS 8" in report.extracted_text
        assert {biomarker["key"] for biomarker in report.findings["biomarkers"]} >= {"her2", "pd_l1", "cldn18_2"}
        names = set(PipelineStep.objects.filter(case=case).values_list("name", flat=True))
        assert names == set(PipelineStep.Name.values)


def photo() -> bytes:
    return samples.image_bytes(samples.photo(), "JPEG")


def test_a_case_submitted_through_intake_reaches_review_and_a_document_added_later_brings_it_back(
    worker_logs, pipeline_env, mailbox, broker, patient, consent_text
):
    documents = [("pathology.pdf", samples.pathology_report_pdf()), ("letter.pdf", samples.text_pdf("Dear Dr Okafor,"))]
    # The intake's own services: consent, answers, uploads, submission (which sends case_process).
    case = cases.submitted_case(patient, consent_text, *documents)
    # Each document was sent as it arrived in the draft, then the case and its email at submission.
    added = case.documents.order_by("pk").values_list("pk", flat=True)
    [submitted] = case.notifications.values_list("pk", flat=True)
    assert queued(broker) == [
        *((task_names.DOCUMENT_PROCESS, [pk]) for pk in added),
        (task_names.CASE_PROCESS, [case.pk]),
        (task_names.NOTIFICATIONS_SEND, [[submitted]]),
    ]

    with celery_worker(worker_logs, **pipeline_env):
        wait_for(lambda: all_final_and_mailed([case]), timeout=60, logs=worker_logs, what="the case to be reviewed")
        assert_final_exactly_once([case], mailbox)
        comparison = {row["key"]: row["outcome"] for row in case.summary["comparison"]}
        # She answered HER2 "Positive (3+)" and stage 3; the report says 2+ not amplified, stage IIB.
        assert (comparison["her2"], comparison["stage"]) == ("differs", "differs")

        # A record added afterwards: intake sends document_process, and the case goes round again.
        added = cases.add(case, "letter-2.pdf", samples.text_pdf(samples.CLINIC_LETTER))
        wait_for(
            lambda: (
                case.events.filter(status=CaseStatus.WAITING_FOR_REVIEW).count() == 2 and all_final_and_mailed([case])
            ),
            timeout=60,
            logs=worker_logs,
            what="the case to be reviewed again",
        )

    added.refresh_from_db()
    assert (added.status, added.kind) == (D.DONE, "clinic_letter")
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_REVIEW
    assert len(case.summary["documents"]) == 3
    assert case.notifications.filter(kind=Notification.Kind.PATIENT_CASE_READY).count() == 2


@pytest.mark.both_storages
def test_records_added_to_a_draft_are_read_as_they_arrive_and_the_case_is_summarised_once_at_submission(
    worker_logs, pipeline_env, mailbox, patient, consent_text
):
    purge_queues()
    case = cases.complete_case(patient, consent_text, ("pathology.pdf", samples.pathology_report_pdf()))
    [report] = case.documents.all()

    with celery_worker(worker_logs, **pipeline_env):
        wait_for(
            lambda: case.documents.filter(status=D.DONE).count() == 1,
            timeout=60,
            logs=worker_logs,
            what="the draft's record to be read",
        )
        # Still a draft: read, not summarised, and nobody emailed.
        case.refresh_from_db()
        assert (case.status, case.summary) == (CaseStatus.DRAFT, {})
        assert not case.notifications.exists()
        letter = cases.add(case, "letter.pdf", samples.text_pdf(samples.CLINIC_LETTER))
        removed = cases.add(case, "wrong.pdf", samples.text_pdf("Not mine"))
        intake.document_remove(document=removed)  # at once, while it may be in the worker's hands
        wait_for(
            lambda: Document.objects.filter(pk=letter.pk, status=D.DONE).exists(),
            timeout=60,
            logs=worker_logs,
            what="the second record to be read",
        )

        intake.case_submit(case=case, user=patient)
        wait_for(lambda: all_final_and_mailed([case]), timeout=60, logs=worker_logs, what="the case to be reviewed")

    assert_final_exactly_once([case], mailbox)
    report.refresh_from_db()
    assert report.kind == "pathology_report" and report.findings["biomarkers"]
    # Each record was read once: one row per step, none of them again after the submission.
    steps = Counter(PipelineStep.objects.filter(document=report).values_list("name", flat=True))
    assert set(steps.values()) == {1}
    assert len(case.summary["documents"]) == 2
    removed.refresh_from_db()
    assert (removed.status, removed.safe_copy.name, removed.findings) == (D.DELETED, "", {})
    # Storage holds exactly what the kept rows name: the removed record left nothing behind.
    kept = case.documents.exclude(status=D.DELETED)
    named = {name for document in kept for name in (document.file.name, document.safe_copy.name)}
    assert stored_files() == named


def test_eicar_in_a_pdf_is_quarantined_by_the_worker_and_the_patient_told_once(worker_logs, pipeline_env, mailbox):
    purge_queues()
    infected = samples.pdf_with_attachment("results.txt", samples.EICAR, compress=True)
    case = submitted_case(infected, samples.pathology_report_pdf())

    with celery_worker(worker_logs, **pipeline_env):
        submit(case)
        wait_for(lambda: all_final_and_mailed([case]), timeout=60, logs=worker_logs, what="the case to be reviewed")

    assert sorted(case.documents.values_list("status", flat=True)) == [D.DONE, D.QUARANTINED]
    subjects = Counter(message["Subject"] for message in sent_emails(mailbox))
    assert subjects["We could not accept one of your files"] == 1
    assert subjects["Your records are with our reviewers"] == 1
    assert subjects[f"A document in case {str(case.public_id)[:8]} was quarantined"] == 1


def test_beat_runs_the_reconciler_which_sends_again_what_a_lost_message_left(worker_logs, pipeline_env, mailbox):
    purge_queues()
    # Submitted a while ago, and its message never reached a worker (Redis lost it, say).
    case = submitted_case(samples.pathology_report_pdf())
    long_ago = timezone.now() - timedelta(minutes=15)
    Case.objects.filter(pk=case.pk).update(updated_at=long_ago, submitted_at=long_ago)
    case.documents.update(status_changed_at=long_ago)

    with celery_worker(worker_logs, **pipeline_env), celery_beat(worker_logs, **pipeline_env):
        wait_for(lambda: all_final_and_mailed([case]), timeout=60, logs=worker_logs, what="the reconciler")

    assert_final_exactly_once([case], mailbox)
    assert CaseEvent.objects.filter(case=case).count() == 2


def test_the_reconciler_runs_at_once_behind_a_backlog_on_a_queue_of_its_own(worker_logs, pipeline_env):
    import redis
    from django.conf import settings

    purge_queues()
    backlog = 3000
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    # All of it waiting before a worker starts: the reconciler sent last, behind the whole backlog.
    with celery_app.producer_or_acquire() as producer:
        for number in range(backlog):
            celery_app.send_task("celery.accumulate", args=[number], producer=producer)
        celery_app.send_task(task_names.RECONCILE, producer=producer)
    assert client.llen(task_names.DEFAULT_QUEUE) == backlog
    with celery_worker(worker_logs, **pipeline_env):
        log = next(worker_logs.glob("worker-*.log"))
        wait_for(
            lambda: re.search(r"Task uploads\.tasks\.reconcile\[[^\]]+\] succeeded", log.read_text()),
            timeout=60,
            logs=worker_logs,
            what="the reconciler to run",
        )
        # It did not wait for the work ahead of it in the default queue: the worker took it while most of
        # that work was still to do. (Counted from the log, not from what is left in Redis when it has
        # finished: how long the reconciler itself runs depends on the machine.)
        text = log.read_text()
        received = re.search(r"Task uploads\.tasks\.reconcile\[[^\]]+\] received", text)
        assert received, "the worker never logged taking the reconciler"
        done_before = len(re.findall(r"Task celery\.accumulate\[[^\]]+\] succeeded", text[: received.start()]))
        assert done_before < backlog // 2
    purge_queues()


def test_the_beat_schedule_runs_the_reconciler():
    celery_app.loader.import_default_modules()  # what a worker does when it starts
    entry = celery_app.conf.beat_schedule["pipeline-reconcile"]

    assert entry["task"] == "uploads.tasks.reconcile"
    assert "uploads.tasks.reconcile" in celery_app.tasks


def test_the_task_names_intake_sends_are_registered_and_retry_transient_errors():
    from django.db import OperationalError

    from uploads.pipeline.errors import ScannerUnavailable

    celery_app.loader.import_default_modules()
    case_task = celery_app.tasks["uploads.tasks.case_process"]
    document_task = celery_app.tasks["uploads.tasks.document_process"]

    assert OperationalError in case_task.autoretry_for
    assert ScannerUnavailable in document_task.autoretry_for
    for task in (case_task, document_task, celery_app.tasks["uploads.tasks.notifications_send"]):
        assert task.max_retries == 3
        assert task.retry_backoff and task.retry_jitter
