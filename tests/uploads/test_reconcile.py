"""The reconciler finds what waited too long and sends its task again, through the real Redis."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import CaseFactory, DocumentFactory
from tests.uploads.conftest import queued
from uploads import task_names
from uploads.models import Case, CaseStatus, Document, DocumentStatus, Notification
from uploads.services import processing
from uploads.services.reconcile import Reconciled, pipeline_reconcile

pytestmark = pytest.mark.django_db

D = DocumentStatus


@pytest.fixture
def reconcile(django_capture_on_commit_callbacks):
    """Run the reconciler as beat does, outside a transaction: what it sends goes out at once."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return pipeline_reconcile()

    return run


@pytest.fixture
def long_ago(settings):
    return timezone.now() - timedelta(seconds=settings.PIPELINE_STUCK_AFTER_SECONDS + 5)


def age(document: Document, when, **fields) -> None:
    Document.objects.filter(pk=document.pk).update(status_changed_at=when, **fields)


def test_documents_waiting_too_long_are_sent_again_and_fresh_ones_are_left(broker, reconcile, long_ago):
    case = CaseFactory(status=CaseStatus.PROCESSING, submitted_at=long_ago)
    lost = DocumentFactory(case=case)  # its message never arrived
    age(lost, long_ago)
    pending = DocumentFactory(case=case)
    age(pending, long_ago, status=D.PENDING_SCAN)
    abandoned = DocumentFactory(case=case)  # its worker was killed mid-scan
    age(abandoned, long_ago, status=D.SCANNING, claim_token="00000000-0000-0000-0000-000000000001", claimed_at=long_ago)
    working = DocumentFactory(case=case)  # waiting long, but claimed a moment ago by a live worker
    age(
        working,
        long_ago,
        status=D.EXTRACTING,
        claim_token="00000000-0000-0000-0000-000000000002",
        claimed_at=timezone.now(),
    )
    fresh = DocumentFactory(case=case)
    done = DocumentFactory(case=case)
    age(done, long_ago, status=D.DONE)
    # A draft's documents are read as they arrive: one stuck is sent again like any other.
    draft = DocumentFactory(case=CaseFactory(status=CaseStatus.DRAFT))
    age(draft, long_ago)
    withdrawn = DocumentFactory(case=CaseFactory(status=CaseStatus.WITHDRAWN, submitted_at=long_ago))
    age(withdrawn, long_ago)

    found = reconcile()

    assert sorted(found.documents) == sorted([lost.pk, pending.pk, abandoned.pk, draft.pk])
    assert fresh.pk not in found.documents
    assert sorted(args[0] for name, args in queued(broker) if name == task_names.DOCUMENT_PROCESS) == sorted(
        found.documents
    )


def test_cases_whose_message_or_summary_was_lost_are_sent_again(broker, reconcile, long_ago):
    submitted = CaseFactory()
    unfinished = CaseFactory(status=CaseStatus.PROCESSING)  # all documents final, never finalised
    DocumentFactory(case=unfinished, status=D.DONE)
    still_working = CaseFactory(status=CaseStatus.PROCESSING)
    DocumentFactory(case=still_working, status=D.RECEIVED)
    recent = CaseFactory()
    Case.objects.exclude(pk=recent.pk).update(updated_at=long_ago)

    found = reconcile()

    assert sorted(found.cases) == sorted([submitted.pk, unfinished.pk])
    assert (task_names.CASE_PROCESS, [submitted.pk]) in queued(broker)


def test_emails_not_sent_in_time_are_sent_again(broker, reconcile, long_ago):
    case = CaseFactory()
    processing.case_process(case_id=case.pk)
    unsent, sent = case.notifications.all()
    Notification.objects.update(created_at=long_ago)
    Notification.objects.filter(pk=sent.pk).update(sent_at=timezone.now())

    found = reconcile()

    assert found.notifications == [unsent.pk]
    assert (task_names.NOTIFICATIONS_SEND, [[unsent.pk]]) in queued(broker)


