import csv
from collections.abc import Iterator

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import path
from django.utils import timezone

from articles.models import CancerType
from uploads.models import Case, Consent, ConsentText, Lead
from uploads.services.intake import consent_text_publish


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records written by patients' actions: staff read them, only services change them."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# --- Leads ------------------------------------------------------------------------------------


class LeadCancerTypeFilter(admin.SimpleListFilter):
    title = "cancer type"
    parameter_name = "cancer_type"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        return [(str(pk), name) for pk, name in CancerType.objects.values_list("pk", "name")]

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if not self.value():
            return queryset
        # The article's cancer type, or the one the patient gave in a case that came from the lead.
        return queryset.filter(Q(article__cancer_type=self.value()) | Q(cases__cancer_type=self.value())).distinct()


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_COLUMNS = [
    "created_at",
    "step",
    "article",
    "cancer_type",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_term",
    "utm_content",
    "referrer",
    "contact_consent",
    "email",
]


def csv_cell(value) -> str:
    """A cell a spreadsheet shows as text: a leading = + - @ would otherwise run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def lead_rows(leads: QuerySet) -> Iterator[list[str]]:
    yield CSV_COLUMNS
    for lead in leads.iterator(chunk_size=500):
        article = lead.article
        yield [
            csv_cell(v)
            for v in (
                lead.created_at.isoformat(timespec="seconds"),
                lead.get_step_display(),
                article.title if article else "",
                article.cancer_type.name if article else "",
                lead.utm_source,
                lead.utm_medium,
                lead.utm_campaign,
                lead.utm_term,
                lead.utm_content,
                lead.referrer,
                "yes" if lead.contact_consent else "no",
                # Only those who agreed to be contacted are exported with their address.
                lead.user.email if lead.contact_consent and lead.user else "",
            )
        ]


@admin.register(Lead)
class LeadAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "step", "article", "utm_source", "utm_campaign", "contact_consent")
    list_filter = ("step", LeadCancerTypeFilter, ("article", admin.RelatedOnlyFieldListFilter), "created_at")
    date_hierarchy = "created_at"
    search_fields = ("utm_source", "utm_campaign", "article__title")
    list_select_related = ("article",)
    readonly_fields = [field.name for field in Lead._meta.fields]

    def get_urls(self) -> list:
        export = path("export.csv", self.admin_site.admin_view(self.export_csv), name="uploads_lead_export")
        return [export, *super().get_urls()]

    def export_csv(self, request: HttpRequest) -> HttpResponse:
        """The leads the change list shows with its current filters, as CSV."""
        if not self.has_view_permission(request):
            return HttpResponse(status=403)
        leads = (
            self.get_changelist_instance(request)
            .get_queryset(request)
            .select_related("article__cancer_type", "user")
            .order_by("created_at", "id")
        )
        writer = csv.writer(_Echo())
        response = StreamingHttpResponse((writer.writerow(row) for row in lead_rows(leads)), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="leads-{timezone.localdate():%Y-%m-%d}.csv"'
        return response


# --- Consent ----------------------------------------------------------------------------------


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ("version", "title", "published_at", "created_at")
    actions = ["publish"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list[str]:
        # A published version is what patients agreed to: it is never edited, only followed by a new one.
        if obj is not None and obj.published_at:
            return ["version", "title", "body", "items", "published_at"]
        return ["published_at"]

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        latest = ConsentText.objects.order_by("-version").first()
        if latest is None:
            return {"version": 1}
        return {"version": latest.version + 1, "title": latest.title, "body": latest.body, "items": latest.items}

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        # A published text is part of every consent given to it: only drafts go, and only by those allowed.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.published_at)

    @admin.action(description="Publish: patients agree to this version from now on", permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        for consent_text in queryset.filter(published_at__isnull=True):
            consent_text_publish(consent_text=consent_text)
            self.message_user(request, f"{consent_text} is published.", messages.SUCCESS)


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("user", "consent_text", "accepted_at", "withdrawn_at")
    list_filter = ("consent_text",)
    list_select_related = ("user", "consent_text")
    search_fields = ("user__email",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Consent]:
        # A consent given to a draft says who is writing one: staff see those of cases sent to us only.
        sent = Case.objects.submitted().filter(consent=OuterRef("pk"))
        return super().get_queryset(request).filter(Exists(sent))
