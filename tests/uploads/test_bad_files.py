"""Bad files through the real upload view: each gets a plain reason, nothing breaks, the case stays whole."""

import html
import re

import pytest
from django.urls import reverse

from tests.storage import stored_files
from tests.uploads import files
from tests.uploads.cases import add, consented_case, multipart
from uploads.models import Document

pytestmark = pytest.mark.django_db

OVERSIZE_LIMIT = 64 * 1024


@pytest.fixture
def case_with_a_record(patient, consent_text):
    case = consented_case(patient, consent_text)
    add(case, "pathology.pdf", files.pdf("Pathology"))
    return case


def bad_files() -> list[tuple[str, bytes, str]]:
    oversize = files.pdf("Large") + b"%" + b"x" * OVERSIZE_LIMIT + b"\n%%EOF\n"
    return [*files.BAD_FILES, ("huge-scan.pdf", oversize, "This file is larger than 64.0\xa0KB")]


def test_there_are_at_least_twenty_kinds_of_bad_file():
    assert len(bad_files()) >= 20


@pytest.mark.parametrize(("name", "content", "reason"), bad_files(), ids=[f[0] for f in bad_files()])
def test_each_bad_file_is_refused_with_a_plain_reason(
    patient_client, case_with_a_record, settings, name, content, reason
):
    settings.UPLOAD_MAX_FILE_SIZE = OVERSIZE_LIMIT
    body, content_type = multipart([(name, content)])

    response = patient_client.generic(
        "POST",
        reverse("uploads:document_upload", args=[case_with_a_record.public_id]),
        body,
        content_type=content_type,
        headers={"accept": "application/json"},
    )

    assert response.status_code == 200
    [result] = response.json()["results"]
    assert result["ok"] is False
    assert reason in result["message"]
    assert "/" not in result["name"] and "\\" not in result["name"]
    assert not re.search(r"[\x00-\x1f\x7f\u202a-\u202e]", result["name"])
    assert [d.original_name for d in Document.objects.filter(case=case_with_a_record)] == ["pathology.pdf"]


def test_all_the_bad_files_in_one_post_leave_the_case_and_storage_as_they_were(
    patient_client, case_with_a_record, settings
):
    settings.UPLOAD_MAX_FILE_SIZE = OVERSIZE_LIMIT
    before = stored_files()
    good = files.image("JPEG", color="navy")
    body, content_type = multipart([*[(n, c) for n, c, _ in bad_files()], ("photo of letter.jpg", good)])

    posted = patient_client.generic(
        "POST", reverse("uploads:document_upload", args=[case_with_a_record.public_id]), body, content_type=content_type
    )
    response = patient_client.get(posted.url)

    page = html.unescape(response.content.decode())
    assert posted.status_code == 302 and response.status_code == 200
    assert page.count("upload-result--refused") == len(bad_files())
    for _, _, reason in bad_files():
        assert reason in page
    assert page.count("upload-result--ok") == 0 and "1 file uploaded: see the list of your records." in page
    documents = Document.objects.filter(case=case_with_a_record).order_by("uploaded_at")
    assert [d.original_name for d in documents] == ["pathology.pdf", "photo of letter.jpg"]
    after = stored_files()
    assert before < after and len(after) == len(before) + 1


def test_a_hostile_name_on_a_good_file_is_shown_safely_and_never_reaches_the_disk(patient_client, case_with_a_record):
    body, content_type = multipart([("../../..\\x/\u202etxt.pdf\x07 report.pdf", files.pdf("Hostile"))])

    patient_client.generic(
        "POST",
        reverse("uploads:document_upload", args=[case_with_a_record.public_id]),
        body,
        content_type=content_type,
    )

    document = Document.objects.get(case=case_with_a_record, sha256__isnull=False, original_name__contains="report")
    assert document.original_name == "txt.pdf report.pdf"
    assert ".." not in document.file.name and "report" not in document.file.name
    assert document.file.name in stored_files()
