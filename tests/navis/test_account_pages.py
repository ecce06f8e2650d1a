"""allauth's pages around the account, in Navis's words and layout: one name for logging in, a resend, plain choices."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.factories import PASSWORD, StaffFactory
from tests.logins import log_in
from tests.navis.test_accounts import GOOD_PASSWORD, link_in, sign_up

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
