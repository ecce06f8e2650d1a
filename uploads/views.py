"""The patient's pages: the call to action, the intake flow, their requests, their records and account."""

import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from functools import wraps

from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.account.decorators import reauthentication_required, verified_email_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe
from django_guid import get_guid

from uploads import selectors
from uploads.due_dates import promised_due_date, promised_working_days
from uploads.emails import case_reference
from uploads.export import export_write
from uploads.forms import LEAD_SESSION_KEY, ConsentForm, DiagnosisForm, FollowUpForm
from uploads.models import AccessLog, Case, CaseStatus, DocumentStatus, Lead
from uploads.services import intake, review
from uploads.storage import document_file_response
from uploads.validators import ACCEPT_ATTRIBUTE, ACCEPTED_LIST, UploadRefused, display_name
from uploads.workflow import TransitionError

CONSENT_STEP = "uploads:case_consent"
# A page with a form answers HEAD as it answers GET (monitors and link checkers use HEAD); a view that
# records something on opening (a lead, a download) stays GET only.
FORM_PAGE_METHODS = ["GET", "HEAD", "POST"]


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as allauth's rate limits see it (settings.ALLAUTH_TRUSTED_PROXY_COUNT)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return None


# --- The call to action -------------------------------------------------------------------------


@require_GET
@never_cache
def lead_start(request: HttpRequest) -> HttpResponse:
    """Record a click on an article's call to action, then send the reader on to sign up or start."""
    user = request.user if request.user.is_authenticated else None
    pending = request.session.get(LEAD_SESSION_KEY)
    slug = request.GET.get("article", "")
    # Coming back to this address (a reload, the back button) before signing up is the same lead.
    if user or not selectors.lead_is_pending(public_id=pending, article_slug=slug):
        lead = intake.lead_record(
            article_slug=slug,
            utm={field: request.GET.get(field, "") for field in Lead.UTM_FIELDS},
            referrer=request.headers.get("referer", ""),
            user=user,
        )
        if user is None:
            request.session[LEAD_SESSION_KEY] = str(lead.public_id)
    start = reverse("uploads:case_start")
    target = start if user else f"{reverse('account_signup')}?{urlencode({'next': start})}"
    response = redirect(target)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- The intake flow ----------------------------------------------------------------------------


def limits_context() -> dict:
    return {
        "max_file_size": settings.UPLOAD_MAX_FILE_SIZE,
        "max_files": settings.UPLOAD_MAX_FILES_PER_CASE,
        "max_case_size": settings.UPLOAD_MAX_CASE_SIZE,
        "accepted_list": ACCEPTED_LIST,
        "accept_attribute": ACCEPT_ATTRIBUTE,
    }


@verified_email_required
@require_http_methods(FORM_PAGE_METHODS)
def case_start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        case = intake.case_start(user=request.user)
        return redirect(selectors.case_resume_step(case=case), case.public_id)
    draft = selectors.case_draft(user=request.user)
    context = {
        "draft": draft,
        "resume_url": reverse(selectors.case_resume_step(case=draft), args=[draft.public_id]) if draft else "",
        "steps": [title for _, title in selectors.INTAKE_STEPS],
        "working_days": promised_working_days(),
        **limits_context(),
    }
    return render(request, "uploads/case_start.html", context)


def intake_progress(current: str) -> dict:
    names = [name for name, _ in selectors.INTAKE_STEPS]
    index = names.index(current)
    return {
        "number": index + 1,
        "total": len(names),
        "title": selectors.INTAKE_STEPS[index][1],
        "steps": [
            {"title": title, "state": "done" if i < index else "current" if i == index else "upcoming"}
            for i, (_, title) in enumerate(selectors.INTAKE_STEPS)
        ],
    }


