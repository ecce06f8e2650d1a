"""The copy reviewers open, checked by parsing it with other tools than the ones that made it."""

import io

import pytest
from PIL import ExifTags, Image, ImageSequence
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from tests.uploads import samples
from uploads.pipeline.errors import ImageTooLarge, UnsupportedDocument
from uploads.pipeline.safe_copy import SafeCopy, make_safe_copy

CAMERA_TAGS = {
    ExifTags.Base.Make,
    ExifTags.Base.ImageDescription,
    ExifTags.Base.DateTime,
    ExifTags.Base.Orientation,
    ExifTags.Base.XMLPacket,
    ExifTags.Base.InterColorProfile,
    ExifTags.Base.ExifOffset,
    ExifTags.Base.GPSInfo,
}
MARKERS = (samples.EXIF_MARKER, samples.XMP_MARKER, samples.COMMENT_MARKER, "Navis Test Camera")


def safe_copy_of(data: bytes) -> tuple[SafeCopy, bytes]:
    output = io.BytesIO()
    copy = make_safe_copy(io.BytesIO(data), output)
    return copy, output.getvalue()


def reachable_objects(reader: PdfReader) -> list[DictionaryObject]:
    """Every dictionary (and stream dictionary) reachable from the trailer, each once."""
    found, seen, pending = [], set(), [reader.trailer]
    while pending:
        node = pending.pop()
        if isinstance(node, IndirectObject):
            if (node.idnum, node.generation) in seen:
                continue
            seen.add((node.idnum, node.generation))
            node = node.get_object()
        if isinstance(node, DictionaryObject | StreamObject):
            found.append(node)
            pending.extend(node.values())
        elif isinstance(node, ArrayObject):
            pending.extend(node)
    return found


# --- PDFs -----------------------------------------------------------------------------------


def test_a_pdf_copy_keeps_no_script_action_or_attachment():
    original = samples.pdf_with_active_content()
    reader = PdfReader(io.BytesIO(original))
    assert reader.attachments and "/OpenAction" in reader.trailer["/Root"]  # the sample has them

    copy, data = safe_copy_of(original)

    assert copy == SafeCopy(content_type="application/pdf", extension=".pdf", size=len(data))
    reader = PdfReader(io.BytesIO(data))
    objects = reachable_objects(reader)
    for key in ("/JS", "/JavaScript", "/OpenAction", "/AA", "/EmbeddedFiles", "/EF", "/XFA"):
        assert not [node for node in objects if key in node], key
    annotations = [annotation.get_object() for annotation in reader.pages[0]["/Annots"]]
    # Launch, javascript: link, https link, GoTo followed by a script, SubmitForm, form field:
    # only the https link and the GoTo (without what followed it) still act.
    assert [str(annotation.get("/A", {}).get("/S")) for annotation in annotations] == [
        "None",
        "None",
        "/URI",
        "/GoTo",
        "None",
        "None",
    ]
    assert annotations[2]["/A"]["/URI"] == "https://navis.example/guide"
    assert "/Next" not in annotations[3]["/A"]
    assert not [node for node in objects if node.get("/Subtype") == "/FileAttachment"]
    assert reader.attachments == {}
    for raw in (samples.JS_MARKER.encode(), b"app.alert", b"cmd.exe", b"lab-export", b"evil.example"):
        assert raw not in data


def test_a_pdf_copy_keeps_the_pages_text_links_and_form():
    _, data = safe_copy_of(samples.pdf_with_active_content())
    reader = PdfReader(io.BytesIO(data))

    assert len(reader.pages) == 1
    assert "HER2 (4B5): score 2+ (equivocal)" in reader.pages[0].extract_text()
    subtypes = [str(annotation.get_object()["/Subtype"]) for annotation in reader.pages[0]["/Annots"]]
    assert subtypes == ["/Link"] * 5 + ["/Widget"]  # the file attachment is gone
    assert [str(field.get_object()["/T"]) for field in reader.trailer["/Root"]["/AcroForm"]["/Fields"]] == ["weight"]


def test_a_pdf_with_an_empty_user_password_is_copied_without_encryption():
    _, data = safe_copy_of(samples.encrypted_pdf(user_password="", owner_password="owner-secret"))

    reader = PdfReader(io.BytesIO(data))
    assert not reader.is_encrypted
    assert "PD-L1 (22C3): CPS 8" in reader.pages[0].extract_text()


def test_a_pdf_that_needs_a_password_is_refused():
    with pytest.raises(UnsupportedDocument, match="password"):
        safe_copy_of(samples.encrypted_pdf(user_password="patient-secret"))


