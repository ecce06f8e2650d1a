"""The pipeline's services, run in the test process against the real PostgreSQL, Redis and clamd.

The tasks only call these; tests/uploads/test_tasks.py and test_faults.py run them in a real worker.
"""

import hashlib
import io
import threading
from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from pypdf import PdfReader

from tests.factories import CaseFactory, DocumentFactory, StaffFactory
from tests.storage import stored_bytes, stored_files, stored_overwrite, stored_remove
from tests.uploads import samples
from tests.uploads.conftest import OwnClamd, queued
from tests.uploads.review import case_reviewer
from tests.uploads.test_pipeline_safe_copy import reachable_objects
from uploads import task_names
from uploads.due_dates import due_at
from uploads.models import Case, CaseEvent, CaseStatus, Document, DocumentStatus, Notification, PipelineStep
from uploads.pipeline.errors import ScannerUnavailable
from uploads.pipeline.extract import tesseract_path
from uploads.services import intake, notifications, processing, review
from uploads.workflow import TransitionError

pytestmark = pytest.mark.django_db

D = DocumentStatus
Kind = Notification.Kind
Step = PipelineStep.Name


def run_pipeline(case) -> None:
    """What the worker does for a submitted case: the case task, then each document's task."""
    processing.case_process(case_id=case.pk)
    for pk in case.documents.values_list("pk", flat=True):
        processing.document_process(document_id=pk)


def statuses(case) -> list[str]:
    return list(case.documents.order_by("pk").values_list("status", flat=True))


def scanned_letter_png() -> bytes:
    return samples.image_bytes(samples.scanned_page((1240, 1754)), "PNG")


# --- A whole case ---------------------------------------------------------------------------


def test_a_case_with_several_documents_ends_waiting_for_review_with_its_findings():
    case = CaseFactory(biomarkers={"her2": "positive", "pd_l1": "CPS 8"}, stage="2")
    report = DocumentFactory(case=case, content=samples.pathology_report_pdf())
    letter = DocumentFactory(case=case, content=samples.text_pdf(samples.CLINIC_LETTER))
    scan = DocumentFactory(case=case, content=scanned_letter_png(), original_name="scan.png")

    run_pipeline(case)

    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_REVIEW
    assert statuses(case) == [D.DONE, D.DONE, D.DONE]
    report.refresh_from_db()
    assert report.kind == "pathology_report"
    assert report.page_count == 1
    her2 = [b for b in report.findings["biomarkers"] if b["name"] == "HER2" and b["score"]]
    assert her2[0]["score"] == "2+"
    cps = [(b["name"], b["value"]) for b in report.findings["biomarkers"] if b["measure"] == "CPS"]
    assert cps == [("PD-L1", 8.0)]
    letter.refresh_from_db()
    assert letter.kind == "clinic_letter"
    scan.refresh_from_db()
    assert scan.safe_copy_content_type == "image/png"

    # The patient said HER2 positive; the report says 2+ not amplified, the letter 1+: flagged.
    comparison = {row["key"]: row for row in case.summary["comparison"]}
    assert comparison["her2"]["outcome"] == "differs"
    assert comparison["pd_l1"]["outcome"] == "agrees"
    assert comparison["stage"]["outcome"] == "agrees"  # Stage IIB
    assert case.summary["differences"] == 1
    assert case.priority == 2
    assert case.due_at == due_at(case.submitted_at, 2)
    assert [event.status for event in case.events.all()] == [CaseStatus.PROCESSING, CaseStatus.WAITING_FOR_REVIEW]
    assert sorted(case.notifications.values_list("kind", flat=True)) == [Kind.PATIENT_CASE_READY, Kind.STAFF_CASE_READY]


def test_running_everything_again_changes_nothing():
    case = CaseFactory()
    DocumentFactory.create_batch(2, case=case)
    run_pipeline(case)
    case.refresh_from_db()
    summary, steps = case.summary, PipelineStep.objects.filter(case=case).count()

    run_pipeline(case)
    run_pipeline(case)

    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_REVIEW
    assert case.summary == summary
    assert case.events.count() == 2
    assert case.notifications.count() == 2
    assert PipelineStep.objects.filter(case=case).count() == steps