def intake_step(url_name: str) -> Callable:
    """A step of the intake flow: the owner's draft, with consent given before any step after the first."""

    def decorator(view: Callable) -> Callable:
        @verified_email_required
        @require_http_methods(FORM_PAGE_METHODS)
        @wraps(view)
        def wrapper(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
            case = selectors.case_for_owner(user=request.user, public_id=case_id)
            if case.status != CaseStatus.DRAFT:
                return redirect(case)
            if url_name != CONSENT_STEP and case.consent_id is None:
                messages.info(request, "First, please read how we use your records, and agree if you are happy to.")
                return redirect(CONSENT_STEP, case.public_id)
            return view(request, case, {"case": case, "progress": intake_progress(url_name)})

        return wrapper

    return decorator


@intake_step(CONSENT_STEP)
def case_consent(request: HttpRequest, case: Case, context: dict) -> HttpResponse:
    consent_text = selectors.consent_text_current()
    if consent_text is None:
        return render(request, "uploads/consent_unavailable.html", context, status=503)
    initial = {}
    if case.consent and case.consent.consent_text_id == consent_text.pk:
        initial = {f"item_{key}": True for key in case.consent.accepted_items}
    form = ConsentForm(request.POST or None, consent_text=consent_text, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            intake.consent_give(
                case=case,
                user=request.user,
                consent_text=consent_text,
                accepted_keys=form.accepted_keys(),
                ip_address=client_ip(request),
                user_agent=request.headers.get("user-agent", ""),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("uploads:case_diagnosis", case.public_id)
    return render(request, "uploads/case_consent.html", {**context, "form": form, "consent_text": consent_text})


@intake_step("uploads:case_diagnosis")
def case_diagnosis(request: HttpRequest, case: Case, context: dict) -> HttpResponse:
    later = "save_for_later" in request.POST
    form = DiagnosisForm(request.POST or None, instance=case, complete=not later)
    if request.method == "POST" and not later and ("show_questions" in request.POST or form.shows_other_questions):
        # Another type was chosen: show its questions, with what was typed kept, and save nothing yet.
        form = DiagnosisForm(instance=case, initial=form.typed())
        return render(request, "uploads/case_diagnosis.html", {**context, "form": form, "questions_changed": True})
    if request.method == "POST" and form.is_valid():
        intake.case_diagnosis_update(case=case, answers=form.answers())
        if later:
            messages.success(request, "Saved. You can carry on from “Your requests” whenever you are ready.")
            return redirect("uploads:dashboard")
        return redirect("uploads:case_records", case.public_id)
    return render(request, "uploads/case_diagnosis.html", {**context, "form": form})


def _results_key(case: Case) -> str:
    return f"upload_results:{case.public_id}"


def _documents_context(request: HttpRequest, case: Case) -> dict:
    documents = selectors.case_documents(case=case)
    results = request.session.pop(_results_key(case), None) or []
    return {
        "documents": documents,
        "kept_documents": [d for d in documents if d.status != DocumentStatus.DELETED],
        "allowance": selectors.case_allowance(case=case),
        # Each file once: those uploaded are in the list of records, the others say why here.
        "upload_results": [result for result in results if not result.get("listed")],
        "uploaded_count": sum(1 for result in results if result.get("listed")),
        **limits_context(),
    }


@intake_step("uploads:case_records")
def case_records(request: HttpRequest, case: Case, context: dict) -> HttpResponse:
    return render(request, "uploads/case_records.html", {**context, **_documents_context(request, case)})


@dataclass(frozen=True)
class UploadResult:
    name: str
    ok: bool
    message: str
    # Kept as a new record: the list of records shows it, so the results need not list it again.
    listed: bool = False


@verified_email_required
@require_POST
def document_upload(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """Take the files of one form post (one file per post from the script), each kept or refused on its own."""
    case = selectors.case_for_owner(user=request.user, public_id=case_id)
    uploads = request.FILES.getlist("files")
    results = []
    if not uploads:
        results.append(UploadResult("", False, "No file arrived. Choose one or more files, then upload them."))
    for upload in uploads:
        name = display_name(upload.name)
        try:
            added = intake.document_add(case=case, upload=upload)
        except UploadRefused as refused:
            results.append(UploadResult(name, False, refused.message))
        else:
            if added.duplicate:
                message = f"Already in this request as “{added.document.original_name}”: we keep one copy."
            else:
                message = "Uploaded."
                # Shown under the name we keep, whose ending is the type found in the file.
                name = added.document.original_name
            results.append(UploadResult(name, True, message, listed=not added.duplicate))
        finally:
            upload.close()
    if "application/json" in request.headers.get("accept", ""):
        allowance = selectors.case_allowance(case=case)
        return JsonResponse({"results": [asdict(r) for r in results], "allowance": asdict(allowance)})
    request.session[_results_key(case)] = [asdict(r) for r in results]
    if case.status == CaseStatus.DRAFT:
        # The consent step shows no upload results: it says why nothing was kept.
        if case.consent_id is None:
            messages.error(request, "Agree to how we use your records before you upload them.")
        return redirect("uploads:case_records", case.public_id)
    return redirect(case)


@verified_email_required
@require_POST
def document_remove(request: HttpRequest, case_id: uuid.UUID, document_id: uuid.UUID) -> HttpResponse:
    case = selectors.case_for_owner(user=request.user, public_id=case_id)
    document = case.documents.filter(public_id=document_id).first()
    if document is None or case.status != CaseStatus.DRAFT:
        messages.error(request, "That record cannot be removed.")
    else:
        intake.document_remove(document=document)
        messages.success(request, f"Removed “{document.original_name}”.")
    return redirect("uploads:case_records", case.public_id)


@intake_step("uploads:case_check")
def case_check(request: HttpRequest, case: Case, context: dict) -> HttpResponse:
    documents = selectors.case_documents(case=case)
    missing = selectors.case_missing_parts(case=case, documents=documents)
    if request.method == "POST" and not missing:
        try:
            intake.case_submit(case=case, user=request.user)
        except TransitionError:
            # Sent already, from another tab or a double click: the case page says so.
            return redirect(case)
        messages.success(request, "Thank you. We have your request, and we have emailed you what happens next.")
        return redirect(case)
    context.update(
        {
            "documents": [d for d in documents if d.status != DocumentStatus.DELETED],
            "missing": [(reverse(step, args=[case.public_id]), text) for step, text in missing],
            "records_check": selectors.case_records_check(case=case, documents=documents),
            "working_days": promised_working_days(),
        }
    )
    return render(request, "uploads/case_check.html", context)


# --- The patient's requests ---------------------------------------------------------------------


@verified_email_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    cases = list(selectors.cases_for_dashboard(user=request.user))
    context = {
        # A withdrawn request is closed: listed after the others, with no tracker that could look live.
        "open_cases": [(case, selectors.case_timeline(case)) for case in cases if case.status != CaseStatus.WITHDRAWN],
        "closed_cases": [case for case in cases if case.status == CaseStatus.WITHDRAWN],
    }
    return render(request, "uploads/dashboard.html", context)


@verified_email_required
@require_safe
def case_detail(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    return _case_page(request, selectors.case_for_owner(user=request.user, public_id=case_id))


def _case_page(request: HttpRequest, case: Case, follow_up_form: FollowUpForm | None = None) -> HttpResponse:
    follow_ups = list(case.follow_ups.all())
    context = {
        "case": case,
        "timeline": selectors.case_timeline(case),
        "can_add": case.status != CaseStatus.DRAFT and selectors.case_accepts_documents(case),
        "resume_url": reverse(selectors.case_resume_step(case=case), args=[case.public_id])
        if case.status == CaseStatus.DRAFT
        else "",
        "reference": case_reference(case),
        "thread": selectors.guidance_thread(released=case.released_guidance, follow_ups=follow_ups),
        # What we promised: the date the submission email gave, or an open follow-up question's own.
        "promised_due": promised_due_date(case.submitted_at) if case.submitted_at else None,
        "working_days": promised_working_days(),
        "open_follow_up": next((question for question in follow_ups if question.answered_by_id is None), None),
        "follow_ups_left": review.follow_ups_left(case),
        "follow_up_form": follow_up_form or FollowUpForm(),
        **_documents_context(request, case),
    }
    context["new_copies_asked"] = selectors.new_copies_asked(case=case, documents=context["documents"])
    return render(request, "uploads/case_detail.html", context, status=400 if follow_up_form else 200)


@verified_email_required
@require_POST
def case_follow_up(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    """The patient asks about their released guidance; the case goes back to its author."""
    case = selectors.case_for_owner(user=request.user, public_id=case_id)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            review.follow_up_ask(case=case, user=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            messages.success(request, "Your question is sent. A specialist will answer here, and we will email you.")
            return redirect(case)
    return _case_page(request, case, follow_up_form=form)


@verified_email_required
@require_http_methods(FORM_PAGE_METHODS)
def case_withdraw(request: HttpRequest, case_id: uuid.UUID) -> HttpResponse:
    case = selectors.case_for_owner(user=request.user, public_id=case_id)
    if case.status == CaseStatus.WITHDRAWN:
        return redirect(case)
    if request.method == "POST":
        try:
            intake.case_withdraw(case=case, user=request.user)
        except TransitionError:
            return redirect(case)
        messages.success(request, "Your request is withdrawn and its records are deleted.")
        return redirect("uploads:dashboard")
    kept = [d for d in selectors.case_documents(case=case) if d.status != DocumentStatus.DELETED]
    return render(request, "uploads/case_withdraw.html", {"case": case, "document_count": len(kept)})


@login_required
@require_GET
def document_download(request: HttpRequest, case_id: uuid.UUID, document_id: uuid.UUID) -> HttpResponse:
    """Send a record to its owner or authorised staff as an attachment, and log who took it."""
    document = selectors.document_for_download(user=request.user, case_id=case_id, document_id=document_id)
    intake.access_record(
        user=request.user,
        action=AccessLog.Action.DOWNLOAD_DOCUMENT,
        document=document,
        ip_address=client_ip(request),
        request_id=get_guid() or "",
    )
    return document_file_response(document)


# --- The patient's account ----------------------------------------------------------------------


EXPORT_SESSION_KEY = "export_requested"


@login_required
@reauthentication_required(allow_get=True)
@require_http_methods(FORM_PAGE_METHODS)
def account_export(request: HttpRequest) -> HttpResponse:
    """Offer the export, and start it once the patient asks (giving their password again first)."""
    if request.method != "POST":
        return render(request, "uploads/account_export.html")
    # Answered with a page that fetches the file, never the file itself: after the password, allauth
    # replays this request, and a file in answer would leave the patient on the password page.
    request.session[EXPORT_SESSION_KEY] = timezone.now().timestamp()
    return redirect("uploads:account_export_started")


def _export_asked(request: HttpRequest) -> bool:
    """Whether the patient asked for their export (the password given again) within the last few minutes."""
    asked_at = request.session.get(EXPORT_SESSION_KEY)
    return asked_at is not None and timezone.now().timestamp() - asked_at < account_settings.REAUTHENTICATION_TIMEOUT


@login_required
@require_safe
@never_cache
def account_export_started(request: HttpRequest) -> HttpResponse:
    """Say the download has started, and start it (once the patient has asked for it)."""
    if not _export_asked(request):
        return redirect("uploads:account_export")
    return render(request, "uploads/account_export_started.html")


@login_required
@require_GET
@never_cache
def account_export_download(request: HttpRequest) -> HttpResponse:
    """Everything we hold about the patient, as a zip: once for each time they asked for it."""
    # The request it answers was the one to give the password again for: no second asking here.
    asked = _export_asked(request)
    request.session.pop(EXPORT_SESSION_KEY, None)
    if not asked:
        return redirect("uploads:account_export")
    # Recorded first, so that the export lists itself among the patient's exports.
    intake.access_record(
        user=request.user,
        action=AccessLog.Action.EXPORT,
        ip_address=client_ip(request),
        request_id=get_guid() or "",
    )
    spool = export_write(user=request.user)
    filename = f"navis-data-{timezone.localdate():%Y-%m-%d}.zip"
    response = FileResponse(spool, as_attachment=True, filename=filename, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@reauthentication_required(allow_get=True)
@require_http_methods(FORM_PAGE_METHODS)
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete the patient's account after withdrawing every case (asks for the password again first)."""
    if request.user.is_staff:
        raise PermissionDenied("Staff accounts are closed by an administrator.")
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") == "yes":
            intake.account_delete(user=request.user)
            logout(request)
            messages.success(request, "Your account and everything you shared with us have been deleted.")
            return redirect("home")
        error = "Tick the box to confirm that you want to delete your account."
    open_cases = selectors.cases_for_dashboard(user=request.user).exclude(status=CaseStatus.WITHDRAWN).count()
    return render(request, "uploads/account_delete.html", {"open_cases": open_cases, "error": error})
