"""Cases at each point of their life, made with the real services."""

import hashlib
import uuid

from django.utils import timezone

from articles.rendering import render_markdown
from tests.uploads import files
from uploads.models import Case, CaseEvent, CaseStatus, ConsentText, Document, Guidance
from uploads.services import intake
from uploads.storage import ReceivedFile

MULTIPART_BOUNDARY = "navis-test-boundary"


def received(name: str, content: bytes) -> ReceivedFile:
    """A file as the upload handler hands it over: in a temporary file, with its size and SHA-256."""
    upload = ReceivedFile(name, "application/octet-stream", 0, None)
    upload.write(content)
    upload.size = len(content)
    upload.sha256 = hashlib.sha256(content).hexdigest()
    upload.seek(0)
    return upload


def add(case: Case, name: str, content: bytes) -> Document:
    """Add a file to the case through the real service, as the upload view does."""
    upload = received(name, content)
    try:
        return intake.document_add(case=case, upload=upload).document
    finally:
        upload.close()


def consented_case(owner, consent_text: ConsentText) -> Case:
    case = intake.case_start(user=owner)
    intake.consent_give(
        case=case,
        user=owner,
        consent_text=consent_text,
        accepted_keys=consent_text.keys,
        ip_address="203.0.113.9",
        user_agent="Test browser",
    )
    case.refresh_from_db()
    return case


def complete_case(owner, consent_text: ConsentText, *documents: tuple[str, bytes]) -> Case:
    """A draft ready to submit: consent, answers and (by default) one PDF."""
    case = consented_case(owner, consent_text)
    intake.case_diagnosis_update(
        case=case,
        answers={
            "cancer_type_other": "Stomach cancer",
            "stage": "3",
            "biomarkers": {"her2": "Positive (3+)"},
            "questions": "Is immunotherapy an option for me?",
        },
    )
    for name, content in documents or [("pathology.pdf", files.pdf("Pathology"))]:
        add(case, name, content)
    case.refresh_from_db()
    return case


def submitted_case(owner, consent_text: ConsentText, *documents: tuple[str, bytes]) -> Case:
    case = complete_case(owner, consent_text, *documents)
    intake.case_submit(case=case, user=owner)
    case.refresh_from_db()
    return case


def move(case: Case, status: str) -> Case:
    """Move a case on as the pipeline or staff would, without running them (for tests of other parts)."""
    case.status = status
    case.save(update_fields=["status"])
    CaseEvent.objects.create(case=case, status=status)
    return case


def release_guidance(case: Case, body: str) -> Guidance:
    move(case, CaseStatus.GUIDANCE_READY)
    return Guidance.objects.create(
        case=case,
        body=body,
        body_html=render_markdown(body),
        status=Guidance.Status.RELEASED,
        released_at=timezone.now(),
    )


def stored_names(case: Case) -> list[str]:
    return [d.file.name for d in Document.objects.filter(case=case)]


def multipart(files_to_send: list[tuple[str, bytes]], **fields: str) -> tuple[bytes, str]:
    """A multipart body with file names exactly as given (the test client would strip their folders)."""
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{MULTIPART_BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for file_name, content in files_to_send:
        header = (
            f"--{MULTIPART_BOUNDARY}\r\n"
            f'Content-Disposition: form-data; name="files"; filename="{file_name}"\r\n'
            "Content-Type: application/pdf\r\n\r\n"
        )
        parts.append(header.encode("utf-8", "surrogateescape") + content + b"\r\n")
    parts.append(f"--{MULTIPART_BOUNDARY}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={MULTIPART_BOUNDARY}"


def unknown_id() -> uuid.UUID:
    return uuid.uuid4()
