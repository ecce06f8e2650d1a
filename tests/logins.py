"""Signing in as people do: through allauth's login page, with the authenticator app's current code."""

import time

from allauth.mfa import app_settings as mfa_settings
from django.test import Client
from django.urls import reverse

from navis.demo import totp_code_now
from tests.factories import PASSWORD, TOTP_SECRET


def fresh_totp_code(secret: str = TOTP_SECRET) -> str:
    """The code of this moment, taken early enough in its period that it is still good when checked.

    allauth accepts only the current period's code: one read in the period's last second can be a
    period late by the time the request reaches it, which made logins fail now and then.
    """
    left = mfa_settings.TOTP_PERIOD - time.time() % mfa_settings.TOTP_PERIOD
    if left < 2:
        time.sleep(left + 0.05)
    return totp_code_now(secret)


def log_in(
    client: Client, email: str, *, password: str = PASSWORD, secret: str = TOTP_SECRET, remember: bool = False
) -> None:
    """Log in with email and password, then the two-factor code when the account asks for one."""
    form = {"login": email, "password": password, **({"remember": "on"} if remember else {})}
    response = client.post(reverse("account_login"), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    if response.url == reverse("mfa_authenticate"):
        response = client.post(reverse("mfa_authenticate"), {"code": fresh_totp_code(secret)})
        assert response.status_code == 302, response.content.decode()[:2000]


def reauthenticate(client: Client, *, password: str = PASSWORD) -> None:
    """Confirm the password again, as allauth asks before anything sensitive (export, deletion)."""
    response = client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302, response.content.decode()[:2000]
