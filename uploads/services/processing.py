"""Every status change the case pipeline makes: claims, step outcomes, the case summary, retries.

The database is the source of truth and the broker carries only ids, so that a message delivered
twice, lost, or cut short by a dying worker changes nothing it should not:

- a document is claimed (status and a fresh `claim_token`, under `select_for_update(skip_locked)`)
  before a step runs, and its outcome is written only while that claim is still its own;
- a claim older than PIPELINE_STUCK_AFTER_SECONDS belongs to a worker that stopped: the next run
  takes it over, and that counts as a failed attempt, so a file that kills workers still ends;
- the database or the broker failing (a connection cut, even while an outcome is written) costs
  no attempt: the run gives its claim back and Celery retries it;
- a case is finalised under its row lock, once, when none of its documents still needs work.
"""

import logging
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass, field
from itertools import pairwise
from typing import BinaryIO

from django.core.files import File
from django.db import connections, transaction
from django.db.models import QuerySet
from django.db.models.sql import UpdateQuery
from django.utils import timezone

from navis.models import User
from uploads import task_names
from uploads.due_dates import due_at
from uploads.models import (
    Case,
    CaseStatus,
    Document,
    DocumentStatus,
    Notification,
    PipelineStep,
    safe_copy_name,
)
from uploads.pipeline.classify import classify_document
from uploads.pipeline.errors import DocumentRefused, ScannerUnavailable
from uploads.pipeline.extract import extract_text
from uploads.pipeline.findings import extract_findings
from uploads.pipeline.integrity import sha256_of
from uploads.pipeline.safe_copy import make_safe_copy
from uploads.pipeline.scan import scan_file
from uploads.pipeline.summary import DocumentReading, PatientAnswers, summarise_case
from uploads.services.dispatch import TRANSIENT_ERRORS, enqueue, stuck_after, tasks_send, write_despite_blips
from uploads.services.notifications import notifications_create
from uploads.services.transitions import case_transition
from uploads.storage import private_storage
from uploads.workflow import DOCUMENT_FINAL, DOCUMENT_TRANSITIONS, check_document_transition

logger = logging.getLogger(__name__)

C = CaseStatus
D = DocumentStatus
Step = PipelineStep.Name
Outcome = PipelineStep.Outcome

# A document whose attempts fail this many times is failed for good, with the last reason.
MAX_ATTEMPTS = 3
# Documents the pipeline still has work on.
DOCUMENT_WAITING = frozenset(D) - DOCUMENT_FINAL
# Cases that go (back) to processing when one of their documents needs work.
CASE_REOPENED_BY_A_DOCUMENT = frozenset({C.SUBMITTED, C.WAITING_FOR_REVIEW, C.IN_REVIEW, C.NEEDS_ATTENTION})
# Cases the pipeline works on as a whole (summarised when their documents are final); a withdrawn
# case or one with guidance released takes no more work.
CASE_IN_PIPELINE = CASE_REOPENED_BY_A_DOCUMENT | {C.PROCESSING}
# Cases whose documents are scanned and read: a draft's too (it has consent before any upload), so
# that the check step can say what seems missing before the patient submits. A draft is never
# finalised: its summary is made once it is submitted.
CASE_READS_DOCUMENTS = CASE_IN_PIPELINE | {C.DRAFT}

_SPOOL_IN_MEMORY_BYTES = 8 * 1024 * 1024


# --- Cases ----------------------------------------------------------------------------------


def case_process(*, case_id: int) -> None:
    """Start the pipeline on a submitted case, and finalise it at once if no document needs work."""
    case_processing_start(case_id=case_id)
    case_finalise_if_ready(case_id=case_id)


