"""allauth's pages around the account, in Navis's words and layout: one name for logging in, a resend, plain choices."""

import re
from pathlib import Path

import allauth
import allauth.urls
import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from django.test import Client
from django.urls import URLResolver, reverse, reverse_lazy

from tests.factories import PASSWORD, StaffFactory, UserFactory
from tests.logins import fresh_totp_code, log_in, reauthenticate
from tests.navis.test_accounts import GOOD_PASSWORD, link_in, sign_up
from uploads.accounts import AccountAdapter

pytestmark = pytest.mark.django_db

ALLAUTH_WORDS = re.compile(
    r"sign[ -]?(in|out)|Make Primary|Re-send|Email Addresses|Verify Your Email|Confirm Access",
    re.IGNORECASE,
)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_page_on_the_way_in_and_out_says_log_in_as_the_menu_does(client, patient):
    entrance = [reverse(name) for name in ("account_login", "account_signup", "account_reset_password")]
    pages = {url: page(client, url) for url in entrance}
    sign_up(client, "new@example.com")
    pages["verification sent"] = page(client, reverse("account_email_verification_sent"))
    staff = StaffFactory(email="staff@example.com", groups=["Editor"])
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    pages["two-factor code"] = page(client, reverse("mfa_authenticate"))
    client.logout()
    log_in(client, patient.email)
    pages["log out"] = page(client, reverse("account_logout"))
    pages["email"] = page(client, reverse("account_email"))
    pages["password again"] = page(client, reverse("account_reauthenticate"))

    for name, html in pages.items():
        assert not ALLAUTH_WORDS.search(html), f"{name}: {ALLAUTH_WORDS.search(html).group(0)!r}"
        assert '<header class="site-header">' in html, f"{name} is outside the site's layout"
    assert "<h1>Log in</h1>" in pages[reverse("account_login")]
    assert "<h1>Log out</h1>" in pages["log out"]


def test_the_check_your_email_page_sends_a_new_link(client, settings, mailoutbox):
    # allauth sends a confirmation at most every three minutes; here, at once.
    settings.ACCOUNT_EMAIL_CONFIRMATION_COOLDOWN = 0
    sign_up(client, "new@example.com")

    html = page(client, reverse("account_email_verification_sent"))
    assert "<h1>Check your email</h1>" in html and "Send me a new link" in html
    assert f'<form method="post" action="{reverse("account_login")}"' in html
    again = client.post(reverse("account_login"), {"login": "new@example.com", "password": GOOD_PASSWORD})

    assert again.url == reverse("account_email_verification_sent")
    assert [message.to for message in mailoutbox] == [["new@example.com"], ["new@example.com"]]


def test_the_confirm_page_asks_for_one_plainly_worded_press(client, mailoutbox):
    sign_up(client, "new@example.com")
    link = link_in(mailoutbox[0])

    html = page(client, link)

    # Opening the link confirms nothing (an email scanner opening it must not use it up); the press does.
    assert not EmailAddress.objects.get(email="new@example.com").verified
    assert "<strong>new@example.com</strong> is your email address" in html
    assert ">Yes, this is my email address</button>" in html
    assert client.post(link).status_code == 302
    assert EmailAddress.objects.get(email="new@example.com").verified
    assert "This link has expired or has been used already." in page(client, "/accounts/confirm-email/not-a-key/")


def test_one_email_address_is_shown_without_choices_that_do_not_apply(client, patient):
    log_in(client, patient.email)

    one = page(client, reverse("account_email"))
    EmailAddress.objects.create(user=patient, email="new.address@example.com", verified=False, primary=False)
    two = page(client, reverse("account_email"))

    assert "We write to you at <strong>pat@example.com</strong> (confirmed)." in one
    assert 'type="radio"' not in one and "action_remove" not in one and "action_primary" not in one
    assert "action_send" not in one
    assert two.count('type="radio"') == 2 and "Remove this address" in two and "Write to me here" in two


def test_a_single_unconfirmed_address_can_be_sent_its_link_again(client, patient, mailoutbox):
    log_in(client, patient.email)
    EmailAddress.objects.filter(user=patient).update(verified=False)

    html = page(client, reverse("account_email"))
    response = client.post(reverse("account_email"), {"email": patient.email, "action_send": ""})

    assert "Send the confirmation link again" in html
    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [[patient.email]]


