"""The upload handler: every file goes to disk as it arrives, hashed, and over-limit bytes are never kept."""

import hashlib
import io
import os

from django.conf import settings
from django.http.multipartparser import MultiPartParser

from tests.uploads import files
from tests.uploads.cases import multipart
from uploads.storage import HashingUploadHandler, ReceivedFile


def parse(parts: list[tuple[str, bytes]]):
    body, content_type = multipart(parts)
    meta = {"CONTENT_TYPE": content_type, "CONTENT_LENGTH": str(len(body))}
    _, uploaded = MultiPartParser(meta, io.BytesIO(body), [HashingUploadHandler()], "utf-8").parse()
    return uploaded.getlist("files")


def test_the_handler_is_the_only_one_so_no_upload_is_ever_held_in_memory():
    assert settings.FILE_UPLOAD_HANDLERS == ["uploads.storage.HashingUploadHandler"]


def test_even_a_small_file_goes_to_a_temporary_file_on_disk_with_its_sha256():
    content = files.pdf("small")

    [upload] = parse([("small.pdf", content)])

    assert isinstance(upload, ReceivedFile) and not upload.refusal
    assert os.path.getsize(upload.temporary_file_path()) == len(content) == upload.size
    assert upload.read() == content
    assert upload.sha256 == hashlib.sha256(content).hexdigest()
    upload.close()


def test_bytes_past_the_file_limit_are_not_written_and_the_file_is_refused(settings):
    settings.UPLOAD_MAX_FILE_SIZE = 1024 * 1024
    big = b"%PDF-1.4\n" + os.urandom(3 * 1024 * 1024)
    fine = files.pdf("fine")

    big_upload, fine_upload = parse([("big.pdf", big), ("fine.pdf", fine)])

    assert big_upload.refusal == "This file is larger than 1.0\xa0MB, the most we take for one file."
    assert os.path.getsize(big_upload.temporary_file_path()) == 0
    assert big_upload.size == len(big)
    assert not fine_upload.refusal and fine_upload.read() == fine


def test_files_past_the_case_total_in_one_post_are_refused_without_being_written(settings):
    settings.UPLOAD_MAX_CASE_SIZE = 1024 * 1024
    part = os.urandom(600 * 1024)

    first, second = parse([("a.pdf", part), ("b.pdf", part + b"b")])

    assert not first.refusal
    assert second.refusal.startswith("Together with the files before it, this is more than 1.0\xa0MB")
    assert os.path.getsize(second.temporary_file_path()) == 0


def test_more_files_in_one_post_than_a_case_holds_are_refused(settings):
    settings.UPLOAD_MAX_FILES_PER_CASE = 2

    uploads = parse([(f"{n}.pdf", files.pdf(str(n))) for n in range(3)])

    assert [bool(u.refusal) for u in uploads] == [False, False, True]
    assert "Only 2 files can be sent at once" in uploads[2].refusal