@transaction.atomic
def case_processing_start(
    *, case_id: int, document_id: int | None = None, actor: User | None = None, note: str = ""
) -> bool:
    """Move a case into processing: a submitted one with all its documents, or one back from review.

    A case past submission goes back only for `document_id`, and only while that document still
    needs work: a repeated message about a document already done must not reopen its case.
    """
    case = Case.objects.select_for_update().only("id", "status").get(pk=case_id)
    if case.status == C.SUBMITTED:
        case_transition(case=case, to=C.PROCESSING, actor=actor, note=note or "The pipeline started on its documents.")
        # Stamped as sent: a document that waited through a slow draft is not sent again by the
        # reconciler right after this.
        tasks_send(task_names.DOCUMENT_PROCESS, case.documents.filter(status__in=DOCUMENT_WAITING), now=timezone.now())
        return True
    if case.status not in CASE_REOPENED_BY_A_DOCUMENT or document_id is None:
        return False
    if not Document.objects.filter(pk=document_id, case_id=case_id, status__in=DOCUMENT_WAITING).exists():
        return False
    case_transition(
        case=case, to=C.PROCESSING, actor=actor, note=note or "A new document is going through the pipeline."
    )
    return True


def case_finalise_if_ready(*, case_id: int) -> bool:
    """Summarise a case whose documents are all final and send it to review; True if this call did."""
    # Most calls come from a document while others of its case still run: a cheap look first.
    if Document.objects.filter(case_id=case_id, status__in=DOCUMENT_WAITING).exists():
        return False
    return _case_finalise(case_id)


@transaction.atomic
def _case_finalise(case_id: int) -> bool:
    started, clock = timezone.now(), time.perf_counter()
    # The row lock makes this once: a second caller waits, then finds the case no longer processing.
    case = Case.objects.select_for_update(of=("self",)).select_related("cancer_type").get(pk=case_id)
    if case.status != C.PROCESSING:
        return False
    documents = list(
        case.documents.exclude(status=D.DELETED).only(
            "id",
            "case_id",
            "public_id",
            "status",
            "kind",
            "page_count",
            "findings",
            "failure_reason",
            "scan_result",
            "uploaded_at",
            "new_copy_requested_at",
        )
    )
    if any(document.status not in DOCUMENT_FINAL for document in documents):
        return False
    # A file staff asked the patient to send again is set aside once a record came after the request:
    # the new copy is read in its place, and the old failure no longer sends the case back to staff.
    last_upload = max((document.uploaded_at for document in documents), default=None)
    documents = [
        document
        for document in documents
        if not (document.status == D.FAILED and document.new_copy_arrived(last_upload=last_upload))
    ]
    summary = summarise_case(_patient_answers(case), [_reading(document) for document in documents])
    failed = sum(1 for document in documents if document.status == D.FAILED)
    target = C.NEEDS_ATTENTION if failed else C.WAITING_FOR_REVIEW
    case.summary = summary.data
    case.priority = summary.priority
    case.due_at = due_at(case.submitted_at or started, summary.priority)
    note = f"Summary of {len(documents)} document(s) ready, priority {summary.priority}."
    if failed:
        note += f" {failed} document(s) failed for good."
    event = case_transition(case=case, to=target, note=note, fields=["summary", "priority", "due_at"])
    kinds = (
        [Notification.Kind.STAFF_CASE_NEEDS_ATTENTION]
        if failed
        else [Notification.Kind.STAFF_CASE_READY, Notification.Kind.PATIENT_CASE_READY]
    )
    notifications_create(case=case, kinds=kinds, event=event)
    PipelineStep.objects.create(
        case=case,
        name=Step.FINALISE,
        outcome=Outcome.OK,
        started_at=started,
        duration_ms=(time.perf_counter() - clock) * 1000,
        detail=C(target).label,
    )
    logger.info("Case %s finalised as %s", case.pk, target)
    return True


def _patient_answers(case: Case) -> PatientAnswers:
    cancer_type = case.cancer_type.name if case.cancer_type else case.cancer_type_other
    biomarkers = case.biomarkers if isinstance(case.biomarkers, dict) else {}
    details = case.diagnosis_details if isinstance(case.diagnosis_details, dict) else {}
    return PatientAnswers(
        cancer_type=cancer_type,
        stage=case.stage,
        biomarkers=biomarkers,
        profile=case.cancer_type.profile if case.cancer_type else "generic",
        details=details,
    )


def _reading(document: Document) -> DocumentReading:
    note = document.failure_reason if document.status == D.FAILED else ""
    if document.status == D.QUARANTINED:
        note = f"Quarantined: {document.scan_result}"
    return DocumentReading(
        id=str(document.public_id),
        status=document.status,
        kind=document.kind,
        page_count=document.page_count,
        findings=document.findings if document.status == D.DONE else {},
        note=note,
    )


