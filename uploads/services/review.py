"""Staff review of cases: the queue, notes, and guidance from draft through sign-off to the patient."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from articles.rendering import render_markdown
from navis.models import User
from uploads.due_dates import due_at
from uploads.models import (
    Case,
    CaseNote,
    CaseStatus,
    Document,
    DocumentStatus,
    FollowUpQuestion,
    Guidance,
    Notification,
)
from uploads.services.notifications import notifications_create
from uploads.services.transitions import case_event_record, case_transition

S = CaseStatus
MAX_FOLLOW_UPS = 3
REVIEWER_GROUP = "Case reviewer"


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _require(user: User, permission: str, what: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {what}.")


def reviewers_by_load() -> list[User]:
    """Active case reviewers, the one with the fewest cases in review first."""
    return list(
        User.objects.filter(is_active=True, is_staff=True, groups__name=REVIEWER_GROUP)
        .annotate(load=Count("assigned_cases", filter=Q(assigned_cases__status=S.IN_REVIEW)))
        .order_by("load", "id")
    )


def reviewer_suggest() -> User | None:
    """The least-loaded case reviewer, to suggest when assigning."""
    reviewers = reviewers_by_load()
    return reviewers[0] if reviewers else None


@transaction.atomic
def case_assign(*, case: Case, reviewer: User, by: User, note: str = "") -> Case:
    """Give a case to a reviewer; a case waiting for review moves into review."""
    _require(by, "uploads.review_case", "assign cases")
    if not reviewer.has_perm("uploads.review_case"):
        raise ValidationError(f"{reviewer} is not a case reviewer.")
    case = _locked(case)
    case.assigned_to = reviewer
    if case.status == S.WAITING_FOR_REVIEW:
        note = note or f"Assigned to {reviewer}."
        case_transition(case=case, to=S.IN_REVIEW, actor=by, note=note, fields=["assigned_to"])
    elif case.status == S.IN_REVIEW:
        case.save(update_fields=["assigned_to", "updated_at"])
        case_event_record(case=case, actor=by, note=note or f"Reassigned to {reviewer}.")
    else:
        raise ValidationError(f"A case that is {case.get_status_display().lower()} cannot be assigned.")
    return case


@transaction.atomic
def case_claim(*, case: Case, user: User, reason: str = "") -> Case:
    """Take a case from the queue for yourself; a case another reviewer holds is taken over only with a reason."""
    case = _locked(case)
    holder = case.assigned_to
    if holder is None or holder.pk == user.pk:
        return case_assign(case=case, reviewer=user, by=user)
    if not reason.strip():
        raise ValidationError(
            {"reason": f"{holder} holds this case. To take it over, say why: the reason is kept in its history."}
        )
    return case_assign(case=case, reviewer=user, by=user, note=f"Taken over from {holder}: {reason.strip()}")


@transaction.atomic
def case_send_to_review(*, case: Case, by: User, note: str) -> Case:
    """Send a case that needs attention on to the review queue, with a note saying why it can go as it is."""
    _require(by, "uploads.review_case", "send cases to review")
    case = _locked(case)
    if case.status != S.NEEDS_ATTENTION:
        raise ValidationError("Only a case that needs attention is sent to review this way.")
    if not note.strip():
        raise ValidationError({"body": "Write a note for the reviewer: why the case can be reviewed as it is."})
    case_note_add(case=case, author=by, body=note)
    event = case_transition(case=case, to=S.WAITING_FOR_REVIEW, actor=by, note=f"Sent to review by {by}.")
    kinds = [Notification.Kind.STAFF_CASE_READY, Notification.Kind.PATIENT_CASE_READY]
    notifications_create(case=case, kinds=kinds, event=event)
    return case


@transaction.atomic
def case_new_copy_request(*, case: Case, by: User) -> list[Document]:
    """Ask the patient for a new copy of each file the pipeline could not read; the email asks them to sign in."""
    _require(by, "uploads.review_case", "ask patients for records")
    case = _locked(case)
    if case.status != S.NEEDS_ATTENTION:
        raise ValidationError("A new copy is asked for only while the case needs attention.")
    documents = list(
        case.documents.select_for_update().filter(status=DocumentStatus.FAILED, new_copy_requested_at__isnull=True)
    )
    if not documents:
        raise ValidationError("Every file that could not be read has been asked for already.")
    now = timezone.now()
    for document in documents:
        document.new_copy_requested_at = now
        document.save(update_fields=["new_copy_requested_at"])
    event = case_event_record(
        case=case, actor=by, note=f"Asked the patient for a new copy of {len(documents)} file(s)."
    )
    notifications_create(case=case, kinds=[Notification.Kind.NEW_COPY_REQUESTED], event=event)
    return documents


@transaction.atomic
def case_note_add(*, case: Case, author: User, body: str) -> CaseNote:
    """Leave a note for other staff on the case."""
    _require(author, "uploads.add_casenote", "write notes")
    note = CaseNote(case=case, author=author, body=body.strip())
    note.full_clean()
    note.save()
    return note


def _open_guidance(case: Case) -> Guidance | None:
    return case.guidance.exclude(status=Guidance.Status.RELEASED).order_by("-id").first()


@transaction.atomic
def guidance_save(*, case: Case, author: User, body: str) -> Guidance:
    """Write or rewrite the case's guidance draft; a draft sent for sign-off goes back to draft."""
    _require(author, "uploads.change_guidance", "write guidance")
    case = _locked(case)
    if case.status != S.IN_REVIEW:
        raise ValidationError("Claim the case before writing guidance.")
    if not body.strip():
        raise ValidationError({"body": "Write the guidance before saving it."})
    guidance = _open_guidance(case) or Guidance(case=case)
    guidance.body = body.strip()
    guidance.body_html = render_markdown(guidance.body)
    guidance.author = author
    guidance.status = Guidance.Status.DRAFT
    guidance.signed_off_by = None
    guidance.full_clean()
    guidance.save()
    return guidance


