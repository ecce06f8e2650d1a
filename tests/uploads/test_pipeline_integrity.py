import hashlib
import io

from uploads.pipeline.integrity import CHUNK_SIZE, sha256_of


class CountingReader(io.BytesIO):
    """Remembers the largest read asked of it."""

    largest_read = 0

    def read(self, size=-1):
        self.largest_read = max(self.largest_read, size if size >= 0 else len(self.getbuffer()))
        return super().read(size)


def test_sha256_of_matches_hashlib_over_several_chunks():
    data = bytes(range(256)) * 1000  # 256 kB: four chunks

    assert sha256_of(io.BytesIO(data)) == hashlib.sha256(data).hexdigest()


def test_sha256_of_reads_in_chunks_never_the_whole_file():
    upload = CountingReader(b"a" * (5 * CHUNK_SIZE))

    sha256_of(upload)

    assert upload.largest_read == CHUNK_SIZE


def test_sha256_of_hashes_the_whole_file_wherever_it_was_left():
    upload = io.BytesIO(b"pathology report")
    upload.read(9)

    assert sha256_of(upload) == hashlib.sha256(b"pathology report").hexdigest()


def test_sha256_of_an_empty_file():
    assert sha256_of(io.BytesIO()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