# --- Documents ------------------------------------------------------------------------------


def document_process(*, document_id: int) -> None:
    """Take a document as far through the pipeline as it can go now, then finalise its case if ready."""
    # One token for every claim of this run: whatever it holds when the database or the broker
    # fails, wherever that happens, it gives back, so that the retry takes the document on at no
    # cost of an attempt, and its timeline never says that its worker stopped.
    token = uuid.uuid4()
    try:
        if scanning := document_claim(document_id=document_id, status=D.SCANNING, token=token):
            _case_reopen_for(scanning)
            reading = document_scan(scanning)
        elif reading := document_claim(document_id=document_id, status=D.EXTRACTING, token=token):
            # Clean already: its reading was given back after an error, or its reader stopped.
            _case_reopen_for(reading)
        if reading:
            document_read(reading)
    except TRANSIENT_ERRORS:
        _claim_give_back(document_id=document_id, token=token)
        raise
    claimed = scanning or reading
    case_id = claimed.document.case_id if claimed else _case_id_of(document_id)
    if case_id is not None:
        case_finalise_if_ready(case_id=case_id)


def _case_reopen_for(claim: "Claim") -> None:
    # A document added to a case past submission (or sent again by staff) brings it back; a draft
    # stays a draft (case_process takes it on at submission).
    if claim.document.case.status not in (C.PROCESSING, C.DRAFT):
        case_processing_start(case_id=claim.document.case_id, document_id=claim.document.pk)


def _case_id_of(document_id: int) -> int | None:
    return Document.objects.filter(pk=document_id).values_list("case_id", flat=True).first()


@dataclass
class Claim:
    """A run's hold on a document for one phase: scanning or extracting."""

    document: Document
    token: uuid.UUID
    status: str
    # This run's attempt, counting from 1.
    attempt: int
    steps: list[PipelineStep] = field(default_factory=list)
    # The step that raised, if one did.
    failed_step: PipelineStep | None = None

    @contextmanager
    def step(self, name: str) -> Iterator[PipelineStep]:
        """Time one step; its row is written with the attempt's outcome."""
        step = PipelineStep(
            case_id=self.document.case_id,
            document_id=self.document.pk,
            name=name,
            outcome=Outcome.OK,
            started_at=timezone.now(),
            attempt=self.attempt,
        )
        self.steps.append(step)
        clock = time.perf_counter()
        try:
            yield step
        except BaseException:
            self.failed_step = step
            raise
        finally:
            step.duration_ms = (time.perf_counter() - clock) * 1000

    def mark_failed_step(self, outcome: str, detail: str) -> None:
        if self.failed_step is not None:
            self.failed_step.outcome = outcome
            self.failed_step.detail = detail[:200]


# What a claim changes on a document, and what the steps read besides.
_CLAIM_STATE = ["status", "status_changed_at", "claim_token", "claimed_at", "attempts", "failure_reason"]
_CLAIM_READS = ["id", "public_id", "case_id", "case__public_id", "case__status", "file", "sha256"]
_CLAIMED_DOCUMENT = {name for name in _CLAIM_READS if "__" not in name} | set(_CLAIM_STATE)
_CLAIMED_CASE = {"id", *(name.removeprefix("case__") for name in _CLAIM_READS if name.startswith("case__"))}


def document_claim(*, document_id: int, status: str, token: uuid.UUID | None = None) -> Claim | None:
    """Take a document for the phase that moves it to `status`; None when there is nothing to take.

    Nothing to take: the document is not at that point (a deleted one never is), its case takes no
    work (withdrawn, or its guidance released), another run holds it (its claim is fresh), or its
    attempts are used up (it is failed for good here). `token` names the run that takes it.
    """
    now = timezone.now()
    token = token or uuid.uuid4()
    # The usual case in one statement: the document waits where the workflow lets it move from.
    # Every condition is on the document's own row (no join, which Django would make a subquery
    # read from the statement's snapshot), so that of two runs at once the second, given the row
    # once the first commits, finds its status changed and takes nothing.
    # The claimed row comes back from the same statement, with its case: no second round trip.
    document = _update_returning_claimed(
        Document.objects.filter(
            pk=document_id,
            status__in=_moves_to(status),
            case__in=Case.objects.filter(status__in=CASE_READS_DOCUMENTS),
        ),
        {"status": status, "status_changed_at": now, "claim_token": token, "claimed_at": now},
    )
    if document is None:
        return _claim_taken_over(document_id, status, now, token)
    return Claim(document=document, token=token, status=status, attempt=document.attempts + 1)