def test_each_step_is_timed_for_the_timeline():
    case = CaseFactory()
    document = DocumentFactory(case=case, content=samples.pathology_report_pdf())

    run_pipeline(case)

    steps = list(PipelineStep.objects.timeline(case))
    assert [(step.document_id, step.name, step.outcome) for step in steps] == [
        (document.pk, Step.INTEGRITY, "ok"),
        (document.pk, Step.SCAN, "ok"),
        (document.pk, Step.SAFE_COPY, "ok"),
        (document.pk, Step.EXTRACT, "ok"),
        (document.pk, Step.CLASSIFY, "ok"),
        (document.pk, Step.FINDINGS, "ok"),
        (None, Step.FINALISE, "ok"),
    ]
    assert all(step.duration_ms > 0 for step in steps)
    assert steps[0].started_at <= steps[-1].started_at


def test_a_case_without_documents_goes_to_review_on_the_patients_answers():
    case = CaseFactory()

    processing.case_process(case_id=case.pk)

    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_REVIEW
    assert case.summary["attention"] == ["No documents: only the patient's answers."]


def test_a_stage_4_case_comes_first_due_in_its_working_days(settings):
    settings.CASE_DUE_WORKING_DAYS = {1: 2, 2: 3, 3: 5}
    friday = timezone.make_aware(datetime(2026, 12, 4, 9, 30))
    case = CaseFactory(stage="4", submitted_at=friday)

    processing.case_process(case_id=case.pk)

    case.refresh_from_db()
    assert case.priority == 1
    assert timezone.localtime(case.due_at) == timezone.make_aware(datetime(2026, 12, 8, 9, 30))


def test_a_drafts_document_is_read_at_once_and_the_draft_is_summarised_only_at_submission(
    broker, django_capture_on_commit_callbacks
):
    case = CaseFactory(status=CaseStatus.DRAFT)
    document = DocumentFactory(case=case, content=samples.pathology_report_pdf())

    processing.document_process(document_id=document.pk)

    document.refresh_from_db()
    case.refresh_from_db()
    assert (document.status, document.kind) == (D.DONE, "pathology_report")
    assert document.findings["biomarkers"]
    assert (case.status, case.summary) == (CaseStatus.DRAFT, {})
    assert not case.events.exists() and not case.notifications.exists()

    # Submitted with every document read: nothing is sent again, the summary is made at once.
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.SUBMITTED, submitted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        processing.case_process(case_id=case.pk)

    assert [name for name, _ in queued(broker)] == [task_names.NOTIFICATIONS_SEND]
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_REVIEW
    assert [row["id"] for row in case.summary["documents"]] == [str(document.public_id)]
    assert [event.status for event in case.events.all()] == [CaseStatus.PROCESSING, CaseStatus.WAITING_FOR_REVIEW]


