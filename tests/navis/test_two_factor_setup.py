"""Staff set up two-factor from a one-time emailed link, not from their password alone (issue 11)."""

import re
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from navis.models import TwoFactorSetupLink
from tests.factories import StaffFactory, UserFactory
from tests.logins import fresh_totp_code, log_in, reauthenticate

pytestmark = pytest.mark.django_db

SETUP = reverse("two_factor_setup")
ACTIVATE = reverse("mfa_activate_totp")


@pytest.fixture
def staff():
    return StaffFactory(email="new.staff@example.com", two_factor=False)


def signed_in(user) -> Client:
    client = Client()
    log_in(client, user.email)
    reauthenticate(client)  # allauth asks for the password again before setup; that alone must not be enough
    return client


def reach_the_admin(client: Client, captured) -> object:
    with captured(execute=True):
        return client.get(reverse("admin:index"))


def link_in(email) -> str:
    return re.search(r"https?://\S+(/accounts/2fa/setup/[^/\s]+/)", email.body).group(1)


def set_up_authenticator(client: Client) -> None:
    setup = client.get(ACTIVATE)
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', setup.content.decode()).group(1)
    client.post(ACTIVATE, {"code": fresh_totp_code(secret)})


def test_staff_with_a_password_only_cannot_reach_the_setup_page(staff, mailoutbox, django_capture_on_commit_callbacks):
    client = signed_in(staff)

    admin = reach_the_admin(client, django_capture_on_commit_callbacks)
    setup = client.get(ACTIVATE)
    posted = client.post(ACTIVATE, {"code": "123456"})

    assert admin.status_code == 302 and admin.url == SETUP
    page = client.get(SETUP).content.decode()
    assert "We have emailed you a link to set up two-factor" in page
    for response in (setup, posted):
        assert response.status_code == 302 and response.url == SETUP
    assert not Authenticator.objects.filter(user=staff).exists()
    [email] = mailoutbox
    assert email.to == [staff.email] and "/accounts/2fa/setup/" in email.body


def test_with_the_emailed_link_staff_set_up_two_factor_and_reach_the_admin(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in(staff)
    reach_the_admin(client, django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0])

    opened = client.get(link)
    spent = client.post(link)
    set_up_authenticator(client)

    assert opened.status_code == 200 and "Set up two-factor now" in opened.content.decode()
    assert spent.status_code == 302 and spent.url == ACTIVATE
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_link_works_once(staff, mailoutbox, django_capture_on_commit_callbacks):
    reach_the_admin(signed_in(staff), django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0])
    first = signed_in(staff)
    assert first.post(link).url == ACTIVATE
    second = signed_in(staff)  # another browser with the same password, and the link read over a shoulder

    again = second.post(link)

    assert again.status_code == 400 and "already used" in again.content.decode()
    assert "Email me a new link" in again.content.decode()
    assert second.get(ACTIVATE).url == SETUP
    assert first.get(ACTIVATE).status_code == 200


def test_an_expired_link_is_refused_with_a_way_to_ask_for_a_new_one(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in(staff)
    reach_the_admin(client, django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0])
    TwoFactorSetupLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    refused = client.post(link)
    with django_capture_on_commit_callbacks(execute=True):
        renewed = client.post(SETUP)

    assert refused.status_code == 400 and "expired" in refused.content.decode()
    assert client.get(ACTIVATE).url == SETUP
    assert renewed.status_code == 302
    assert len(mailoutbox) == 2 and link_in(mailoutbox[1]) != link
    assert client.post(link_in(mailoutbox[1])).url == ACTIVATE


def test_the_link_expires_after_the_configured_time(settings, staff, django_capture_on_commit_callbacks):
    settings.STAFF_TWO_FACTOR_LINK_MAX_AGE_SECONDS = 3600
    before = timezone.now()

    reach_the_admin(signed_in(staff), django_capture_on_commit_callbacks)

    link = TwoFactorSetupLink.objects.get(user=staff)
    assert before + timedelta(hours=1) <= link.expires_at <= timezone.now() + timedelta(hours=1)
    assert len(link.token_hash) == 64  # only a hash of the token is stored


def test_a_new_link_replaces_the_earlier_ones(staff, mailoutbox, django_capture_on_commit_callbacks):
    client = signed_in(staff)
    reach_the_admin(client, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SETUP)

    old, new = link_in(mailoutbox[0]), link_in(mailoutbox[1])

    assert client.post(old).status_code == 400
    assert client.post(new).url == ACTIVATE


def test_opening_the_admin_again_sends_no_second_email(staff, mailoutbox, django_capture_on_commit_callbacks):
    client = signed_in(staff)

    for _ in range(3):
        reach_the_admin(client, django_capture_on_commit_callbacks)

    assert len(mailoutbox) == 1


def test_asking_for_new_links_is_rate_limited(staff, mailoutbox, django_capture_on_commit_callbacks):
    client = signed_in(staff)

    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(SETUP).status_code for _ in range(4)]

    assert answers == [302, 302, 302, 429]
    assert len(mailoutbox) == 3


def test_someone_elses_link_opens_nothing(staff, mailoutbox, django_capture_on_commit_callbacks):
    reach_the_admin(signed_in(staff), django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0])
    other = signed_in(StaffFactory(email="other.staff@example.com", two_factor=False))

    refused = other.post(link)

    assert refused.status_code == 400 and "not one we sent to your account" in refused.content.decode()
    assert TwoFactorSetupLink.objects.get(user=staff).used_at is None


def test_patients_set_up_two_factor_as_before(client):
    patient = UserFactory(email="patient@example.com")
    log_in(client, patient.email)
    reauthenticate(client)

    assert client.get(ACTIVATE).status_code == 200
    assert client.get(SETUP).url == reverse("mfa_index")


def test_opening_the_link_spends_nothing_until_the_button_is_pressed(
    staff, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in(staff)
    reach_the_admin(client, django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0])

    client.get(link)  # as a mail scanner, or a second look, would
    client.get(link)

    assert TwoFactorSetupLink.objects.get(user=staff).used_at is None
    assert client.get(ACTIVATE).url == SETUP
    assert client.post(link).url == ACTIVATE


def test_staff_without_a_verified_address_are_sent_no_link(mailoutbox, django_capture_on_commit_callbacks):
    unverified = StaffFactory(email="unverified.staff@example.com", two_factor=False)
    unverified.emailaddress_set.update(verified=False)
    client = Client()
    client.force_login(unverified)

    reach_the_admin(client, django_capture_on_commit_callbacks)

    assert mailoutbox == [] and not TwoFactorSetupLink.objects.exists()
    assert "no verified email address" in client.get(SETUP).content.decode()
