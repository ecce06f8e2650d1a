"""Reads the patient pages and the download view need."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Prefetch, Q, QuerySet, Sum
from django.http import Http404

from navis.middleware import has_two_factor
from uploads.models import (
    Case,
    CaseEvent,
    CaseStatus,
    ConsentText,
    Document,
    DocumentStatus,
    FollowUpQuestion,
    Guidance,
    Lead,
)
from uploads.pipeline.missing import MissingResult, missing_results, record_kinds
from uploads.workflow import DOCUMENT_FINAL, DOCUMENT_VISIBLE_TO_STAFF

S = CaseStatus

# The steps of the intake flow, in order: (url name, title).
INTAKE_STEPS = [
    ("uploads:case_consent", "Consent"),
    ("uploads:case_diagnosis", "About your diagnosis"),
    ("uploads:case_records", "Your records"),
    ("uploads:case_check", "Check and submit"),
]

# What a patient sees of a case's life, in order; a status not listed shows as the step it belongs to.
TIMELINE = [
    (S.SUBMITTED, "Submitted"),
    (S.PROCESSING, "Checking your records"),
    (S.WAITING_FOR_REVIEW, "Waiting for a specialist"),
    (S.IN_REVIEW, "A specialist is reviewing your case"),
    (S.GUIDANCE_READY, "Guidance ready"),
]
_TIMELINE_STEP_OF = {S.NEEDS_ATTENTION: S.PROCESSING}

# Pipeline statuses in the patient's words.
PATIENT_DOCUMENT_STATUS = {
    DocumentStatus.RECEIVED: "Received",
    DocumentStatus.SCANNING: "Being checked",
    DocumentStatus.PENDING_SCAN: "Being checked",
    DocumentStatus.CLEAN: "Checked",
    DocumentStatus.EXTRACTING: "Being read",
    DocumentStatus.DONE: "Read by our system",
    DocumentStatus.QUARANTINED: "Refused: it failed our security check",
    DocumentStatus.FAILED: "We could not read this file; our team will look at it",
    DocumentStatus.DELETED: "Deleted",
}


@dataclass(frozen=True)
class TimelineStep:
    label: str
    state: str  # "done", "current" or "upcoming"
    at: datetime | None


@dataclass(frozen=True)
class ThreadItem:
    """One turn of the conversation about a case: released guidance, or a patient's follow-up question."""

    guidance: Guidance | None = None
    question: FollowUpQuestion | None = None


@dataclass(frozen=True)
class Allowance:
    files_left: int
    bytes_left: int


def lead_is_pending(*, public_id: str | None, article_slug: str) -> bool:
    """Whether this reader's lead from the same article is still waiting for them to sign up."""
    if not public_id:
        return False
    return Lead.objects.filter(public_id=public_id, user__isnull=True, article__slug=article_slug).exists()


def consent_text_current() -> ConsentText | None:
    """The consent text a patient agrees to now, if one is published."""
    return ConsentText.objects.current()


def cases_for_dashboard(*, user) -> QuerySet[Case]:
    """The patient's cases, those still open first, then newest first, with what the dashboard shows of each."""
    return (
        Case.objects.owned_by(user)
        .select_related("cancer_type")
        .annotate(document_count=Count("documents", filter=~Q(documents__status=DocumentStatus.DELETED)))
        .alias(closed=ExpressionWrapper(Q(status=S.WITHDRAWN), output_field=BooleanField()))
        .prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.order_by("at", "id")),
            Prefetch("guidance", queryset=Guidance.objects.released(), to_attr="released_guidance"),
        )
        .order_by("closed", "-created_at")
    )


def case_draft(*, user) -> Case | None:
    """The patient's unfinished request, if they have one."""
    return Case.objects.owned_by(user).filter(status=S.DRAFT).order_by("-created_at").first()


def case_for_owner(*, user, public_id: uuid.UUID) -> Case:
    """The user's own case with this id, else 404 (the same answer whether or not it exists)."""
    try:
        return (
            Case.objects.owned_by(user)
            .select_related("consent__consent_text", "cancer_type", "lead")
            .prefetch_related(
                Prefetch("events", queryset=CaseEvent.objects.order_by("at", "id")),
                Prefetch("guidance", queryset=Guidance.objects.released(), to_attr="released_guidance"),
            )
            .get(public_id=public_id)
        )
    except Case.DoesNotExist:
        raise Http404("No such case.") from None


def case_documents(*, case: Case) -> list[Document]:
    """The case's documents in upload order, those deleted included (as a record), with their status in plain words."""
    # Not the text the pipeline read: no patient page shows it, and a draft's records now have it.
    documents = list(case.documents.defer("extracted_text").order_by("uploaded_at", "id"))
    for document in documents:
        document.patient_status = PATIENT_DOCUMENT_STATUS[document.status]
    return documents