def test_at_submission_only_the_documents_still_waiting_are_sent(broker, django_capture_on_commit_callbacks):
    case = CaseFactory(status=CaseStatus.DRAFT)
    read = DocumentFactory(case=case)
    processing.document_process(document_id=read.pk)
    waiting = DocumentFactory(case=case)  # clamd gave no verdict yet, say
    Document.objects.filter(pk=waiting.pk).update(status=D.PENDING_SCAN)

    Case.objects.filter(pk=case.pk).update(status=CaseStatus.SUBMITTED, submitted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        processing.case_process(case_id=case.pk)

    assert queued(broker) == [(task_names.DOCUMENT_PROCESS, [waiting.pk])]
    case.refresh_from_db()
    assert case.status == CaseStatus.PROCESSING
    processing.document_process(document_id=waiting.pk)
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_REVIEW


def test_a_document_being_read_when_its_draft_is_submitted_finalises_the_case(
    broker, django_capture_on_commit_callbacks
):
    case = CaseFactory(status=CaseStatus.DRAFT)
    document = DocumentFactory(case=case, content=samples.pathology_report_pdf())
    scanning = processing.document_claim(document_id=document.pk, status=D.SCANNING)
    reading = processing.document_scan(scanning)

    # Submitted while the draft's reader is at work: the message sent for it finds it taken.
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.SUBMITTED, submitted_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        processing.case_process(case_id=case.pk)
    processing.document_process(document_id=document.pk)
    case.refresh_from_db()
    assert case.status == CaseStatus.PROCESSING

    processing.document_read(reading)
    processing.case_finalise_if_ready(case_id=case.pk)  # what the reader's run does next

    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_REVIEW
    assert PipelineStep.objects.filter(case=case, name=Step.FINALISE).count() == 1


def test_a_document_removed_while_it_is_scanned_records_nothing_and_leaves_no_file():
    case = CaseFactory(status=CaseStatus.DRAFT)
    document = DocumentFactory(case=case, content=samples.pathology_report_pdf())
    claim = processing.document_claim(document_id=document.pk, status=D.SCANNING)

    intake.document_remove(document=document)
    assert processing.document_scan(claim) is None  # its file is gone: the claim sees it deleted

    document.refresh_from_db()
    assert (document.status, document.attempts, document.claim_token) == (D.DELETED, 0, None)
    assert stored_files() == set()
    assert not PipelineStep.objects.filter(document=document).exists()


def test_a_document_removed_while_it_is_read_keeps_no_safe_copy_nor_reading():
    case = CaseFactory(status=CaseStatus.DRAFT)
    document = DocumentFactory(case=case, content=samples.pathology_report_pdf())
    reading = processing.document_scan(processing.document_claim(document_id=document.pk, status=D.SCANNING))
    with document.file.open("rb") as opened:  # the reader has the file open when it is removed
        reading.document.file.file = opened.file
        intake.document_remove(document=document)
        processing.document_read(reading)

    document.refresh_from_db()
    assert (document.status, document.safe_copy.name, document.findings, document.extracted_text) == (
        D.DELETED,
        "",
        {},
        "",
    )
    assert stored_files() == set()
    # Sent again (the reconciler, a duplicate message): nothing to take.
    processing.document_process(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == D.DELETED


def test_a_draft_withdrawn_while_its_document_is_read_leaves_no_file():
    case = CaseFactory(status=CaseStatus.DRAFT)
    document = DocumentFactory(case=case, content=samples.pathology_report_pdf())
    reading = processing.document_scan(processing.document_claim(document_id=document.pk, status=D.SCANNING))

    intake.case_withdraw(case=case, user=case.owner)
    processing.document_read(reading)  # it fails to open the deleted file, or records nothing

    document.refresh_from_db()
    case.refresh_from_db()
    assert (case.status, document.status, document.attempts) == (CaseStatus.WITHDRAWN, D.DELETED, 0)
    assert stored_files() == set()


def test_submitting_enqueues_each_document_after_commit(broker, django_capture_on_commit_callbacks):
    case = CaseFactory()
    first, second = DocumentFactory.create_batch(2, case=case)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        processing.case_processing_start(case_id=case.pk)

    assert len(callbacks) == 1  # one hand-off to the broker, after the commit
    assert queued(broker) == [
        (task_names.DOCUMENT_PROCESS, [first.pk]),
        (task_names.DOCUMENT_PROCESS, [second.pk]),
    ]


# --- A new document on a case under review -----------------------------------------------------


def test_a_document_added_under_review_reopens_the_case_and_it_is_summarised_again():
    case = CaseFactory()
    first = DocumentFactory(case=case)
    run_pipeline(case)
    added = DocumentFactory(case=case, content=samples.pathology_report_pdf())

    processing.document_process(document_id=added.pk)

    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_REVIEW
    assert [event.status for event in case.events.all()] == [
        CaseStatus.PROCESSING,
        CaseStatus.WAITING_FOR_REVIEW,
        CaseStatus.PROCESSING,
        CaseStatus.WAITING_FOR_REVIEW,
    ]
    assert case.notifications.count() == 4  # two for each time it reached the reviewers
    assert len(case.summary["documents"]) == 2

    # A repeated message about a document already done does not reopen the case.
    processing.document_process(document_id=first.pk)
    assert case.events.count() == 4


# --- Claims ---------------------------------------------------------------------------------


def test_a_document_claimed_by_another_run_is_left_alone():
    document = DocumentFactory()

    claim = processing.document_claim(document_id=document.pk, status=D.SCANNING)

    assert claim is not None and claim.attempt == 1
    assert processing.document_claim(document_id=document.pk, status=D.SCANNING) is None
    document.refresh_from_db()
    assert (document.status, document.claim_token) == (D.SCANNING, claim.token)


@pytest.mark.django_db(transaction=True)
def test_of_two_runs_claiming_a_document_at_the_same_moment_one_gets_it():
    case = CaseFactory(status=CaseStatus.PROCESSING)
    for document in DocumentFactory.create_batch(15, case=case):
        start = threading.Barrier(2)
        claims = []

        def run(document_id=document.pk, start=start, claims=claims):
            try:
                start.wait()
                claims.append(processing.document_claim(document_id=document_id, status=D.SCANNING))
            finally:
                connection.close()  # each thread has its own connection

        runs = [threading.Thread(target=run) for _ in range(2)]
        for thread in runs:
            thread.start()
        for thread in runs:
            thread.join()

        assert len([claim for claim in claims if claim is not None]) == 1, claims


def test_a_stale_claim_is_taken_over_and_counts_as_an_attempt(settings):
    document = DocumentFactory()
    first = processing.document_claim(document_id=document.pk, status=D.SCANNING)
    Document.objects.filter(pk=document.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=settings.PIPELINE_STUCK_AFTER_SECONDS + 1)
    )

    second = processing.document_claim(document_id=document.pk, status=D.SCANNING)

    assert second is not None and second.token != first.token
    assert second.attempt == 2
    document.refresh_from_db()
    assert document.attempts == 1
    assert document.failure_reason == "An attempt at scanning did not finish."

    # The first run, slow but alive, finishes after all: its word no longer counts.
    assert processing.document_scan(first) is None
    document.refresh_from_db()
    assert (document.status, document.claim_token) == (D.SCANNING, second.token)
    # The second run's clean verdict takes the document on to extracting, for that run.
    reading = processing.document_scan(second)
    document.refresh_from_db()
    assert (document.status, document.scan_result, document.claim_token) == (D.EXTRACTING, "clean", reading.token)
    processing.document_read(reading)
    document.refresh_from_db()
    assert document.status == D.DONE
    # The timeline shows the attempt that did not finish, then the scan that did.
    scans = PipelineStep.objects.filter(document=document, name=Step.SCAN)
    assert [(step.outcome, step.detail) for step in scans] == [
        ("retry", "Did not finish: its worker stopped."),
        ("ok", ""),
    ]


def test_a_document_taken_over_mid_read_keeps_the_scan_its_stopped_run_made(settings):
    document = DocumentFactory(case=CaseFactory(), content=samples.pathology_report_pdf())
    reading = processing.document_scan(processing.document_claim(document_id=document.pk, status=D.SCANNING))
    assert reading is not None
    # Its worker stops while it reads: the claim grows old, and the next run takes it over.
    Document.objects.filter(pk=document.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=settings.PIPELINE_STUCK_AFTER_SECONDS + 1)
    )

    processing.document_process(document_id=document.pk)

    document.refresh_from_db()
    assert (document.status, document.attempts) == (D.DONE, 1)
    timeline = PipelineStep.objects.filter(document=document).order_by("pk")
    assert [(step.name, step.outcome, step.attempt) for step in timeline] == [
        (Step.INTEGRITY, "ok", 1),
        (Step.SCAN, "ok", 1),
        (Step.EXTRACT, "retry", 1),  # the stopped run's reading, as its takeover records it
        (Step.SAFE_COPY, "ok", 2),
        (Step.EXTRACT, "ok", 2),
        (Step.CLASSIFY, "ok", 2),
        (Step.FINDINGS, "ok", 2),
    ]


