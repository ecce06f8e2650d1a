"""The review queue and the case page, where case reviewers read records and write guidance."""

import re
import uuid

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from django_guid import get_guid

from articles.rendering import render_markdown
from navis.models import User
from uploads import reports, selectors
from uploads.admin.pipeline import retry_failed_documents
from uploads.emails import case_reference
from uploads.models import AccessLog, Case, CaseStatus, Document, Guidance, GuidanceTemplate
from uploads.services import review
from uploads.services.intake import access_record
from uploads.storage import document_safe_copy_response
from uploads.views import client_ip
from uploads.workflow import TransitionError

S = CaseStatus
REFERENCE = re.compile(r"[0-9a-f]{8}")
QUEUE_STATUSES = (S.WAITING_FOR_REVIEW, S.IN_REVIEW)


class QueueFilter(admin.SimpleListFilter):
    """Opens on the review queue; "all cases" shows every status."""

    title = "list"
    parameter_name = "list"

    def lookups(self, request, model_admin):
        return [("queue", "Review queue"), ("all", "All cases")]

    def value(self):
        return super().value() or "queue"

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset: QuerySet[Case]) -> QuerySet[Case]:
        return queryset.filter(status__in=QUEUE_STATUSES) if self.value() == "queue" else queryset


class AssignedFilter(admin.SimpleListFilter):
    title = "assigned"
    parameter_name = "assigned"

    def lookups(self, request, model_admin):
        return [("me", "Assigned to me"), ("none", "Unassigned")]

    def queryset(self, request, queryset: QuerySet[Case]) -> QuerySet[Case]:
        if self.value() == "me":
            return queryset.filter(assigned_to=request.user)
        if self.value() == "none":
            return queryset.filter(assigned_to__isnull=True)
        return queryset