def _update_returning_claimed(rows: QuerySet, changes: dict[str, object]) -> Document | None:
    """Update the one document of `rows` with `changes`; the document as updated, with its case, or None."""
    db = connections[rows.db]
    if db.vendor != "postgresql":
        # SQLite, a laptop's database, has no UPDATE inside WITH: the same, in three statements.
        with transaction.atomic(using=rows.db):
            claimed = list(rows.values_list("pk", flat=True)[:1])
            if not claimed or not rows.filter(pk__in=claimed).update(**changes):
                return None
            return (
                Document.objects.using(rows.db)
                .select_related("case")
                .only(*_CLAIM_READS, *_CLAIM_STATE)
                .get(pk=claimed[0])
            )
    update_sql, params = _update_sql(rows, changes)
    # In the models' own field order, as Model.from_db() takes them.
    document_fields = [field for field in Document._meta.concrete_fields if field.attname in _CLAIMED_DOCUMENT]
    case_fields = [field for field in Case._meta.concrete_fields if field.attname in _CLAIMED_CASE]
    returning = ", ".join(db.ops.quote_name(field.column) for field in document_fields)
    case_columns = ", ".join(f"claimed_case.{db.ops.quote_name(field.column)}" for field in case_fields)
    # Names come from the models' fields; every value is a parameter.
    sql = (
        f"WITH claimed AS ({update_sql} RETURNING {returning}) "  # noqa: S608
        f"SELECT claimed.*, {case_columns} FROM claimed "
        f"JOIN {db.ops.quote_name(Case._meta.db_table)} claimed_case ON claimed_case.id = claimed.case_id"
    )
    with transaction.mark_for_rollback_on_error(using=rows.db), db.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(document_fields)
    document = Document.from_db(rows.db, [field.attname for field in document_fields], row[:split])
    document.case = Case.from_db(rows.db, [field.attname for field in case_fields], row[split:])
    return document


def _moves_to(status: str) -> list[str]:
    """The statuses the workflow lets a document move to `status` from."""
    return [current for current, targets in DOCUMENT_TRANSITIONS.items() if status in targets]


def _claim_taken_over(document_id: int, status: str, now, token: uuid.UUID) -> Claim | None:
    """Take a document already at `status` whose claim was given back, or whose run stopped."""
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("case")
            .only(*_CLAIM_READS, *_CLAIM_STATE)
            .filter(pk=document_id, status=status)
            .first()
        )
        if document is None or document.case.status not in CASE_READS_DOCUMENTS:
            return None
        if document.claim_token is not None:
            if document.claimed_at > now - stuck_after():
                return None
            # Its worker stopped in the middle (killed, out of memory, cut off): a failed attempt.
            if not _take_over(document, now):
                return None
        document.claim_token = token
        document.claimed_at = now
        _write_state(document)
    return Claim(document=document, token=document.claim_token, status=status, attempt=document.attempts + 1)


def _take_over(document: Document, now) -> bool:
    """Count the attempt of a run that stopped holding the document; False when that was its last."""
    document.attempts += 1
    document.failure_reason = f"An attempt at {D(document.status).label.lower()} did not finish."
    last = document.attempts >= MAX_ATTEMPTS
    # The stopped run wrote none of its steps: the timeline shows the attempt as one.
    PipelineStep.objects.create(
        case_id=document.case_id,
        document=document,
        name=Step.SCAN if document.status == D.SCANNING else Step.EXTRACT,
        outcome=Outcome.FAILED if last else Outcome.RETRY,
        started_at=document.claimed_at,
        duration_ms=(now - document.claimed_at).total_seconds() * 1000,
        attempt=document.attempts,
        detail="Did not finish: its worker stopped.",
    )
    if last:
        _fail(document, f"Stopped after {document.attempts} attempts. {document.failure_reason}")
    return not last


