"""Every change a patient makes: leads, consent, the intake flow, withdrawal and deleting an account.

Work for the pipeline is handed over after commit and by id only (nothing personal goes through the
broker); the pipeline's own services move a submitted case on from there.
"""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from articles.models import Article
from navis.models import User
from uploads import task_names
from uploads.due_dates import promised_due_at
from uploads.models import (
    AccessLog,
    Case,
    CaseNote,
    CaseStatus,
    Consent,
    ConsentText,
    Document,
    DocumentStatus,
    FollowUpQuestion,
    Guidance,
    Lead,
    Notification,
)
from uploads.selectors import case_accepts_documents, case_draft, case_missing_parts
from uploads.services.dispatch import enqueue
from uploads.services.notifications import notifications_create
from uploads.services.transitions import case_event_record, case_transition
from uploads.storage import ReceivedFile, case_files_delete, document_files_delete
from uploads.validators import UploadRefused, upload_check
from uploads.workflow import check_case_transition, check_document_transition

# The answers of the diagnosis step: the only fields case_diagnosis_update writes.
DIAGNOSIS_FIELDS = (
    "cancer_type",
    "cancer_type_other",
    "stage",
    "biomarkers",
    "diagnosis_details",
    "biomarkers_other",
    "treatment_so_far",
    "current_treatment",
    "questions",
)


# --- Leads ------------------------------------------------------------------------------------


def _lead_advance(lead: Lead | None, step: str) -> None:
    """Move the lead forward to `step`; it never moves back."""
    if lead is not None and Lead.STEP_ORDER.index(step) > Lead.STEP_ORDER.index(lead.step):
        lead.step = step
        lead.save(update_fields=["step"])


def _referrer(value: str) -> str:
    # Only a plain web address is worth keeping; anything else a browser or bot sends is dropped.
    value = value.strip()
    if len(value) > 1000 or urlsplit(value).scheme not in ("http", "https"):
        return ""
    return value


@transaction.atomic
def lead_record(*, article_slug: str, utm: dict[str, str], referrer: str, user: User | None = None) -> Lead:
    """Record a click on a call to action: which article, the campaign and the page it came from."""
    article = Article.objects.published().filter(slug=article_slug).first() if article_slug else None
    lead = Lead(
        article=article,
        referrer=_referrer(referrer),
        user=user,
        step=Lead.Step.SIGNED_UP if user else Lead.Step.CLICKED,
        **{field: utm.get(field, "").strip()[:200] for field in Lead.UTM_FIELDS},
    )
    lead.full_clean()
    lead.save()
    return lead


@transaction.atomic
def lead_sign_up(*, user: User, lead_public_id: str | None, contact_consent: bool) -> Lead:
    """Tie a new account to the lead that brought the reader (or start one), with their choice about contact."""
    lead = None
    if lead_public_id:
        lead = Lead.objects.select_for_update().filter(public_id=lead_public_id, user__isnull=True).first()
    if lead is None:
        lead = Lead(step=Lead.Step.CLICKED)
    lead.user = user
    lead.contact_consent = contact_consent
    if Lead.STEP_ORDER.index(lead.step) < Lead.STEP_ORDER.index(Lead.Step.SIGNED_UP):
        lead.step = Lead.Step.SIGNED_UP
    lead.full_clean()
    lead.save()
    return lead


# --- Consent texts (staff) ----------------------------------------------------------------------


@transaction.atomic
def consent_text_publish(*, consent_text: ConsentText) -> ConsentText:
    """Publish a consent text version: patients agree to it from now on, and it is never edited again."""
    consent_text = ConsentText.objects.select_for_update().get(pk=consent_text.pk)
    if consent_text.published_at is None:
        consent_text.full_clean()
        consent_text.published_at = timezone.now()
        consent_text.save(update_fields=["published_at"])
    return consent_text


# --- The intake flow --------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    # Re-read under a row lock: two tabs (or two uploads) cannot change one case at once.
    return Case.objects.select_for_update().get(pk=case.pk)


def _require_draft(case: Case) -> None:
    if case.status != CaseStatus.DRAFT:
        raise ValidationError("This request has been submitted; its answers can no longer be changed.")


@transaction.atomic
def case_start(*, user: User) -> Case:
    """Open a draft case for the patient, or return the draft they already have."""
    # Locking the user row makes two clicks on "Start" open one draft, not two.
    User.objects.select_for_update().filter(pk=user.pk).first()
    draft = case_draft(user=user)
    if draft is not None:
        return draft
    case = Case(owner=user, lead=user.leads.order_by("-created_at").first())
    case.full_clean()
    case.save()
    case_event_record(case=case, actor=user)
    return case


