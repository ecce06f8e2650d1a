import ast
from pathlib import Path

import pytest

from tests.factories import CaseFactory, UserFactory
from uploads.models import Case, CaseEvent, CaseStatus
from uploads.services.transitions import case_event_record, case_transition
from uploads.workflow import TransitionError

UPLOADS = Path(__file__).resolve().parents[2] / "uploads"


@pytest.mark.django_db
def test_a_move_saves_the_status_stamps_its_time_and_records_the_event():
    case = CaseFactory(status=CaseStatus.DRAFT)
    patient = case.owner

    event = case_transition(case=case, to=CaseStatus.SUBMITTED, actor=patient)

    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert case.submitted_at == event.at
    assert (event.case, event.status, event.actor) == (case, CaseStatus.SUBMITTED, patient)


@pytest.mark.django_db
def test_a_move_saves_the_fields_it_is_given_and_no_others():
    case = CaseFactory(status=CaseStatus.PROCESSING, priority=3)
    case.priority = 1
    case.questions = "Changed in memory only."

    case_transition(case=case, to=CaseStatus.WAITING_FOR_REVIEW, fields=["priority"])

    case.refresh_from_db()
    assert (case.status, case.priority) == (CaseStatus.WAITING_FOR_REVIEW, 1)
    assert case.questions != "Changed in memory only."


@pytest.mark.django_db
def test_a_refused_move_raises_and_changes_nothing():
    case = CaseFactory(status=CaseStatus.DRAFT)

    with pytest.raises(TransitionError, match="cannot go from draft to guidance ready"):
        case_transition(case=case, to=CaseStatus.GUIDANCE_READY)

    assert Case.objects.get(pk=case.pk).status == CaseStatus.DRAFT
    assert not CaseEvent.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_a_step_that_keeps_the_status_is_recorded_at_the_current_status():
    case = CaseFactory(status=CaseStatus.IN_REVIEW)
    reviewer = UserFactory()

    event = case_event_record(case=case, actor=reviewer, note="Reassigned.")

    assert (event.status, event.actor, event.note) == (CaseStatus.IN_REVIEW, reviewer, "Reassigned.")


def _status_writes(tree: ast.AST) -> list[int]:
    """Lines that assign a case's status or create a CaseEvent."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            lines += [node.lineno for target in node.targets if ast.unparse(target) == "case.status"]
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "CaseEvent.objects.create":
            lines.append(node.lineno)
    return lines


def test_only_the_transition_service_changes_a_case_status_or_writes_its_events():
    writes = {
        str(path.relative_to(UPLOADS)): lines
        for path in UPLOADS.rglob("*.py")
        if "migrations" not in path.parts and (lines := _status_writes(ast.parse(path.read_text())))
    }

    assert set(writes) == {"services/transitions.py"}