def _claim_give_back(*, document_id: int, token: uuid.UUID) -> None:
    """Give back what the run `token` holds of a document after a transient error, at its status."""
    # Unclaimed at its status, the document is taken by the next run without an attempt counted
    # (Celery's retry, or the reconciler's).
    given_back = write_despite_blips(
        lambda: Document.objects.filter(pk=document_id, claim_token=token).update(claim_token=None, claimed_at=None)
    )
    if given_back:
        logger.info("Document %s: claim given back after a transient error", document_id)
    else:
        logger.warning("Document %s: could not give its claim back; it is taken over once stuck", document_id)


def _write_state(document: Document) -> None:
    Document.objects.filter(pk=document.pk).update(**{name: getattr(document, name) for name in _CLAIM_STATE})


def document_scan(claim: Claim) -> Claim | None:
    """Check the stored file is the one uploaded, then scan it; with no verdict it waits, never clean.

    A clean document goes straight on to extracting under a new claim for this run, returned.
    """
    document = claim.document
    try:
        with ExitStack() as stack:
            with claim.step(Step.INTEGRITY):
                upload = _unwrapped(stack.enter_context(document.file.open("rb")))
                if sha256_of(upload) != document.sha256:
                    raise DocumentRefused("The stored file is not the one uploaded: its SHA-256 differs.")
            with claim.step(Step.SCAN) as scan_step:
                result = scan_file(upload)
    except ScannerUnavailable:
        claim.mark_failed_step(Outcome.PENDING, "clamd gave no verdict")
        _record(claim, D.PENDING_SCAN)
        raise
    except DocumentRefused as exc:
        _record_refused(claim, exc)
        return None
    except TRANSIENT_ERRORS:
        raise  # not the file's fault: given back by document_process, no attempt counted
    except Exception as exc:
        if not _record_failed_attempt(claim, exc):
            raise
        return None
    if result.is_clean:
        return _record_clean_and_go_on(claim)
    scan_step.outcome = Outcome.QUARANTINED
    scan_step.detail = result.signature[:200]
    _record(
        claim,
        D.QUARANTINED,
        scan_result=result.signature[:200],
        then=lambda: notifications_create(
            case=document.case,
            document=document,
            kinds=[Notification.Kind.STAFF_DOCUMENT_QUARANTINED, Notification.Kind.PATIENT_DOCUMENT_QUARANTINED],
        ),
    )
    logger.warning("Document %s quarantined: %s", document.pk, result.signature)
    return None


def _record_clean_and_go_on(claim: Claim) -> Claim | None:
    """Record the clean verdict and its steps, and take the document on to extracting, in one write."""
    # Clean, then extracting at once: the same run reads what it scanned, one commit fewer. The
    # scan's steps are written now, not with the reading's outcome: a run stopped while reading
    # leaves its scan in the timeline before its takeover's row.
    # The same run, the same token: the status in the outcome's filter tells the phases apart.
    reading = Claim(document=claim.document, token=claim.token, status=D.EXTRACTING, attempt=claim.attempt)
    recorded = _record(
        claim,
        D.EXTRACTING,
        via=D.CLEAN,
        scan_result="clean",
        claim_token=reading.token,
        claimed_at=timezone.now(),
    )
    return reading if recorded else None


