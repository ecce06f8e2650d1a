"""Malware scanning through clamd, streaming the file with its INSTREAM command.

clamd's protocol is small enough to speak directly: a `z`-prefixed command ending in NUL, then
for INSTREAM the file as chunks each preceded by its length (4 bytes, network order), a zero
length to end, and one NUL-terminated reply: `stream: OK`, `stream: NAME FOUND` or `... ERROR`.
Anything other than those first two is not a verdict, and no verdict is never "clean".
"""

import re
import socket
import struct
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO

from django.conf import settings

from uploads.pipeline.errors import FileTooLargeToScan, ScannerUnavailable
from uploads.pipeline.integrity import iter_chunks

# The most we stream. clamd refuses more than its own StreamMaxLength (100M in scripts/clamd.sh,
# 25M in Debian's stock config); either way the file is reported too large, never clean.
MAX_SCAN_BYTES = 100 * 1024 * 1024
MAX_REPLY_BYTES = 4096
# After clamd cut a stream short, how long to wait for the reply that says why.
REPLY_AFTER_FAILURE_TIMEOUT = 2.0

SIZE_LIMIT_REPLY = "INSTREAM size limit exceeded"
FOUND_REPLY = re.compile(r"^stream: (?P<signature>.+?)(?:\([0-9a-f]+:\d+\))? FOUND$")


class ScanVerdict(StrEnum):
    CLEAN = "clean"
    INFECTED = "infected"


@dataclass(frozen=True)
class ScanResult:
    verdict: ScanVerdict
    # The name of the signature that matched, when infected.
    signature: str = ""

    @property
    def is_clean(self) -> bool:
        return self.verdict is ScanVerdict.CLEAN


@dataclass(frozen=True)
class ClamdAddress:
    """Where clamd listens: TCP when `host` is set, else the unix socket `socket_path`."""

    socket_path: str = ""
    host: str = ""
    port: int = 3310
    # Seconds for each step: connecting, each send, and the wait for the verdict.
    timeout: float = 60.0

    @classmethod
    def from_settings(cls) -> "ClamdAddress":
        return cls(
            socket_path=settings.CLAMD_SOCKET,
            host=settings.CLAMD_HOST,
            port=settings.CLAMD_PORT,
            timeout=settings.CLAMD_TIMEOUT,
        )

    def __str__(self) -> str:
        return f"{self.host}:{self.port}" if self.host else self.socket_path

    def connect(self) -> socket.socket:
        """Open a connection to clamd, or raise `ScannerUnavailable`."""
        try:
            if self.host:
                return socket.create_connection((self.host, self.port), timeout=self.timeout)
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(self.timeout)
                sock.connect(self.socket_path)
            except OSError:
                sock.close()
                raise
            return sock
        except OSError as exc:
            raise ScannerUnavailable(f"clamd at {self} does not answer: {exc}") from exc


def clamd_ping(address: ClamdAddress | None = None) -> None:
    """Check that clamd answers, or raise `ScannerUnavailable`."""
    address = address or ClamdAddress.from_settings()
    with address.connect() as sock:
        try:
            sock.sendall(b"zPING\0")
        except OSError as exc:
            raise ScannerUnavailable(f"clamd at {address} does not answer: {exc}") from exc
        reply = _read_reply(sock, address)
    if reply != "PONG":
        raise ScannerUnavailable(f"clamd at {address} answered PING with {reply[:200]!r}")


def scan_file(
    fileobj: BinaryIO,
    *,
    address: ClamdAddress | None = None,
    max_bytes: int = MAX_SCAN_BYTES,
) -> ScanResult:
    """Stream the whole file to clamd and return its verdict.

    Raises `ScannerUnavailable` when clamd gives no verdict (retry later) and
    `FileTooLargeToScan` when the file is larger than `max_bytes` or than clamd accepts.
    """
    address = address or ClamdAddress.from_settings()
    _refuse_if_larger_than(fileobj, max_bytes)
    with address.connect() as sock:
        try:
            sock.sendall(b"zINSTREAM\0")
            sent = 0
            for chunk in iter_chunks(fileobj):
                sent += len(chunk)
                # A file that grew since we measured it, or one we could not measure.
                if sent > max_bytes:
                    raise FileTooLargeToScan(f"The file is larger than {max_bytes} bytes, the most we scan.")
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
        except OSError as exc:
            # clamd closes a stream that passes its StreamMaxLength, and its reply says so.
            if SIZE_LIMIT_REPLY in _reply_after_failure(sock):
                raise FileTooLargeToScan("The file is larger than clamd accepts (its StreamMaxLength).") from exc
            raise ScannerUnavailable(f"clamd at {address} stopped reading the file: {exc}") from exc
        reply = _read_reply(sock, address)
    return _verdict(reply, address)


def _refuse_if_larger_than(fileobj: BinaryIO, max_bytes: int) -> None:
    if fileobj.seekable():
        size = fileobj.seek(0, 2)
        if size > max_bytes:
            raise FileTooLargeToScan(f"The file has {size} bytes; we scan at most {max_bytes}.")


def _read_reply(sock: socket.socket, address: ClamdAddress) -> str:
    received = bytearray()
    try:
        while b"\0" not in received and len(received) < MAX_REPLY_BYTES:
            data = sock.recv(MAX_REPLY_BYTES)
            if not data:
                break
            received += data
    except OSError as exc:
        raise ScannerUnavailable(f"clamd at {address} did not reply: {exc}") from exc
    reply = received.split(b"\0", 1)[0].decode("utf-8", "replace").strip()
    if not reply:
        raise ScannerUnavailable(f"clamd at {address} closed the connection without a reply")
    return reply


def _reply_after_failure(sock: socket.socket) -> str:
    try:
        sock.settimeout(REPLY_AFTER_FAILURE_TIMEOUT)
        return sock.recv(MAX_REPLY_BYTES).decode("utf-8", "replace")
    except OSError:
        return ""


def _verdict(reply: str, address: ClamdAddress) -> ScanResult:
    if reply == "stream: OK":
        return ScanResult(ScanVerdict.CLEAN)
    if found := FOUND_REPLY.match(reply):
        return ScanResult(ScanVerdict.INFECTED, signature=found["signature"])
    if SIZE_LIMIT_REPLY in reply:
        raise FileTooLargeToScan("The file is larger than clamd accepts (its StreamMaxLength).")
    # An ERROR (out of memory, a read timeout, a full queue) or a reply we do not know: no verdict.
    raise ScannerUnavailable(f"clamd at {address} gave no verdict: {reply[:200]!r}")
