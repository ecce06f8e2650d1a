"""Only the owner and authorised staff reach a case or a document; every download is logged."""

import pytest
from django.urls import reverse

from tests.factories import StaffFactory, UserFactory
from tests.logins import log_in
from tests.storage import stored_bytes
from tests.uploads import files
from tests.uploads.cases import complete_case, consented_case, multipart, submitted_case, unknown_id
from uploads.models import AccessLog, DocumentStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient_b_case(consent_text):
    return complete_case(UserFactory(email="b@example.com"), consent_text, ("b-scan.pdf", files.pdf("B's scan")))


def case_urls(case) -> list[tuple[str, str]]:
    """Every page and action of a case, with the method a browser would use."""
    document = case.documents.get()
    args = [case.public_id]
    return [
        ("get", reverse("uploads:case_detail", args=args)),
        ("get", reverse("uploads:case_consent", args=args)),
        ("post", reverse("uploads:case_consent", args=args)),
        ("get", reverse("uploads:case_diagnosis", args=args)),
        ("post", reverse("uploads:case_diagnosis", args=args)),
        ("get", reverse("uploads:case_records", args=args)),
        ("get", reverse("uploads:case_check", args=args)),
        ("post", reverse("uploads:case_check", args=args)),
        ("get", reverse("uploads:case_withdraw", args=args)),
        ("post", reverse("uploads:case_withdraw", args=args)),
        ("post", reverse("uploads:document_upload", args=args)),
        ("post", reverse("uploads:document_remove", args=[case.public_id, document.public_id])),
        ("get", reverse("uploads:document_download", args=[case.public_id, document.public_id])),
    ]