def document_read(claim: Claim) -> None:
    """Make the reviewers' safe copy, read the text, its kind and its findings; the original stays."""
    document = claim.document
    storage = private_storage()
    copy_name = ""
    try:
        with ExitStack() as stack:
            with claim.step(Step.SAFE_COPY):
                upload = _unwrapped(stack.enter_context(document.file.open("rb")))
                spool = stack.enter_context(tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY_BYTES))
                copy = make_safe_copy(upload, spool)
                spool.seek(0)
                # Under the document's one safe copy name: a run killed after this line leaves a
                # file that its takeover replaces, or that the storage sweep removes. What a
                # stopped run left is deleted first, since a storage may give a taken name a suffix.
                copy_name = safe_copy_name(document, copy.extension)
                storage.delete(copy_name)
                copy_name = storage.save(copy_name, File(spool))
            with claim.step(Step.EXTRACT):
                extracted = extract_text(upload)
            with claim.step(Step.CLASSIFY):
                kind = classify_document(extracted.text)
            with claim.step(Step.FINDINGS):
                findings = extract_findings(extracted.text).to_dict()
    except DocumentRefused as exc:
        _safe_copy_discard(document, copy_name)
        _record_refused(claim, exc)
        return
    except TRANSIENT_ERRORS:
        # Given back by document_process, no attempt counted; the retry replaces the copy, which
        # is under the document's own name.
        raise
    except Exception as exc:
        _safe_copy_discard(document, copy_name)
        if not _record_failed_attempt(claim, exc):
            raise
        return
    recorded = _record(
        claim,
        D.DONE,
        safe_copy=copy_name,
        safe_copy_content_type=copy.content_type,
        page_count=extracted.page_count,
        extracted_text=extracted.text,
        kind=str(kind),
        findings=findings,
    )
    if not recorded:
        _safe_copy_discard(document, copy_name)


def _record(
    claim: Claim,
    status: str,
    *,
    via: str = "",
    then: Callable[[], object] | None = None,
    **fields: object,
) -> bool:
    """Write the outcome of a claim, its steps, and what follows from it, if the claim is still ours.

    `via` is a status the document passes through on the way, its moves checked all the same.
    """
    path = [claim.status, *([via] if via else []), status]
    for current, target in pairwise(path):
        check_document_transition(current, target)
    changes = {"status": status, "status_changed_at": timezone.now(), "claim_token": None, "claimed_at": None}
    # Only the rare outcome with more to write (a quarantine's emails) needs a transaction.
    with transaction.atomic() if then is not None else nullcontext():
        mine = Document.objects.filter(pk=claim.document.pk, status=claim.status, claim_token=claim.token)
        if not _update_with_steps(mine, changes | fields, claim.steps):
            # Another run took the document over after this one was taken for stopped: its word counts.
            logger.info("Document %s: claim lost before recording %s", claim.document.pk, status)
            return False
        if then is not None:
            then()
    return True


def _update_with_steps(rows: QuerySet, changes: dict[str, object], steps: list[PipelineStep]) -> bool:
    """Update `rows` with `changes` and, only if one was, insert `steps`; True if one was.

    One statement, atomic by itself: the outcome and its steps go together without a transaction
    around them, which would cost two round trips more (BEGIN and COMMIT) on every outcome.
    """
    if not steps:
        return bool(rows.update(**changes))
    db = connections[rows.db]
    if db.vendor != "postgresql":
        # SQLite, a laptop's database, has no UPDATE inside WITH: the same two writes in a transaction.
        with transaction.atomic(using=rows.db):
            if not rows.update(**changes):
                return False
            PipelineStep.objects.using(rows.db).bulk_create(steps)
        return True
    update_sql, update_params = _update_sql(rows, changes)
    fields = [field for field in PipelineStep._meta.concrete_fields if not field.primary_key]
    # Cast, since values in FROM are not typed by the columns they go to.
    row = "(" + ", ".join(f"%s::{field.db_type(db)}" for field in fields) + ")"
    step_params = [field.get_db_prep_save(getattr(step, field.attname), db) for step in steps for field in fields]
    columns = ", ".join(db.ops.quote_name(field.column) for field in fields)
    # The steps are joined to the updated row: none is written when the claim was lost.
    # Names and casts come from the model's fields; every value is a parameter.
    sql = (
        f"WITH outcome AS ({update_sql} RETURNING 1) "  # noqa: S608
        f"INSERT INTO {db.ops.quote_name(PipelineStep._meta.db_table)} ({columns}) "
        f"SELECT step.* FROM outcome, (VALUES {', '.join([row] * len(steps))}) AS step"
    )
    with transaction.mark_for_rollback_on_error(using=rows.db), db.cursor() as cursor:
        cursor.execute(sql, [*update_params, *step_params])
        return cursor.rowcount > 0


def _update_sql(rows: QuerySet, changes: dict[str, object]) -> tuple[str, tuple]:
    """The UPDATE of `rows` as QuerySet.update() compiles it, its values prepared by their fields."""
    update = rows.query.chain(UpdateQuery)
    update.add_update_values(changes)
    update.clear_select_clause()
    return update.get_compiler(rows.db).as_sql()


