"""The pipeline's admin pieces, as the case and document admins will use them."""

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore

from tests.factories import CaseFactory, DocumentFactory, StaffFactory
from tests.uploads import samples
from tests.uploads.conftest import queued
from uploads import task_names
from uploads.admin.pipeline import PipelineStepInline, retry_failed_documents
from uploads.models import Case, CaseStatus, Document, DocumentStatus, PipelineStep
from uploads.services import processing

pytestmark = pytest.mark.django_db


def staff_request(rf, user):
    request = rf.post("/admin/uploads/document/")
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_the_retry_action_sends_failed_documents_again_and_says_why_it_cannot_others(
    rf, admin_user, broker, django_capture_on_commit_callbacks
):
    case = CaseFactory()
    failed = DocumentFactory(case=case, content=samples.encrypted_pdf(user_password="patient-secret"))
    done = DocumentFactory(case=case, original_name="letter.pdf")
    processing.case_process(case_id=case.pk)
    for document in (failed, done):
        processing.document_process(document_id=document.pk)
    request = staff_request(rf, admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        retry_failed_documents(admin.ModelAdmin(Document, admin.site), request, Document.objects.filter(case=case))

    failed.refresh_from_db()
    assert (failed.status, failed.failure_reason) == (DocumentStatus.RECEIVED, "")
    assert Case.objects.get(pk=case.pk).status == CaseStatus.PROCESSING
    assert [str(message) for message in get_messages(request)] == [
        "letter.pdf: A document cannot go from done to received.",
        "1 document(s) sent through the pipeline again.",
    ]
    assert queued(broker) == [(task_names.DOCUMENT_PROCESS, [failed.pk])]


def test_the_retry_action_needs_the_permission_to_change_documents(rf):
    model_admin = admin.ModelAdmin(Document, admin.site)
    model_admin.actions = [retry_failed_documents]
    reader = StaffFactory()

    assert "retry_failed_documents" not in model_admin.get_actions(staff_request(rf, reader))


def test_the_timeline_reads_every_step_of_a_case_in_one_query(rf, admin_user, django_assert_num_queries):
    case = CaseFactory()
    for _ in range(3):
        DocumentFactory(case=case)
    processing.case_process(case_id=case.pk)
    for document in case.documents.all():
        processing.document_process(document_id=document.pk)
    inline = PipelineStepInline(Case, admin.site)

    with django_assert_num_queries(1):
        rows = [
            (str(step.document) if step.document else "", step.name, inline.duration(step))
            for step in inline.get_queryset(staff_request(rf, admin_user)).filter(case=case)
        ]

    assert len(rows) == PipelineStep.objects.filter(case=case).count() == 3 * 6 + 1
    assert rows[-1][:2] == ("", "finalise")
    assert all(row[2].endswith(" ms") for row in rows)
    assert not inline.has_add_permission(None) and not inline.has_change_permission(None)
