"""What an upload really is, read from its bytes, never from its name or the browser's word."""

from typing import BinaryIO

import magic

from uploads.pipeline.errors import UnsupportedDocument
from uploads.pipeline.integrity import rewind

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
TIFF = "image/tiff"
HEIC = "image/heic"
IMAGE_TYPES = frozenset({JPEG, PNG, TIFF, HEIC})
SUPPORTED_TYPES = IMAGE_TYPES | {PDF}
# The name endings a file of each accepted type may carry; the first is the one we give it. A file's
# name always ends in one of its type's, so no name can promise a browser or a desktop another type.
EXTENSIONS = {
    PDF: (".pdf",),
    JPEG: (".jpg", ".jpeg"),
    PNG: (".png",),
    TIFF: (".tif", ".tiff"),
    HEIC: (".heic", ".heif"),
}
# For a type we do not accept (never kept from an upload): an ending nothing opens or runs.
UNKNOWN_EXTENSION = ".bin"

# libmagic names some HEIF variants apart; Pillow (with pillow-heif) opens them all alike.
_SAME_AS = {"image/heif": HEIC, "image/heic-sequence": HEIC, "image/heif-sequence": HEIC}
_SNIFF_BYTES = 8192


def sniff_content_type(fileobj: BinaryIO) -> str:
    """Return the MIME type that the file's first bytes show, whatever its name says."""
    rewind(fileobj)
    head = fileobj.read(_SNIFF_BYTES)
    rewind(fileobj)
    detected = magic.from_buffer(head, mime=True)
    return _SAME_AS.get(detected, detected)


def extension_for(content_type: str) -> str:
    """Return the name ending that goes with the content type, such as ".pdf"."""
    return EXTENSIONS.get(content_type, (UNKNOWN_EXTENSION,))[0]


def supported_content_type(fileobj: BinaryIO) -> str:
    """Return the file's MIME type if we accept it, else raise `UnsupportedDocument`."""
    content_type = sniff_content_type(fileobj)
    if content_type not in SUPPORTED_TYPES:
        raise UnsupportedDocument(f"Files of type {content_type} are not accepted.")
    return content_type
