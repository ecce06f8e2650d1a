"""The storage sweep: what makes a file written but never recorded harmless.

A run or an upload killed between writing a file and recording it leaves a file no row names. The
pipeline's own names are fixed per document and step, so a takeover writes over what the stopped
run left; the sweep removes the rest: files under cases/ that no document (other than a deleted
one) names, once they are older than STORAGE_SWEEP_GRACE_SECONDS, so that no file still on its way
to its row is taken.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from uploads.models import Document, DocumentStatus
from uploads.storage import private_storage, stored_names

logger = logging.getLogger(__name__)

CASES_FOLDER = "cases/"


def storage_sweep(*, now: datetime | None = None) -> int:
    """Delete the files in private storage that no row names and that are past the grace period."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.STORAGE_SWEEP_GRACE_SECONDS)
    storage = private_storage()
    # The rows are read before the files are listed: a file recorded after this read is younger
    # than the grace period, so it is left alone.
    named = set()
    kept = Document.objects.exclude(status=DocumentStatus.DELETED).values_list("file", "safe_copy")
    for original, safe_copy in kept.iterator(chunk_size=2000):
        named.add(original)
        named.add(safe_copy)
    deleted = 0
    for name in list(stored_names(CASES_FOLDER)):
        if name in named:
            continue
        try:
            if storage.get_modified_time(name) >= cutoff:
                continue
            storage.delete(name)
        except FileNotFoundError:
            continue  # deleted in the meantime (a withdrawal): nothing left to do
        deleted += 1
    # Counts only: a file's name says which case it belongs to.
    logger.info("Storage sweep deleted %d file(s) that no row names", deleted)
    return deleted
