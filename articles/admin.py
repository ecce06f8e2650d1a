from datetime import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from articles import cache, selectors, services
from articles.content import PageContent
from articles.diff import revision_diff
from articles.models import (
    Article,
    ArticleQuestion,
    ArticleResource,
    ArticleRevision,
    ArticleSource,
    CancerType,
    Topic,
)
from articles.views import article_page
from articles.workflow import WorkflowError, available_actions


@admin.register(CancerType)
class CancerTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "profile", "order")
    list_editable = ("order",)
    list_filter = ("profile",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and "name" in form.changed_data:
            services.cancer_type_search_refresh(cancer_type=obj)
        if {"name", "also_called"} & set(form.changed_data):
            services.search_words_rebuild()
        # Names and descriptions show on cached public pages. Cleared once the change commits: a page
        # rendered before then would otherwise be stored under the new generation with the old name.
        transaction.on_commit(cache.clear_article_pages)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if "name" in form.changed_data:
            services.search_words_rebuild()


# Links staff paste without a scheme are taken to be https.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class LabelledInlineFormSet(BaseInlineFormSet):
    """Names every input of a table row for screen readers: the column headings above are not its labels."""

    row_name = ""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        row = self.row_name if index is None else f"{self.row_name} {index + 1}"
        for field in form.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-label", f"{field.label}, {row}")


class LabelledTabularInline(admin.TabularInline):
    formset = LabelledInlineFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.row_name = self.verbose_name
        return formset


class QuestionInline(LabelledTabularInline):
    model = ArticleQuestion
    extra = 1
    fields = ("order", "text")
    verbose_name = "question to ask your care team"
    verbose_name_plural = "questions to ask your care team"


class ResourceInline(LabelledTabularInline):
    model = ArticleResource
    extra = 1
    fields = ("order", "name", "url", "note")
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    verbose_name = "where to find more information"
    verbose_name_plural = "where to find more information"


class SourceInline(LabelledTabularInline):
    model = ArticleSource
    extra = 1
    fields = ("order", "title", "publisher", "url", "guideline_version", "accessed_on")
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = "medical review"
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("waiting", "Waiting for medical review"), ("overdue", "Review overdue")]

    def queryset(self, request, queryset: QuerySet[Article]) -> QuerySet[Article]:
        if self.value() == "waiting":
            return queryset.awaiting_medical_review()
        if self.value() == "overdue":
            return queryset.review_overdue()
        return queryset


class ArticleAdminForm(forms.ModelForm):
    """The article form, which refuses to save over a revision saved since it was opened (optimistic locking)."""

    based_on_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Article
        # What the admin's fieldsets name (ArticleAdmin); the admin builds the form from those.
        fields = ("title", "slug", "cancer_type", "topics", "summary", "body", "byline", "how_made")
        fields += ("disclaimer", "next_review_due", "featured", "related")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.newer_revision: ArticleRevision | None = None
        self.newer_changes: list = []
        latest = self.instance.revisions.first() if self.instance.pk else None
        self.initial["based_on_revision"] = latest.number if latest else None

    def clean(self) -> dict:
        cleaned = super().clean()
        based_on = cleaned.get("based_on_revision")
        if not self.instance.pk or based_on is None:
            return cleaned
        # Locked to the end of the admin's transaction, which records this save's revision: of two
        # saves at once, the second waits here and then sees the first's revision.
        Article.objects.select_for_update().only("pk").get(pk=self.instance.pk)
        latest = self.instance.revisions.select_related("created_by").first()
        if latest is None or latest.number <= based_on:
            return cleaned
        self.newer_revision = latest
        self.newer_changes = revision_diff(self.instance.revisions.filter(number=based_on).first(), latest)
        # Seen once, the other edit is known: saving again keeps this version (nothing is lost either way).
        self.data = self.data.copy()
        self.data[self.add_prefix("based_on_revision")] = str(latest.number)
        who = latest.created_by or "Someone"
        raise ValidationError(
            f"{who} saved revision {latest.number} while you were editing, so nothing was saved. Their changes "
            "are shown above the form and yours are still in it: check both, then save again to keep your version."
        )


class ReapproveForm(forms.Form):
    next_review_due = forms.DateField(label="Next medical review", widget=forms.DateInput(attrs={"type": "date"}))


class ScheduleForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="Publish at", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "cancer_type", "status_badge", "live", "review_overdue", "updated_at")
    list_filter = ("status", ReviewOverdueFilter, "cancer_type", "featured", "topics")
    list_select_related = ("cancer_type",)
    search_fields = ("title", "summary", "slug")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("related",)
    inlines = (QuestionInline, ResourceInline, SourceInline)
    # A few topics: boxes to tick, each with its label (Django's two-list picker gave axe ARIA errors).
    formfield_overrides = {models.ManyToManyField: {"widget": forms.CheckboxSelectMultiple}}
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    fieldsets = (
        (None, {"fields": ("title", "slug", "cancer_type", "topics", "summary", "based_on_revision")}),
        ("The answer", {"fields": ("body",)}),
        ("About this page", {"fields": ("byline", "how_made", "disclaimer", "next_review_due", "featured", "related")}),
    )

    def view_on_site(self, obj: Article) -> str | None:
        return obj.get_absolute_url() if obj.is_live else None

    @admin.display(description="status", ordering="status")
    def status_badge(self, obj: Article) -> str:
        return format_html('<span class="status status--{}">{}</span>', obj.status, obj.get_status_display())

    @admin.display(description="live", boolean=True, ordering="live_revision")
    def live(self, obj: Article) -> bool:
        return obj.is_live

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj and obj.published_at else self.prepopulated_fields

    def get_readonly_fields(self, request, obj=None):
        # Links to a published page must keep working.
        return ("slug",) if obj and obj.published_at else ()

    def save_model(self, request, obj: Article, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        revision = services.article_revision_record(article=form.instance, user=request.user)
        if revision and change and form.instance.is_live:
            messages.info(
                request,
                f"Saved as revision {revision.number}, a new draft. The public page still shows the approved text "
                "until this one is approved and published.",
            )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/workflow/<str:action>/", wrap(self.workflow_view), name="articles_article_workflow"),
            path("<int:pk>/preview/", wrap(self.preview_view), name="articles_article_preview"),
            path("<int:pk>/revisions/<int:number>/", wrap(self.revision_view), name="articles_article_revision"),
            path(
                "<int:pk>/revisions/<int:number>/restore/",
                wrap(self.restore_view),
                name="articles_article_restore",
            ),
            *super().get_urls(),
        ]

    def _article_or_404(self, request: HttpRequest, pk: int) -> Article:
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if article is not None:
            extra_context.update(
                actions=[t for t in available_actions(article.status) if request.user.has_perm(t.permission)],
                schedule_form=ScheduleForm(),
                reapprove_form=ReapproveForm(prefix="reapprove"),
                revisions=article.revisions.select_related("created_by", "approved_by")[:50],
                events=article.events.select_related("actor", "revision")[:50],
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The browser scrolls to an autofocused input on load, with or without JavaScript: the first
        # field in error, in the page's order (the form's fieldsets, then its inlines'), is in view.
        form = context["adminform"].form
        fields = [form[name] for name in flatten_fieldsets(self.get_fieldsets(request, obj)) if name in form.fields]
        for inline in context["inline_admin_formsets"]:
            fields += [bound for inline_form in inline.formset.forms for bound in inline_form]
        first_error = next((bound for bound in fields if bound.errors and not bound.is_hidden), None)
        if first_error is not None:
            first_error.field.widget.attrs["autofocus"] = True
        return super().render_change_form(request, context, add, change, form_url, obj)

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        article = self._article_or_404(request, pk)
        page = PageContent.preview(article)
        related = selectors.article_cards(ids=page.related_ids, exclude_id=article.pk)
        return article_page(request, page, related=related, preview=True)

    def revision_view(self, request: HttpRequest, pk: int, number: int) -> HttpResponse:
        article = self._article_or_404(request, pk)
        revision = get_object_or_404(
            ArticleRevision.objects.select_related("created_by"), article=article, number=number
        )
        previous = article.revisions.filter(number__lt=number).first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Revision {revision.number} of “{article.title}”",
            "article": article,
            "revision": revision,
            "previous": previous,
            "diff": revision_diff(previous, revision),
            "can_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(request, "admin/articles/article/revision.html", context)

    @method_decorator(require_POST)
    def workflow_view(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        return _workflow(self._article_or_404(request, pk), request, action)

    @method_decorator(require_POST)
    def restore_view(self, request: HttpRequest, pk: int, number: int) -> HttpResponse:
        article = self._article_or_404(request, pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(ArticleRevision, article=article, number=number)
        new_revision = services.article_restore_revision(article=article, revision=revision, user=request.user)
        messages.success(request, f"Revision {number} restored as revision {new_revision.number}, a new draft.")
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))


def _workflow(article: Article, request: HttpRequest, action: str) -> HttpResponse:
    pk = article.pk
    change_url = reverse("admin:articles_article_change", args=[pk])
    user = request.user
    try:
        if action == "submit":
            services.article_submit(article=article, user=user)
        elif action == "approve":
            services.article_approve(article=article, user=user, comment=request.POST.get("comment", ""))
        elif action == "send_back":
            services.article_send_back(article=article, user=user, comment=request.POST.get("comment", ""))
        elif action == "reapprove":
            form = ReapproveForm(request.POST, prefix="reapprove")
            if not form.is_valid():
                raise ValidationError({"next_review_due": "Give the date of the next medical review."})
            services.article_reapprove(
                article=article,
                user=user,
                next_review_due=form.cleaned_data["next_review_due"],
                comment=request.POST.get("comment", ""),
            )
        elif action == "needs_changes":
            services.article_review_needs_changes(article=article, user=user, comment=request.POST.get("comment", ""))
        elif action == "publish":
            services.article_publish(article=article, user=user)
        elif action == "schedule":
            form = ScheduleForm(request.POST)
            if not form.is_valid():
                raise ValidationError({"publish_at": "Give the date and time to publish at."})
            services.article_schedule(article=article, user=user, publish_at=_aware(form.cleaned_data["publish_at"]))
        elif action == "unschedule":
            services.article_unschedule(article=article, user=user)
        elif action == "unpublish":
            services.article_unpublish(article=article, user=user)
        elif action == "republish":
            services.article_republish(article=article, user=user)
        else:
            raise WorkflowError(f"Unknown action {action!r}.")
    except (WorkflowError, PermissionDenied, ValidationError) as exc:
        # Say why nothing changed, next to the buttons; never fail silently.
        messages.error(request, _reason(exc))
    else:
        article.refresh_from_db()
        messages.success(request, f"“{article.title}” is now {article.get_status_display().lower()}.")
    return HttpResponseRedirect(change_url)


def _aware(value: datetime) -> datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "That is not allowed."
