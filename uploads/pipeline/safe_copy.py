"""The copy reviewers open: images re-encoded without metadata, PDFs without active content.

The original is only read. The copy is built in a temporary file and written to the output only
once it is complete, so a refused file leaves the output untouched.
"""

import io
import tempfile
from dataclasses import dataclass
from typing import BinaryIO

import pikepdf
from PIL import Image, ImageCms, ImageOps, TiffImagePlugin

from uploads.pipeline.content_types import HEIC, JPEG, PDF, PNG, TIFF, extension_for, supported_content_type
from uploads.pipeline.errors import UnsupportedDocument
from uploads.pipeline.images import MAX_IMAGE_PIXELS, frames, open_image
from uploads.pipeline.integrity import iter_chunks, rewind

# What each accepted type becomes: browsers cannot show HEIC, so photos from iPhones become JPEG.
_COPY_TYPES = {JPEG: JPEG, HEIC: JPEG, PNG: PNG, TIFF: TIFF, PDF: PDF}
# Pixel modes each output format keeps as they are; any other is converted to RGB (or RGBA).
_KEPT_MODES = {
    JPEG: {"L", "RGB"},
    PNG: {"1", "L", "LA", "RGB", "RGBA", "I;16"},
    TIFF: {"1", "L", "LA", "RGB", "RGBA", "I;16"},
}
_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_SPOOL_IN_MEMORY_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class SafeCopy:
    content_type: str
    # The file name ending that goes with content_type, such as ".jpg".
    extension: str
    size: int


def make_safe_copy(source: BinaryIO, output: BinaryIO, *, max_pixels: int = MAX_IMAGE_PIXELS) -> SafeCopy:
    """Write a copy of `source` that is safe for reviewers to open to `output`, and describe it.

    Raises `UnsupportedDocument` for a type we do not accept or a damaged or encrypted file, and
    `ImageTooLarge` for an image with more than `max_pixels` pixels (a decompression bomb).
    """
    source_type = supported_content_type(source)
    content_type = _COPY_TYPES[source_type]
    extension = extension_for(content_type)
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY_BYTES) as spool:
        if source_type == PDF:
            _write_pdf_without_active_content(source, spool)
        else:
            _write_image_without_metadata(source, source_type, content_type, spool, max_pixels)
        size = 0
        for chunk in iter_chunks(spool):
            output.write(chunk)
            size += len(chunk)
    return SafeCopy(content_type=content_type, extension=extension, size=size)


# --- Images ---------------------------------------------------------------------------------


def _write_image_without_metadata(
    source: BinaryIO, source_type: str, content_type: str, spool: BinaryIO, max_pixels: int
) -> None:
    with open_image(source, source_type, max_pixels=max_pixels) as image:
        try:
            if content_type == TIFF:
                # Page by page, so that a long scan never sits in memory all at once.
                with TiffImagePlugin.AppendingTiffWriter(spool) as tiff:
                    for frame in frames(image, max_pixels=max_pixels):
                        _save_pixels(_pixels_only(frame, content_type), content_type, tiff)
                        tiff.newFrame()
            else:
                (picture,) = frames(image, max_pixels=max_pixels)
                _save_pixels(_pixels_only(picture, content_type), content_type, spool)
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise UnsupportedDocument("The image cannot be read.") from exc


def _pixels_only(frame: Image.Image, content_type: str) -> Image.Image:
    """Return a new image with the frame's pixels as they look, and nothing else from the file."""
    # Turn the picture as its EXIF orientation says, since the orientation goes with the EXIF.
    upright = ImageOps.exif_transpose(frame)
    upright = _in_srgb(upright)
    if upright.mode not in _KEPT_MODES[content_type]:
        has_alpha = "A" in upright.mode or "transparency" in upright.info
        upright = upright.convert("RGBA" if has_alpha and "RGBA" in _KEPT_MODES[content_type] else "RGB")
    # A fresh image carries no info, EXIF, XMP, ICC profile, comments or TIFF tags: only pixels.
    clean = Image.new(upright.mode, upright.size)
    clean.paste(upright)
    return clean


