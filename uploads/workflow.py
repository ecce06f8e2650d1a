"""Which status a case or a document may move to from which. Services check every change here."""

from uploads.models import CaseStatus, DocumentStatus

C = CaseStatus
D = DocumentStatus

CASE_TRANSITIONS: dict[str, frozenset[str]] = {
    C.DRAFT: frozenset({C.SUBMITTED, C.WITHDRAWN}),
    C.SUBMITTED: frozenset({C.PROCESSING, C.WITHDRAWN}),
    C.PROCESSING: frozenset({C.WAITING_FOR_REVIEW, C.NEEDS_ATTENTION, C.WITHDRAWN}),
    C.NEEDS_ATTENTION: frozenset({C.PROCESSING, C.WAITING_FOR_REVIEW, C.WITHDRAWN}),
    # New documents on a case waiting for review send it back through the pipeline.
    C.WAITING_FOR_REVIEW: frozenset({C.IN_REVIEW, C.PROCESSING, C.WITHDRAWN}),
    C.IN_REVIEW: frozenset({C.GUIDANCE_READY, C.WAITING_FOR_REVIEW, C.PROCESSING, C.WITHDRAWN}),
    # A follow-up question on released guidance goes back to the guidance's author (in review), or to
    # the queue when they no longer review cases.
    C.GUIDANCE_READY: frozenset({C.IN_REVIEW, C.WAITING_FOR_REVIEW, C.WITHDRAWN}),
    C.WITHDRAWN: frozenset(),
}

DOCUMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    D.RECEIVED: frozenset({D.SCANNING, D.FAILED, D.DELETED}),
    D.SCANNING: frozenset({D.CLEAN, D.QUARANTINED, D.PENDING_SCAN, D.FAILED, D.DELETED}),
    # Fail closed: a document the scanner could not check waits, and is never shown to staff.
    D.PENDING_SCAN: frozenset({D.SCANNING, D.FAILED, D.DELETED}),
    D.CLEAN: frozenset({D.EXTRACTING, D.DELETED}),
    D.EXTRACTING: frozenset({D.DONE, D.FAILED, D.DELETED}),
    D.DONE: frozenset({D.DELETED}),
    D.QUARANTINED: frozenset({D.DELETED}),
    # Staff may retry a document that failed for good.
    D.FAILED: frozenset({D.RECEIVED, D.DELETED}),
    D.DELETED: frozenset(),
}

# Statuses a document ends in: the case can be summarised once all its documents are in one.
DOCUMENT_FINAL = frozenset({D.DONE, D.FAILED, D.QUARANTINED, D.DELETED})
# Documents staff may open: checked by the scanner and found clean.
DOCUMENT_VISIBLE_TO_STAFF = frozenset({D.CLEAN, D.EXTRACTING, D.DONE})


class TransitionError(Exception):
    """A status change the workflow does not allow."""


def check_case_transition(current: str, target: str) -> None:
    """Raise TransitionError unless a case may move from `current` to `target`."""
    if target not in CASE_TRANSITIONS[current]:
        raise TransitionError(f"A case cannot go from {C(current).label.lower()} to {C(target).label.lower()}.")


def check_document_transition(current: str, target: str) -> None:
    """Raise TransitionError unless a document may move from `current` to `target`."""
    if target not in DOCUMENT_TRANSITIONS[current]:
        raise TransitionError(f"A document cannot go from {D(current).label.lower()} to {D(target).label.lower()}.")
