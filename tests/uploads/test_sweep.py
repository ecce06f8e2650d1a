"""Files no row names: a run killed after writing a file, and the sweep that removes what is left.

A killed run is reproduced by calling the real pieces in the order it leaves them: the file written
under its name, the row never updated. Nothing of ours is replaced.
"""

import io
import logging
from datetime import timedelta

import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils import timezone

from navis.celery import app as celery_app
from tests.factories import CaseFactory, DocumentFactory
from tests.storage import stored_files
from tests.uploads import samples
from uploads import tasks
from uploads.models import Document, DocumentStatus, safe_copy_name
from uploads.pipeline.safe_copy import make_safe_copy
from uploads.services import intake, processing, sweep
from uploads.storage import private_storage

pytestmark = pytest.mark.django_db

D = DocumentStatus


def named_files() -> set[str]:
    names = Document.objects.exclude(status=D.DELETED).values_list("file", "safe_copy")
    return {name for pair in names for name in pair if name}


def killed_after_saving_the_safe_copy(document: Document) -> str:
    """What a run killed right after storage.save of the safe copy leaves: the file, and no row naming it."""
    reading = processing.document_scan(processing.document_claim(document_id=document.pk, status=D.SCANNING))
    assert reading is not None and reading.status == D.EXTRACTING
    copy = io.BytesIO()
    with document.file.open("rb") as original:
        made = make_safe_copy(original, copy)
    copy.seek(0)
    # The name and the call document_read uses; the process dies before the row is written.
    return private_storage().save(safe_copy_name(reading.document, made.extension), File(copy))


def past_stuck(settings, document: Document) -> None:
    """Age the dead run's claim past PIPELINE_STUCK_AFTER_SECONDS, as the clock would."""
    Document.objects.filter(pk=document.pk).update(
        claimed_at=timezone.now() - timedelta(seconds=settings.PIPELINE_STUCK_AFTER_SECONDS + 1)
    )


@pytest.mark.both_storages
def test_a_run_killed_after_saving_the_safe_copy_is_replaced_by_its_takeover(settings):
    document = DocumentFactory(content=samples.pathology_report_pdf())
    left = killed_after_saving_the_safe_copy(document)
    assert stored_files() == {document.file.name, left}
    assert left not in named_files()  # the state the outside soak found 32 times

    past_stuck(settings, document)
    takeover = processing.document_claim(document_id=document.pk, status=D.EXTRACTING)
    assert takeover is not None and takeover.attempt == 2
    processing.document_read(takeover)

    document.refresh_from_db()
    assert document.status == D.DONE
    # The takeover wrote over the file the killed run left: storage holds exactly what the row names.
    assert document.safe_copy.name == left
    assert stored_files() == named_files() == {document.file.name, left}


@pytest.mark.both_storages
def test_a_run_killed_after_saving_the_safe_copy_of_a_file_that_fails_leaves_it_to_the_sweep(settings):
    document = DocumentFactory(content=samples.pathology_report_pdf())
    left = killed_after_saving_the_safe_copy(document)
    # Its takeovers never finish either: the document fails for good, and no row names the copy.
    for _ in range(processing.MAX_ATTEMPTS):
        past_stuck(settings, document)
        processing.document_claim(document_id=document.pk, status=D.EXTRACTING)
    document.refresh_from_db()
    assert document.status == D.FAILED and not document.safe_copy.name
    assert stored_files() == {document.file.name, left}

    grace = timedelta(seconds=settings.STORAGE_SWEEP_GRACE_SECONDS)
    assert sweep.storage_sweep(now=timezone.now() + grace - timedelta(minutes=5)) == 0
    assert stored_files() == {document.file.name, left}

    assert sweep.storage_sweep(now=timezone.now() + grace + timedelta(seconds=1)) == 1
    assert stored_files() == named_files() == {document.file.name}


@pytest.mark.both_storages
def test_an_upload_killed_before_its_row_was_written_is_swept_and_named_files_stay(settings):
    case = CaseFactory(status="draft")
    kept = DocumentFactory(case=case)
    # What document_add does up to the moment the request dies: the file stored, the row never saved.
    unsaved = Document(case=case, original_name="lost.pdf", content_type="application/pdf", size=3, sha256="0" * 64)
    unsaved.file.save("upload", ContentFile(b"pdf"), save=False)
    assert not Document.objects.filter(public_id=unsaved.public_id).exists()
    # And a file a deleted row still names, whose deletion failed: nothing keeps it either.
    removed = DocumentFactory(case=case)
    Document.objects.filter(pk=removed.pk).update(status=D.DELETED, deleted_at=timezone.now())
    # Outside cases/ is not the sweep's (the readiness probe writes and deletes its own files).
    private_storage().save("readiness/probe", ContentFile(b"ok"))
    assert stored_files() == {kept.file.name, unsaved.file.name, removed.file.name, "readiness/probe"}

    later = timezone.now() + timedelta(seconds=settings.STORAGE_SWEEP_GRACE_SECONDS + 1)
    assert sweep.storage_sweep(now=later) == 2

    assert stored_files() == {kept.file.name, "readiness/probe"}
    assert sweep.storage_sweep(now=later) == 0  # safe to run twice


@pytest.mark.both_storages
def test_the_sweep_logs_how_many_it_deleted_and_never_a_name(settings, caplog):
    case = CaseFactory()
    private_storage().save(f"cases/{case.public_id}/safe/left-behind.pdf", ContentFile(b"copy"))

    with caplog.at_level(logging.INFO, logger="uploads.services.sweep"):
        deleted = tasks.storage_sweep()  # the task beat runs, called as the worker does
        assert deleted == 0  # within the grace period
        settings.STORAGE_SWEEP_GRACE_SECONDS = 0
        assert tasks.storage_sweep() == 1

    messages = [record.getMessage() for record in caplog.records if record.name == "uploads.services.sweep"]
    assert messages == [
        "Storage sweep deleted 0 file(s) that no row names",
        "Storage sweep deleted 1 file(s) that no row names",
    ]
    assert stored_files() == set()


def test_the_beat_schedule_runs_the_sweep():
    celery_app.loader.import_default_modules()  # what a worker does when it starts
    entry = celery_app.conf.beat_schedule["storage-sweep"]

    assert entry["task"] == "uploads.tasks.storage_sweep"
    assert "uploads.tasks.storage_sweep" in celery_app.tasks


@pytest.mark.both_storages
def test_a_document_removed_while_its_copy_is_written_leaves_nothing_for_the_sweep():
    case = CaseFactory(status="draft")
    document = DocumentFactory(case=case, content=samples.pathology_report_pdf())
    reading = processing.document_scan(processing.document_claim(document_id=document.pk, status=D.SCANNING))
    with document.file.open("rb") as opened:  # the reader has the original open when it is removed
        reading.document.file.file = opened.file
        intake.document_remove(document=document)
        processing.document_read(reading)  # writes its copy, then finds its claim lost

    assert stored_files() == set()