class WaitingFilter(admin.SimpleListFilter):
    """What is waiting on someone: a second reviewer's sign-off, a patient's follow-up question."""

    title = "waiting for"
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("my_sign_off", "Awaiting my sign-off"), ("follow_up", "Follow-ups waiting")]

    def queryset(self, request, queryset: QuerySet[Case]) -> QuerySet[Case]:
        if self.value() == "my_sign_off":
            return queryset.awaiting_sign_off_by(request.user)
        if self.value() == "follow_up":
            return queryset.follow_ups_waiting()
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "due"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [("overdue", "Overdue")]

    def queryset(self, request, queryset: QuerySet[Case]) -> QuerySet[Case]:
        return queryset.overdue() if self.value() == "overdue" else queryset


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ("reference", "status", "priority", "due", "cancer", "assigned_to", "submitted")
    list_filter = (QueueFilter, AssignedFilter, WaitingFilter, OverdueFilter, "status", "cancer_type")
    list_select_related = ("cancer_type", "assigned_to")
    ordering = ("priority", "due_at", "id")
    search_fields = ("=public_id",)
    actions = ("claim", "assign_least_loaded")
    list_per_page = 50
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("uploads.review_case")

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("uploads.review_case")

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # The case page is not a model form: every change goes through a service from its own button.
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        # A draft is still the patient's own: what they have not sent us, no member of staff reads.
        return super().get_queryset(request).submitted()

    def get_search_results(self, request: HttpRequest, queryset: QuerySet[Case], search_term: str):
        # Patients quote the 8-character reference their emails show: the first part of the public id.
        reference = search_term.strip().lower()
        if REFERENCE.fullmatch(reference):
            return queryset.filter(public_id__range=reference_range(reference)), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description="reference", ordering="public_id")
    def reference(self, case: Case) -> str:
        return case_reference(case)

    @admin.display(description="due", ordering="due_at")
    def due(self, case: Case) -> str:
        if case.due_at is None:
            return "—"
        text = _short_time(case.due_at)
        if case.due_at < timezone.now() and case.status in QUEUE_STATUSES:
            return format_html('<strong class="status status--overdue">Overdue: {}</strong>', text)
        return text

    @admin.display(description="submitted", ordering="submitted_at")
    def submitted(self, case: Case) -> str:
        return _short_time(case.submitted_at) if case.submitted_at else "—"

    @admin.display(description="cancer type", ordering="cancer_type__name")
    def cancer(self, case: Case) -> str:
        return case.cancer_type.name if case.cancer_type else (case.cancer_type_other or "—")

    @admin.action(description="Claim the selected cases")
    def claim(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        for case in queryset:
            self._try(request, lambda c=case: review.case_claim(case=c, user=request.user), f"{case} is yours.")

    @admin.action(description="Assign the selected cases to the least-loaded reviewer")
    def assign_least_loaded(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        for case in queryset:
            reviewer = review.reviewer_suggest()
            if reviewer is None:
                self.message_user(request, "There is no case reviewer to assign to.", messages.ERROR)
                return
            self._try(
                request,
                lambda c=case, r=reviewer: review.case_assign(case=c, reviewer=r, by=request.user),
                f"{case} is assigned to {reviewer}.",
            )

    def _try(self, request: HttpRequest, action, success: str) -> bool:
        try:
            action()
        except (ValidationError, PermissionDenied, TransitionError) as exc:
            self.message_user(request, _reason(exc), messages.ERROR)
            return False
        self.message_user(request, success, messages.SUCCESS)
        return True

    # --- The case page ------------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("dashboard/", wrap(self.dashboard_view), name="uploads_case_dashboard"),
            path("<int:pk>/act/<str:action>/", wrap(self.act_view), name="uploads_case_act"),
            path(
                "<int:pk>/documents/<uuid:document_id>/view/",
                wrap(self.document_view),
                name="uploads_case_document_view",
            ),
            *super().get_urls(),
        ]

    def _case(self, request: HttpRequest, pk) -> Case:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(self.get_queryset(request), pk=pk)

    def change_view(self, request: HttpRequest, object_id, form_url="", extra_context=None) -> HttpResponse:
        case = self._case(request, object_id)
        access_record(
            user=request.user,
            action=AccessLog.Action.VIEW_CASE,
            case=case,
            ip_address=client_ip(request),
            request_id=get_guid() or "",
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Case {case_reference(case)}",
            **selectors.case_review_context(case=case, user=request.user),
            # What a reviewer typed before a refusal comes back into its box.
            **{name: request.session.pop(f"case-{case.pk}-{name}", "") for name in KEPT_NAMES},
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/uploads/case/review.html", context)

    @method_decorator(require_POST)
    def act_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        case = self._case(request, pk)
        user: User = request.user
        data = request.POST
        actions = {
            "claim": lambda: review.case_claim(case=case, user=user, reason=data.get("reason", "")),
            "assign": lambda: review.case_assign(
                case=case, reviewer=get_object_or_404(User, pk=data.get("reviewer") or 0), by=user
            ),
            "note": lambda: review.case_note_add(case=case, author=user, body=data.get("body", "")),
            "send_to_review": lambda: review.case_send_to_review(case=case, by=user, note=data.get("body", "")),
            "new_copy": lambda: review.case_new_copy_request(case=case, by=user),
            "guidance_save": lambda: review.guidance_save(case=case, author=user, body=data.get("body", "")),
            "guidance_send": lambda: review.guidance_send_for_sign_off(
                case=case, author=user, body=data.get("body", "")
            ),
            "guidance_release": lambda: review.guidance_release(guidance=self._guidance(case, data), user=user),
            "guidance_changes_request": lambda: review.guidance_changes_request(
                guidance=self._guidance(case, data), user=user, comment=data.get("comment", "")
            ),
        }
        if action == "guidance_preview":
            # Re-render the page with the draft as the patient would read it; nothing is saved.
            body = data.get("body", "")
            return self.change_view(
                request, pk, extra_context={"draft_body": body, "preview_html": render_markdown(body)}
            )
        if action not in actions:
            raise Http404("No such action.")
        if action in CONFIRMED and data.get("confirmed") != "yes":
            return self.confirm_view(request, case, action)
        try:
            actions[action]()
        except (ValidationError, PermissionDenied, TransitionError) as exc:
            messages.error(request, _reason(exc))
            if action in KEPT_TEXT:
                # Keep what was typed: the page shows it again in the box it came from.
                field, name = KEPT_TEXT[action]
                request.session[f"case-{case.pk}-{name}"] = data.get(field, "")
        else:
            messages.success(request, SUCCESS_MESSAGES[action])
        return HttpResponseRedirect(reverse("admin:uploads_case_change", args=[case.pk]))

    def confirm_view(self, request: HttpRequest, case: Case, action: str) -> HttpResponse:
        """Ask before what cannot be taken back: releasing guidance to the patient, or sending it back to its author."""
        guidance = self._guidance(case, request.POST)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": CONFIRMED[action],
            "case": case,
            "reference": case_reference(case),
            "guidance": guidance,
            "action": action,
            "comment": request.POST.get("comment", ""),
        }
        return TemplateResponse(request, "admin/uploads/case/confirm.html", context)

    def _guidance(self, case: Case, data) -> Guidance:
        return get_object_or_404(Guidance, case=case, pk=data.get("guidance") or 0)

    def document_view(self, request: HttpRequest, pk: int, document_id: uuid.UUID) -> HttpResponse:
        """Show the reviewer's safe copy in the browser, and record who opened it."""
        case = self._case(request, pk)
        document = selectors.document_for_review(case=case, public_id=document_id)
        access_record(
            user=request.user,
            action=AccessLog.Action.VIEW_DOCUMENT,
            document=document,
            ip_address=client_ip(request),
            request_id=get_guid() or "",
        )
        return document_safe_copy_response(document)

    def dashboard_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Cases at a glance",
            **reports.dashboard(),
        }
        return TemplateResponse(request, "admin/uploads/case/dashboard.html", context)


