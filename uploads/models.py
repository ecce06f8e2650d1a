"""Patients' cases and the records they share. Status transitions: uploads/workflow.py."""

import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from articles.profiles import CancerProfile, detail_label, marker_label, profile_for
from navis.models import TimeStampedModel
from uploads.pipeline.content_types import extension_for


class ConsentTextQuerySet(models.QuerySet):
    def published(self) -> "ConsentTextQuerySet":
        """Versions patients may be asked to agree to."""
        return self.filter(published_at__isnull=False)

    def current(self) -> "ConsentText | None":
        """The newest published version: the one a patient agrees to now."""
        return self.published().order_by("-version").first()


class ConsentText(models.Model):
    """One version of what a patient agrees to before sharing records. Never edited once in use."""

    version = models.PositiveIntegerField(unique=True)
    title = models.CharField(max_length=200, default="Before you share your records")
    body = models.TextField(help_text="Markdown: what we do with the records, who sees them, how long we keep them.")
    # Each key is one checkbox the patient must tick; the label is what they read beside it.
    items = models.JSONField(
        default=list, help_text='A list of {"key": ..., "label": ...}: each is a checkbox the patient must tick.'
    )
    published_at = models.DateTimeField(null=True, blank=True, help_text="Empty while it is a draft.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ConsentTextQuerySet.as_manager()

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Consent text v{self.version}"

    def clean(self) -> None:
        super().clean()
        items = self.items
        if not isinstance(items, list) or not items:
            raise ValidationError({"items": 'List at least one checkbox, as {"key": ..., "label": ...}.'})
        keys = []
        for item in items:
            if not (isinstance(item, dict) and str(item.get("key", "")).strip() and str(item.get("label", "")).strip()):
                raise ValidationError({"items": "Every checkbox needs a non-empty key and label."})
            keys.append(item["key"])
        if len(set(keys)) != len(keys):
            raise ValidationError({"items": "Two checkboxes have the same key."})

    @property
    def keys(self) -> list[str]:
        return [item["key"] for item in self.items]


class Consent(models.Model):
    """A patient's agreement to one version of the consent text, with where and when it was given."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    consent_text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents")
    accepted_items = models.JSONField(default=list)
    accepted_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"{self.user} agreed to v{self.consent_text.version} on {self.accepted_at:%Y-%m-%d}"


class Lead(models.Model):
    """A reader who clicked a call to action, followed through sign-up to a case."""

    class Step(models.TextChoices):
        CLICKED = "clicked", "Clicked the call to action"
        SIGNED_UP = "signed_up", "Signed up"
        CONSENTED = "consented", "Consented"
        SUBMITTED = "submitted", "Submitted a case"

    # The funnel in order: a lead only ever moves forward along it.
    STEP_ORDER = [Step.CLICKED, Step.SIGNED_UP, Step.CONSENTED, Step.SUBMITTED]
    UTM_FIELDS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="leads"
    )
    utm_source = models.CharField(max_length=200, blank=True)
    utm_medium = models.CharField(max_length=200, blank=True)
    utm_campaign = models.CharField(max_length=200, blank=True)
    utm_term = models.CharField(max_length=200, blank=True)
    utm_content = models.CharField(max_length=200, blank=True)
    referrer = models.URLField(max_length=1000, blank=True)
    contact_consent = models.BooleanField(default=False, help_text="Agreed, by its own unticked box, to be contacted.")
    step = models.CharField(max_length=20, choices=Step.choices, default=Step.CLICKED, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Lead {self.public_id} ({self.get_step_display()})"


class CaseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    PROCESSING = "processing", "Processing"
    WAITING_FOR_REVIEW = "waiting_for_review", "Waiting for review"
    IN_REVIEW = "in_review", "In review"
    GUIDANCE_READY = "guidance_ready", "Guidance ready"
    NEEDS_ATTENTION = "needs_attention", "Needs attention"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Stage(models.TextChoices):
    UNKNOWN = "unknown", "I don't know"
    STAGE_0 = "0", "Stage 0"
    STAGE_1 = "1", "Stage 1"
    STAGE_2 = "2", "Stage 2"
    STAGE_3 = "3", "Stage 3"
    STAGE_4 = "4", "Stage 4"


class CaseQuerySet(models.QuerySet):
    def owned_by(self, user) -> "CaseQuerySet":
        """Cases the user may see as their owner."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user)

    def open(self) -> "CaseQuerySet":
        """Cases a patient can still add to."""
        return self.exclude(status__in=[CaseStatus.WITHDRAWN, CaseStatus.GUIDANCE_READY])

    def submitted(self) -> "CaseQuerySet":
        """Cases the patient sent us: staff never see a draft, nor one withdrawn before it was sent."""
        return self.exclude(status=CaseStatus.DRAFT).exclude(status=CaseStatus.WITHDRAWN, submitted_at__isnull=True)

    # What the review queue's filters and the admin's home page count, as conditions (one query counts them all).

    @staticmethod
    def overdue_q() -> Q:
        """Past its due date and still owed guidance."""
        return Q(due_at__lt=timezone.now()) & ~Q(
            status__in=[CaseStatus.GUIDANCE_READY, CaseStatus.WITHDRAWN, CaseStatus.DRAFT]
        )

    @staticmethod
    def awaiting_sign_off_by_q(user) -> Q:
        """In review with guidance someone else wrote waiting for a second reviewer: this user may sign it off."""
        others = Guidance.objects.filter(case=models.OuterRef("pk"), status=Guidance.Status.AWAITING_SIGN_OFF).exclude(
            author=user
        )
        return Q(status=CaseStatus.IN_REVIEW) & Q(models.Exists(others))

    @staticmethod
    def follow_ups_waiting_q() -> Q:
        """A patient's follow-up question not answered yet."""
        waiting = FollowUpQuestion.objects.filter(case=models.OuterRef("pk"), answered_by__isnull=True)
        return Q(models.Exists(waiting)) & ~Q(status=CaseStatus.WITHDRAWN)

    def overdue(self) -> "CaseQuerySet":
        return self.filter(self.overdue_q())

    def awaiting_sign_off_by(self, user) -> "CaseQuerySet":
        return self.filter(self.awaiting_sign_off_by_q(user))

    def follow_ups_waiting(self) -> "CaseQuerySet":
        return self.filter(self.follow_ups_waiting_q())


class Case(TimeStampedModel):
    """A patient's request for guidance: what they told us, and the records they shared."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cases")
    status = models.CharField(max_length=30, choices=CaseStatus.choices, default=CaseStatus.DRAFT, db_index=True)
    consent = models.ForeignKey(Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
    lead = models.ForeignKey(Lead, null=True, blank=True, on_delete=models.SET_NULL, related_name="cases")

    # About the diagnosis, as the patient tells it.
    cancer_type = models.ForeignKey(
        "articles.CancerType", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    cancer_type_other = models.CharField("another cancer type", max_length=200, blank=True)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.UNKNOWN)
    biomarkers = models.JSONField(
        default=dict, blank=True, help_text="Marker key (articles.profiles) to the result the patient gave."
    )
    diagnosis_details = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the cancer's profile asks beyond the stage number, by key: stage_group, gleason, figo_stage...",
    )
    biomarkers_other = models.TextField("other test results", blank=True)
    treatment_so_far = models.TextField(blank=True)
    current_treatment = models.TextField(blank=True)
    questions = models.TextField("your questions", blank=True)

    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # When its task was last sent (by the pipeline or the reconciler): the reconciler sends it again
    # only once this is older than PIPELINE_STUCK_AFTER_SECONDS too, so a message still queued is
    # not doubled, and one the broker lost is sent again.
    task_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Written by the pipeline when every document is done: what staff read first.
    summary = models.JSONField(default=dict, blank=True)
    priority = models.PositiveSmallIntegerField(default=3, help_text="1 is the most urgent.")
    due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        help_text="The case reviewer working on it.",
    )

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("review_case", "Can work cases in the review queue"),
            ("sign_off_guidance", "Can sign off and release guidance written by another reviewer"),
        ]

    def __str__(self) -> str:
        return f"Case {str(self.public_id)[:8]}"

    def get_absolute_url(self) -> str:
        return reverse("uploads:case_detail", args=[self.public_id])

    @property
    def cancer_name(self) -> str:
        """The cancer the request is about, as the patient named it (select_related("cancer_type") to list them)."""
        if self.cancer_type_id:
            return self.cancer_type.name
        return self.cancer_type_other.strip() or "Your request"

    @property
    def profile(self) -> CancerProfile:
        """The profile of the chosen cancer type; the generic one when none is chosen."""
        return profile_for(self.cancer_type.profile if self.cancer_type_id else "")

    def biomarker_answers(self) -> list[tuple[str, str]]:
        """The patient's marker answers as (label, answer), in the order the profile asks them."""
        answers = self.biomarkers if isinstance(self.biomarkers, dict) else {}
        order = {marker.key: index for index, marker in enumerate(self.profile.markers)}
        keys = sorted(answers, key=lambda key: (order.get(key, len(order)), key))
        return [(marker_label(key), str(answers[key])) for key in keys]

    def detail_answers(self) -> list[tuple[str, str]]:
        """The answers about stage and grade beyond the stage number, as (label, answer)."""
        answers = self.diagnosis_details if isinstance(self.diagnosis_details, dict) else {}
        return [(detail_label(key), str(value)) for key, value in answers.items()]


class DocumentStatus(models.TextChoices):
    RECEIVED = "received", "Received"
    SCANNING = "scanning", "Scanning"
    PENDING_SCAN = "pending_scan", "Waiting for the virus scanner"
    CLEAN = "clean", "Clean"
    QUARANTINED = "quarantined", "Quarantined"
    EXTRACTING = "extracting", "Reading"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    DELETED = "deleted", "Deleted"


class DocumentKind(models.TextChoices):
    PATHOLOGY = "pathology_report", "Pathology report"
    IMAGING = "imaging_report", "Imaging report"
    LABS = "lab_results", "Lab results"
    LETTER = "clinic_letter", "Clinic letter"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not read yet"


def case_files_folder(case: "Case") -> str:
    """The folder in private storage that holds every file of a case, and nothing else."""
    return f"cases/{case.public_id}/"


def document_upload_to(instance: "Document", filename: str) -> str:
    # A name fixed by the row (its random public_id) in a folder per case: nothing of the patient's
    # own file name reaches the disk, a file whose row was never written is found by the sweep
    # (uploads/services/sweep.py), and the ending is the detected type's, so no tool that goes by
    # the name opens it as something else.
    return f"{case_files_folder(instance.case)}{instance.public_id}{extension_for(instance.content_type)}"


def safe_copy_name(document: "Document", extension: str) -> str:
    """The one name a document's safe copy has: a run taken over writes the same file again."""
    # Fixed per document (and storage overwrites, settings.STORAGES), so a run killed after saving
    # the copy but before recording it leaves a file its takeover replaces, not a second one.
    return f"{case_files_folder(document.case)}safe/{document.public_id}{extension}"


def safe_copy_upload_to(instance: "Document", filename: str) -> str:
    return safe_copy_name(instance, os.path.splitext(filename)[1])


class Document(models.Model):
    """One record a patient uploaded: the original, untouched, and what the pipeline made of it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    status = models.CharField(
        max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.RECEIVED, db_index=True
    )
    original_name = models.CharField(
        max_length=255, help_text="The patient's name for the file, made safe to show; it ends in the detected type."
    )
    file = models.FileField(upload_to=document_upload_to, max_length=300)
    content_type = models.CharField(max_length=100, help_text="Detected from the content, not the name.")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default=DocumentKind.UNKNOWN)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    extracted_text = models.TextField(blank=True)
    findings = models.JSONField(default=dict, blank=True)
    safe_copy = models.FileField(upload_to=safe_copy_upload_to, max_length=300, blank=True)
    safe_copy_content_type = models.CharField(max_length=100, blank=True)
    scan_result = models.CharField(max_length=200, blank=True, help_text="The scanner's verdict or signature.")
    attempts = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.CharField(max_length=500, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # Staff asked the patient for a new copy of a document the pipeline could not read; their case
    # page lists it while the case needs attention.
    new_copy_requested_at = models.DateTimeField(null=True, blank=True)
    # Which run of the pipeline works on it now (scanning or extracting), and since when: a second
    # delivery of the same message finds it taken, and a claim older than
    # PIPELINE_STUCK_AFTER_SECONDS belongs to a worker that stopped, so another may take it over.
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When its task was last sent (by the pipeline or the reconciler): the reconciler sends it again
    # only once this is older than PIPELINE_STUCK_AFTER_SECONDS too, so a message still queued is
    # not doubled, and one the broker lost is sent again.
    task_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            # The same file twice in a case is kept once (a deleted one no longer counts).
            models.UniqueConstraint(
                fields=["case", "sha256"], condition=~Q(status="deleted"), name="document_unique_per_case"
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class CaseEvent(models.Model):
    """A step in a case's life, for the patient's timeline and the staff history."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=30, choices=CaseStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=500, blank=True, help_text="For staff; never shown to the patient.")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_status_display().lower()} at {self.at:%Y-%m-%d %H:%M}"


class GuidanceQuerySet(models.QuerySet):
    def released(self) -> "GuidanceQuerySet":
        """Guidance the patient may read."""
        return self.filter(status="released")


class Guidance(TimeStampedModel):
    """What a case reviewer writes to the patient; a second reviewer signs it off before the patient reads it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_SIGN_OFF = "awaiting_sign_off", "Awaiting sign-off"
        RELEASED = "released", "Released"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="guidance")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    body = models.TextField(help_text="Markdown, written to the patient.")
    body_html = models.TextField(blank=True, help_text="The body, rendered and sanitised.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True, help_text="Empty until the patient may read it.")

    objects = GuidanceQuerySet.as_manager()

    class Meta:
        ordering = ["released_at", "id"]
        verbose_name_plural = "guidance"

    def __str__(self) -> str:
        return f"Guidance for {self.case}"


class GuidanceTemplate(models.Model):
    """A starting point for guidance on one cancer type (or any, when none is set)."""

    title = models.CharField(max_length=200)
    cancer_type = models.ForeignKey(
        "articles.CancerType", null=True, blank=True, on_delete=models.CASCADE, related_name="guidance_templates"
    )
    body = models.TextField(help_text="Markdown.")

    class Meta:
        ordering = ["cancer_type__name", "title"]

    def __str__(self) -> str:
        return self.title


class CaseNote(models.Model):
    """A note between staff about a case. Never shown to the patient."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note by {self.author} on {self.case}"


class FollowUpQuestion(models.Model):
    """A question a patient asks about their released guidance; it brings the case back to the queue."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    guidance = models.ForeignKey(Guidance, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.TextField()
    asked_at = models.DateTimeField(default=timezone.now)
    # Working days from when it was asked (uploads/due_dates.py): the case is due again by then.
    due_at = models.DateTimeField(null=True, blank=True)
    # Who answers it: the author of the guidance it is about, unless they can no longer review cases.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by = models.ForeignKey(
        Guidance, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers_to"
    )

    class Meta:
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return f"Follow-up on {self.case}"


class AccessLog(models.Model):
    """Who viewed or downloaded which patient data, when and from where. Rows are only ever added."""

    class Action(models.TextChoices):
        VIEW_CASE = "view_case", "Viewed a case"
        VIEW_DOCUMENT = "view_document", "Viewed a document"
        DOWNLOAD_DOCUMENT = "download_document", "Downloaded a document"
        EXPORT = "export", "Exported all their data"

    # The log outlives what it names: no database constraint and no cascade, so deleting an account or a
    # case never has to UPDATE or DELETE a row here (on PostgreSQL a trigger refuses both).
    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    user_email = models.EmailField(blank=True, help_text="Who it was, kept even if the account is deleted.")
    action = models.CharField(max_length=30, choices=Action.choices)
    case = models.ForeignKey(
        Case, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="access_logs"
    )
    document = models.ForeignKey(
        Document, null=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="access_logs"
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_email or 'Someone'} {self.get_action_display().lower()} at {self.at:%Y-%m-%d %H:%M}"


class PipelineStepQuerySet(models.QuerySet):
    def timeline(self, case: Case) -> "PipelineStepQuerySet":
        """The steps the pipeline took on a case and its documents, in the order they started."""
        return self.filter(case=case).select_related("document").order_by("started_at", "id")


class PipelineStep(models.Model):
    """One step the pipeline took on a document or a case, with how long it took and how it ended."""

    class Name(models.TextChoices):
        INTEGRITY = "integrity", "Integrity check"
        SCAN = "scan", "Malware scan"
        SAFE_COPY = "safe_copy", "Safe copy"
        EXTRACT = "extract", "Text extraction"
        CLASSIFY = "classify", "Kind of document"
        FINDINGS = "findings", "Findings"
        FINALISE = "finalise", "Case summary"

    class Outcome(models.TextChoices):
        OK = "ok", "Done"
        QUARANTINED = "quarantined", "Quarantined"
        PENDING = "pending", "Waiting for the scanner"
        RETRY = "retry", "Failed, will be retried"
        FAILED = "failed", "Failed for good"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pipeline_steps")
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.CASCADE, related_name="pipeline_steps"
    )
    name = models.CharField(max_length=20, choices=Name.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    started_at = models.DateTimeField()
    duration_ms = models.FloatField()
    # The document's attempt this step belonged to, counting from 1.
    attempt = models.PositiveSmallIntegerField(default=1)
    # For staff: a signature name, an error's kind. Never what a document says.
    detail = models.CharField(max_length=200, blank=True)

    objects = PipelineStepQuerySet.as_manager()

    class Meta:
        ordering = ["started_at", "id"]
        indexes = [models.Index(fields=["case", "started_at"], name="pipelinestep_case_started")]

    def __str__(self) -> str:
        return f"{self.get_name_display()}: {self.get_outcome_display().lower()} in {self.duration_ms:.1f} ms"


class Notification(models.Model):
    """An email the product owes someone, written in the same transaction as the change it is about.

    Each one exists once (the constraints), and is sent by a task that claims it, so that a repeated
    message never mails twice. Every email about a case goes this way, the patient's and staff's,
    and so do the editorial emails about an article's medical review.
    """

    class Kind(models.TextChoices):
        STAFF_CASE_READY = "staff_case_ready", "Staff: a case is waiting for review"
        STAFF_CASE_NEEDS_ATTENTION = "staff_case_needs_attention", "Staff: a case needs attention"
        PATIENT_CASE_READY = "patient_case_ready", "Patient: the records reached the reviewers"
        STAFF_DOCUMENT_QUARANTINED = "staff_document_quarantined", "Staff: a document was quarantined"
        PATIENT_DOCUMENT_QUARANTINED = "patient_document_quarantined", "Patient: a file could not be accepted"
        CASE_SUBMITTED = "case_submitted", "Patient: the request was submitted"
        GUIDANCE_READY = "guidance_ready", "Patient: the guidance is ready"
        FOLLOW_UP_RECEIVED = "follow_up_received", "Patient: the follow-up question reached us"
        STAFF_FOLLOW_UP_RECEIVED = "staff_follow_up_received", "Staff: a patient asked a follow-up question"
        STAFF_CHANGES_REQUESTED = "staff_changes_requested", "Staff: the second reviewer sent guidance back"
        NEW_COPY_REQUESTED = "new_copy_requested", "Patient: a new copy of a file is asked for"
        CASE_WITHDRAWN = "case_withdrawn", "Patient: the request was withdrawn"
        ACCOUNT_DELETED = "account_deleted", "Patient: the account was deleted"
        ARTICLE_SUBMITTED = "article_submitted", "Medical reviewers: an article waits for review"
        ARTICLE_REVIEW_DUE = "article_review_due", "Medical reviewers: a published article is due for review"
        ARTICLE_SENT_BACK = "article_sent_back", "Editors: an article needs changes"
        ARTICLE_APPROVED = "article_approved", "Editors: an article was approved"

    # Empty for an account's deletion (that email outlives the cases and the user it is about) and
    # for the editorial emails, which are about an article's workflow event instead.
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=40, choices=Kind.choices)
    # What it is about: the case event that finalised the case, or the quarantined document.
    event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    article_event = models.ForeignKey(
        "articles.ArticleEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # When its task was last sent (by the pipeline or the reconciler): the reconciler sends it again
    # only once this is older than PIPELINE_STUCK_AFTER_SECONDS too, so a message still queued is
    # not doubled, and one the broker lost is sent again.
    task_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    # Where to send an email that no case leads to (an account's deletion); emptied once it is sent.
    recipient = models.EmailField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "kind"], condition=Q(event__isnull=False), name="notification_once_per_event"
            ),
            models.UniqueConstraint(
                fields=["document", "kind"], condition=Q(document__isnull=False), name="notification_once_per_document"
            ),
            models.UniqueConstraint(
                fields=["article_event", "kind"],
                condition=Q(article_event__isnull=False),
                name="notification_once_per_article_event",
            ),
            models.CheckConstraint(
                condition=Q(event__isnull=False)
                | Q(document__isnull=False)
                | Q(article_event__isnull=False, case__isnull=True)
                | Q(kind="account_deleted", case__isnull=True, event__isnull=True, document__isnull=True),
                name="notification_is_about_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.case or 'no case'})"