def new_copies_asked(*, case: Case, documents: list[Document]) -> list[Document]:
    """The case's files staff asked the patient to send again, until the patient adds a record."""
    if case.status != S.NEEDS_ATTENTION:
        return []
    asked = [d for d in documents if d.status == DocumentStatus.FAILED and d.new_copy_requested_at is not None]
    last_upload = max((d.uploaded_at for d in documents if d.status != DocumentStatus.DELETED), default=None)
    # A record added since is taken as the new copy: the case is with staff again, not waiting for them.
    return [d for d in asked if last_upload is None or d.new_copy_requested_at > last_upload]


def is_authorised_staff(user) -> bool:
    """Staff who may open patient documents: permission to view them, and two-factor set up."""
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("uploads.view_document")
        and has_two_factor(user)
    )


def document_for_download(*, user, case_id: uuid.UUID, document_id: uuid.UUID) -> Document:
    """The document if this user may download it, else 404: its owner, or authorised staff once it is scanned."""
    if not user.is_authenticated:
        raise Http404("No such document.")
    documents = Document.objects.select_related("case").filter(case__public_id=case_id, public_id=document_id)
    # Nobody is sent a file that is gone or that the scanner found harmful.
    documents = documents.exclude(status__in=[DocumentStatus.DELETED, DocumentStatus.QUARANTINED])
    if is_authorised_staff(user):
        # A draft's records are read as they arrive, but nobody on staff opens them before it is sent.
        for_staff = Q(status__in=DOCUMENT_VISIBLE_TO_STAFF) & ~Q(case__status=S.DRAFT)
        documents = documents.filter(Q(case__owner=user) | for_staff)
    else:
        documents = documents.filter(case__owner=user)
    document = documents.first()
    if document is None:
        raise Http404("No such document.")
    return document


def case_accepts_documents(case: Case) -> bool:
    """Whether the patient may add records: a consented draft, or a submitted case still open."""
    if case.status == S.DRAFT:
        return case.consent_id is not None
    return case.status not in (S.WITHDRAWN, S.GUIDANCE_READY)


def case_allowance(*, case: Case) -> Allowance:
    """How many more files, and bytes, the case can take."""
    kept = case.documents.exclude(status=DocumentStatus.DELETED).aggregate(count=Count("id"), size=Sum("size"))
    return Allowance(
        files_left=max(0, settings.UPLOAD_MAX_FILES_PER_CASE - kept["count"]),
        bytes_left=max(0, settings.UPLOAD_MAX_CASE_SIZE - (kept["size"] or 0)),
    )


def case_missing_parts(*, case: Case, documents: list[Document] | None = None) -> list[tuple[str, str]]:
    """What the draft still needs before it can be submitted: (step url name, what is missing)."""
    missing = []
    if case.consent_id is None:
        missing.append(("uploads:case_consent", "Agree to how we use your records."))
    if case.cancer_type_id is None and not case.cancer_type_other.strip():
        missing.append(("uploads:case_diagnosis", "Tell us the type of cancer."))
    if not case.questions.strip():
        missing.append(("uploads:case_diagnosis", "Tell us the questions you want answered."))
    documents = case_documents(case=case) if documents is None else documents
    if not any(d.status != DocumentStatus.DELETED for d in documents):
        missing.append(("uploads:case_records", "Add at least one record."))
    return missing


@dataclass(frozen=True)
class RecordsCheck:
    """What the check step says of the records: still being read, the kinds we have, what seems missing."""

    # Documents not read yet: while any is, nothing is said to be missing.
    reading: int
    # The kinds of record read, in the patient's words.
    kinds: list[str]
    missing: list[MissingResult]


def case_records_check(*, case: Case, documents: list[Document]) -> RecordsCheck:
    """Which kinds of record the draft holds and which key results of its cancer none of them states."""
    kept = [document for document in documents if document.status != DocumentStatus.DELETED]
    reading = sum(1 for document in kept if document.status not in DOCUMENT_FINAL)
    read = [document for document in kept if document.status == DocumentStatus.DONE]
    if reading or not read:
        return RecordsCheck(reading=reading, kinds=[], missing=[])
    answers = {
        **(case.diagnosis_details if isinstance(case.diagnosis_details, dict) else {}),
        **(case.biomarkers if isinstance(case.biomarkers, dict) else {}),
    }
    return RecordsCheck(
        reading=0,
        kinds=record_kinds(document.kind for document in read),
        missing=missing_results(case.profile, [document.findings for document in read], answers),
    )


def guidance_thread(*, released: list[Guidance], follow_ups: list[FollowUpQuestion]) -> list[ThreadItem]:
    """The released guidance and the follow-up questions as a conversation: each question just before its answer."""
    items = []
    for guidance in released:
        items += [ThreadItem(question=question) for question in follow_ups if question.answered_by_id == guidance.pk]
        items.append(ThreadItem(guidance=guidance))
    return items + [ThreadItem(question=question) for question in follow_ups if question.answered_by_id is None]


def case_resume_step(*, case: Case) -> str:
    """The url name of the first intake step the draft has not finished."""
    missing = case_missing_parts(case=case)
    return missing[0][0] if missing else "uploads:case_check"