SUCCESS_MESSAGES = {
    "claim": "The case is yours.",
    "assign": "The case is assigned.",
    "note": "Your note is saved.",
    "send_to_review": "The case is in the review queue, with your note.",
    "new_copy": "The patient has been emailed to sign in and send a new copy of the files that could not be read.",
    "guidance_save": "The guidance draft is saved.",
    "guidance_send": "The guidance is saved and sent for sign-off by a second reviewer.",
    "guidance_release": "The guidance is released; the patient has been emailed to sign in and read it.",
    "guidance_changes_request": "The guidance is back with its author, with your comment; they have been emailed.",
}
# Actions that ask first, on a page of their own (no JavaScript needed): the title of that page.
CONFIRMED = {
    "guidance_release": "Release this guidance to the patient?",
    "guidance_changes_request": "Send this guidance back to its author?",
}
# Actions whose typed text a refusal keeps: (the field posted, the name the case page shows it under).
KEPT_TEXT = {
    "guidance_save": ("body", "draft_body"),
    "guidance_send": ("body", "draft_body"),
    "note": ("body", "note_body"),
    "send_to_review": ("body", "review_note_body"),
    "claim": ("reason", "reason_body"),
    "guidance_changes_request": ("comment", "comment_body"),
}
KEPT_NAMES = frozenset(name for _, name in KEPT_TEXT.values())


def reference_range(reference: str) -> tuple[uuid.UUID, uuid.UUID]:
    """The lowest and highest public id a case reference stands for: a range the unique index answers."""
    return uuid.UUID(f"{reference}-0000-0000-0000-000000000000"), uuid.UUID(f"{reference}-ffff-ffff-ffff-ffffffffffff")


def _short_time(value) -> str:
    # Short enough for the queue's columns to fit beside the filters.
    return timezone.localtime(value).strftime("%d %b %H:%M")


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "That is not allowed."


@admin.register(GuidanceTemplate)
class GuidanceTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "cancer_type")
    list_filter = ("cancer_type",)


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """The audit trail, read-only: rows are only ever added (on PostgreSQL a trigger refuses the rest)."""

    list_display = ("at", "user_email", "action", "case", "document", "ip_address", "request_id")
    list_filter = ("action",)
    search_fields = ("user_email", "request_id")
    date_hierarchy = "at"
    list_select_related = ("case", "document")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Documents across cases, for following the pipeline; their content opens from the case page."""

    list_display = ("original_name", "case", "status", "kind", "content_type", "size", "uploaded_at")
    list_filter = ("status", "kind")
    actions = [retry_failed_documents]
    list_select_related = ("case",)
    fields = ("public_id", "case", "status", "kind", "page_count", "content_type", "size", "failure_reason")
    readonly_fields = fields

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("uploads.review_case")

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.has_perm("uploads.review_case")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # Every field is read-only: "change" here is what lets a reviewer retry a failed document.
        return request.user.has_perm("uploads.review_case")

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Document]:
        # Nor the files of a draft: the patient has not sent them to us yet.
        submitted = Case.objects.submitted()
        return super().get_queryset(request).filter(~Q(status="deleted"), case__in=submitted)
