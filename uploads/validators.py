"""What we accept from a patient's upload, judged by its bytes: never by its name or the browser's word.

Checks here are the cheap, structural ones that let the web process answer "kept" or "refused, because"
while the patient waits: the real type, that the file is whole, that an image is not a decompression
bomb. Reading what a document says is the pipeline's work, in the worker.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import BinaryIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from PIL import Image
from pypdf import PasswordType, PdfReader

from uploads.pipeline.content_types import (
    EXTENSIONS,
    HEIC,
    JPEG,
    PDF,
    PNG,
    SUPPORTED_TYPES,
    TIFF,
    UNKNOWN_EXTENSION,
    sniff_content_type,
)
from uploads.pipeline.errors import ImageTooLarge, UnsupportedDocument
from uploads.pipeline.images import MAX_IMAGE_FRAMES, MAX_IMAGE_PIXELS, open_image, refuse_if_too_large

ACCEPTED_LIST = "PDF, JPEG, PNG, TIFF or HEIC"
# What the file picker offers; the server decides by content whatever the picker let through.
ACCEPT_ATTRIBUTE = (
    ".pdf,.jpg,.jpeg,.png,.tif,.tiff,.heic,.heif,application/pdf,image/jpeg,image/png,image/tiff,image/heic"
)

# Plain words for what a refused file turned out to be.
_DESCRIPTIONS = {
    "text/html": "a web page (HTML)",
    "image/svg+xml": "an SVG drawing",
    "application/x-dosexec": "a Windows program",
    "application/vnd.microsoft.portable-executable": "a Windows program",
    "application/x-executable": "a program",
    "application/x-pie-executable": "a program",
    "application/x-sharedlib": "a program",
    "application/x-mach-binary": "a program",
    "text/x-shellscript": "a script",
    "text/x-php": "a script",
    "text/x-python": "a script",
    "text/x-script.python": "a script",
    "application/javascript": "a script",
    "text/javascript": "a script",
    "application/zip": "a zip archive",
    "application/x-7z-compressed": "a 7-Zip archive",
    "application/x-rar": "a RAR archive",
    "application/gzip": "a compressed archive",
    "application/x-tar": "an archive",
    "application/msword": "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "a Word document",
    "application/vnd.oasis.opendocument.text": "a text document",
    "image/gif": "a GIF image",
    "image/bmp": "a BMP image",
    "image/webp": "a WebP image",
    "text/plain": "a plain text file",
    "text/xml": "an XML file",
    "application/xml": "an XML file",
}


class UploadRefused(Exception):
    """A file we do not keep, with the reason the patient reads beside it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    display_name: str


# What counts as a file-name ending: a dot and up to ten letters or digits, at least one a letter,
# so that "Dr. Smith letter" or "scan 1.2" keep their dots as part of the name.
_EXTENSION = re.compile(r"\.(?=[0-9]*[a-z])[0-9a-z]{1,10}", re.IGNORECASE)


def display_name(raw: str | None, *, content_type: str | None = None, max_length: int = 200) -> str:
    """The file's own name made safe to show and store: no folders, control or direction characters.

    Given the type detected from the content, the name ends in that type's extension, whatever the
    patient's name said: a PDF named "lab-results.html" is shown and downloaded as "lab-results.pdf".
    """
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    # Category C holds control, format (e.g. right-to-left overrides that disguise an extension),
    # private-use and unassigned characters.
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    if content_type is None:
        if not name:
            return "document"
        if len(name) > max_length:
            suffix = PurePosixPath(name).suffix[:10]
            name = name[: max_length - len(suffix) - 1].rstrip() + "…" + suffix
        return name
    stem, suffix = _typed_name(name, content_type)
    stem = stem or "document"
    if len(stem) + len(suffix) > max_length:
        stem = stem[: max_length - len(suffix) - 1].rstrip() + "…"
    return stem + suffix


def _split_extension(name: str) -> tuple[str, str]:
    stem, dot, ending = name.rpartition(".")
    if dot and stem and _EXTENSION.fullmatch(dot + ending):
        return stem.rstrip(" ."), dot + ending
    return name, ""


def _typed_name(name: str, content_type: str) -> tuple[str, str]:
    """Split the name into a stem and the extension of the detected type.

    A wrong ending is dropped, not kept inside the name: "report.pdf.exe" (what "report.pdf\\x00.exe"
    becomes once its NUL is gone) is a PDF named "report.pdf", never "report.pdf.exe" nor "report.pdf.pdf".
    """
    allowed = EXTENSIONS.get(content_type, (UNKNOWN_EXTENSION,))
    stem, suffix = _split_extension(name)
    if suffix.lower() not in allowed:
        inner_stem, inner_suffix = _split_extension(stem)
        stem, suffix = (inner_stem, inner_suffix) if inner_suffix.lower() in allowed else (stem, allowed[0])
    return stem, suffix.lower()


