"""What we accept is decided by a file's content; names are made safe to show."""

import io

import pytest

from tests.uploads import files, samples
from uploads.validators import UploadRefused, display_name, upload_check


def check(name: str, content: bytes):
    return upload_check(io.BytesIO(content), name=name, size=len(content))


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("report.pdf", files.pdf(), "application/pdf"),
        ("photo.jpg", files.image("JPEG"), "image/jpeg"),
        ("scan.png", files.image("PNG"), "image/png"),
        ("scan.tif", files.image("TIFF"), "image/tiff"),
        ("IMG_0001.HEIC", files.image("HEIF"), "image/heic"),
        ("no extension", files.pdf(), "application/pdf"),
        ("photo.pdf", files.image("JPEG"), "image/jpeg"),
    ],
)
def test_accepted_types_are_known_by_their_content_whatever_their_name(name, content, content_type):
    assert check(name, content).content_type == content_type


def test_a_multi_page_tiff_is_accepted():
    assert check("scan.tiff", samples.multipage_tiff(3)).content_type == "image/tiff"


def test_an_image_just_over_the_pixel_limit_is_refused_before_it_is_decoded():
    with pytest.raises(UploadRefused, match=r"too large in pixels for us to open safely\. .+ up to 80 megapixels"):
        check("huge.png", samples.decompression_bomb_png(9_000, 9_000))


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\pat\\scan.jpg", "scan.jpg"),
        ("evil\u202egpj.pdf", "evilgpj.pdf"),
        ("tab\there\nnew\x00line.pdf", "tabherenewline.pdf"),
        ("  spaced   out  .pdf  ", "spaced out .pdf"),
        ("...", "document"),
        ("", "document"),
        (None, "document"),
        ("e\u0301cho.pdf", "\u00e9cho.pdf"),
    ],
)
def test_display_names_lose_folders_control_and_direction_characters(raw, shown):
    assert display_name(raw) == shown


@pytest.mark.parametrize(
    ("raw", "content_type", "shown"),
    [
        ("lab-results.html", "application/pdf", "lab-results.pdf"),
        # Django's upload parser drops the NUL before we see the name; either way it is no ".exe".
        ("report.pdf\x00.exe", "application/pdf", "report.pdf"),
        ("report.pdf.exe", "application/pdf", "report.pdf"),
        ("report.PDF", "application/pdf", "report.pdf"),
        ("no extension", "application/pdf", "no extension.pdf"),
        ("Dr. Okafor letter", "application/pdf", "Dr. Okafor letter.pdf"),
        ("scan 1.2", "application/pdf", "scan 1.2.pdf"),
        ("photo.pdf", "image/jpeg", "photo.jpg"),
        ("photo.jpeg", "image/jpeg", "photo.jpeg"),
        ("IMG_0001.HEIC", "image/heic", "IMG_0001.heic"),
        ("evil\u202egpj.pdf", "image/png", "evilgpj.png"),
        ("../../x/.html", "application/pdf", "html.pdf"),
        ("", "image/tiff", "document.tif"),
        ("eicar.pdf", "text/plain", "eicar.bin"),
    ],
)
def test_a_display_name_ends_in_the_extension_of_the_detected_type(raw, content_type, shown):
    assert display_name(raw, content_type=content_type) == shown
    assert display_name(shown, content_type=content_type) == shown, "cleaning a clean name changes nothing"


def test_a_checked_upload_is_named_for_what_it_is():
    assert check("lab-results.html", files.pdf()).display_name == "lab-results.pdf"


def test_a_very_long_typed_name_is_cut_keeping_the_type_s_extension():
    shown = display_name("a" * 400 + ".html", content_type="application/pdf")

    assert len(shown) == 200 and shown.endswith("a….pdf")


def test_a_very_long_name_is_cut_keeping_its_extension():
    shown = display_name("a" * 400 + ".pdf")

    assert len(shown) == 200 and shown.endswith("….pdf")
