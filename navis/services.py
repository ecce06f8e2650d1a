import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.forms import ResetPasswordForm
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from navis.emails import ROLE_CHANGES_SEPARATOR
from navis.models import Heartbeat, TwoFactorSetupLink, User
from navis.selectors import verified_email
from uploads.models import Notification
from uploads.services.notifications import notifications_create


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
    entry = LogEntry.objects.log_actions(
        user_id=actor.pk,
        queryset=[target],
        action_flag=CHANGE,
        change_message=ROLE_CHANGES_SEPARATOR.join(changes) + ".",
        single_object=True,
    )
    # Every superuser hears of it (navis/emails.py), in the outbox with the record of the change.
    notifications_create(case=None, kinds=[Notification.Kind.STAFF_ROLES_CHANGED], log_entry=entry)


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


@transaction.atomic
def role_delete(*, actor: User, group: Group) -> list[str]:
    """Delete a staff role, recording and emailing to superusers whom it is taken from."""
    holders = sorted(group.user_set.values_list("email", flat=True))
    changes = [f"Deleted the role {group.name}"] + [f"Removed role {group.name} from {email}" for email in holders]
    _role_change_record(actor=actor, target=group, changes=changes)
    group.delete()
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


# --- Staff two-factor setup ---------------------------------------------------------------------


@transaction.atomic
def two_factor_link_send(*, user: User) -> TwoFactorSetupLink | None:
    """Email a member of staff a new one-time link to set up two-factor; earlier links stop working."""
    if verified_email(user) is None:
        return None
    now = timezone.now()
    TwoFactorSetupLink.objects.filter(user=user).pending().update(expires_at=now)
    max_age = settings.STAFF_TWO_FACTOR_LINK_MAX_AGE_SECONDS
    # A token nobody keeps: the link opens nothing until its email is sent, under a token made then
    # (navis/emails.py), so no row of the outbox ever holds a usable secret.
    unknown = TwoFactorSetupLink.hash_of(secrets.token_urlsafe(32))
    link = TwoFactorSetupLink(user=user, token_hash=unknown, expires_at=now + timedelta(seconds=max_age))
    link.full_clean()
    link.save()
    notifications_create(case=None, kinds=[Notification.Kind.STAFF_TWO_FACTOR_LINK], two_factor_link=link)
    return link


def two_factor_link_offer(*, user: User) -> bool:
    """Send a setup link unless one is already waiting unused; True if one is waiting now."""
    if TwoFactorSetupLink.objects.filter(user=user).pending().exists():
        return True
    return two_factor_link_send(user=user) is not None


def two_factor_link_check(*, user: User, token: str, lock: bool = False) -> TwoFactorSetupLink:
    """The link of `user`'s that `token` opens; ValidationError saying why, if it opens none."""
    links = TwoFactorSetupLink.objects.select_for_update() if lock else TwoFactorSetupLink.objects
    link = links.filter(token_hash=TwoFactorSetupLink.hash_of(token)).first()
    # Someone else's link is answered as one that does not exist.
    if link is None or link.user_id != user.pk:
        raise ValidationError("This link is not one we sent to your account.", code="unknown")
    if link.used_at is not None:
        raise ValidationError("This link was already used: each link works once.", code="used")
    if link.expires_at <= timezone.now():
        raise ValidationError("This link has expired, or a newer one replaced it.", code="expired")
    return link


@transaction.atomic
def two_factor_link_use(*, user: User, token: str) -> TwoFactorSetupLink:
    """Spend `user`'s one-time link, so that it never opens the setup page again."""
    link = two_factor_link_check(user=user, token=token, lock=True)
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return link
