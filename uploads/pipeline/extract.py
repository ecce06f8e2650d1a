"""The text of an upload and its page count: a PDF's text layer, and OCR where tesseract is installed.

OCR is optional: it runs only when the `tesseract` binary is on the PATH, for images and for PDF
pages that have no text layer (scans). Without it, images give their page count and no text.
"""

import io
import shutil
import subprocess
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO

import pikepdf
from PIL import Image
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from uploads.pipeline.content_types import PDF, supported_content_type
from uploads.pipeline.errors import ImageTooLarge, UnsupportedDocument
from uploads.pipeline.images import MAX_IMAGE_PIXELS, frames, open_image, page_count
from uploads.pipeline.integrity import rewind

PAGE_SEPARATOR = "\f"
# A PDF page with less text than this is taken for a scan, and read by OCR when it can be.
MIN_TEXT_LAYER_CHARACTERS = 20
OCR_TIMEOUT_SECONDS = 120


class TextSource(StrEnum):
    TEXT_LAYER = "text_layer"
    OCR = "ocr"
    NONE = "none"


@dataclass(frozen=True)
class ExtractedText:
    # The pages' text, separated by form feeds.
    text: str
    page_count: int
    # OCR when any of the text came from OCR; NONE when there is no text.
    source: TextSource


def tesseract_path() -> str | None:
    """Return the path of the tesseract binary, or None when it is not installed."""
    return shutil.which("tesseract")


def extract_text(fileobj: BinaryIO, *, ocr: bool = True, max_pixels: int = MAX_IMAGE_PIXELS) -> ExtractedText:
    """Return the text and page count of a PDF or image, using OCR when `ocr` and tesseract allow.

    Raises `UnsupportedDocument` for a type we do not accept or a damaged or encrypted file, and
    `ImageTooLarge` for an image with more than `max_pixels` pixels.
    """
    content_type = supported_content_type(fileobj)
    tesseract = tesseract_path() if ocr else None
    if content_type == PDF:
        pages, ocr_pages = _pdf_pages(fileobj, tesseract, max_pixels)
    else:
        pages, ocr_pages = _image_pages(fileobj, content_type, tesseract, max_pixels)
    # PostgreSQL text cannot hold NUL, which some PDFs' text layers contain.
    text = PAGE_SEPARATOR.join(page.replace("\x00", "") for page in pages)
    if not text.strip():
        source = TextSource.NONE
    elif ocr_pages:
        source = TextSource.OCR
    else:
        source = TextSource.TEXT_LAYER
    return ExtractedText(text=text, page_count=len(pages), source=source)


def _pdf_pages(fileobj: BinaryIO, tesseract: str | None, max_pixels: int) -> tuple[list[str], set[int]]:
    rewind(fileobj)
    try:
        reader = PdfReader(fileobj)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnsupportedDocument("The PDF is protected by a password.")
        pages = [_page_text(page) for page in reader.pages]
    except PyPdfError as exc:
        raise UnsupportedDocument("The PDF cannot be read.") from exc
    scans = {number for number, text in enumerate(pages) if len(text.strip()) < MIN_TEXT_LAYER_CHARACTERS}
    if not tesseract or not scans:
        return pages, set()
    read = _ocr_scanned_pages(fileobj, scans, tesseract, max_pixels)
    for number, text in read.items():
        pages[number] = text
    return pages, set(read)


def _page_text(page) -> str:
    try:
        return page.extract_text()
    except (PyPdfError, ValueError, KeyError, TypeError):
        # One page whose fonts or content pypdf cannot follow should not lose the others' text;
        # reviewers still see the page itself in the safe copy.
        return ""


def _ocr_scanned_pages(fileobj: BinaryIO, numbers: set[int], tesseract: str, max_pixels: int) -> dict[int, str]:
    """OCR the largest picture on each of these pages: a scanned page is one picture."""
    read = {}
    rewind(fileobj)
    try:
        with pikepdf.open(fileobj) as pdf:
            for number in sorted(numbers):
                picture = _largest_picture(pdf.pages[number], max_pixels)
                if picture and (text := _ocr(picture, tesseract)):
                    read[number] = text
    except pikepdf.PdfError:
        # pypdf read the text layer but qpdf cannot read the file: keep that text, without OCR.
        pass
    return read


def _largest_picture(page: pikepdf.Page, max_pixels: int) -> Image.Image | None:
    pictures = list(page.get_images().values())
    if not pictures:
        return None
    largest = pikepdf.PdfImage(
        max(pictures, key=lambda picture: int(picture.get("/Width", 0)) * int(picture.get("/Height", 0)))
    )
    if largest.width * largest.height > max_pixels:
        raise ImageTooLarge(
            f"A page holds a picture of {largest.width} x {largest.height} pixels; we decode at most {max_pixels}."
        )
    try:
        return largest.as_pil_image()
    except (pikepdf.PdfError, NotImplementedError, OSError, ValueError):
        # An encoding that cannot be decoded here (JBIG2 without its library, say): no OCR there.
        return None


def _image_pages(
    fileobj: BinaryIO, content_type: str, tesseract: str | None, max_pixels: int
) -> tuple[list[str], set[int]]:
    with open_image(fileobj, content_type, max_pixels=max_pixels) as image:
        if not tesseract:
            return [""] * page_count(image), set()
        pages = [_ocr(frame, tesseract) for frame in frames(image, max_pixels=max_pixels)]
    return pages, {number for number, text in enumerate(pages) if text}


def _ocr(picture: Image.Image, tesseract: str) -> str:
    """Return what tesseract reads in the picture, or "" when it reads nothing or fails."""
    if picture.mode not in ("1", "L", "LA", "RGB", "RGBA", "I;16"):
        picture = picture.convert("RGB")
    png = io.BytesIO()
    picture.save(png, format="PNG")
    try:
        result = subprocess.run(
            [tesseract, "stdin", "stdout"],
            input=png.getvalue(),
            capture_output=True,
            timeout=OCR_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return ""
    # Its messages (on stderr) are dropped: they can quote what it read.
    return result.stdout.decode("utf-8", "replace").strip() if result.returncode == 0 else ""