def test_the_reconciler_asks_the_same_queries_however_much_is_stuck(
    broker, reconcile, long_ago, django_assert_num_queries
):
    for _ in range(4):
        case = CaseFactory(status=CaseStatus.PROCESSING)
        for document in DocumentFactory.create_batch(5, case=case):
            age(document, long_ago)
    Case.objects.update(updated_at=long_ago, submitted_at=long_ago)

    # One look for each kind of work, and one stamp for the documents found.
    with django_assert_num_queries(4):
        found = reconcile()

    assert len(found.documents) == 20
    assert len(queued(broker)) == 20


def test_a_resend_still_queued_is_not_sent_again_and_one_the_broker_lost_is(
    broker, reconcile, long_ago, settings, django_capture_on_commit_callbacks
):
    case = CaseFactory(status=CaseStatus.SUBMITTED)
    document = DocumentFactory(case=CaseFactory(status=CaseStatus.PROCESSING))
    age(document, long_ago)
    Case.objects.update(updated_at=long_ago)
    finalised = CaseFactory()
    processing.case_process(case_id=finalised.pk)  # its emails' messages never arrived
    notification = finalised.notifications.first()
    finalised.notifications.exclude(pk=notification.pk).delete()
    Notification.objects.update(created_at=long_ago)

    first = reconcile()
    assert (first.documents, first.cases, first.notifications) == ([document.pk], [case.pk], [notification.pk])
    # Beat's next ticks, while those messages wait behind a backlog: nothing is doubled.
    assert reconcile() == Reconciled(documents=[], cases=[], notifications=[])
    assert len(queued(broker)) == 3

    # Redis restarts without them. Once they could have been picked up, they are sent again.
    broker.purge()
    later = timezone.now() + timedelta(seconds=settings.PIPELINE_STUCK_AFTER_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        again = pipeline_reconcile(now=later)
    assert (again.documents, again.cases, again.notifications) == ([document.pk], [case.pk], [notification.pk])
    assert len(queued(broker)) == 3


def test_ticks_lost_while_redis_was_down_are_caught_up_by_the_next(broker, reconcile, settings):
    # Work that got stuck at different moments of a long outage, when no tick reached a worker.
    now = timezone.now()
    documents = []
    for minutes in (11, 30, 90):
        document = DocumentFactory(case=CaseFactory(status=CaseStatus.PROCESSING))
        age(document, now - timedelta(seconds=settings.PIPELINE_STUCK_AFTER_SECONDS) - timedelta(minutes=minutes))
        documents.append(document.pk)

    # The first tick after the outage measures from the database: everything is there at once.
    assert sorted(reconcile().documents) == sorted(documents)


def test_a_document_sent_again_by_the_reconciler_completes_its_case(broker, reconcile, long_ago):
    case = CaseFactory()
    document = DocumentFactory(case=case)
    age(document, long_ago)
    Case.objects.update(updated_at=long_ago, submitted_at=long_ago)

    found = reconcile()
    for name, (pk,) in queued(broker):  # what a worker would do with them
        if name == task_names.CASE_PROCESS:
            processing.case_process(case_id=pk)
        else:
            processing.document_process(document_id=pk)

    assert found.documents == [document.pk] and found.cases == [case.pk]
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_REVIEW


def test_documents_uploaded_long_ago_to_a_case_submitted_now_are_each_sent_once(
    broker, reconcile, long_ago, django_capture_on_commit_callbacks, settings
):
    # Uploaded long ago while clamd gave no verdict, or while the broker lost the draft's messages;
    # the patient submits now, and the submission sends each document.
    case = CaseFactory(status=CaseStatus.SUBMITTED)
    documents = DocumentFactory.create_batch(3, case=case)
    for document, status in zip(documents, (D.PENDING_SCAN, D.RECEIVED, D.SCANNING), strict=True):
        age(document, long_ago, status=status)
    with django_capture_on_commit_callbacks(execute=True):
        processing.case_process(case_id=case.pk)

    found = reconcile()

    assert found.documents == []
    sent = [args[0] for name, args in queued(broker) if name == task_names.DOCUMENT_PROCESS]
    assert sorted(sent) == sorted(document.pk for document in documents)

    # Once the submission's messages could have been picked up, they are stuck like any other.
    later = timezone.now() + timedelta(seconds=settings.PIPELINE_STUCK_AFTER_SECONDS + 1)
    assert len(pipeline_reconcile(now=later).documents) == 3