# --- Every allauth page a patient or a member of staff can reach ---------------------------------

ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
# Addresses of allauth's that show no page of their own here, and why.
NOT_PAGES = {
    # Logging in by a code sent by email is off: with no code sent, it goes back to the login page.
    "account_confirm_login_code": reverse_lazy("account_login"),
}


def allauth_url_names(patterns=allauth.urls.urlpatterns) -> set[str]:
    """The name of every address allauth serves under /accounts/, with the settings Navis runs with."""
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= allauth_url_names(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
    return names


def stock_headings() -> set[str]:
    """Every title and main heading in allauth's own templates ("Sign In", "Password Reset", ...)."""
    phrases = set()
    for template in ALLAUTH_TEMPLATES.rglob("*.html"):
        source = template.read_text(encoding="utf-8")
        blocks = re.findall(r"{% block head_title %}(.*?){% endblock", source, re.S)
        blocks += re.findall(r"{% element h1[^%]*%}(.*?){% endelement %}", source, re.S)
        for block in blocks:
            phrases.update(re.findall(r"""{% trans(?:late)? ["']([^"']+)["'] %}""", block))
    return phrases


def words_of_allauth(response) -> list[str]:
    """The templates of allauth's own that put words on the page (its bare layouts that only extend are fine)."""
    found = []
    for template in response.templates:
        origin = Path(template.origin.name)
        if origin.is_relative_to(ALLAUTH_TEMPLATES) and re.search(r"{% (trans|blocktrans)", template.source):
            found.append(template.origin.template_name)
    return found


class ClosedForSignup(AccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return False


def visit(client, path: str, **data):
    """GET (or POST, with data) the address, following redirects, and return the page it lands on."""
    response = client.post(path, data, follow=True) if data else client.get(path, follow=True)
    assert response.status_code == 200, f"{path}: {response.status_code}"
    return response


@pytest.fixture
def reached(settings, patient) -> dict[str, tuple[str, object]]:
    """Each allauth page, as the person who meets it reaches it: {label: (url name, response)}."""
    pages = {}

    anonymous = Client()
    for name in (
        "account_login",
        "account_signup",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
        "account_email_verification_sent",
        "account_inactive",
    ):
        pages[name] = (name, visit(anonymous, reverse(name)))
    key = default_token_generator.make_token(patient)
    reset = reverse("account_reset_password_from_key", args=[user_pk_to_url_str(patient), key])
    pages["new password"] = ("account_reset_password_from_key", visit(anonymous, reset))
    bad_reset = reverse("account_reset_password_from_key", args=[user_pk_to_url_str(patient), "used-up"])
    pages["reset link used"] = ("account_reset_password_from_key", visit(anonymous, bad_reset))
    unconfirmed = UserFactory(email="new@example.com", verified=False)
    confirmation = EmailConfirmationHMAC(EmailAddress.objects.get(user=unconfirmed))
    confirm = reverse("account_confirm_email", args=[confirmation.key])
    pages["confirm"] = ("account_confirm_email", visit(anonymous, confirm))
    pages["confirm link used"] = ("account_confirm_email", visit(anonymous, "/accounts/confirm-email/used-up/"))
    closed = UserFactory(email="closed@example.com", is_active=False)
    pages["inactive logs in"] = (
        "account_inactive",
        visit(anonymous, reverse("account_login"), login=closed.email, password=PASSWORD),
    )

    staff = StaffFactory(email="staff@example.com", groups=["Editor"])
    staff_client = Client()
    pages["two-factor code"] = (
        "mfa_authenticate",
        visit(staff_client, reverse("account_login"), login=staff.email, password=PASSWORD),
    )

    patient_client = Client()
    log_in(patient_client, patient.email)
    for name in ("account_logout", "account_email", "account_change_password", "account_reauthenticate", "mfa_index"):
        pages[f"patient {name}"] = (name, visit(patient_client, reverse(name)))
    reauthenticate(patient_client)
    pages["patient mfa_activate_totp"] = ("mfa_activate_totp", visit(patient_client, reverse("mfa_activate_totp")))
    EmailAddress.objects.filter(user=patient).update(verified=False)
    # allauth's decorator on every intake page, for an account whose only address is not confirmed.
    pages["confirm first"] = ("verified_email_required", visit(patient_client, reverse("uploads:case_start")))

    # An account made in the admin has no password until its owner follows the emailed link.
    no_password = UserFactory(email="nopass@example.com")
    no_password.set_unusable_password()
    no_password.save()
    no_password_client = Client()
    no_password_client.force_login(no_password)
    pages["choose a password"] = ("account_set_password", visit(no_password_client, reverse("account_set_password")))

    staff_client.post(reverse("mfa_authenticate"), {"code": fresh_totp_code()})
    pages["staff mfa_index"] = ("mfa_index", visit(staff_client, reverse("mfa_index")))
    pages["staff mfa_reauthenticate"] = ("mfa_reauthenticate", visit(staff_client, reverse("mfa_reauthenticate")))
    reauthenticate(staff_client)
    for name in ("mfa_deactivate_totp", "mfa_view_recovery_codes", "mfa_generate_recovery_codes"):
        pages[f"staff {name}"] = (name, visit(staff_client, reverse(name)))
    download = staff_client.get(reverse("mfa_download_recovery_codes"))
    assert download.status_code == 200 and download["Content-Type"].startswith("text/plain")
    pages["staff mfa_download_recovery_codes"] = ("mfa_download_recovery_codes", download)

    settings.ACCOUNT_ADAPTER = f"{__name__}.ClosedForSignup"
    pages["signup closed"] = ("account_signup", visit(Client(), reverse("account_signup")))
    for name, lands_on in NOT_PAGES.items():
        response = Client().get(reverse(name))
        assert response.status_code == 302 and response.url == lands_on, name
        pages[name] = (name, response)
    return pages


# The title of each page (before " | Navis"), as the person reaching it reads it.
TITLES = {
    "account_login": "Log in",
    "account_signup": "Create an account",
    "account_reset_password": "Forgotten your password",
    "account_reset_password_done": "Check your email",
    "account_reset_password_from_key_done": "Your new password is saved",
    "account_email_verification_sent": "Check your email",
    "account_inactive": "This account is closed",
    "new password": "Choose a new password",
    "reset link used": "This link no longer works",
    "confirm": "Confirm your email address",
    "confirm link used": "Confirm your email address",
    "inactive logs in": "This account is closed",
    "two-factor code": "Log in: your security code",
    "patient account_logout": "Log out",
    "patient account_email": "Your email address",
    "patient account_change_password": "Change your password",
    "patient account_reauthenticate": "Type your password again",
    "patient mfa_index": "Two-factor authentication",
    "patient mfa_activate_totp": "Set up an authenticator app",
    "confirm first": "Confirm your email address first",
    "choose a password": "Choose a password",
    "staff mfa_index": "Two-factor authentication",
    "staff mfa_reauthenticate": "Type your security code",
    "staff mfa_deactivate_totp": "Turn off two-factor authentication",
    "staff mfa_view_recovery_codes": "Your recovery codes",
    "staff mfa_generate_recovery_codes": "Make new recovery codes",
    "signup closed": "We are not opening new accounts just now",
}


# allauth's labels: "Remember Me", "Current Password", "New Password (again)", "Code", "Authenticator code".
STOCK_LABEL = re.compile(r"^(Email|Code|Authenticator code):?$|Remember Me|[a-z] Password|\(again\)")


def test_the_walk_reaches_every_address_allauth_serves(reached):
    # verified_email_required is a page without an address of its own (the intake pages show it).
    walked = {name for name, _ in reached.values()} - {"verified_email_required"}

    assert walked == allauth_url_names(), "an allauth address is not walked (or not served any more)"


def test_every_allauth_page_has_navis_s_title_and_labels_and_none_of_allauth_s_words(reached):
    stock = stock_headings()
    assert {"Sign In", "Password Reset", "Change Password", "Two-Factor Authentication", "Bad Token"} <= stock

    pages = {label: response for label, (_, response) in reached.items() if response.status_code == 200}
    pages = {label: response for label, response in pages.items() if "text/html" in response["Content-Type"]}
    assert set(pages) == set(TITLES)
    for label, response in pages.items():
        html = response.content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert title == f"{TITLES[label]} | Navis", f"{label}: {title!r}"
        heading = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
        assert heading.rstrip("?").lower() in title.lower(), f"{label}: the heading {heading!r} is not its title"
        assert '<header class="site-header">' in html, f"{label} is outside the site's layout"
        assert not words_of_allauth(response), f"{label} renders allauth's {words_of_allauth(response)}"
        assert not ALLAUTH_WORDS.search(html), f"{label}: {ALLAUTH_WORDS.search(html).group(0)!r}"
        said = [phrase for phrase in stock if re.search(rf"\b{re.escape(phrase)}\b", html)]
        assert not said, f"{label} says allauth's {said}"
        main = re.search(r"<main.*</main>", html, re.S).group(0)
        labels = re.findall(r"<label[^>]*>(.*?)</label>", main, re.S)
        assert not [words for words in labels if STOCK_LABEL.search(words)], f"{label}: allauth's labels {labels}"
        assert "placeholder=" not in main, f"{label}: a placeholder repeats a label"
        assert "Forgot your password?" not in main, label


def field_group(html: str, name: str) -> str:
    """The <div class="field"> that holds the named input, with its label, help and errors."""
    return re.search(rf'<div class="field">((?:(?!<div class="field">).)*?name="{name}".*?)</div>', html, re.S).group(1)


def test_the_password_reset_says_at_each_step_what_happens_next(client, patient, mailoutbox):
    mistyped = client.post(reverse("account_reset_password"), {"email": "pat@example"})
    group = field_group(mistyped.content.decode(), "email")
    assert 'id="id_email_error"' in group and 'value="pat@example"' in group, "the error beside what was typed"

    sent = client.post(reverse("account_reset_password"), {"email": patient.email}, follow=True)

    assert "We have sent an email to the address you typed" in sent.content.decode()
    [message] = mailoutbox
    assert message.subject == "Navis: Choose a new password"
    assert message.body.startswith("Hello from Navis,\n\nSomeone, perhaps you, asked to choose a new password")
    assert "If you did not ask, ignore this email: your password stays as it is." in message.body
    assert ">Choose a new password</a>" in message.alternatives[0][0]
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", message.body).group(1)

    form = client.get(link, follow=True)
    assert "<h1>Choose a new password</h1>" in form.content.decode()
    different = {"password1": "a brand new passphrase", "password2": "another passphrase"}
    refused = client.post(form.redirect_chain[-1][0], different)
    assert 'id="id_password2_error"' in field_group(refused.content.decode(), "password2")
    same = {"password1": "a brand new passphrase", "password2": "a brand new passphrase"}
    done = client.post(form.redirect_chain[-1][0], same, follow=True)

    assert "<h1>Your new password is saved</h1>" in done.content.decode()
    assert [m.subject for m in mailoutbox[1:]] == ["Navis: Your password was reset"]
    assert '"Forgotten your password?" link' in mailoutbox[1].body
    used = client.get(link, follow=True).content.decode()
    assert "<h1>This link no longer works</h1>" in used and "Your password has not changed." in used


# allauth adds its message once the activation commits, still inside the request: a real commit.
@pytest.mark.django_db(transaction=True)
def test_the_two_factor_messages_are_in_navis_s_words(client, patient, mailoutbox):
    log_in(client, patient.email)
    reauthenticate(client)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret

    turned_on = client.post(reverse("mfa_activate_totp"), {"code": fresh_totp_code(secret)})

    html = client.get(turned_on.url).content.decode()
    assert "<h1>Your recovery codes</h1>" in html
    assert "Two-factor authentication is on: logging in now asks for your authenticator app" in html
    assert "Authenticator app activated" not in html
    renewed = client.post(reverse("mfa_generate_recovery_codes"), follow=True).content.decode()
    assert "Here are your new recovery codes. The ones you had before no longer work." in renewed
    turned_off = client.post(reverse("mfa_deactivate_totp"), follow=True).content.decode()
    assert "Two-factor authentication is off: logging in now asks for your password only." in turned_off
    assert [m.subject for m in mailoutbox] == [
        "Navis: Two-factor authentication is on",
        "Navis: New recovery codes for your account",
        "Navis: Two-factor authentication is off",
    ]


def test_the_login_page_offers_to_keep_you_logged_in_with_a_checkbox_before_its_words(client):
    html = page(client, reverse("account_login"))

    checkbox = re.search(r'<div class="checkbox"><input type="checkbox" name="remember"[^>]*><label[^>]*>([^<]*)', html)
    assert checkbox and "Keep me logged in on this device" in checkbox.group(1)