@transaction.atomic
def consent_give(
    *,
    case: Case,
    user: User,
    consent_text: ConsentText,
    accepted_keys: list[str],
    ip_address: str | None,
    user_agent: str,
) -> Consent:
    """Record the patient's agreement to this version of the consent text, for this case."""
    case = _locked(case)
    _require_draft(case)
    if consent_text.published_at is None:
        raise ValidationError("This consent text is not published.")
    if set(accepted_keys) != set(consent_text.keys):
        raise ValidationError("Tick every box to agree, or leave this page if you do not.")
    consent = Consent(
        user=user,
        consent_text=consent_text,
        accepted_items=[key for key in consent_text.keys if key in accepted_keys],
        ip_address=ip_address,
        user_agent=user_agent[:500],
    )
    consent.full_clean()
    consent.save()
    case.consent = consent
    case.save(update_fields=["consent", "updated_at"])
    _lead_advance(case.lead, Lead.Step.CONSENTED)
    return consent


@transaction.atomic
def case_diagnosis_update(*, case: Case, answers: dict) -> Case:
    """Save what the patient told us about their diagnosis on the draft."""
    case = _locked(case)
    _require_draft(case)
    if case.consent_id is None:
        raise ValidationError("Agree to how we use your records first.")
    for field in DIAGNOSIS_FIELDS:
        if field in answers:
            setattr(case, field, answers[field])
    case.full_clean()
    case.save()
    return case


@dataclass(frozen=True)
class DocumentAdded:
    document: Document
    duplicate: bool


def document_add(*, case: Case, upload: ReceivedFile) -> DocumentAdded:
    """Keep one uploaded file in the case, checked by its content and stored privately under a random name.

    Raises UploadRefused with the reason the patient reads; the rest of the case is untouched.
    """
    if upload.refusal:
        raise UploadRefused(upload.refusal)
    # The checks read the file but no rows: done before the case is locked.
    checked = upload_check(upload, name=upload.name, size=upload.size)
    stored_name = ""
    try:
        with transaction.atomic():
            case = _locked(case)
            if case.status == CaseStatus.DRAFT and case.consent_id is None:
                raise UploadRefused("Agree to how we use your records before you upload them.")
            if not case_accepts_documents(case):
                raise UploadRefused("This request no longer takes new records.")
            kept = case.documents.exclude(status=DocumentStatus.DELETED)
            duplicate = kept.filter(sha256=upload.sha256).first()
            if duplicate is not None:
                return DocumentAdded(document=duplicate, duplicate=True)
            totals = kept.aggregate(count=Count("id"), size=Sum("size"))
            if totals["count"] >= settings.UPLOAD_MAX_FILES_PER_CASE:
                raise UploadRefused(
                    f"This request already has {settings.UPLOAD_MAX_FILES_PER_CASE} files, the most it can hold."
                )
            if (totals["size"] or 0) + upload.size > settings.UPLOAD_MAX_CASE_SIZE:
                raise UploadRefused("There is not enough room left in this request for this file.")
            document = Document(
                case=case,
                original_name=checked.display_name,
                content_type=checked.content_type,
                size=upload.size,
                sha256=upload.sha256,
            )
            # Moves the temporary file into private storage: no copy through memory.
            document.file.save("upload", upload, save=False)
            stored_name = document.file.name
            document.full_clean()
            document.save()
            # Read as it arrives, a draft's too: the check step can then say what seems missing.
            # A draft is summarised only once it is submitted (uploads/services/processing.py).
            # After commit, and a broker that does not answer fails no upload: the reconciler
            # sends what stayed waiting.
            enqueue(task_names.DOCUMENT_PROCESS, [document.pk])
    except BaseException:
        # Nothing was recorded, so nothing may stay in storage.
        if stored_name:
            document.file.storage.delete(stored_name)
        raise
    return DocumentAdded(document=document, duplicate=False)


def _documents_delete(documents: list[Document]) -> None:
    """Delete the files of these documents, keeping each row as the record that it existed."""
    now = timezone.now()
    for document in documents:
        check_document_transition(document.status, DocumentStatus.DELETED)
        document.status = DocumentStatus.DELETED
        document.status_changed_at = now
        document.deleted_at = now
        # A run still working on it loses its claim: it records nothing, and removes its safe copy.
        document.claim_token = None
        document.claimed_at = None
        # What the pipeline read from the file goes with it.
        document.extracted_text = ""
        document.findings = {}
        document.page_count = None
        document.save()
    # Last, once every row says "deleted": a failure before this point leaves the files in place.
    for document in documents:
        document_files_delete(document)


@transaction.atomic
def document_remove(*, document: Document) -> Document:
    """Delete a record the patient added to their draft by mistake."""
    case = _locked(document.case)
    _require_draft(case)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.status != DocumentStatus.DELETED:
        _documents_delete([document])
    return document


