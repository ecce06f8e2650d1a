"""The one way a case changes status: intake, the pipeline and review all move a case through here.

Each move is checked against uploads/workflow.py (a refused one raises TransitionError), saves the
status with the time it stands for, and writes the CaseEvent the patient's timeline and the staff
history read. The caller holds the case's row lock and passes the other fields it changed with it.
"""

from collections.abc import Iterable
from datetime import datetime

from django.utils import timezone

from navis.models import User
from uploads.models import Case, CaseEvent, CaseStatus
from uploads.workflow import check_case_transition

# The field that keeps when a case last reached a status, for the statuses that have one.
STAMPED_AT = {
    CaseStatus.SUBMITTED: "submitted_at",
    CaseStatus.WITHDRAWN: "withdrawn_at",
}


def case_transition(
    *,
    case: Case,
    to: str,
    actor: User | None = None,
    note: str = "",
    fields: Iterable[str] = (),
    at: datetime | None = None,
) -> CaseEvent:
    """Move a case to status `to` (at `at`, or now): check the move, stamp its time, save with `fields`, record it."""
    check_case_transition(case.status, to)
    now = at or timezone.now()
    case.status = to
    stamped = [STAMPED_AT[to]] if to in STAMPED_AT else []
    for name in stamped:
        setattr(case, name, now)
    case.save(update_fields=["status", "updated_at", *stamped, *fields])
    return CaseEvent.objects.create(case=case, status=to, actor=actor, note=note, at=now)


def case_event_record(*, case: Case, actor: User | None = None, note: str = "") -> CaseEvent:
    """Record a step in the case's history that leaves its status as it is (opened, reassigned, asked)."""
    return CaseEvent.objects.create(case=case, status=case.status, actor=actor, note=note)
