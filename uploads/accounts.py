from allauth.account import forms as account_forms
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from django.urls import reverse

from uploads.models import Case

REAUTHENTICATION_WORDS = {
    "reauthenticate": "Type your password instead",
    "mfa_reauthenticate": "Type a code from your authenticator app instead",
}


class AccountAdapter(DefaultAccountAdapter):
    """allauth's account behaviour, with patients taken to their requests once signed in."""

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        if user.is_staff:
            return super().get_login_redirect_url(request)
        # A new patient goes straight on to start a request; one who has any goes to the list.
        if Case.objects.owned_by(user).exists():
            return reverse("uploads:dashboard")
        return reverse("uploads:case_start")

    def get_reauthentication_methods(self, user: AbstractBaseUser) -> list[dict]:
        # The links under "Or confirm it is you another way", in the site's words rather than allauth's.
        methods = super().get_reauthentication_methods(user)
        for method in methods:
            method["description"] = REAUTHENTICATION_WORDS.get(method["id"], method["description"])
        return methods


class SiteWords:
    """An allauth form with the site's labels (`labels`, by field name) and none of allauth's placeholders.

    A placeholder repeats the label inside the box and is gone once typing starts; the label above the
    field says it, and stays. Listed in settings.ACCOUNT_FORMS and settings.MFA_FORMS.
    """

    labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            field.label = self.labels.get(name, field.label)


EMAIL = {"email": "Email address"}
NEW_PASSWORD = {"password1": "New password", "password2": "Type the new password again"}
CODE = {"code": "The code from your authenticator app, or a recovery code"}


class LoginForm(SiteWords, account_forms.LoginForm):
    labels = {"login": "Email address", "remember": "Keep me logged in on this device"}


class ResetPasswordForm(SiteWords, account_forms.ResetPasswordForm):
    labels = EMAIL


class ResetPasswordKeyForm(SiteWords, account_forms.ResetPasswordKeyForm):
    labels = NEW_PASSWORD


class ChangePasswordForm(SiteWords, account_forms.ChangePasswordForm):
    labels = {"oldpassword": "Current password", **NEW_PASSWORD}


class SetPasswordForm(SiteWords, account_forms.SetPasswordForm):
    labels = {"password2": "Type the password again"}


class AddEmailForm(SiteWords, account_forms.AddEmailForm):
    labels = {"email": "New email address"}


class ReauthenticateForm(SiteWords, account_forms.ReauthenticateForm):
    pass


class AuthenticateForm(SiteWords, mfa_forms.AuthenticateForm):
    labels = CODE


class MFAReauthenticateForm(SiteWords, mfa_forms.ReauthenticateForm):
    labels = CODE


class ActivateTOTPForm(SiteWords, AllauthActivateTOTPForm):
    labels = {"code": "The 6-digit code the app shows"}


class SignupForm(SiteWords, account_forms.SignupForm):
    """allauth's sign-up form (settings.ACCOUNT_FORMS), taking as long for a known address as for a new one.

    With ACCOUNT_PREVENT_ENUMERATION allauth already answers alike and emails the address's owner that
    they have an account, through the same adapter.send_mail as a new account's confirmation. What it
    skips for a known address is the slow part of a new account: hashing the password (about 0.3 s with
    Django's PBKDF2), which told anyone timing the answer that a person uses a cancer-guidance site.
    """

    labels = {**EMAIL, "password2": "Type the password again"}

    def try_save(self, request: HttpRequest):
        if self.account_already_exists:
            # The same hasher and the same work as set_password on a new account; the hash is dropped.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
