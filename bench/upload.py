"""A 200 MB record through the real upload view under gunicorn on loopback.

Prints the gunicorn worker's peak memory growth while it takes the file (goal: under 32 MB, so the
file is never held in memory) and the upload throughput. The file limit is raised for the run only.
"""

import hashlib
import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import ROOT, create_database, gunicorn, manage, production_env, work_dir

FILE_MB = int(os.environ.get("BENCH_UPLOAD_MB", "200"))
GOAL_MB = 32
BOUNDARY = "navis-bench-boundary"
CHUNK = 1024 * 1024

# In a separate process: a verified patient with a consented draft, and a signed-in session for them.
PREPARE = r"""
import django
django.setup()
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tests.factories import ConsentTextFactory, UserFactory
from tests.uploads.cases import consented_case

patient = UserFactory(email="bench-patient@example.com")
case = consented_case(patient, ConsentTextFactory())
session = SessionStore()
session[SESSION_KEY] = str(patient.pk)
session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
session[HASH_SESSION_KEY] = patient.get_session_auth_hash()
session.save()
print(case.public_id, session.session_key)
"""

STORED = r"""
import django
django.setup()
from uploads.models import Document
print(*Document.objects.values_list("size", "sha256").get(original_name="big scan.pdf"))
"""


def big_pdf(path: Path, size: int) -> str:
    """Write a valid one-page PDF of about `size` bytes (one large stream) and return its SHA-256."""
    digest = hashlib.sha256()
    offsets = []
    with path.open("wb") as out:

        def write(data: bytes) -> None:
            out.write(data)
            digest.update(data)

        write(b"%PDF-1.4\n")
        objects = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        ]
        for number, body in enumerate(objects, start=1):
            offsets.append(out.tell())
            write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        offsets.append(out.tell())
        write(b"4 0 obj\n<< /Length %d >>\nstream\n" % size)
        block = os.urandom(CHUNK)
        for start in range(0, size, CHUNK):
            write(block[: min(CHUNK, size - start)])
        write(b"\nendstream\nendobj\n")
        xref = out.tell()
        write(b"xref\n0 5\n0000000000 65535 f \n" + b"".join(b"%010d 00000 n \n" % o for o in offsets))
        write(b"trailer\n<< /Size 5 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return digest.hexdigest()


def memory_kb(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0])
    return fields


def worker_pid(master: int) -> int:
    [child] = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(child)


def upload(base: str, case_id: str, session_key: str, path: Path, name: str) -> tuple[dict, float]:
    """POST the file as the upload script does, streamed from disk; return the JSON answer and the seconds."""
    token = "b" * 32
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=600)
    started = time.perf_counter()
    connection.putrequest("POST", f"/cases/{case_id}/documents/")
    for header, value in {
        "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        "Content-Length": str(len(head) + path.stat().st_size + len(tail)),
        "Cookie": f"sessionid={session_key}; csrftoken={token}",
        "X-CSRFToken": token,
        "Accept": "application/json",
    }.items():
        connection.putheader(header, value)
    connection.endheaders()
    connection.send(head)
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            connection.send(chunk)
    connection.send(tail)
    response = connection.getresponse()
    body = response.read()
    seconds = time.perf_counter() - started
    if response.status != 200:
        raise RuntimeError(f"The upload answered {response.status}: {body[:500]!r}")
    return json.loads(body), seconds


def main() -> None:
    with work_dir() as directory:
        (directory / "tmp").mkdir()
        env = production_env(
            directory,
            UPLOAD_MAX_FILE_SIZE_MB=str(FILE_MB + 10),
            UPLOAD_MAX_CASE_SIZE_MB=str(FILE_MB + 50),
            PRIVATE_MEDIA_ROOT=str(directory / "private"),
            FILE_UPLOAD_TEMP_DIR=str(directory / "tmp"),
        )
        create_database()
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        prepared = subprocess.run([sys.executable, "-c", PREPARE], cwd=ROOT, env=env, capture_output=True, text=True)
        if prepared.returncode:
            raise RuntimeError(f"Preparing the bench case failed:\n{prepared.stderr}")
        case_id, session_key = prepared.stdout.split()[-2:]
        small, big = directory / "small.pdf", directory / "big.pdf"
        big_pdf(small, 1024 * 1024)
        expected_sha256 = big_pdf(big, FILE_MB * 1024 * 1024)
        expected_size = big.stat().st_size
        pid_file = directory / "gunicorn.pid"

        with gunicorn(env, workers=1, pid_file=pid_file) as base:
            pid = worker_pid(int(pid_file.read_text()))
            # A first, small upload loads everything the view imports; the peak is measured after it.
            upload(base, case_id, session_key, small, "warm-up.pdf")
            Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets the peak (VmHWM) to the current size
            before = memory_kb(pid)
            answer, seconds = upload(base, case_id, session_key, big, "big scan.pdf")
            after = memory_kb(pid)

        stored = subprocess.run([sys.executable, "-c", STORED], cwd=ROOT, env=env, capture_output=True, text=True)
        if stored.returncode:
            raise RuntimeError(f"Reading the stored document failed:\n{stored.stderr}")
        size, sha256 = stored.stdout.split()

    result = answer["results"][0]
    if not result["ok"] or int(size) != expected_size or sha256 != expected_sha256:
        raise RuntimeError(f"The upload was not kept whole: {result}, {size} bytes, sha256 {sha256}")
    growth_mb = (after["VmHWM"] - before["VmRSS"]) / 1024
    megabytes = expected_size / (1024 * 1024)
    print("gunicorn, 1 sync worker, loopback; the file streamed from disk by the client")
    print(f"{'upload size':<44} {megabytes:>9.0f} MB   (kept, SHA-256 matches)")
    print(f"{'worker memory before (VmRSS)':<44} {before['VmRSS'] / 1024:>9.1f} MB")
    print(f"{'worker peak during the upload (VmHWM)':<44} {after['VmHWM'] / 1024:>9.1f} MB")
    print(f"{'peak memory growth':<44} {growth_mb:>9.1f} MB   (goal < {GOAL_MB} MB)")
    print(f"{'throughput':<44} {megabytes / seconds:>9.0f} MB/s ({seconds:.1f} s)")
    if growth_mb >= GOAL_MB:
        raise SystemExit(f"Peak memory growth {growth_mb:.1f} MB is over the {GOAL_MB} MB goal.")
