"""Patient files: received in a stream, kept in private storage, sent back only as attachments.

Private storage is the default storage (settings.STORAGES, uploads/storage_backends.py): a folder
outside any public path, or an S3-compatible bucket, that gives no file a URL. Files reach it under
names fixed per document and step (uploads.models.document_upload_to, safe_copy_name), in a folder
per case; uploads/services/sweep.py deletes what no row names.
"""

import hashlib
from collections.abc import Iterator

from django.conf import settings
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat

from uploads.models import Case, Document, case_files_folder
from uploads.storage_backends import PrivateStorage
from uploads.validators import display_name, file_too_large_message

# Sent with every patient file: download it, never render it, and if rendered, let it do nothing.
SANDBOX_CSP = "default-src 'none'; sandbox"


class ReceivedFile(TemporaryUploadedFile):
    """An upload as it arrived: in a temporary file with its SHA-256, or refused with the reason why."""

    sha256 = ""
    refusal = ""

    def refuse(self, reason: str) -> None:
        """Keep none of this file's bytes, and remember why."""
        self.refusal = reason
        self.file.seek(0)
        self.file.truncate()


class HashingUploadHandler(FileUploadHandler):
    """Stream each file to a temporary file, hashing it and enforcing the limits as the bytes arrive.

    The only upload handler (settings.FILE_UPLOAD_HANDLERS): nothing is ever held whole in memory.
    A file over a limit is refused on its own; the other files of the same request go on.
    """

    chunk_size = 256 * 1024

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.files_in_request = 0
        self.bytes_in_request = 0

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        self.files_in_request += 1
        self.received = 0
        self.digest = hashlib.sha256()
        self.file = ReceivedFile(self.file_name, self.content_type, 0, self.charset, self.content_type_extra)
        if self.files_in_request > settings.UPLOAD_MAX_FILES_PER_CASE:
            self.file.refuse(
                f"Only {settings.UPLOAD_MAX_FILES_PER_CASE} files can be sent at once. Please send this one again."
            )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.file.refusal:
            return None
        if self.received > settings.UPLOAD_MAX_FILE_SIZE:
            self.file.refuse(file_too_large_message())
        elif self.bytes_in_request + self.received > settings.UPLOAD_MAX_CASE_SIZE:
            self.file.refuse(
                f"Together with the files before it, this is more than {filesizeformat(settings.UPLOAD_MAX_CASE_SIZE)},"
                " the most a case can hold."
            )
        else:
            self.file.write(raw_data)
            self.digest.update(raw_data)
        return None

    def file_complete(self, file_size: int) -> ReceivedFile:
        self.file.size = self.received
        if not self.file.refusal:
            self.bytes_in_request += self.received
            self.file.sha256 = self.digest.hexdigest()
        self.file.seek(0)
        return self.file

    def upload_interrupted(self) -> None:
        if hasattr(self, "file"):
            self.file.close()


def private_storage() -> PrivateStorage:
    """The storage that holds patients' files (the same for the original and the safe copy)."""
    return Document._meta.get_field("file").storage


def stored_names(folder: str) -> Iterator[str]:
    """Every file name under `folder` in private storage, at any depth; none for a missing folder."""
    return private_storage().names_under(folder)


def document_files_delete(document: Document) -> None:
    """Delete the document's original and its safe copy from storage (a missing file is no error)."""
    for field in (document.file, document.safe_copy):
        if field.name:
            field.storage.delete(field.name)


def case_files_delete(case: Case) -> int:
    """Delete every file in the case's folder, whether a row names it or not; return how many."""
    storage = private_storage()
    # Listed first, deleted after: deleting while a folder is listed can skip names.
    names = list(stored_names(case_files_folder(case)))
    for name in names:
        storage.delete(name)
    return len(names)


def document_download_name(document: Document, content_type: str | None = None) -> str:
    """The name a file of this document is sent under: its display name, ending in the type sent."""
    # The display name already ends in the detected type; naming it again costs nothing and keeps
    # any row that escaped the rule from reaching a browser with a misleading ending.
    return display_name(document.original_name, content_type=content_type or document.content_type)


def document_file_response(document: Document) -> FileResponse:
    """Send the original as a download that the browser will not sniff, render or run."""
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document_download_name(document),
        content_type=document.content_type,
    )
    response.block_size = 256 * 1024
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_CSP
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# The safe copy opens in the reviewer's browser: its scripts and actions were stripped, and this
# policy still lets nothing run or load from it.
SAFE_COPY_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def document_safe_copy_response(document: Document) -> FileResponse:
    """Show the reviewers' safe copy inline (PDF or image), never the patient's original."""
    response = FileResponse(
        document.safe_copy.open("rb"),
        as_attachment=False,
        filename=document_download_name(document, document.safe_copy_content_type),
        content_type=document.safe_copy_content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SAFE_COPY_CSP
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