def _in_srgb(image: Image.Image) -> Image.Image:
    """Convert colours to sRGB when the image has its own profile, so the profile can go."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        return ImageCms.profileToProfile(
            image,
            ImageCms.ImageCmsProfile(io.BytesIO(profile)),
            _SRGB,
            outputMode="RGBA" if image.mode == "RGBA" else "RGB",
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        # A damaged profile: the pixels as they are look nearly right in sRGB.
        return image


def _save_pixels(image: Image.Image, content_type: str, fileobj: BinaryIO) -> None:
    if content_type == JPEG:
        image.save(fileobj, format="JPEG", quality=90)
    elif content_type == PNG:
        image.save(fileobj, format="PNG")
    else:
        image.save(fileobj, format="TIFF", compression="group4" if image.mode == "1" else "tiff_adobe_deflate")


# --- PDFs -----------------------------------------------------------------------------------

# Keys whose values run, open or carry something other than the document's own pages: scripts
# (/JS, /JavaScript name trees, XFA forms), actions run on opening or on events (/OpenAction,
# /AA), embedded files (/EmbeddedFiles name trees, /EF in file specifications), rich media,
# and portfolios that would show those attachments instead of the pages.
_ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/OpenAction", "/AA", "/XFA", "/EmbeddedFiles", "/EF", "/RichMediaContent", "/Collection"}
)
# Keys whose values are actions a click runs (/A, /PA) or that follow one (/Next).
_ACTION_KEYS = frozenset({"/A", "/PA", "/Next"})
# The actions a reviewer may click: moving within the document, and web or mail links.
_SAFE_ACTIONS = frozenset({"/GoTo", "/Named", "/Thread", "/SetOCGState", "/URI"})
_SAFE_URI_SCHEMES = ("http://", "https://", "mailto:")
# Annotations that attach files or play media.
_ACTIVE_ANNOTATIONS = frozenset({"/FileAttachment", "/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"})


def _write_pdf_without_active_content(source: BinaryIO, spool: BinaryIO) -> None:
    rewind(source)
    try:
        with pikepdf.open(source) as pdf:
            _remove_active_content(pdf)
            # Streams are copied as they are, never decoded, so a compressed bomb stays compressed.
            # Saving writes only what is still reachable, and without the file's encryption.
            pdf.save(spool, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    except pikepdf.PasswordError as exc:
        raise UnsupportedDocument("The PDF is protected by a password.") from exc
    except pikepdf.PdfError as exc:
        raise UnsupportedDocument("The PDF cannot be read.") from exc


def _remove_active_content(pdf: pikepdf.Pdf) -> None:
    """Walk every object reachable from the trailer and remove what could run or attach."""
    seen = pikepdf.ObjectSet()
    pending: list[pikepdf.Object] = [pdf.trailer]
    while pending:
        node = pending.pop()
        if isinstance(node, pikepdf.Array):
            if seen.add(node):
                pending.extend(node)
        elif isinstance(node, pikepdf.Dictionary | pikepdf.Stream) and seen.add(node):
            _remove_active_entries(node)
            pending.extend(node[key] for key in node.keys())  # noqa: SIM118 (a stream is not iterable)


def _remove_active_entries(node: pikepdf.Dictionary | pikepdf.Stream) -> None:
    for key in list(node.keys()):
        value = node[key]
        if key in _ACTIVE_KEYS:
            del node[key]
        elif key in _ACTION_KEYS:
            if isinstance(value, pikepdf.Array):
                node[key] = pikepdf.Array([action for action in value if _is_safe_action(action)])
            elif not _is_safe_action(value):
                del node[key]
        elif key == "/Annots" and isinstance(value, pikepdf.Array):
            node[key] = pikepdf.Array([annotation for annotation in value if not _is_active_annotation(annotation)])


def _is_safe_action(action: pikepdf.Object) -> bool:
    if not isinstance(action, pikepdf.Dictionary):
        return False
    kind = action.get("/S")
    if kind is None or str(kind) not in _SAFE_ACTIONS:
        return False
    if str(kind) == "/URI":
        uri = str(action.get("/URI", "")).strip().lower()
        return uri.startswith(_SAFE_URI_SCHEMES)
    return True


def _is_active_annotation(annotation: pikepdf.Object) -> bool:
    return isinstance(annotation, pikepdf.Dictionary) and str(annotation.get("/Subtype", "")) in _ACTIVE_ANNOTATIONS
