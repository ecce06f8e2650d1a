"""Files the tests upload: real PDFs and images made here, and the bad kinds a patient's device may send."""

import io
import struct
import subprocess
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pillow_heif import register_heif_opener
from pypdf import PdfWriter

from tests.uploads.samples import encrypted_pdf, image_bytes

register_heif_opener()


def pdf(title: str = "Report", pages: int = 1) -> bytes:
    """A valid PDF; the title makes each one's bytes (and SHA-256) its own."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image(fmt: str = "PNG", size: tuple[int, int] = (120, 80), color: str = "teal") -> bytes:
    return image_bytes(Image.new("RGB", size, color), fmt)


def pdf_without_pages() -> bytes:
    buffer = io.BytesIO()
    PdfWriter().write(buffer)
    return buffer.getvalue()


def png_bomb(width: int = 100_000, height: int = 100_000) -> bytes:
    """A tiny PNG whose header claims ten billion pixels, with a token IDAT.

    samples.decompression_bomb_png makes a true one, but at this size it would compress 1.25 GB first.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 4096))
        + chunk(b"IEND", b"")
    )


def windows_program() -> bytes:
    stub = bytearray(b"MZ" + b"\x00" * 126)
    stub[0x3C:0x40] = struct.pack("<I", 0x80)
    return bytes(stub) + b"PE\x00\x00" + struct.pack("<HH", 0x14C, 1) + b"\x00" * 200


def linux_program() -> bytes:
    ident = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8
    return ident + struct.pack("<HHIQQQIHHHHHH", 2, 0x3E, 1, 0x400000, 64, 0, 0, 64, 56, 0, 64, 0, 0) + b"\x00" * 200


def zip_archive(member: bytes = b"%PDF-1.4 inside a zip") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("report.pdf", member)
    return buffer.getvalue()


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


HTML_PAGE = b"<!DOCTYPE html><html><head><script>alert(document.cookie)</script></head><body>Hi</body></html>"
SVG_DRAWING = b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"

# (file name as sent, content, what the patient is told). At least 20 kinds, as the issue asks.
BAD_FILES = [
    ("empty.pdf", b"", "This file is empty."),
    (
        "notes.pdf",
        b"Just some notes typed in a text editor.\n" * 20,
        "Its name ends in .pdf, but it is a plain text file.",
    ),
    ("results.pdf", HTML_PAGE, "Its name ends in .pdf, but it is a web page (HTML)."),
    ("results.html", HTML_PAGE, "Its name ends in .html, but it is a web page (HTML)."),
    ("scan.svg", SVG_DRAWING, "an SVG drawing. We accept PDF, JPEG, PNG, TIFF or HEIC files."),
    ("scan.png", SVG_DRAWING, "Its name ends in .png, but it is an SVG drawing."),
    ("report.pdf.exe", windows_program(), "a Windows program"),
    ("report.pdf", windows_program(), "Its name ends in .pdf, but it is a Windows program."),
    ("viewer", linux_program(), "It is a program."),
    ("open-me.sh", b"#!/bin/sh\nrm -rf ~\n", "a script"),
    ("records.pdf", zip_archive(), "Its name ends in .pdf, but it is a zip archive."),
    ("photo.jpg", b"alert('x'); function steal() { return document.cookie; }\n" * 5, "Its name ends in .jpg"),
    ("avatar.php.jpg", b"<?php system($_GET['c']); ?>", "a script"),
    ("animation.gif", image("GIF"), "a GIF image"),
    ("picture.bmp", image("BMP"), "a BMP image"),
    ("picture.webp", image("WEBP"), "a WebP image"),
    ("cut-off.pdf", truncated(pdf("Cut off", pages=3)), "This PDF is incomplete"),
    ("cut-off.png", truncated(image("PNG", (400, 300))), "This image is incomplete"),
    ("cut-off.jpg", truncated(image("JPEG", (400, 300))), "This image is incomplete"),
    ("cut-off.heic", truncated(image("HEIF", (400, 300))), "This image is damaged"),
    ("broken.pdf", b"%PDF-1.7\n" + b"\x00garbage\xff" * 300 + b"\n%%EOF\n", "This PDF is damaged"),
    ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x13\x37" * 500, "This image is"),
    ("bomb.png", png_bomb(), "This image is too large in pixels"),
    ("locked.pdf", encrypted_pdf(user_password="secret"), "This PDF is protected by a password."),
    ("blank.pdf", pdf_without_pages(), "This PDF has no pages."),
    ("../../../etc/passwd.pdf", HTML_PAGE, "Its name ends in .pdf, but it is a web page (HTML)."),
    ("..\\..\\windows\\system32\\report.pdf", b"MZ" + b"\x00" * 300, "but it is a Windows program."),
    ("report\x00\x1b[31m\u202egpj.pdf", b"plain text pretending\n" * 10, "but it is a plain text file."),
]


def pdf_text(content: bytes) -> str:
    """The text of a PDF as poppler's pdftotext reads it, lines of a paragraph joined by spaces."""
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())
