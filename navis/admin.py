from functools import partial

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from navis import services
from navis.models import Heartbeat, User

ROLE_FIELDS = ["is_staff", "is_superuser", "groups", "user_permissions"]


class UserCreationForm(ModelForm):
    """A new account without a password: its holder chooses one from the reset email sent on saving."""

    class Meta:
        model = User
        fields = ("email", "full_name")

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Staff and patient accounts apart: only a superuser changes a patient's account or anyone's roles.

    Nobody sets another person's password here: the password page sends the account's holder a
    reset email instead.
    """

    form = UserEditForm
    add_form = UserCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "full_name")
    actions = ("send_password_reset_email",)
    # Django's add page asks for a password; this one takes only who the account is for.
    add_form_template = None
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("full_name", "credentials")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name")}),)

    def get_readonly_fields(self, request, obj=None):
        # Only a superuser grants or removes roles, or changes the address a reset email would go to
        # (changing it would hand the account to whoever owns the new one); nobody changes their own roles.
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ROLE_FIELDS
            if obj is not None:
                readonly.append("email")
        if obj is not None and obj.pk == request.user.pk:
            readonly += ["is_active", *ROLE_FIELDS]
        return sorted(set(readonly))

    def has_change_permission(self, request, obj=None) -> bool:
        # An administrator manages staff accounts: not patients' accounts, nor the superusers who oversee them.
        if obj is not None and not request.user.is_superuser and (obj.is_superuser or not obj.is_staff):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change) -> None:
        form.roles_before = services.StaffRoles.of(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        user = form.instance
        services.user_roles_change_record(actor=request.user, user=user, before=form.roles_before)
        if not change:
            transaction.on_commit(partial(self._send_reset, request, user))

    @admin.action(description="Send a password-reset email", permissions=["change"])
    def send_password_reset_email(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            if user.pk == request.user.pk or not self.has_change_permission(request, user):
                self.message_user(request, f"You may not reset the password of {user}.", messages.ERROR)
                continue
            self._send_reset(request, user)

    def user_change_password(self, request: HttpRequest, id, form_url="") -> HttpResponse:
        """Instead of Django's page that sets a password: confirm, then email the holder a reset link."""
        user = self.get_object(request, unquote(id))
        if user is None:
            raise Http404("No such account.")
        if user.pk == request.user.pk:
            # One's own password is changed where allauth asks for it again first.
            return HttpResponseRedirect(reverse("account_change_password"))
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        change_url = reverse("admin:navis_user_change", args=[user.pk])
        if request.method == "POST":
            self._send_reset(request, user)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": user,
            "title": "Send a password-reset email",
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/navis/user/password_reset_send.html", context)

    def _send_reset(self, request: HttpRequest, user: User) -> None:
        try:
            services.user_password_reset_send(request=request, actor=request.user, user=user)
        except ValidationError as exc:
            self.message_user(request, f"{user}: {' '.join(exc.messages)}", messages.ERROR)
            return
        self.message_user(request, f"A password-reset email is on its way to {user.email}.", messages.SUCCESS)


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(DjangoGroupAdmin):
    """The staff roles: what each may open is a superuser's to decide, recorded and reported."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    def delete_model(self, request: HttpRequest, obj: Group) -> None:
        services.role_delete(actor=request.user, group=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Group]) -> None:
        for group in queryset:
            services.role_delete(actor=request.user, group=group)

    def save_model(self, request, obj, form, change) -> None:
        form.permissions_before = services.group_permissions(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        services.group_permissions_change_record(
            actor=request.user, group=form.instance, before=form.permissions_before
        )


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ("name", "seen_at")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