def test_a_document_whose_worker_stops_three_times_fails_for_good_with_the_reason(settings):
    case = CaseFactory()
    document = DocumentFactory(case=case)
    long_ago = timezone.now() - timedelta(seconds=settings.PIPELINE_STUCK_AFTER_SECONDS + 1)
    for _ in range(3):
        processing.document_claim(document_id=document.pk, status=D.SCANNING)
        Document.objects.filter(pk=document.pk).update(claimed_at=long_ago)

    assert processing.document_claim(document_id=document.pk, status=D.SCANNING) is None

    document.refresh_from_db()
    assert document.status == D.FAILED
    assert document.attempts == 3
    assert document.failure_reason == "Stopped after 3 attempts. An attempt at scanning did not finish."
    outcomes = PipelineStep.objects.filter(document=document).values_list("attempt", "outcome")
    assert list(outcomes) == [(1, "retry"), (2, "retry"), (3, "failed")]


# --- Malware --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [samples.EICAR, samples.pdf_with_attachment("results.txt", samples.EICAR, compress=True)],
    ids=["eicar-alone", "eicar-inside-a-pdf"],
)
def test_eicar_is_quarantined_staff_and_patient_are_told_and_the_other_documents_go_on(content):
    case = CaseFactory()
    infected = DocumentFactory(case=case, content=content)
    clean = DocumentFactory(case=case, content=samples.pathology_report_pdf())

    run_pipeline(case)

    infected.refresh_from_db()
    assert infected.status == D.QUARANTINED
    assert infected.scan_result == "Navis.Test.EICAR.UNOFFICIAL"
    assert not infected.safe_copy and infected.extracted_text == ""
    clean.refresh_from_db()
    assert clean.status == D.DONE
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_REVIEW
    assert case.summary["attention"][0].startswith("1 document(s) quarantined")
    assert sorted(Notification.objects.filter(document=infected).values_list("kind", flat=True)) == [
        Kind.PATIENT_DOCUMENT_QUARANTINED,
        Kind.STAFF_DOCUMENT_QUARANTINED,
    ]
    scan = PipelineStep.objects.get(document=infected, name=Step.SCAN)
    assert (scan.outcome, scan.detail) == ("quarantined", "Navis.Test.EICAR.UNOFFICIAL")