@transaction.atomic
def guidance_submit(*, guidance: Guidance, user: User) -> Guidance:
    """Ask a second reviewer to sign the draft off."""
    _require(user, "uploads.change_guidance", "send guidance for sign-off")
    guidance = Guidance.objects.select_for_update().get(pk=guidance.pk)
    if guidance.status != Guidance.Status.DRAFT:
        raise ValidationError("Only a draft can be sent for sign-off.")
    guidance.status = Guidance.Status.AWAITING_SIGN_OFF
    guidance.save(update_fields=["status", "updated_at"])
    return guidance


@transaction.atomic
def guidance_send_for_sign_off(*, case: Case, author: User, body: str) -> Guidance:
    """Save the draft as written and ask a second reviewer to sign it off, in one step from the editor."""
    guidance = guidance_save(case=case, author=author, body=body)
    return guidance_submit(guidance=guidance, user=author)


@transaction.atomic
def guidance_changes_request(*, guidance: Guidance, user: User, comment: str) -> Guidance:
    """Send guidance back to its author with the second reviewer's comment; the author is emailed."""
    _require(user, "uploads.sign_off_guidance", "sign off guidance")
    guidance = Guidance.objects.select_for_update(of=("self",)).select_related("author").get(pk=guidance.pk)
    if guidance.status != Guidance.Status.AWAITING_SIGN_OFF:
        raise ValidationError("Only guidance sent for sign-off can be sent back.")
    if guidance.author_id == user.pk:
        raise PermissionDenied("You wrote this guidance: edit it yourself, or ask another reviewer to sign it off.")
    if not comment.strip():
        raise ValidationError({"comment": "Say what should change: your comment goes back to the author."})
    case = _locked(guidance.case)
    if case.status != S.IN_REVIEW:
        raise ValidationError("Only a case in review has guidance to send back.")
    author = guidance.author
    guidance.status = Guidance.Status.DRAFT
    guidance.save(update_fields=["status", "updated_at"])
    case_note_add(case=case, author=user, body=f"Changes asked for on the guidance: {comment.strip()}")
    # Back with its author: the case is theirs again even if someone else held it meanwhile.
    if author is not None and case.assigned_to_id != author.pk:
        case.assigned_to = author
        case.save(update_fields=["assigned_to", "updated_at"])
    event = case_event_record(case=case, actor=user, note=f"Guidance sent back to {author} by {user}.")
    notifications_create(case=case, kinds=[Notification.Kind.STAFF_CHANGES_REQUESTED], event=event)
    return guidance


