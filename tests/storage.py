"""A real S3-compatible server for the tests (moto's server mode), and what a test sees in private storage.

`pytest --private-storage=s3` keeps every test's files in a bucket of that server instead of a
temporary folder; tests marked `both_storages` run on both in every run (tests/conftest.py).
"""

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import boto3
from django.conf import settings

from tests.uploads.conftest import free_tcp_port
from tests.workers import stop_process

S3_BACKEND = "uploads.storage_backends.PrivateS3Storage"
STARTUP_SECONDS = 30


@dataclass(frozen=True)
class S3Server:
    """moto's S3 server on a free port, with one private bucket."""

    endpoint_url: str
    bucket: str = "navis-test-records"
    region: str = "eu-west-2"
    access_key: str = "navis-test-key"
    secret_key: str = "navis-test-secret"

    def client(self):
        """A client with the bucket owner's credentials: what the tests read the bucket with."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=self.region,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
        )

    def storage(self, prefix: str) -> dict:
        """settings.STORAGES["default"] for private storage under `prefix` in the bucket."""
        return {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                "bucket_name": self.bucket,
                "location": prefix,
                "endpoint_url": self.endpoint_url,
                "region_name": self.region,
                "access_key": self.access_key,
                "secret_key": self.secret_key,
                "server_side_encryption": "AES256",
                "kms_key_id": "",
            },
        }

    def object_url(self, key: str) -> str:
        return f"{self.endpoint_url}/{self.bucket}/{key}"


@contextmanager
def running_s3_server(log_dir: Path) -> Iterator[S3Server]:
    """Run moto's S3 server as a process of its own until the block ends; its log goes to log_dir."""
    port = free_tcp_port()
    command = [sys.executable, "-m", "moto.server", "--host", "127.0.0.1", "--port", str(port)]
    with (log_dir / "moto.log").open("w") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        server = S3Server(endpoint_url=f"http://127.0.0.1:{port}")
        _wait_until_answering(server, process, log_dir / "moto.log")
        client = server.client()
        client.create_bucket(Bucket=server.bucket, CreateBucketConfiguration={"LocationConstraint": server.region})
        # Public access blocked, as production's bucket must be. No default encryption: moto would
        # apply it to any object, so each object's encryption shows what the app itself asked for
        # (moto evaluates neither a policy's SSE conditions nor the block; tests check each object).
        client.put_public_access_block(
            Bucket=server.bucket,
            PublicAccessBlockConfiguration={
                "BlockPublicAcls": True,
                "IgnorePublicAcls": True,
                "BlockPublicPolicy": True,
                "RestrictPublicBuckets": True,
            },
        )
        yield server
    finally:
        stop_process(process)


def _wait_until_answering(server: S3Server, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto's S3 server exited with {process.returncode}:\n{log_path.read_text()}")
        try:
            urllib.request.urlopen(f"{server.endpoint_url}/moto-api/", timeout=1).close()  # noqa: S310 - local
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"moto's S3 server did not answer after {STARTUP_SECONDS} s:\n{log_path.read_text()}")


# --- What a test sees in private storage, read apart from the code under test ---------------


def on_s3() -> bool:
    """Whether private storage is the bucket (else a folder on disk)."""
    return settings.STORAGES["default"]["BACKEND"] == S3_BACKEND


def _s3_location() -> tuple[object, str, str]:
    options = settings.STORAGES["default"]["OPTIONS"]
    client = boto3.client(
        "s3",
        endpoint_url=options["endpoint_url"],
        region_name=options["region_name"],
        aws_access_key_id=options["access_key"],
        aws_secret_access_key=options["secret_key"],
    )
    return client, options["bucket_name"], f"{options['location'].rstrip('/')}/"


def _folder() -> Path:
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def stored_files() -> set[str]:
    """Every file name in private storage, as the rows name them, listed by the storage's own means."""
    if not on_s3():
        return {str(path.relative_to(_folder())) for path in _folder().rglob("*") if path.is_file()}
    client, bucket, prefix = _s3_location()
    names = set()
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        names.update(entry["Key"][len(prefix) :] for entry in page.get("Contents", ()))
    return names


def stored_bytes(name: str) -> bytes:
    """The bytes stored under `name`, read past the code under test."""
    if not on_s3():
        return (_folder() / name).read_bytes()
    client, bucket, prefix = _s3_location()
    return client.get_object(Bucket=bucket, Key=f"{prefix}{name}")["Body"].read()


def stored_overwrite(name: str, content: bytes) -> None:
    """Change what is stored under `name` behind the app's back, as a faulty disk or bucket would."""
    if not on_s3():
        (_folder() / name).write_bytes(content)
        return
    client, bucket, prefix = _s3_location()
    client.put_object(Bucket=bucket, Key=f"{prefix}{name}", Body=content, ServerSideEncryption="AES256")


def stored_remove(name: str) -> None:
    """Take the file under `name` away behind the app's back."""
    if not on_s3():
        (_folder() / name).unlink()
        return
    client, bucket, prefix = _s3_location()
    client.delete_object(Bucket=bucket, Key=f"{prefix}{name}")


def stored_encryption(name: str) -> str:
    """The server-side encryption the bucket reports for the object under `name` ("" for none)."""
    client, bucket, prefix = _s3_location()
    return client.head_object(Bucket=bucket, Key=f"{prefix}{name}").get("ServerSideEncryption", "")
