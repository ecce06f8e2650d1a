"""What the pipeline steps raise.

Two kinds: `DocumentRefused` and its subclasses are final (the same file fails the same way on
every try, so the document is rejected); `ScannerUnavailable` is transient (retry later, and
never treat the file as clean meanwhile).
"""


class DocumentRefused(Exception):
    """The file cannot be accepted as it is; trying again will not change that."""


class UnsupportedDocument(DocumentRefused):
    """The file is not a type we accept, or it is damaged or encrypted."""


class ImageTooLarge(DocumentRefused):
    """The image has more pixels than we decode: a decompression bomb, or simply too big."""


class FileTooLargeToScan(DocumentRefused):
    """The file is larger than the malware scanner accepts, so it cannot be shown to be clean."""


class ScannerUnavailable(Exception):
    """clamd did not give a verdict (unreachable, busy, timed out, or an error): retry later."""