def test_with_clamd_stopped_nothing_is_marked_clean_and_the_document_waits(settings, own_clamd: OwnClamd):
    settings.CLAMD_SOCKET = own_clamd.socket.socket_path
    settings.CLAMD_HOST = ""
    settings.CLAMD_TIMEOUT = 5
    case = CaseFactory()
    document = DocumentFactory(case=case, content=samples.pathology_report_pdf())
    assert own_clamd.script("stop").returncode == 0

    for _ in range(4):
        with pytest.raises(ScannerUnavailable):
            processing.document_process(document_id=document.pk)

    document.refresh_from_db()
    assert document.status == D.PENDING_SCAN
    assert document.attempts == 0  # waiting for the scanner is not the document's failure
    assert document.scan_result == "" and not document.safe_copy
    assert not PipelineStep.objects.filter(document=document, name=Step.SCAN).exclude(outcome="pending").exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.PROCESSING

    assert own_clamd.script("start").returncode == 0
    processing.document_process(document_id=document.pk)

    document.refresh_from_db()
    case.refresh_from_db()
    assert (document.status, case.status) == (D.DONE, CaseStatus.WAITING_FOR_REVIEW)


# --- Real sample documents ------------------------------------------------------------------


def test_a_pdf_with_javascript_is_read_and_its_safe_copy_has_none_left():
    case = CaseFactory()
    document = DocumentFactory(case=case, content=samples.pdf_with_active_content())

    run_pipeline(case)

    document.refresh_from_db()
    assert document.status == D.DONE
    assert document.safe_copy_content_type == "application/pdf"
    copy = document.safe_copy.read()
    reader = PdfReader(io.BytesIO(copy))
    for key in ("/JS", "/JavaScript", "/OpenAction", "/AA", "/EmbeddedFiles"):
        assert not [node for node in reachable_objects(reader) if key in node], key
    assert samples.JS_MARKER.encode() not in copy
    assert "HER2 (4B5): score 2+ (equivocal)" in reader.pages[0].extract_text()
    # The original is kept as it arrived, script and all.
    original = document.file.read()
    assert hashlib.sha256(original).hexdigest() == document.sha256
    assert b"/S /JavaScript" in original and b"/JavaScript" not in copy
    assert "CPS 8" in document.extracted_text