def test_a_damaged_pdf_is_refused_and_the_output_stays_empty():
    output = io.BytesIO()

    with pytest.raises(UnsupportedDocument, match="cannot be read"):
        make_safe_copy(io.BytesIO(b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R"), output)
    assert output.getvalue() == b""


def test_a_file_of_another_type_is_refused():
    with pytest.raises(UnsupportedDocument, match="text/plain"):
        safe_copy_of(b"Patient notes in plain text.\n")


# --- Images ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image_format", "content_type", "extension"),
    [
        ("JPEG", "image/jpeg", ".jpg"),
        ("PNG", "image/png", ".png"),
        ("TIFF", "image/tiff", ".tif"),
        ("HEIF", "image/jpeg", ".jpg"),
    ],
)
def test_an_image_copy_has_no_exif_gps_xmp_icc_or_comments(image_format, content_type, extension):
    original = samples.photo_with_metadata(image_format)
    with Image.open(io.BytesIO(original)) as image:  # the sample has them all
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "icc_profile" in image.info

    copy, data = safe_copy_of(original)

    assert copy == SafeCopy(content_type=content_type, extension=extension, size=len(data))
    with Image.open(io.BytesIO(data)) as image:
        assert Image.MIME[image.format] == content_type
        assert image.size == (640, 480)
        # A TIFF's own layout tags (width, strips...) read as EXIF too; none of the camera's is left.
        assert not set(image.getexif()) & CAMERA_TAGS
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert not {"exif", "xmp", "icc_profile", "comment", "Comment", "XML:com.adobe.xmp"} & set(image.info)
        red = image.convert("RGB").getpixel((20, 20))
        assert red[0] > 180 and red[1] < 70 and red[2] < 70
    for marker in MARKERS:
        assert marker.encode() not in data
    assert b"Exif\x00\x00" not in data
    assert b"http://ns.adobe.com" not in data and b"adobe:ns:meta" not in data


@pytest.mark.parametrize("image_format", ["JPEG", "TIFF"])
def test_a_photo_turned_by_its_exif_stays_upright_without_the_exif(image_format):
    # Orientation 6: the camera was turned, and viewers rotate the picture 90 degrees clockwise.
    _, data = safe_copy_of(samples.photo_with_metadata(image_format, orientation=6))

    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (480, 640)
        assert ExifTags.Base.Orientation not in image.getexif()
        # The red mark, top left in the picture as taken, is top right as it is seen.
        red = image.convert("RGB").getpixel((480 - 20, 20))
        assert red[0] > 180 and red[1] < 70 and red[2] < 70


def test_a_multipage_tiff_keeps_every_page():
    copy, data = safe_copy_of(samples.multipage_tiff(3))

    assert copy.content_type == "image/tiff"
    with Image.open(io.BytesIO(data)) as image:
        assert [frame.size for frame in ImageSequence.Iterator(image)] == [(620, 877)] * 3


def test_a_tiff_with_too_many_pages_is_refused():
    blank = Image.new("1", (8, 8))
    tiff = samples.image_bytes(blank, "TIFF", save_all=True, append_images=[blank] * 120)

    with pytest.raises(ImageTooLarge, match="121 pages"):
        safe_copy_of(tiff)


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        (30_000, 30_000, "more pixels than we decode"),  # Pillow's own guard stops this one
        (9_000, 9_000, "9000 x 9000 pixels"),  # over our limit, under Pillow's
    ],
)
def test_a_decompression_bomb_is_refused_before_it_is_decoded(width, height, message):
    bomb = samples.decompression_bomb_png(width, height)
    assert len(bomb) < 200_000
    output = io.BytesIO()

    with pytest.raises(ImageTooLarge, match=message):
        make_safe_copy(io.BytesIO(bomb), output)
    assert output.getvalue() == b""


def test_a_lower_pixel_limit_refuses_a_smaller_image():
    with pytest.raises(ImageTooLarge, match="640 x 480"):
        make_safe_copy(io.BytesIO(samples.photo_with_metadata("PNG")), io.BytesIO(), max_pixels=100_000)


def test_a_truncated_image_is_refused():
    whole = samples.image_bytes(samples.photo(), "PNG")

    with pytest.raises(UnsupportedDocument, match="cannot be read"):
        safe_copy_of(whole[: len(whole) // 2])


def test_an_image_inside_a_pdf_is_kept_in_the_copy():
    _, data = safe_copy_of(samples.scanned_pdf())

    images = PdfReader(io.BytesIO(data)).pages[0].images
    assert [image.image.size for image in images] == [(620, 877)]
