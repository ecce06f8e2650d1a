"""Opening uploaded images with a pixel limit checked before anything is decoded."""

import warnings
from collections.abc import Iterator
from typing import BinaryIO

from PIL import Image, ImageSequence, UnidentifiedImageError
from pillow_heif import register_heif_opener

from uploads.pipeline.content_types import HEIC, JPEG, PNG, TIFF
from uploads.pipeline.errors import ImageTooLarge, UnsupportedDocument
from uploads.pipeline.integrity import rewind

register_heif_opener()

# 80 megapixels takes any phone photo up to 64 MP and any scanned page, and bounds what one
# image may cost to decode (about 240 MB as RGB). Pillow's own guard starts above this.
MAX_IMAGE_PIXELS = 80_000_000
# A multi-page TIFF is decoded a page at a time; this bounds how many pages.
MAX_IMAGE_FRAMES = 100

# Only the decoders for the types we accept: a file that claims to be a JPEG is never handed to
# some other of Pillow's many parsers. MPO is how Pillow opens JPEGs with several pictures.
_PILLOW_FORMATS = {JPEG: ("JPEG", "MPO"), PNG: ("PNG",), TIFF: ("TIFF",), HEIC: ("HEIF",)}


def open_image(fileobj: BinaryIO, content_type: str, *, max_pixels: int = MAX_IMAGE_PIXELS) -> Image.Image:
    """Open an image of a type we accept, refusing one with more than `max_pixels` pixels.

    Only the header is read here; the pixels are decoded when first used.
    """
    rewind(fileobj)
    try:
        with warnings.catch_warnings():
            # Pillow warns from 89 Mpx; our own, lower limit below is the one that decides.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(fileobj, formats=_PILLOW_FORMATS[content_type])
    except Image.DecompressionBombError as exc:
        raise ImageTooLarge(f"The image has more pixels than we decode (at most {max_pixels}).") from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UnsupportedDocument("The image cannot be read.") from exc
    refuse_if_too_large(image, max_pixels)
    return image


def refuse_if_too_large(image: Image.Image, max_pixels: int) -> None:
    """Raise `ImageTooLarge` when the image (or the current frame) has more than `max_pixels` pixels."""
    width, height = image.size
    if width * height > max_pixels:
        raise ImageTooLarge(
            f"The image is {width} x {height} pixels ({width * height}); we decode at most {max_pixels}."
        )


def frames(image: Image.Image, *, max_pixels: int = MAX_IMAGE_PIXELS) -> Iterator[Image.Image]:
    """Yield each page of a multi-page image (a TIFF) or the one picture of any other, checked."""
    if image.format != "TIFF":
        # The first picture is the photo; further ones (MPO previews, HEIF bursts) are not pages.
        yield image
        return
    if getattr(image, "n_frames", 1) > MAX_IMAGE_FRAMES:
        raise ImageTooLarge(f"The image has {image.n_frames} pages; we accept at most {MAX_IMAGE_FRAMES}.")
    for frame in ImageSequence.Iterator(image):
        refuse_if_too_large(frame, max_pixels)
        yield frame


def page_count(image: Image.Image) -> int:
    """Return how many pages the image has: those of a multi-page TIFF, else one."""
    return getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
