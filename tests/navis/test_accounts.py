"""Accounts through allauth: sign-up and verification, passwords, no enumeration, rate limits, two-factor."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from navis.management.commands.rundev import PROCESS_CACHE_URL, development_cache_url
from navis.models import User
from tests.factories import PASSWORD, TOTP_SECRET, StaffFactory, UserFactory
from tests.hashers import CountingPBKDF2PasswordHasher
from tests.logins import fresh_totp_code, log_in
from tests.navis.test_deploy_check import run_deploy_check

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "a long enough passphrase"


def sign_up(client, email: str, password: str = GOOD_PASSWORD):
    return client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password})


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_sign_up_sends_a_verification_email_and_nothing_opens_before_it_is_followed(client, mailoutbox):
    response = sign_up(client, "new@example.com")

    assert response.url == reverse("account_email_verification_sent")
    [message] = mailoutbox
    assert message.subject == "Navis: Confirm your email address"
    assert "What happens next" in message.body and "What happens next" in message.alternatives[0][0]
    assert client.get(reverse("uploads:case_start")).url.startswith(reverse("account_login"))
    login = client.post(reverse("account_login"), {"login": "new@example.com", "password": GOOD_PASSWORD})
    assert login.url == reverse("account_email_verification_sent")

    confirmed = client.post(link_in(message))

    assert confirmed.status_code == 302
    assert client.get(reverse("uploads:case_start")).status_code == 200


def test_passwords_need_twelve_characters_and_must_not_be_common(client):
    short = sign_up(client, "a@example.com", "Sh0rt!pass")
    common = sign_up(client, "b@example.com", "password1234")

    assert "at least 12 characters" in short.content.decode()
    assert "too common" in common.content.decode()
    assert not User.objects.exists()


def test_signing_up_with_a_registered_email_answers_as_for_a_new_one(client, mailoutbox):
    UserFactory(email="taken@example.com")

    taken = sign_up(client, "taken@example.com")
    fresh = sign_up(client, "fresh@example.com")

    assert taken.status_code == fresh.status_code == 302 and taken.url == fresh.url
    assert User.objects.filter(email="taken@example.com").count() == 1
    assert len(mailoutbox) == 2, "the owner of the address is told, by email only"


def sign_up_counted(client, email: str):
    """Sign up, returning the answer, the page it leads to, how many passwords were hashed, and the emails."""
    before = CountingPBKDF2PasswordHasher.hashed
    outbox = len(mail.outbox)
    response = sign_up(client, email)
    hashed = CountingPBKDF2PasswordHasher.hashed - before
    page = client.get(response.url)
    sent = mail.outbox[outbox:]
    return response, page, hashed, sent


def test_a_known_address_signs_up_doing_the_same_work_as_a_new_one(client, settings, mailoutbox):
    # Django's real hasher at its real cost, counted: the slow step is the one to match.
    settings.PASSWORD_HASHERS = ["tests.hashers.CountingPBKDF2PasswordHasher"]
    UserFactory(email="taken@example.com")

    taken, taken_page, taken_hashed, taken_sent = sign_up_counted(client, "taken@example.com")
    client.cookies.clear()
    fresh, fresh_page, fresh_hashed, fresh_sent = sign_up_counted(client, "fresh@example.com")

    assert taken_hashed == fresh_hashed == 1
    assert (taken.status_code, taken.url) == (fresh.status_code, fresh.url)
    assert taken_page.status_code == fresh_page.status_code == 200
    assert text_of(taken_page) == text_of(fresh_page).replace("fresh@example.com", "taken@example.com")
    assert [m.to for m in taken_sent] == [["taken@example.com"]] and [m.to for m in fresh_sent] == [
        ["fresh@example.com"]
    ]
    assert taken_sent[0].from_email == fresh_sent[0].from_email
    assert bool(taken_sent[0].alternatives) == bool(fresh_sent[0].alternatives), "both rendered as text and HTML"


def text_of(page) -> str:
    """The page's words, without the per-request tokens (CSRF, CSP nonce)."""
    html = page.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_password_reset_answers_the_same_whether_or_not_the_email_is_registered(client, mailoutbox):
    UserFactory(email="known@example.com")

    known = client.post(reverse("account_reset_password"), {"email": "known@example.com"})
    unknown = client.post(reverse("account_reset_password"), {"email": "unknown@example.com"})

    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_a_password_reset_works_end_to_end(client, mailoutbox):
    user = UserFactory(email="forgot@example.com")
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mailoutbox[0].body).group(1)

    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0], {"password1": "a brand new passphrase", "password2": "a brand new passphrase"}
    )

    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")


