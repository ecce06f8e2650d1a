"""Private storage on local disk and on a real S3-compatible server: encrypted, private, never a URL."""

import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.urls import reverse

from tests.services import subprocess_env
from tests.storage import stored_bytes, stored_encryption, stored_files
from tests.uploads import samples
from tests.uploads.cases import complete_case
from tests.uploads.conftest import free_tcp_port
from uploads.models import AccessLog, DocumentStatus
from uploads.services import processing
from uploads.storage import private_storage
from uploads.storage_backends import PrivateS3Storage

pytestmark = pytest.mark.django_db

on_s3 = pytest.mark.parametrize("private_storage_backend", ["s3"], indirect=True)


REPORT = samples.pathology_report_pdf()


def read_case(patient, consent_text):
    """A case whose record went through the pipeline in this process: the original and its safe copy stored."""
    case = complete_case(patient, consent_text, ("report.pdf", REPORT))
    document = case.documents.get()
    processing.document_process(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE and document.safe_copy.name
    return case, document


@on_s3
def test_every_object_is_encrypted_at_rest_and_refused_to_a_reader_without_credentials(
    patient, consent_text, s3_server, private_media
):
    _, document = read_case(patient, consent_text)
    names = {document.file.name, document.safe_copy.name}
    assert stored_files() == names

    for name in names:
        assert stored_encryption(name) == "AES256", name
        url = s3_server.object_url(f"{private_media}/{name}")
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=10)  # noqa: S310 - the local test server
        assert refused.value.code == 403, name
        # Only the bucket owner holds a grant: nobody else, signed in or not.
        grants = s3_server.client().get_object_acl(Bucket=s3_server.bucket, Key=f"{private_media}/{name}")["Grants"]
        assert {grant["Grantee"]["Type"] for grant in grants} == {"CanonicalUser"}, name
    # The same object with the owner's credentials: it is there, the refusal was about who asked.
    assert stored_bytes(document.file.name) == REPORT


@pytest.mark.both_storages
def test_no_patient_file_is_ever_given_a_url(patient, consent_text):
    _, document = read_case(patient, consent_text)

    for field in (document.file, document.safe_copy):
        with pytest.raises(NotImplementedError, match="have no URL"):
            field.url  # noqa: B018 - what a template or the admin would ask for
    with pytest.raises(NotImplementedError):
        private_storage().url(document.file.name)


@on_s3
def test_the_owner_s_download_from_the_bucket_goes_through_the_checking_view_and_is_logged(
    patient_client, patient, consent_text
):
    case, document = read_case(patient, consent_text)

    response = patient_client.get(reverse("uploads:document_download", args=[case.public_id, document.public_id]))

    assert response.status_code == 200 and "Location" not in response
    assert b"".join(response.streaming_content) == REPORT
    assert list(AccessLog.objects.filter(document=document).values_list("action", flat=True)) == ["download_document"]


@on_s3
def test_a_missing_object_is_not_found_and_one_deleted_twice_is_no_error():
    storage = private_storage()
    name = storage.save("cases/nobody/left.pdf", ContentFile(b"left"))
    storage.delete(name)
    storage.delete(name)

    with pytest.raises(FileNotFoundError):
        storage.get_modified_time(name)
    with pytest.raises(FileNotFoundError):
        storage.open(name)


def test_a_bucket_that_does_not_answer_is_an_os_error_that_the_pipeline_already_handles(s3_server):
    storage = PrivateS3Storage(**{**s3_server.storage("nowhere")["OPTIONS"], "endpoint_url": closed_port_url()})

    with pytest.raises(OSError, match="did not answer"):
        storage.delete("cases/x/safe/y.pdf")


def closed_port_url() -> str:
    return f"http://127.0.0.1:{free_tcp_port()}"


@pytest.mark.parametrize("options", [{"server_side_encryption": "none"}, {"default_acl": "public-read"}])
def test_a_private_bucket_cannot_be_configured_unencrypted_or_public(s3_server, options):
    with pytest.raises(ImproperlyConfigured):
        PrivateS3Storage(**{**s3_server.storage("nowhere")["OPTIONS"], **options})


@pytest.mark.both_storages
def test_a_worker_given_the_test_s_environment_uses_the_same_private_storage():
    # What tests/workers.py starts a worker with, read back by navis/settings.py in a process of its own.
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.STORAGES['default']))"
    )
    env = {**subprocess_env(), "DJANGO_SETTINGS_MODULE": "navis.settings"}
    shown = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)

    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout.splitlines()[-1]) == json.loads(json.dumps(settings.STORAGES["default"]))
