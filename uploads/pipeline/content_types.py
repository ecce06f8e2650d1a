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


def supported_content_type(fileobj: BinaryIO) -> str:
    """Return the file's MIME type if we accept it, else raise `UnsupportedDocument`."""
    content_type = sniff_content_type(fileobj)
    if content_type not in SUPPORTED_TYPES:
        raise UnsupportedDocument(f"Files of type {content_type} are not accepted.")
    return content_type