@pytest.mark.skipif(tesseract_path() is None, reason="tesseract is not installed; OCR is optional")
def test_a_scanned_letter_is_read_by_ocr_into_its_kind_and_findings():
    case = CaseFactory()
    document = DocumentFactory(case=case, content=scanned_letter_png())

    run_pipeline(case)

    document.refresh_from_db()
    assert document.status == D.DONE
    assert "Dear Dr Okafor" in document.extracted_text
    assert document.kind == "clinic_letter"
    names = {biomarker["name"] for biomarker in document.findings["biomarkers"]}
    assert {"HER2", "PD-L1"} <= names


def test_without_tesseract_a_scanned_letter_gives_its_page_and_a_clean_copy(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without tesseract
    case = CaseFactory()
    document = DocumentFactory(case=case, content=scanned_letter_png())

    run_pipeline(case)

    document.refresh_from_db()
    assert (document.status, document.page_count, document.extracted_text) == (D.DONE, 1, "")
    assert document.kind == "other"
    case.refresh_from_db()
    assert "check them by eye" in case.summary["attention"][0]


# --- Failures -------------------------------------------------------------------------------


def test_a_refused_document_fails_at_once_and_its_case_needs_attention():
    case = CaseFactory()
    locked = DocumentFactory(case=case, content=samples.encrypted_pdf(user_password="patient-secret"))
    DocumentFactory(case=case)

    run_pipeline(case)

    locked.refresh_from_db()
    assert locked.status == D.FAILED
    assert locked.failure_reason == "The PDF is protected by a password."
    assert locked.attempts == 0
    case.refresh_from_db()
    assert case.status == CaseStatus.NEEDS_ATTENTION
    assert list(case.notifications.values_list("kind", flat=True)) == [Kind.STAFF_CASE_NEEDS_ATTENTION]


def test_the_new_copy_staff_asked_for_closes_the_old_failure_once_it_is_read():
    case = CaseFactory()
    locked = DocumentFactory(case=case, content=samples.encrypted_pdf(user_password="patient-secret"))
    DocumentFactory(case=case)
    run_pipeline(case)
    reviewer = case_reviewer("reviewer@example.com")
    review.case_new_copy_request(case=case, by=reviewer)

    new_copy = DocumentFactory(case=case, content=samples.pathology_report_pdf())
    processing.document_process(document_id=new_copy.pk)

    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_REVIEW
    assert str(locked.public_id) not in {reading["id"] for reading in case.summary["documents"]}
    assert len(case.summary["documents"]) == 2
    locked.refresh_from_db()
    assert locked.status == D.FAILED  # kept as a record of what was sent, only no longer counted


def test_a_failed_file_asked_for_again_still_counts_while_no_new_copy_came():
    case = CaseFactory()
    locked = DocumentFactory(case=case, content=samples.encrypted_pdf(user_password="patient-secret"))
    run_pipeline(case)
    reviewer = case_reviewer("reviewer@example.com")
    review.case_new_copy_request(case=case, by=reviewer)

    processing.document_retry(document_id=locked.pk, actor=reviewer)
    processing.document_process(document_id=locked.pk)

    case.refresh_from_db()
    assert case.status == CaseStatus.NEEDS_ATTENTION


def test_a_stored_file_that_changed_fails_its_integrity_check():
    case = CaseFactory()
    document = DocumentFactory(case=case)
    stored_overwrite(document.file.name, b"%PDF-1.4 something else")

    run_pipeline(case)

    document.refresh_from_db()
    assert document.status == D.FAILED
    assert "SHA-256 differs" in document.failure_reason
    step = PipelineStep.objects.get(document=document)
    assert (step.name, step.outcome) == (Step.INTEGRITY, "failed")


def test_a_file_missing_from_storage_is_tried_three_times_then_failed_with_the_reason():
    case = CaseFactory()
    document = DocumentFactory(case=case)
    stored_remove(document.file.name)

    for attempt in (1, 2):
        with pytest.raises(FileNotFoundError):
            processing.document_process(document_id=document.pk)
        document.refresh_from_db()
        assert (document.status, document.attempts) == (D.PENDING_SCAN, attempt)
    processing.document_process(document_id=document.pk)  # the third: failed for good, nothing raised

    document.refresh_from_db()
    assert document.status == D.FAILED
    assert document.failure_reason == "Stopped after 3 attempts. Last: Integrity check: FileNotFoundError"
    assert list(PipelineStep.objects.filter(document=document).values_list("outcome", flat=True)) == [
        "retry",
        "retry",
        "failed",
    ]
    case.refresh_from_db()
    assert case.status == CaseStatus.NEEDS_ATTENTION


def test_staff_retry_a_failed_document_and_the_case_goes_to_review():
    staff = StaffFactory()
    case = CaseFactory()
    document = DocumentFactory(case=case, content=samples.pathology_report_pdf())
    original = stored_bytes(document.file.name)
    stored_overwrite(document.file.name, b"damaged")
    run_pipeline(case)
    stored_overwrite(document.file.name, original)  # restored from a backup, say

    processing.document_retry(document_id=document.pk, actor=staff)
    processing.document_process(document_id=document.pk)

    document.refresh_from_db()
    case.refresh_from_db()
    assert (document.status, document.failure_reason, document.attempts) == (D.DONE, "", 0)
    assert case.status == CaseStatus.WAITING_FOR_REVIEW
    retried = case.events.get(actor=staff)
    assert retried.status == CaseStatus.PROCESSING


def test_only_a_failed_document_can_be_retried():
    case = CaseFactory()
    document = DocumentFactory(case=case)
    run_pipeline(case)

    with pytest.raises(TransitionError, match="cannot go from done to received"):
        processing.document_retry(document_id=document.pk, actor=StaffFactory())


# --- Notifications --------------------------------------------------------------------------


def test_the_patient_email_carries_no_health_information():
    case = CaseFactory(biomarkers={"her2": "positive"}, treatment_so_far="FLOT chemotherapy")
    DocumentFactory(case=case, content=samples.pathology_report_pdf(), original_name="her2-biopsy.pdf")
    run_pipeline(case)
    patient = case.notifications.get(kind=Kind.PATIENT_CASE_READY)

    assert notifications.notification_send(notification_id=patient.pk)

    (message,) = mail.outbox
    assert message.to == [case.owner.email]
    text = f"{message.subject}\n{message.body}".lower()
    for health_word in ("stomach", "cancer", "her2", "pd-l1", "biopsy", "flot", "stage", "positive", "pathology"):
        assert health_word not in text, health_word
    assert "with our reviewers" in text


def test_the_quarantine_email_tells_the_patient_plainly(settings):
    settings.PIPELINE_STAFF_EMAILS = ["reviewers@navis.example"]
    case = CaseFactory()
    document = DocumentFactory(case=case, content=samples.EICAR, original_name="scan-of-my-biopsy.pdf")
    run_pipeline(case)

    for notification in Notification.objects.filter(document=document):
        notifications.notification_send(notification_id=notification.pk)

    patient = next(message for message in mail.outbox if message.to == [case.owner.email])
    assert patient.subject == "We could not accept one of your files"
    assert "does not mean you did anything wrong" in patient.body
    assert "biopsy" not in patient.body.lower()
    staff = next(message for message in mail.outbox if message.to == ["reviewers@navis.example"])
    assert "Navis.Test.EICAR.UNOFFICIAL" in staff.body


def test_staff_emails_go_to_the_configured_addresses_or_else_to_staff(settings):
    StaffFactory(email="staff@example.com")
    StaffFactory(email="gone@example.com", is_active=False)
    case = CaseFactory()
    processing.case_process(case_id=case.pk)
    staff = case.notifications.get(kind=Kind.STAFF_CASE_READY)

    settings.PIPELINE_STAFF_EMAILS = []
    assert notifications.notification_message(staff).to == ["staff@example.com"]
    settings.PIPELINE_STAFF_EMAILS = ["reviewers@navis.example"]
    assert notifications.notification_message(staff).to == ["reviewers@navis.example"]


def test_a_notification_is_sent_once_however_often_its_task_runs(settings):
    settings.PIPELINE_STAFF_EMAILS = ["reviewers@navis.example"]
    case = CaseFactory()
    processing.case_process(case_id=case.pk)

    sent = [
        notifications.notification_send(notification_id=notification.pk)
        for notification in case.notifications.all()
        for _ in range(3)
    ]

    assert sent == [True, False, False, True, False, False]
    assert len(mail.outbox) == 2
    assert not case.notifications.filter(sent_at__isnull=True).exists()


def test_the_emails_of_one_change_go_over_one_connection(settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    settings.PIPELINE_STAFF_EMAILS = ["reviewers@navis.example"]
    case = CaseFactory()
    processing.case_process(case_id=case.pk)
    ids = list(case.notifications.values_list("pk", flat=True))

    assert notifications.notifications_send(notification_ids=ids) == 2
    assert notifications.notifications_send(notification_ids=ids) == 0

    (written,) = (tmp_path / "mail").iterdir()  # the file backend writes a file per connection
    assert written.read_text().count("Subject: ") == 2


def test_a_case_event_gets_each_kind_of_notification_once():
    case = CaseFactory()
    processing.case_process(case_id=case.pk)
    event = case.events.last()

    with pytest.raises(IntegrityError), transaction.atomic():
        notifications.notifications_create(case=case, kinds=[Kind.PATIENT_CASE_READY], event=event)
    assert CaseEvent.objects.filter(case=case).count() == 2


# --- Query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize("documents", [2, 12])
def test_finalising_a_case_takes_the_same_queries_however_many_documents(documents, django_assert_num_queries):
    case = CaseFactory()
    DocumentFactory.create_batch(documents, case=case)
    processing.case_processing_start(case_id=case.pk)
    Document.objects.filter(case=case).update(status=D.DONE, findings=samples_findings())

    # exists, savepoint, lock the case, its documents, update, event, notifications, step, release
    with django_assert_num_queries(9):
        assert processing.case_finalise_if_ready(case_id=case.pk)


def samples_findings() -> dict:
    from uploads.pipeline.findings import extract_findings

    return extract_findings(samples.PATHOLOGY_REPORT).to_dict()


def test_a_document_takes_three_writes_from_received_to_done(django_assert_num_queries):
    case = CaseFactory(status=CaseStatus.PROCESSING)
    document, _still_waiting = DocumentFactory.create_batch(2, case=case)

    # The claim (its row read back by the same statement), clean and on to extracting with the scan's
    # steps, done with the reading's steps (each outcome one statement, no transaction), and whether
    # the case is ready.
    with django_assert_num_queries(4):
        processing.document_process(document_id=document.pk)

    document.refresh_from_db()
    assert document.status == D.DONE


@pytest.mark.parametrize("documents", [2, 12])
def test_starting_a_submitted_case_takes_the_same_queries_however_many_documents(documents, django_assert_num_queries):
    case = CaseFactory()
    DocumentFactory.create_batch(documents, case=case)

    # Savepoint, lock the case, its move (update, event), the documents to send and their stamp
    # (task_sent_at), release, and whether the case is ready.
    with django_assert_num_queries(8):
        processing.case_process(case_id=case.pk)

    sent = [document.task_sent_at is not None for document in case.documents.all()]
    assert sent == [True] * documents


def test_the_last_document_of_a_case_is_done_and_finalises_it_in_twelve_queries(django_assert_num_queries):
    case = CaseFactory(status=CaseStatus.PROCESSING)
    first, last = DocumentFactory.create_batch(2, case=case)
    processing.document_process(document_id=first.pk)

    # Its claim and two outcomes, whether the case is ready, then the case's summary as above
    # (savepoint, lock, documents, update, event, notifications, step, release).
    with django_assert_num_queries(12):
        processing.document_process(document_id=last.pk)

    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_REVIEW
    assert case.pipeline_steps.filter(document=last).count() == 6  # integrity, scan, safe copy, text, kind, findings


def test_the_emails_of_a_finalised_case_take_three_queries_each(settings, django_assert_num_queries):
    settings.PIPELINE_STAFF_EMAILS = ["reviewers@navis.example"]
    case = CaseFactory()
    DocumentFactory(case=case)
    processing.case_process(case_id=case.pk)
    processing.document_process(document_id=case.documents.get().pk)
    ids = list(case.notifications.values_list("pk", flat=True))
    assert len(ids) == 2

    # Each: its claim, its row with the case's, and marked sent.
    with django_assert_num_queries(6):
        assert notifications.notifications_send(notification_ids=ids) == 2