def _record_refused(claim: Claim, exc: DocumentRefused) -> None:
    # The same file fails the same way every time: no retry.
    claim.mark_failed_step(Outcome.FAILED, type(exc).__name__)
    _record(claim, D.FAILED, failure_reason=str(exc)[:500])
    logger.info("Document %s refused: %s", claim.document.pk, type(exc).__name__)


def _record_failed_attempt(claim: Claim, exc: BaseException) -> bool:
    """Count a failed attempt and give the document back, or fail it for good.

    True when this run should not have the error retried: the document failed for good, or
    another run has taken it over.
    """
    step = claim.failed_step.get_name_display() if claim.failed_step else D(claim.status).label
    reason = f"{step}: {type(exc).__name__}"
    with transaction.atomic():
        document = Document.objects.select_for_update().only("id", *_CLAIM_STATE).get(pk=claim.document.pk)
        if document.claim_token != claim.token:
            return True  # another run has it now
        document.attempts += 1
        document.claim_token = None
        document.claimed_at = None
        document.failure_reason = reason[:500]
        if document.attempts >= MAX_ATTEMPTS:
            claim.mark_failed_step(Outcome.FAILED, reason)
            _fail(document, f"Stopped after {document.attempts} attempts. Last: {reason}")
        else:
            claim.mark_failed_step(Outcome.RETRY, reason)
            if document.status == D.SCANNING:
                # Not scanned: it waits to be scanned again. An extraction keeps its status, unclaimed.
                check_document_transition(document.status, D.PENDING_SCAN)
                document.status = D.PENDING_SCAN
                document.status_changed_at = timezone.now()
            _write_state(document)
        PipelineStep.objects.bulk_create(claim.steps)
    logger.warning("Document %s: attempt %s failed (%s)", document.pk, document.attempts, reason)
    return document.status == D.FAILED


def _fail(document: Document, reason: str) -> None:
    """Fail a locked document for good; staff can send it through again (document_retry)."""
    check_document_transition(document.status, D.FAILED)
    document.status = D.FAILED
    document.status_changed_at = timezone.now()
    document.failure_reason = reason[:500]
    document.claim_token = None
    document.claimed_at = None
    _write_state(document)
    logger.warning("Document %s failed for good", document.pk)


def _unwrapped(upload: File) -> BinaryIO:
    """The file object underneath Django's File wrappers, for the steps to read directly."""
    # pypdf and pikepdf read in many small pieces, and each read or seek through a wrapper costs
    # a Python call per layer: thousands a document.
    stream = upload
    while isinstance(stream, File) and stream.file is not None:
        stream = stream.file
    return stream


def _safe_copy_discard(document: Document, name: str) -> None:
    """Delete a safe copy this run wrote but did not record, unless the document's row names it."""
    # The name is the document's own: a run that took over and recorded the copy has written the
    # same file, and it must stay.
    if not name or Document.objects.filter(pk=document.pk, safe_copy=name).exclude(status=D.DELETED).exists():
        return
    try:
        private_storage().delete(name)
    except OSError:
        # The storage sweep removes it later.
        logger.warning("Could not delete an unused safe copy of document %s", document.pk)


@transaction.atomic
def document_retry(*, document_id: int, actor: User) -> Document:
    """Send a document that failed for good through the pipeline again, from its scan (staff action).

    Raises TransitionError, with a reason to show, for a document that has not failed.
    """
    document = Document.objects.select_for_update().get(pk=document_id)
    check_document_transition(document.status, D.RECEIVED)
    document.status = D.RECEIVED
    document.status_changed_at = timezone.now()
    document.attempts = 0
    document.failure_reason = ""
    document.scan_result = ""
    document.claim_token = None
    document.claimed_at = None
    document.save(update_fields=[*_CLAIM_STATE, "scan_result"])
    case_processing_start(
        case_id=document.case_id,
        document_id=document.pk,
        actor=actor,
        note="A failed document was sent through the pipeline again.",
    )
    enqueue(task_names.DOCUMENT_PROCESS, [document.pk])
    return document
