"""Malware scanning against the real clamd that `scripts/clamd.sh` runs (started by `make test`)."""

import io
import os
import signal
from dataclasses import replace

import pytest

from tests.uploads import samples
from tests.uploads.conftest import OwnClamd, free_tcp_port
from uploads.pipeline.errors import FileTooLargeToScan, ScannerUnavailable
from uploads.pipeline.scan import ClamdAddress, ScanResult, ScanVerdict, clamd_ping, scan_file

INFECTED = ScanResult(ScanVerdict.INFECTED, signature="Navis.Test.EICAR.UNOFFICIAL")
CLEAN = ScanResult(ScanVerdict.CLEAN)


class OneWayStream(io.RawIOBase):
    """A stream that can only be read forwards, as an upload arriving over the network."""

    def __init__(self, data: bytes):
        self.data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self.data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_the_eicar_test_file_is_infected():
    result = scan_file(io.BytesIO(samples.EICAR))

    assert result == INFECTED
    assert not result.is_clean


def test_eicar_inside_a_text_is_infected():
    result = scan_file(io.BytesIO(b"Blood results follow.\n" + samples.EICAR + b"\nEnd of results.\n"))

    assert result == INFECTED


@pytest.mark.parametrize("compress", [False, True], ids=["stored", "deflated"])
def test_eicar_attached_inside_a_pdf_is_infected(compress):
    pdf = samples.pdf_with_attachment("results.txt", samples.EICAR, compress=compress)
    # Deflated, the bytes of the file itself do not contain the string: clamd must unpack the PDF.
    assert (samples.EICAR in pdf) is not compress

    assert scan_file(io.BytesIO(pdf)) == INFECTED


def test_the_pathology_report_and_a_scanned_letter_are_clean():
    scan = samples.image_bytes(samples.scanned_page(), "PNG")

    assert scan_file(io.BytesIO(samples.pathology_report_pdf())) == CLEAN
    assert scan_file(io.BytesIO(scan)) == CLEAN


def test_the_whole_file_is_scanned_wherever_an_earlier_step_left_off():
    upload = io.BytesIO(b"Referral letter\n" + samples.EICAR)
    upload.read()

    assert scan_file(upload) == INFECTED


def test_a_stream_that_cannot_rewind_is_scanned_as_it_comes():
    assert scan_file(OneWayStream(b"x" * 200_000 + samples.EICAR)) == INFECTED


def test_a_file_larger_than_we_scan_is_refused_before_sending():
    with pytest.raises(FileTooLargeToScan, match="300000 bytes"):
        scan_file(io.BytesIO(b"x" * 300_000), max_bytes=100_000)


def test_a_one_way_stream_larger_than_we_scan_is_refused_not_cut_short():
    with pytest.raises(FileTooLargeToScan):
        scan_file(OneWayStream(b"x" * 300_000 + samples.EICAR), max_bytes=100_000)


def test_a_file_larger_than_clamd_accepts_is_refused_never_clean(own_clamd: OwnClamd):
    # This clamd takes at most 1 MiB in a stream; the EICAR string comes after that.
    with pytest.raises(FileTooLargeToScan, match="StreamMaxLength"):
        scan_file(io.BytesIO(b"x" * 3_000_000 + samples.EICAR), address=own_clamd.socket)


def test_clamd_answers_over_tcp_as_over_its_socket(own_clamd: OwnClamd):
    clamd_ping(own_clamd.tcp)

    assert scan_file(io.BytesIO(samples.EICAR), address=own_clamd.tcp) == INFECTED
    assert scan_file(io.BytesIO(b"nothing to see"), address=own_clamd.tcp) == CLEAN


def test_a_stopped_clamd_raises_scanner_unavailable_never_clean(own_clamd: OwnClamd):
    assert scan_file(io.BytesIO(b"letter"), address=own_clamd.socket) == CLEAN
    stopped = own_clamd.script("stop")
    assert stopped.returncode == 0, stopped.stderr

    for address in (own_clamd.socket, own_clamd.tcp):
        with pytest.raises(ScannerUnavailable, match="does not answer"):
            scan_file(io.BytesIO(b"letter"), address=address)
        with pytest.raises(ScannerUnavailable):
            clamd_ping(address)
    assert own_clamd.script("status").returncode == 3


def test_a_clamd_that_hangs_raises_scanner_unavailable_after_the_timeout(own_clamd: OwnClamd):
    # A frozen clamd still accepts connections (the kernel queues them) but never replies.
    os.kill(own_clamd.pid, signal.SIGSTOP)
    try:
        with pytest.raises(ScannerUnavailable, match="did not reply"):
            scan_file(io.BytesIO(samples.EICAR), address=replace(own_clamd.socket, timeout=1))
    finally:
        os.kill(own_clamd.pid, signal.SIGCONT)


def test_nothing_listening_raises_scanner_unavailable(tmp_path):
    nowhere = [
        ClamdAddress(socket_path=str(tmp_path / "no-clamd.sock"), timeout=2),
        ClamdAddress(host="127.0.0.1", port=free_tcp_port(), timeout=2),
    ]
    for address in nowhere:
        with pytest.raises(ScannerUnavailable, match=f"clamd at {address} does not answer"):
            scan_file(io.BytesIO(samples.EICAR), address=address)


def test_the_address_comes_from_the_settings(settings):
    settings.CLAMD_SOCKET = "/run/navis/clamd.sock"
    settings.CLAMD_HOST = ""
    settings.CLAMD_TIMEOUT = 7.5

    assert ClamdAddress.from_settings() == ClamdAddress(socket_path="/run/navis/clamd.sock", port=3310, timeout=7.5)
    assert str(ClamdAddress.from_settings()) == "/run/navis/clamd.sock"

    settings.CLAMD_HOST = "clamav"
    settings.CLAMD_PORT = 3311

    assert str(ClamdAddress.from_settings()) == "clamav:3311"
