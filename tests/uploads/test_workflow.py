import pytest

from uploads.models import CaseStatus, DocumentStatus
from uploads.workflow import (
    CASE_TRANSITIONS,
    DOCUMENT_TRANSITIONS,
    TransitionError,
    check_case_transition,
    check_document_transition,
)


def test_every_status_has_its_transitions_listed():
    assert set(CASE_TRANSITIONS) == set(CaseStatus.values)
    assert set(DOCUMENT_TRANSITIONS) == set(DocumentStatus.values)


def test_a_withdrawn_case_and_a_deleted_document_are_final():
    assert CASE_TRANSITIONS[CaseStatus.WITHDRAWN] == frozenset()
    assert DOCUMENT_TRANSITIONS[DocumentStatus.DELETED] == frozenset()


def test_any_case_that_is_not_withdrawn_can_be_withdrawn():
    for status, targets in CASE_TRANSITIONS.items():
        if status != CaseStatus.WITHDRAWN:
            assert CaseStatus.WITHDRAWN in targets, status


def test_a_document_is_never_clean_without_a_scan():
    sources_of_clean = {s for s, targets in DOCUMENT_TRANSITIONS.items() if DocumentStatus.CLEAN in targets}

    assert sources_of_clean == {DocumentStatus.SCANNING}


def test_illegal_moves_raise_with_a_plain_reason():
    with pytest.raises(TransitionError, match="cannot go from draft to guidance ready"):
        check_case_transition(CaseStatus.DRAFT, CaseStatus.GUIDANCE_READY)
    with pytest.raises(TransitionError, match="cannot go from received to clean"):
        check_document_transition(DocumentStatus.RECEIVED, DocumentStatus.CLEAN)
    check_case_transition(CaseStatus.DRAFT, CaseStatus.SUBMITTED)
