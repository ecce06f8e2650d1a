"""The pipeline's pieces of the staff admin: a case's timeline, and retrying a failed document.

Nothing here is registered: the document admin (uploads/admin/review.py) takes the action, and the case page
shows the same timeline (PipelineStep.objects.timeline).
"""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from uploads.models import Document, PipelineStep
from uploads.services.processing import document_retry
from uploads.workflow import TransitionError


class PipelineStepInline(admin.TabularInline):
    """What the pipeline did with a case and its documents, step by step, with times and outcomes."""

    model = PipelineStep
    fk_name = "case"
    verbose_name = "pipeline step"
    verbose_name_plural = "pipeline timeline"
    fields = ("started_at", "document", "name", "outcome", "duration", "attempt", "detail")
    readonly_fields = fields
    ordering = ("started_at", "id")
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[PipelineStep]:
        return super().get_queryset(request).select_related("document")

    @admin.display(description="took")
    def duration(self, step: PipelineStep) -> str:
        return f"{step.duration_ms:.1f} ms" if step.duration_ms < 1000 else f"{step.duration_ms / 1000:.1f} s"

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.action(description="Send the selected failed documents through the pipeline again", permissions=["change"])
def retry_failed_documents(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Document]) -> None:
    """Retry each failed document; say which could not be retried and why."""
    retried = 0
    for document in queryset.only("pk", "original_name"):
        try:
            document_retry(document_id=document.pk, actor=request.user)
        except TransitionError as exc:
            modeladmin.message_user(request, f"{document.original_name}: {exc}", messages.WARNING)
        else:
            retried += 1
    if retried:
        modeladmin.message_user(request, f"{retried} document(s) sent through the pipeline again.", messages.SUCCESS)