@transaction.atomic
def guidance_release(*, guidance: Guidance, user: User) -> Guidance:
    """Sign off guidance another reviewer wrote and release it: the patient is emailed to log in and read it."""
    _require(user, "uploads.sign_off_guidance", "sign off guidance")
    guidance = Guidance.objects.select_for_update().select_related("case__owner").get(pk=guidance.pk)
    if guidance.status != Guidance.Status.AWAITING_SIGN_OFF:
        raise ValidationError("Only guidance sent for sign-off can be released.")
    if guidance.author_id == user.pk:
        raise PermissionDenied("You wrote this guidance, so another reviewer must sign it off.")
    case = _locked(guidance.case)
    now = timezone.now()
    guidance.status = Guidance.Status.RELEASED
    guidance.signed_off_by = user
    guidance.released_at = now
    guidance.save(update_fields=["status", "signed_off_by", "released_at", "updated_at"])
    case.follow_ups.filter(answered_by__isnull=True).update(answered_by=guidance)
    event = case_transition(case=case, to=S.GUIDANCE_READY, actor=user, note=f"Guidance signed off by {user}.")
    notifications_create(case=case, kinds=[Notification.Kind.GUIDANCE_READY], event=event)
    return guidance


@transaction.atomic
def follow_up_ask(*, case: Case, user: User, text: str) -> FollowUpQuestion:
    """Let the patient ask about their released guidance (three times at most); it goes back to its author."""
    case = _locked(case)
    if case.owner_id != user.pk:
        raise PermissionDenied("Only the patient can ask about their guidance.")
    if case.status != S.GUIDANCE_READY:
        raise ValidationError("You can ask a follow-up question once your guidance is ready.")
    if case.follow_ups.count() >= MAX_FOLLOW_UPS:
        raise ValidationError(f"You have asked the {MAX_FOLLOW_UPS} follow-up questions a case allows.")
    guidance = case.guidance.released().select_related("author").order_by("-released_at").first()
    author = guidance.author if guidance else None
    assignee = author if author and author.is_active and author.has_perm("uploads.review_case") else None
    now = timezone.now()
    question = FollowUpQuestion(
        case=case,
        guidance=guidance,
        text=text.strip(),
        asked_at=now,
        due_at=due_at(now, case.priority),
        assigned_to=assignee,
    )
    question.full_clean()
    question.save()
    case.assigned_to = assignee
    # The queue sorts by the case's due date: the question's own, not the one its guidance met.
    case.due_at = question.due_at
    event = case_transition(
        case=case,
        to=S.IN_REVIEW if assignee else S.WAITING_FOR_REVIEW,
        actor=user,
        note="The patient asked a follow-up question." + (f" It is {assignee}'s to answer." if assignee else ""),
        fields=["assigned_to", "due_at"],
        at=now,
    )
    kinds = [Notification.Kind.FOLLOW_UP_RECEIVED, Notification.Kind.STAFF_FOLLOW_UP_RECEIVED]
    notifications_create(case=case, kinds=kinds, event=event)
    return question


def follow_ups_left(case: Case) -> int:
    """How many more follow-up questions the patient may ask."""
    return max(0, MAX_FOLLOW_UPS - case.follow_ups.count())