def case_timeline(case: Case) -> list[TimelineStep]:
    """The case's progress as the patient sees it (uses the prefetched events)."""
    reached: dict[str, datetime] = {}
    for event in case.events.all():
        reached[_TIMELINE_STEP_OF.get(event.status, event.status)] = event.at
    current = _TIMELINE_STEP_OF.get(case.status, case.status)
    order = [status for status, _ in TIMELINE]
    current_index = order.index(current) if current in order else -1
    if S.GUIDANCE_READY in reached and case.status != S.WITHDRAWN:
        # Guidance once released stays delivered: a follow-up question is answered beside it, not instead.
        current_index = order.index(S.GUIDANCE_READY)
    if case.status == S.WITHDRAWN:
        # Show how far it got; nothing is current any more.
        current_index = max((order.index(s) for s in reached if s in order), default=-1) + 1
    steps = []
    for index, (status, label) in enumerate(TIMELINE):
        if index < current_index or (index == current_index and status == S.GUIDANCE_READY):
            state = "done"
        elif index == current_index and case.status != S.WITHDRAWN:
            state = "current"
        else:
            state = "upcoming"
        steps.append(TimelineStep(label=label, state=state, at=reached.get(status) if state != "upcoming" else None))
    return steps


# --- Staff review -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewCounts:
    mine: int
    my_sign_off: int
    follow_ups: int
    overdue: int


def review_counts(*, user) -> ReviewCounts:
    """How many cases each queue filter the admin's home page links to lists, in one query."""
    queue = Q(status__in=[S.WAITING_FOR_REVIEW, S.IN_REVIEW])
    counts = Case.objects.submitted().aggregate(
        mine=Count("pk", filter=queue & Q(assigned_to=user)),
        my_sign_off=Count("pk", filter=Case.objects.awaiting_sign_off_by_q(user)),
        follow_ups=Count("pk", filter=Case.objects.follow_ups_waiting_q()),
        overdue=Count("pk", filter=Case.objects.overdue_q()),
    )
    return ReviewCounts(**counts)


def document_for_review(*, case: Case, public_id: uuid.UUID) -> Document:
    """A document of the case that staff may open: of a case sent to us, scanned clean, with its safe copy made."""
    document = (
        case.documents.filter(public_id=public_id, status__in=DOCUMENT_VISIBLE_TO_STAFF)
        .exclude(safe_copy="")
        .exclude(case__status=S.DRAFT)
        .first()
    )
    if document is None:
        raise Http404("No such document, or it has not passed the security check yet.")
    return document


def case_review_context(*, case: Case, user) -> dict:
    """Everything the staff case page shows, read with a fixed number of queries."""
    from uploads.models import AccessLog, GuidanceTemplate, PipelineStep
    from uploads.services.review import reviewers_by_load

    case = (
        Case.objects.select_related("owner", "consent__consent_text", "cancer_type", "lead__article", "assigned_to")
        .prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor").order_by("at", "id")),
            Prefetch("guidance", queryset=Guidance.objects.select_related("author", "signed_off_by").order_by("id")),
            "notes__author",
            Prefetch("follow_ups", queryset=FollowUpQuestion.objects.select_related("assigned_to")),
        )
        .get(pk=case.pk)
    )
    documents = list(case.documents.exclude(status=DocumentStatus.DELETED).order_by("uploaded_at", "id"))
    for document in documents:
        document.viewable = (
            case.status != S.DRAFT and document.status in DOCUMENT_VISIBLE_TO_STAFF and bool(document.safe_copy)
        )
    guidance = list(case.guidance.all())
    follow_ups = list(case.follow_ups.all())
    open_guidance = next((g for g in reversed(guidance) if g.status != Guidance.Status.RELEASED), None)
    templates = GuidanceTemplate.objects.filter(Q(cancer_type=case.cancer_type_id) | Q(cancer_type__isnull=True))
    seen_by = (
        AccessLog.objects.filter(case=case)
        .values("user_email")
        .annotate(views=Count("id"), last_seen=Max("at"))
        .order_by("-last_seen")
    )
    return {
        "case": case,
        "documents": documents,
        "guidance": guidance,
        "open_guidance": open_guidance,
        "thread": guidance_thread(
            released=[item for item in guidance if item.status == Guidance.Status.RELEASED], follow_ups=follow_ups
        ),
        "open_follow_ups": [question for question in follow_ups if question.answered_by_id is None],
        "new_copy_askable": [
            d for d in documents if d.status == DocumentStatus.FAILED and d.new_copy_requested_at is None
        ]
        if case.status == S.NEEDS_ATTENTION
        else [],
        "can_write": user.has_perm("uploads.change_guidance") and case.status == S.IN_REVIEW,
        "can_release": bool(
            open_guidance
            and open_guidance.status == Guidance.Status.AWAITING_SIGN_OFF
            and open_guidance.author_id != user.pk
            and user.has_perm("uploads.sign_off_guidance")
        ),
        "templates": list(templates),
        "reviewers": reviewers_by_load(),
        "seen_by": list(seen_by),
        "pipeline_steps": list(PipelineStep.objects.timeline(case)),
        "biomarkers": case.biomarker_answers(),
        "details": case.detail_answers(),
    }