def test_login_is_rate_limited_per_account_in_the_shared_cache(client):
    user = UserFactory(email="target@example.com")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong password here"})

    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_admin_login_goes_through_allauth(client):
    response = client.get(reverse("admin:login") + "?next=/admin/")

    assert response.url.startswith(reverse("account_login"))
    assert "next=%2Fadmin%2F" in response.url or "next=/admin/" in response.url


def test_the_admin_login_takes_no_password_itself_and_is_rate_limited(client):
    staff = StaffFactory(email="staff@example.com")
    login = reverse("account_login") + "?next=/admin/"

    direct = client.post(reverse("admin:login"), {"username": staff.email, "password": PASSWORD})
    assert direct.url.startswith(reverse("account_login")) and "_auth_user_id" not in client.session
    for _ in range(5):
        client.post(login, {"login": staff.email, "password": "wrong password here"})
    response = client.post(login, {"login": staff.email, "password": PASSWORD})

    assert "Too many failed login attempts" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_staff_with_two_factor_type_their_code_to_reach_the_admin(client):
    staff = StaffFactory(email="staff@example.com", groups=["Editor"])

    first = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert first.url == reverse("mfa_authenticate")
    assert client.get(reverse("admin:index")).status_code == 302, "the password alone opens nothing"
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "Incorrect code" in wrong.content.decode()
    client.post(reverse("mfa_authenticate"), {"code": fresh_totp_code(TOTP_SECRET)})

    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize(
    "path", ["admin:index", "admin:articles_article_changelist", "admin:navis_user_changelist", "admin:password_change"]
)
def test_staff_without_two_factor_are_sent_to_set_it_up_from_every_admin_page(client, path):
    staff = StaffFactory(email="new.staff@example.com", two_factor=False, is_superuser=True)
    log_in(client, staff.email)

    response = client.get(reverse(path))

    assert response.status_code == 302
    assert response.url == reverse("two_factor_setup")


def test_patients_are_offered_two_factor_but_not_forced(client, patient):
    log_in(client, patient.email)

    page = client.get(reverse("mfa_index"))

    assert page.status_code == 200 and "Two-factor authentication" in page.content.decode()
    assert client.get(reverse("uploads:dashboard")).status_code == 200


def test_a_patient_cannot_open_the_admin(client, patient):
    log_in(client, patient.email)

    assert client.get(reverse("admin:index")).status_code == 302
    assert client.get(reverse("admin:login")).status_code == 403


def test_rundev_uses_redis_for_the_cache_when_it_answers_in_a_database_apart_from_the_broker(settings):
    assert development_cache_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/1"
    assert development_cache_url("redis://127.0.0.1:6379/15") == "redis://127.0.0.1:6379/0"
    assert development_cache_url("redis://127.0.0.1:9/0") == PROCESS_CACHE_URL
    assert development_cache_url(settings.REDIS_URL, "redis://elsewhere:6379/3") == "redis://elsewhere:6379/3"


def test_check_deploy_refuses_a_per_process_cache():
    result = run_deploy_check(CACHE_URL="locmemcache://navis")

    assert result.returncode != 0
    assert "navis.W001" in result.stdout + result.stderr
