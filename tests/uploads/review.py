"""People and cases for the staff review tests."""

from django.core.files.base import ContentFile
from django.test import Client

from tests.factories import StaffFactory
from tests.logins import log_in
from tests.uploads import files
from tests.uploads.cases import move, submitted_case
from uploads.models import Case, CaseStatus, Document, DocumentStatus


def case_reviewer(email: str, **kwargs) -> StaffFactory:
    return StaffFactory(email=email, groups=["Case reviewer"], **kwargs)


def signed_in(user) -> Client:
    """A browser signed in through the real login and two-factor pages."""
    client = Client()
    log_in(client, user.email)
    return client


def waiting_case(owner, consent_text) -> Case:
    """A submitted case whose documents the pipeline finished, waiting in the queue."""
    case = submitted_case(owner, consent_text)
    for document in case.documents.all():
        document_done(document)
    move(case, CaseStatus.PROCESSING)
    return move(case, CaseStatus.WAITING_FOR_REVIEW)


def document_done(document: Document) -> Document:
    """Give a document what the pipeline gives it: clean, read, with a safe copy."""
    document.safe_copy.save("safe", ContentFile(files.pdf("Safe copy")), save=False)
    document.safe_copy_content_type = "application/pdf"
    document.status = DocumentStatus.DONE
    document.kind = "pathology_report"
    document.page_count = 1
    document.extracted_text = "HER2 3+ by IHC."
    document.findings = {"version": 1, "biomarkers": [{"name": "HER2", "status": "positive", "score": "3+"}]}
    document.save()
    return document


def needs_attention_case(owner, consent_text) -> Case:
    """A submitted case the pipeline finalised with one document it could not read."""
    case = submitted_case(
        owner, consent_text, ("pathology.pdf", files.pdf("Pathology")), ("scan.pdf", files.pdf("Scan"))
    )
    done, unread = case.documents.order_by("uploaded_at", "id")
    document_done(done)
    unread.status = DocumentStatus.FAILED
    unread.failure_reason = "The text could not be read."
    unread.save()
    move(case, CaseStatus.PROCESSING)
    return move(case, CaseStatus.NEEDS_ATTENTION)