@transaction.atomic
def case_submit(*, case: Case, user: User) -> Case:
    """Hand a complete draft to the pipeline, and email the patient what happens next and when."""
    case = _locked(case)
    check_case_transition(case.status, CaseStatus.SUBMITTED)
    missing = case_missing_parts(case=case)
    if missing:
        raise ValidationError([message for _, message in missing])
    case.full_clean()
    # Due as the patient is promised until the case summary gives its priority.
    now = timezone.now()
    case.due_at = promised_due_at(now)
    event = case_transition(case=case, to=CaseStatus.SUBMITTED, actor=user, at=now, fields=["due_at"])
    _lead_advance(case.lead, Lead.Step.SUBMITTED)
    # A broker that does not answer fails no submission: the case is saved and the patient told
    # as usual, and the reconciler sends a submitted case whose message never left.
    enqueue(task_names.CASE_PROCESS, [case.pk])
    notifications_create(case=case, kinds=[Notification.Kind.CASE_SUBMITTED], event=event)
    return case


# What a withdrawal erases from the case row: what the patient wrote or gave as results, and what
# the pipeline read from their records. The cancer type and the stage number stay, with the status,
# the dates and the counts, as the record of what was asked (see README, "Withdrawal").
WITHDRAWAL_ERASES = {
    "cancer_type_other": "",
    "biomarkers": {},
    "diagnosis_details": {},
    "biomarkers_other": "",
    "treatment_so_far": "",
    "current_treatment": "",
    "questions": "",
    "summary": {},
}


# What staff notes on a withdrawn case say instead of what they said: they may quote the patient.
WITHDRAWN_NOTE = "Erased when the patient withdrew the request."


def withdrawn_name(document: Document, number: int) -> str:
    """The name a withdrawn case's document keeps: its number and its type, nothing the patient wrote."""
    return f"Record {number}{Path(document.original_name).suffix}"


@transaction.atomic
def case_withdraw(*, case: Case, user: User | None, notify: bool = True) -> Case:
    """Withdraw a case: erase its files, answers, summary and guidance, keeping the record that it existed."""
    case = _locked(case)
    documents = list(case.documents.select_for_update().exclude(status=DocumentStatus.DELETED))
    for name, empty in WITHDRAWAL_ERASES.items():
        setattr(case, name, empty)
    case.full_clean()
    event = case_transition(
        case=case,
        to=CaseStatus.WITHDRAWN,
        actor=user,
        note=f"Withdrawn by the patient; {len(documents)} document(s) deleted.",
        fields=WITHDRAWAL_ERASES,
    )
    if case.consent_id:
        Consent.objects.filter(pk=case.consent_id, withdrawn_at__isnull=True).update(withdrawn_at=case.withdrawn_at)
    # Staff no longer read what was written to or by the patient; the rows stay for their dates.
    Guidance.objects.filter(case=case).update(body="", body_html="")
    FollowUpQuestion.objects.filter(case=case).update(text="")
    CaseNote.objects.filter(case=case).update(body=WITHDRAWN_NOTE)
    _documents_delete(documents)
    # The names the patient gave their files can name them or their illness: each becomes "Record N".
    for number, document in enumerate(sorted(documents, key=lambda d: (d.uploaded_at, d.pk)), start=1):
        document.original_name = withdrawn_name(document, number)
        document.save(update_fields=["original_name"])
    # Then whatever else the case's folder holds: a copy or an upload whose run was killed before
    # its row named it.
    case_files_delete(case)
    if notify:
        notifications_create(case=case, kinds=[Notification.Kind.CASE_WITHDRAWN], event=event)
    return case


# --- The patient's account --------------------------------------------------------------------


@transaction.atomic
def access_record(
    *,
    user: User | None,
    action: str,
    ip_address: str | None,
    request_id: str,
    case: Case | None = None,
    document: Document | None = None,
) -> AccessLog:
    """Record that someone viewed, downloaded or exported patient data."""
    entry = AccessLog(
        user=user,
        user_email=user.email if user else "",
        action=action,
        case=case if case is not None else (document.case if document else None),
        document=document,
        ip_address=ip_address,
        request_id=(request_id or "")[:64],
    )
    # The case and the document are optional (an export names neither), though the model says null only.
    entry.full_clean(exclude=["user", "case", "document"])
    entry.save()
    return entry


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Withdraw every case of the patient (deleting their files), then delete the account and what it holds."""
    for case in Case.objects.owned_by(user).exclude(status=CaseStatus.WITHDRAWN):
        case_withdraw(case=case, user=user, notify=False)
    # Cases withdrawn earlier too: their folders may hold files no row named.
    for case in Case.objects.owned_by(user).only("id", "public_id"):
        case_files_delete(case)
    email = user.email
    # Cases first: each holds its consent with a protected key, which would stop the user's deletion.
    Case.objects.owned_by(user).delete()
    user.delete()
    # No case is left to lead to the address, so the row keeps it until the email is sent.
    notifications_create(case=None, kinds=[Notification.Kind.ACCOUNT_DELETED], recipient=email)