def upload_check(fileobj: BinaryIO, *, name: str, size: int) -> CheckedUpload:
    """Return the upload's real type and display name, or raise UploadRefused saying why we cannot keep it."""
    if size == 0:
        raise UploadRefused("This file is empty.")
    if size > settings.UPLOAD_MAX_FILE_SIZE:
        raise UploadRefused(file_too_large_message())
    content_type = sniff_content_type(fileobj)
    if content_type not in SUPPORTED_TYPES:
        raise UploadRefused(_refused_type_message(name, content_type))
    _STRUCTURE_CHECKS[content_type](fileobj, size)
    fileobj.seek(0)
    return CheckedUpload(content_type=content_type, display_name=display_name(name, content_type=content_type))


def file_too_large_message() -> str:
    return f"This file is larger than {filesizeformat(settings.UPLOAD_MAX_FILE_SIZE)}, the most we take for one file."


def _refused_type_message(name: str, content_type: str) -> str:
    what = _DESCRIPTIONS.get(content_type) or (
        "an image of a type we do not take" if content_type.startswith("image/") else "a kind of file we do not take"
    )
    suffix = PurePosixPath(display_name(name)).suffix.lower()
    claimed = f"Its name ends in {suffix}, but it is {what}." if suffix else f"It is {what}."
    return f"{claimed} We accept {ACCEPTED_LIST} files."


_DAMAGED = "This {kind} is damaged and cannot be opened. Try saving or exporting it again."
_INCOMPLETE = "This {kind} is incomplete: it may have been cut off while copying. Please upload it again."
TOO_MANY_PIXELS = (
    "This image is too large in pixels for us to open safely. "
    f"Please send a smaller copy, up to {MAX_IMAGE_PIXELS // 1_000_000} megapixels."
)


def _check_pdf(fileobj: BinaryIO, size: int) -> None:
    # A PDF ends with %%EOF; readers look for it within the last kilobyte.
    fileobj.seek(max(0, size - 1024))
    if b"%%EOF" not in fileobj.read():
        raise UploadRefused(_INCOMPLETE.format(kind="PDF"))
    fileobj.seek(0)
    try:
        reader = PdfReader(fileobj, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise UploadRefused("This PDF is protected by a password. Please upload a copy without one.")
        pages = len(reader.pages)
        if pages:
            reader.pages[0].mediabox  # noqa: B018 - reading the first page proves the page tree is sound
    except UploadRefused:
        raise
    # pypdf raises many kinds of error on malformed files; every one means "unreadable".
    except Exception as exc:
        raise UploadRefused(_DAMAGED.format(kind="PDF")) from exc
    if not pages:
        raise UploadRefused("This PDF has no pages.")


def _open_image(fileobj: BinaryIO, content_type: str) -> Image.Image:
    """Open the image's header with the pipeline's own pixel limit, as the pipeline will open it later."""
    try:
        return open_image(fileobj, content_type)
    except ImageTooLarge as exc:
        raise UploadRefused(TOO_MANY_PIXELS) from exc
    except UnsupportedDocument as exc:
        raise UploadRefused(_DAMAGED.format(kind="image")) from exc


def _check_png(fileobj: BinaryIO, size: int) -> None:
    image = _open_image(fileobj, PNG)
    try:
        # Walks every chunk to the end, checking each checksum, without decoding the pixels.
        image.verify()
    except (OSError, SyntaxError, ValueError) as exc:
        raise UploadRefused(_INCOMPLETE.format(kind="image")) from exc


def _check_jpeg(fileobj: BinaryIO, size: int) -> None:
    image = _open_image(fileobj, JPEG)
    width, height = image.size
    try:
        # Decode at an eighth of the size: cheap, and it still reads every byte of the picture.
        image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
        image.load()
    except (OSError, SyntaxError, ValueError) as exc:
        raise UploadRefused(_INCOMPLETE.format(kind="image")) from exc
    finally:
        image.close()


def _check_tiff(fileobj: BinaryIO, size: int) -> None:
    image = _open_image(fileobj, TIFF)
    try:
        if getattr(image, "n_frames", 1) > MAX_IMAGE_FRAMES:
            raise UploadRefused(f"This image has more than {MAX_IMAGE_FRAMES} pages. Please split it up.")
        for frame in range(getattr(image, "n_frames", 1)):
            image.seek(frame)
            refuse_if_too_large(image, MAX_IMAGE_PIXELS)
            # The picture data of each page lies where its strips or tiles say: all of it inside the file.
            offsets = image.tag_v2.get(273) or image.tag_v2.get(324) or ()
            lengths = image.tag_v2.get(279) or image.tag_v2.get(325) or ()
            if not offsets or any(o + n > size for o, n in zip(offsets, lengths, strict=False)):
                raise UploadRefused(_INCOMPLETE.format(kind="image"))
    except ImageTooLarge as exc:
        raise UploadRefused(TOO_MANY_PIXELS) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        raise UploadRefused(_DAMAGED.format(kind="image")) from exc


def _check_heic(fileobj: BinaryIO, size: int) -> None:
    # Opening parses the container and the picture's header; the pipeline decodes it in the worker.
    _open_image(fileobj, HEIC)


_STRUCTURE_CHECKS: dict[str, Callable[[BinaryIO, int], None]] = {
    PDF: _check_pdf,
    PNG: _check_png,
    JPEG: _check_jpeg,
    TIFF: _check_tiff,
    HEIC: _check_heic,
}
