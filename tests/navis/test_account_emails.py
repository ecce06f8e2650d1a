"""Changing how a patient signs in asks for their password again; every allauth email is in Navis's words."""

from pathlib import Path

import allauth
import pytest
from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.core import context
from django.conf import settings
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory
from tests.logins import log_in, reauthenticate

pytestmark = pytest.mark.django_db

NAME = "Jane Okafor"
EMAIL = "jane.okafor@example.com"
# More than allauth's ACCOUNT_REAUTHENTICATION_TIMEOUT (five minutes) since the password was given.
LATER = 6 * 60


@pytest.fixture
def jane(client):
    user = UserFactory(email=EMAIL, full_name=NAME)
    EmailAddress.objects.create(user=user, email="jane.second@example.com", verified=True)
    log_in(client, user.email)
    return user


@pytest.mark.parametrize(
    "form",
    [
        {"action_add": "", "email": "new-address@example.org"},
        {"action_remove": "", "email": "jane.second@example.com"},
        {"action_primary": "", "email": "jane.second@example.com"},
    ],
    ids=["add", "remove", "make primary"],
)
def test_changing_email_addresses_asks_for_the_password_again(client, jane, clock, mailoutbox, form):
    addresses = sorted(EmailAddress.objects.filter(user=jane).values_list("email", "primary"))
    clock.advance(LATER)

    response = client.post(reverse("account_email"), form)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert sorted(EmailAddress.objects.filter(user=jane).values_list("email", "primary")) == addresses
    assert mailoutbox == []


def test_an_address_added_after_the_password_is_given_again_is_sent_a_confirmation_naming_nobody(
    client, jane, clock, mailoutbox
):
    clock.advance(LATER)
    reauthenticate(client)

    response = client.post(reverse("account_email"), {"action_add": "", "email": "new-address@example.org"})

    assert response.status_code == 302
    assert EmailAddress.objects.filter(user=jane, email="new-address@example.org", verified=False).exists()
    [message] = [m for m in mailoutbox if m.to == ["new-address@example.org"]]
    assert message.subject == "Navis: Confirm your email address"
    words = " ".join([message.subject, message.body, *(body for body, _ in message.alternatives)])
    assert "/accounts/confirm-email/" in message.body
    for part in (*NAME.split(), EMAIL, "jane.second", "Hello Jane"):
        assert part.lower() not in words.lower(), f"the email to an unverified address names {part!r}"


def test_changing_the_password_needs_the_current_one_and_tells_the_patient(client, jane, mailoutbox):
    new = "another long passphrase"
    wrong = client.post(
        reverse("account_change_password"), {"oldpassword": "not it at all", "password1": new, "password2": new}
    )
    jane.refresh_from_db()
    assert wrong.status_code == 200 and jane.check_password(PASSWORD)

    right = client.post(
        reverse("account_change_password"), {"oldpassword": PASSWORD, "password1": new, "password2": new}
    )

    jane.refresh_from_db()
    assert right.status_code == 302 and jane.check_password(new)
    [message] = mailoutbox
    assert message.to == [EMAIL] and message.subject == "Navis: Your password was changed"
    assert "The password of your Navis account was changed." in message.body


# --- Every email allauth may send, in Navis's words ---------------------------------------------

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
PROJECT_TEMPLATES = Path(settings.BASE_DIR) / "templates"
# What Navis never sends: sign-in and password reset by code are off, there are no passkeys, and
# allauth no longer sends "email confirmed".
NEVER_SENT = {
    "account/email/login_code",
    "account/email/password_reset_code",
    "account/email/email_confirm",
    "mfa/email/webauthn_added",
    "mfa/email/webauthn_removed",
}
ALLAUTH_PHRASES = ("receiving this", "Thank you for using", "Hello from example", "user ", "username")


def allauth_emails() -> list[str]:
    names = []
    for folder in ("account/email", "mfa/email"):
        for subject in sorted((ALLAUTH_TEMPLATES / folder).glob("*_subject.txt")):
            names.append(f"{folder}/{subject.name.removesuffix('_subject.txt')}")
    return names


def sample_context(user) -> dict:
    """Every value any of the emails reads, so each renders as it would be sent."""
    return {
        "user": user,
        "activate_url": "https://navis.example/accounts/confirm-email/KEY/",
        "key": "KEY",
        "password_reset_url": "https://navis.example/accounts/password/reset/key/1-KEY/",
        "signup_url": "https://navis.example/accounts/signup/",
        "from_email": "old@example.org",
        "to_email": "new@example.org",
        "deleted_email": "gone@example.org",
        "timestamp": timezone.now(),
        "ip": "203.0.113.9",
        "user_agent": "Firefox",
    }


def test_the_list_of_emails_is_what_allauth_ships():
    assert set(NEVER_SENT) < set(allauth_emails())
    assert len(allauth_emails()) - len(NEVER_SENT) == 13


@pytest.mark.parametrize("prefix", sorted(set(allauth_emails()) - NEVER_SENT))
def test_every_email_a_patient_can_get_is_navis_s_own_and_names_nobody(prefix):
    user = UserFactory(email=EMAIL, full_name=NAME)
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1")
    request.user = user

    with context.request_context(request):
        message = get_adapter(request).render_mail(prefix, "to@example.org", sample_context(user))

    for part in ("_subject.txt", "_message.txt"):
        origin = Path(get_template(prefix + part).origin.name)
        assert origin.is_relative_to(PROJECT_TEMPLATES), f"{prefix}{part} is allauth's own"
    assert message.subject.startswith("Navis: ") and "\n" not in message.subject
    assert message.body.startswith("Hello from Navis,") and message.body.rstrip().endswith("Navis")
    words = " ".join([message.subject, message.body, *(body for body, _ in message.alternatives)])
    assert "{{" not in words and "{%" not in words
    for phrase in ALLAUTH_PHRASES:
        assert phrase.lower() not in words.lower(), f"{prefix} still says {phrase!r}"
    for part in (*NAME.split(), EMAIL):
        assert part not in words, f"{prefix} names {part!r}"