def test_patient_a_cannot_reach_any_page_or_file_of_patient_b(patient_client, patient_b_case):
    for method, url in case_urls(patient_b_case):
        response = getattr(patient_client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
    patient_b_case.refresh_from_db()
    assert patient_b_case.status == "draft" and patient_b_case.documents.get().status == DocumentStatus.RECEIVED
    assert not AccessLog.objects.exists()


def test_patient_a_cannot_fetch_b_s_document_through_a_case_of_their_own(
    patient_client, patient, consent_text, patient_b_case
):
    own = complete_case(patient, consent_text)
    theirs = patient_b_case.documents.get()

    response = patient_client.get(reverse("uploads:document_download", args=[own.public_id, theirs.public_id]))

    assert response.status_code == 404


def test_guessed_and_malformed_ids_answer_404_like_any_other(patient_client, patient_b_case):
    for url in [
        reverse("uploads:case_detail", args=[unknown_id()]),
        reverse("uploads:document_download", args=[patient_b_case.public_id, unknown_id()]),
        reverse("uploads:document_download", args=[unknown_id(), unknown_id()]),
        f"/cases/{patient_b_case.pk}/",
        f"/cases/{patient_b_case.public_id}/documents/{patient_b_case.documents.get().pk}/download/",
    ]:
        assert patient_client.get(url).status_code == 404, url


def test_b_s_case_never_appears_on_a_s_pages(patient_client, patient, consent_text, patient_b_case):
    complete_case(patient, consent_text)

    for url in [reverse("uploads:dashboard"), reverse("uploads:case_start")]:
        page = patient_client.get(url).content.decode()
        assert str(patient_b_case.public_id) not in page and "b-scan.pdf" not in page


def test_anonymous_visitors_reach_no_case_page_or_file(client, patient_b_case):
    for method, url in [*case_urls(patient_b_case), ("get", reverse("uploads:dashboard"))]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url
    assert not AccessLog.objects.exists()


@pytest.mark.both_storages
def test_the_owner_downloads_an_attachment_that_cannot_render_and_the_download_is_logged(
    patient_client, patient, consent_text
):
    content = files.pdf("Mine")
    case = complete_case(patient, consent_text, ("my report.pdf", content))
    document = case.documents.get()

    response = patient_client.get(
        reverse("uploads:document_download", args=[case.public_id, document.public_id]),
        headers={"X-Request-ID": "req-download-1"},
        REMOTE_ADDR="192.0.2.44",
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"] == 'attachment; filename="my report.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"
    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.case, entry.document) == (patient, "download_document", case, document)
    assert (entry.ip_address, entry.request_id) == ("192.0.2.44", "req-download-1")


def pdf_with_a_page_appended() -> bytes:
    """What the probe sent: a real PDF (so it passes every check) with HTML and script after its end."""
    return files.pdf("Lab results") + b"\n<html><body><script>fetch('/cases/')</script></body></html>\n"


@pytest.mark.parametrize(
    ("name", "downloaded"), [("lab-results.html", "lab-results.pdf"), ("report.pdf\x00.exe", "report.pdf")]
)
def test_a_file_named_as_another_type_is_stored_and_downloaded_as_what_it_is(
    patient_client, patient, consent_text, name, downloaded
):
    case = consented_case(patient, consent_text)
    content = pdf_with_a_page_appended()
    body, content_type = multipart([(name, content)])
    uploaded = patient_client.generic(
        "POST",
        reverse("uploads:document_upload", args=[case.public_id]),
        body,
        content_type=content_type,
        headers={"accept": "application/json"},
    )
    document = case.documents.get()

    response = patient_client.get(reverse("uploads:document_download", args=[case.public_id, document.public_id]))

    assert uploaded.json()["results"] == [{"name": downloaded, "ok": True, "message": "Uploaded.", "listed": True}]
    assert document.original_name == downloaded
    assert document.file.name.endswith(".pdf") and stored_bytes(document.file.name) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{downloaded}"'


def test_staff_with_two_factor_and_permission_download_a_scanned_document_and_are_logged(
    client, patient, consent_text, broker
):
    case = submitted_case(patient, consent_text)
    document = case.documents.get()
    url = reverse("uploads:document_download", args=[case.public_id, document.public_id])
    reviewer = StaffFactory(email="doctor@example.com", groups=["Medical reviewer"])
    reviewer.user_permissions.add(*_view_document_permission())
    log_in(client, reviewer.email)

    assert client.get(url).status_code == 404, "not yet scanned: no staff may open it"
    document.status = DocumentStatus.CLEAN
    document.save()
    response = client.get(url)

    assert response.status_code == 200
    assert AccessLog.objects.get().user == reviewer


def test_staff_open_no_record_of_a_draft_though_it_was_read_as_it_arrived(client, patient, consent_text):
    from tests.uploads.review import document_done

    case = complete_case(patient, consent_text)
    document = document_done(case.documents.get())  # read in the draft, as the pipeline now does
    reviewer = StaffFactory(email="doctor@example.com", groups=["Case reviewer"])
    reviewer.user_permissions.add(*_view_document_permission())
    log_in(client, reviewer.email)

    download = reverse("uploads:document_download", args=[case.public_id, document.public_id])
    safe_copy = reverse("admin:uploads_case_document_view", args=[case.pk, document.public_id])
    page = client.get(reverse("admin:uploads_case_change", args=[case.pk])).content.decode()

    assert client.get(download).status_code == 404
    assert client.get(safe_copy).status_code == 404
    assert "View safe copy" not in page and document.extracted_text not in page
    assert not AccessLog.objects.filter(action="download_document").exists()


def test_staff_without_the_permission_or_without_two_factor_cannot_download(client, patient, consent_text, broker):
    case = submitted_case(patient, consent_text)
    document = case.documents.get()
    document.status = DocumentStatus.DONE
    document.save()
    url = reverse("uploads:document_download", args=[case.public_id, document.public_id])
    editor = StaffFactory(email="editor@example.com", groups=["Editor"])
    no_two_factor = StaffFactory(email="new@example.com", two_factor=False)
    no_two_factor.user_permissions.add(*_view_document_permission())

    for member in (editor, no_two_factor):
        client.force_login(member)
        assert client.get(url).status_code == 404, member.email
    assert not AccessLog.objects.exists()


def test_nobody_downloads_a_quarantined_or_deleted_document(patient_client, patient, consent_text):
    case = complete_case(patient, consent_text)
    document = case.documents.get()
    url = reverse("uploads:document_download", args=[case.public_id, document.public_id])

    for status in (DocumentStatus.QUARANTINED, DocumentStatus.DELETED):
        document.status = status
        document.save()
        assert patient_client.get(url).status_code == 404, status


def _view_document_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(codename="view_document", content_type__app_label="uploads")
