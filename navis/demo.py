"""Demo accounts for a local run. Loading twice changes nothing but the demo passwords."""

from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from navis.models import User

DEMO_PASSWORD = "navis-demo-password"  # noqa: S105 - demo accounts load only with DEBUG on


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
    return user


def load() -> None:
    """Create the demo accounts."""
    for login in DEMO_LOGINS:
        demo_user_load(login)
