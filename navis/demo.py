"""Demo accounts for a local run. Loading twice changes nothing but the demo passwords."""

import time
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import encrypt
from django.contrib.auth.models import Group
from django.db import transaction

from navis.models import User

DEMO_PASSWORD = "navis-demo-password"  # noqa: S105 - demo accounts load only with DEBUG on
# The authenticator-app secret of every demo staff account (staff need two-factor for the admin).
# Add it to an authenticator app, or run `manage.py demo_code` for the current code.
DEMO_TOTP_SECRET = "NAVISDEMONAVISDEMONAVISDEMONAVIS"  # noqa: S105 - loads only with DEBUG on


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    full_name: str
    credentials: str = ""
    is_staff: bool = False
    is_superuser: bool = False
    groups: tuple[str, ...] = ()


DEMO_LOGINS: list[DemoLogin] = [
    DemoLogin("administrator", "admin@navis.test", "Alex Admin", is_staff=True, is_superuser=True),
    DemoLogin("editor", "editor@navis.test", "Eddie Editor", is_staff=True, groups=("Editor",)),
    DemoLogin(
        "medical reviewer",
        "reviewer@navis.test",
        "Dr Morgan Reyes",
        credentials="MD, Medical Oncology",
        is_staff=True,
        groups=("Medical reviewer",),
    ),
    # Two case reviewers: guidance one writes, the other signs off.
    DemoLogin("case reviewer", "cases@navis.test", "Dr Casey Lim", is_staff=True, groups=("Case reviewer",)),
    DemoLogin("case reviewer", "cases2@navis.test", "Dr Rowan Ade", is_staff=True, groups=("Case reviewer",)),
    DemoLogin("administrator role", "office@navis.test", "Olu Office", is_staff=True, groups=("Administrator",)),
    DemoLogin("patient", "patient@navis.test", "Pat Patient"),
]


@transaction.atomic
def demo_user_load(login: DemoLogin) -> User:
    """Create or refresh one demo account, with its email address already verified."""
    user, _ = User.objects.update_or_create(
        email=login.email,
        defaults={
            "full_name": login.full_name,
            "credentials": login.credentials,
            "is_staff": login.is_staff,
            "is_superuser": login.is_superuser,
            "is_active": True,
        },
    )
    user.set_password(DEMO_PASSWORD)
    user.save(update_fields=["password"])
    if login.groups:
        user.groups.set(Group.objects.filter(name__in=login.groups))
    EmailAddress.objects.update_or_create(user=user, email=login.email, defaults={"verified": True, "primary": True})
    if login.is_staff:
        demo_two_factor_load(user)
    return user


def demo_two_factor_load(user: User) -> None:
    """Give a demo staff account the fixed demo authenticator secret, and recovery codes."""
    Authenticator.objects.update_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": encrypt(DEMO_TOTP_SECRET)}}
    )
    RecoveryCodes.activate(user)


def totp_code_now(secret: str = DEMO_TOTP_SECRET) -> str:
    """The code an authenticator app holding `secret` shows at this moment."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def load() -> None:
    """Create the demo accounts."""
    for login in DEMO_LOGINS:
        demo_user_load(login)
