from dataclasses import dataclass
from functools import partial

from allauth.account.forms import ResetPasswordForm
from allauth.core import context as allauth_context
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from navis.models import Heartbeat, User
from uploads.emails import email_send


@transaction.atomic
def heartbeat_record(*, name: str) -> Heartbeat:
    """Record that the process called `name` is alive now."""
    heartbeat, _ = Heartbeat.objects.update_or_create(name=name, defaults={"seen_at": timezone.now()})
    return heartbeat


# --- Staff roles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffRoles:
    """What an account may do beyond a patient's: the staff flags, its groups and its own permissions."""

    is_staff: bool = False
    is_superuser: bool = False
    groups: frozenset[str] = frozenset()
    permissions: frozenset[str] = frozenset()

    @classmethod
    def of(cls, user: User) -> "StaffRoles":
        """The roles the database holds for `user` now (not what an unsaved form put on the instance)."""
        if user.pk is None:
            return cls()
        stored = User.objects.only("is_staff", "is_superuser").get(pk=user.pk)
        return cls(
            is_staff=stored.is_staff,
            is_superuser=stored.is_superuser,
            groups=frozenset(stored.groups.values_list("name", flat=True)),
            permissions=frozenset(
                f"{app_label}.{codename}"
                for app_label, codename in stored.user_permissions.values_list("content_type__app_label", "codename")
            ),
        )

    def changes_to(self, after: "StaffRoles") -> list[str]:
        """Each grant or removal from these roles to `after`, in words."""
        changes = []
        for flag, label in (("is_staff", "staff status"), ("is_superuser", "superuser status")):
            if getattr(self, flag) != getattr(after, flag):
                changes.append(f"{'Granted' if getattr(after, flag) else 'Removed'} {label}")
        for attribute, label in (("groups", "role"), ("permissions", "permission")):
            before_set, after_set = getattr(self, attribute), getattr(after, attribute)
            changes += [f"Granted {label} {name}" for name in sorted(after_set - before_set)]
            changes += [f"Removed {label} {name}" for name in sorted(before_set - after_set)]
        return changes


def group_permissions(group: Group) -> frozenset[str]:
    """The permissions the database holds for `group` now, as "app_label.codename"."""
    if group.pk is None:
        return frozenset()
    rows = Group.objects.get(pk=group.pk).permissions.values_list("content_type__app_label", "codename")
    return frozenset(f"{app_label}.{codename}" for app_label, codename in rows)


def _role_change_record(*, actor: User, target: User | Group, changes: list[str]) -> None:
    # Only a superuser hands out or takes back what staff may open, so an administrator cannot make an
    # editor a case reviewer; the admin makes these fields read-only for others, this refuses the rest.
    if not actor.is_superuser:
        raise PermissionDenied("Only a superuser grants or removes staff roles.")
    message = "; ".join(changes) + "."
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[target],
        action_flag=CHANGE,
        change_message=message,
        single_object=True,
    )
    # Every superuser hears of it, so a role given by a stolen superuser session does not go unseen.
    context = {"actor": actor.email, "target": str(target), "kind": target._meta.verbose_name, "changes": changes}
    for email in User.objects.filter(is_superuser=True, is_active=True).order_by("pk").values_list("email", flat=True):
        transaction.on_commit(partial(email_send, template="staff_roles_changed", to=email, context=context))


@transaction.atomic
def user_roles_change_record(*, actor: User, user: User, before: StaffRoles) -> list[str]:
    """Refuse unless `actor` is a superuser; record and email to superusers what changed in `user`'s roles."""
    changes = before.changes_to(StaffRoles.of(user))
    if changes:
        _role_change_record(actor=actor, target=user, changes=changes)
    return changes


@transaction.atomic
def group_permissions_change_record(*, actor: User, group: Group, before: frozenset[str]) -> list[str]:
    """Refuse unless `actor` is a superuser; record and email to superusers what changed in a role's permissions."""
    after = group_permissions(group)
    changes = [f"Granted permission {name}" for name in sorted(after - before)]
    changes += [f"Removed permission {name}" for name in sorted(before - after)]
    if changes:
        _role_change_record(actor=actor, target=group, changes=changes)
    return changes


# --- Passwords --------------------------------------------------------------------------------


def user_password_reset_send(*, request: HttpRequest, actor: User, user: User) -> None:
    """Email `user` allauth's password-reset link, and record who asked: staff never set another's password."""
    if not user.is_active:
        raise ValidationError("The account is inactive: it cannot reset its password.")
    form = ResetPasswordForm(data={"email": user.email})
    if not form.is_valid():
        raise ValidationError(form.errors.get("email") or "The address cannot receive a reset link.")
    # allauth reads the request from its context, which its middleware sets only while a view runs; an
    # email sent after the transaction commits needs it set here.
    with allauth_context.request_context(request):
        form.save(request)
    LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message="Sent a password-reset email.",
        single_object=True,
    )
