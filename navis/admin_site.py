from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path


class NavisAdminSite(admin.AdminSite):
    site_header = "Navis staff"
    site_title = "Navis staff"
    index_title = "Work"

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        # The admin signs in through allauth, so its rate limits and two-factor apply there too.
        return secure_admin_login(super().login)(request, extra_context)

    def get_urls(self):
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                urls[index] = path(
                    "r/<int:content_type_id>/<path:object_id>/",
                    self.admin_view(view_on_site),
                    name="view_on_site",
                )
        return urls


def view_on_site(request: HttpRequest, content_type_id: int, object_id: str) -> HttpResponse:
    """The admin's "view on site" redirect, only for staff who may view that object in the admin.

    Django's own checks only that the user is staff, and its answer names the object's public URL: for
    a patient's case, the case's secret id. So the object must be one its admin lists (no draft case).
    """
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        raise Http404("No such object.") from None
    if not request.user.has_perm(f"{content_type.app_label}.view_{content_type.model}"):
        raise Http404("No such object.")
    try:
        model_admin = admin.site.get_model_admin(content_type.model_class())
        listed = model_admin.get_queryset(request).filter(pk=object_id).exists()
    except NotRegistered:
        listed = True  # not in the admin at all: Django's own view answers for it
    except (ValueError, ValidationError):
        listed = False
    if not listed:
        raise Http404("No such object.")
    return shortcut(request, content_type_id, object_id)
