"""The two places patients' files can live: a folder on local disk, or an S3-compatible bucket.

settings.STORAGES["default"] picks one (PRIVATE_STORAGE_S3_BUCKET set: the bucket). Both behave the
same to the code that uses them (uploads.storage.private_storage): a missing file raises
FileNotFoundError, a storage that does not answer raises OSError, the pipeline's fixed names are
written over, and neither gives a file a URL. Patients' files leave only through the views that
check who asks and record it in the access log.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from botocore.exceptions import BotoCoreError, ClientError
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage

# A file read from the bucket is held in memory up to this size, then spooled to a temporary file.
_S3_READ_IN_MEMORY_BYTES = 8 * 1024 * 1024
_SSE_KINDS = ("AES256", "aws:kms")


class NoURL:
    """Refuse to give a patient's file an address: a URL would bypass the checking views."""

    def url(self, name, *args, **kwargs):
        raise NotImplementedError(
            "Patients' files have no URL: send them with uploads.storage.document_file_response "
            "or document_safe_copy_response, which check the viewer and record the access."
        )


class PrivateFileSystemStorage(NoURL, FileSystemStorage):
    """Patients' files in a private folder of this machine (the default)."""

    def names_under(self, folder: str) -> Iterator[str]:
        """Every file name under `folder`, at any depth; none for a missing folder."""
        try:
            directories, names = self.listdir(folder)
        except FileNotFoundError:
            return
        for name in names:
            yield f"{folder}{name}"
        for directory in directories:
            yield from self.names_under(f"{folder}{directory}/")


class PrivateS3Storage(NoURL, S3Storage):
    """Patients' files in an S3-compatible bucket, encrypted at rest, that every machine sees.

    Objects are written with server-side encryption and without an ACL, so they get the bucket's
    own: readable only with the bucket owner's credentials. The bucket must block public access.
    """

    file_overwrite = True  # the pipeline's names are fixed per document and step (uploads.models)
    querystring_auth = False  # no presigned links either: url() refuses

    def __init__(self, *, server_side_encryption: str = "AES256", kms_key_id: str = "", **options) -> None:
        if server_side_encryption not in _SSE_KINDS:
            raise ImproperlyConfigured(
                f"PRIVATE_STORAGE_S3_SSE must be one of {', '.join(_SSE_KINDS)}, not {server_side_encryption!r}."
            )
        if options.get("default_acl") or options.get("custom_domain"):
            raise ImproperlyConfigured("Private storage takes the bucket's own ACL and has no public domain.")
        parameters = {"ServerSideEncryption": server_side_encryption}
        if server_side_encryption == "aws:kms" and kms_key_id:
            parameters["SSEKMSKeyId"] = kms_key_id
        options.setdefault("max_memory_size", _S3_READ_IN_MEMORY_BYTES)
        super().__init__(**options, object_parameters=parameters, file_overwrite=True, querystring_auth=False)

    def names_under(self, folder: str) -> Iterator[str]:
        """Every file name under `folder`, at any depth, in one listing (S3 has prefixes, not folders)."""
        prefix = self._normalize_name(folder)
        # The location's own prefix is cut from each key, as the names the rows hold do not have it.
        cut = len(self._normalize_name(""))
        with _as_os_errors():
            pages = self.connection.meta.client.get_paginator("list_objects_v2")
            for page in pages.paginate(Bucket=self.bucket_name, Prefix=prefix):
                for entry in page.get("Contents", ()):
                    yield entry["Key"][cut:]

    def get_modified_time(self, name: str) -> datetime:
        with _as_os_errors():
            return super().get_modified_time(name)

    def delete(self, name: str) -> None:
        with _as_os_errors():
            super().delete(name)


@contextmanager
def _as_os_errors() -> Iterator[None]:
    """Raise what the bucket answers as the filesystem would: FileNotFoundError, else OSError."""
    try:
        yield
    except ClientError as exc:
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 404:
            raise FileNotFoundError(os.strerror(2)) from exc
        raise OSError(f"Private storage answered {status}") from exc
    except BotoCoreError as exc:
        raise OSError("Private storage did not answer") from exc


PrivateStorage = PrivateFileSystemStorage | PrivateS3Storage
