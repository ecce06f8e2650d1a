"""Reading an upload in chunks, and its SHA-256."""

import hashlib
from collections.abc import Iterator
from typing import BinaryIO

CHUNK_SIZE = 64 * 1024


def rewind(fileobj: BinaryIO) -> None:
    """Go back to the start of the file when it can, so that every step reads all of it."""
    # A step that read from wherever the previous one stopped would see an empty file: a scan of
    # nothing comes back clean, and a hash of nothing matches every other empty read.
    if fileobj.seekable():
        fileobj.seek(0)


def iter_chunks(fileobj: BinaryIO, chunk_size: int = CHUNK_SIZE) -> Iterator[bytes]:
    """Yield the whole file from its start, chunk by chunk, never all of it in memory."""
    rewind(fileobj)
    while chunk := fileobj.read(chunk_size):
        yield chunk


def sha256_of(fileobj: BinaryIO) -> str:
    """Return the hex SHA-256 of the whole file, read in chunks."""
    digest = hashlib.sha256()
    for chunk in iter_chunks(fileobj):
        digest.update(chunk)
    return digest.hexdigest()
