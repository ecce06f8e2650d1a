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
from tests.uploads.conftest import send_queued_emails
from uploads.models import Notification

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
    with captured():
        return client.get(reverse("admin:index"))


def link_in(email) -> str:
    return re.search(r"https?://\S+(/accounts/2fa/setup/[^/\s]+/)", email.body).group(1)


def set_up_authenticator(client: Client) -> None:
    setup = client.get(ACTIVATE)
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', setup.content.decode()).group(1)
    client.post(ACTIVATE, {"code": fresh_totp_code(secret)})


def test_staff_with_a_password_only_cannot_reach_the_setup_page(staff, mailoutbox, emails_sent):
    client = signed_in(staff)

    admin = reach_the_admin(client, emails_sent)
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


def test_with_the_emailed_link_staff_set_up_two_factor_and_reach_the_admin(staff, mailoutbox, emails_sent):
    client = signed_in(staff)
    reach_the_admin(client, emails_sent)
    link = link_in(mailoutbox[0])

    opened = client.get(link)
    spent = client.post(link)
    set_up_authenticator(client)

    assert opened.status_code == 200 and "Set up two-factor now" in opened.content.decode()
    assert spent.status_code == 302 and spent.url == ACTIVATE
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get(reverse("admin:index")).status_code == 200


def test_the_link_works_once(staff, mailoutbox, emails_sent):
    reach_the_admin(signed_in(staff), emails_sent)
    link = link_in(mailoutbox[0])
    first = signed_in(staff)
    assert first.post(link).url == ACTIVATE
    second = signed_in(staff)  # another browser with the same password, and the link read over a shoulder

    again = second.post(link)

    assert again.status_code == 400 and "already used" in again.content.decode()
    assert "Email me a new link" in again.content.decode()
    assert second.get(ACTIVATE).url == SETUP
    assert first.get(ACTIVATE).status_code == 200


def test_an_expired_link_is_refused_with_a_way_to_ask_for_a_new_one(staff, mailoutbox, emails_sent):
    client = signed_in(staff)
    reach_the_admin(client, emails_sent)
    link = link_in(mailoutbox[0])
    TwoFactorSetupLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    refused = client.post(link)
    with emails_sent():
        renewed = client.post(SETUP)

    assert refused.status_code == 400 and "expired" in refused.content.decode()
    assert client.get(ACTIVATE).url == SETUP
    assert renewed.status_code == 302
    assert len(mailoutbox) == 2 and link_in(mailoutbox[1]) != link
    assert client.post(link_in(mailoutbox[1])).url == ACTIVATE


def test_the_link_expires_after_the_configured_time(settings, staff, emails_sent):
    settings.STAFF_TWO_FACTOR_LINK_MAX_AGE_SECONDS = 3600
    before = timezone.now()

    reach_the_admin(signed_in(staff), emails_sent)

    link = TwoFactorSetupLink.objects.get(user=staff)
    assert before + timedelta(hours=1) <= link.expires_at <= timezone.now() + timedelta(hours=1)
    assert len(link.token_hash) == 64  # only a hash of the token is stored


def test_a_new_link_replaces_the_earlier_ones(staff, mailoutbox, emails_sent):
    client = signed_in(staff)
    reach_the_admin(client, emails_sent)
    with emails_sent():
        client.post(SETUP)

    old, new = link_in(mailoutbox[0]), link_in(mailoutbox[1])

    assert client.post(old).status_code == 400
    assert client.post(new).url == ACTIVATE


def test_opening_the_admin_again_sends_no_second_email(staff, mailoutbox, emails_sent):
    client = signed_in(staff)

    for _ in range(3):
        reach_the_admin(client, emails_sent)

    assert len(mailoutbox) == 1


def test_asking_for_new_links_is_rate_limited(staff, mailoutbox, emails_sent):
    client = signed_in(staff)

    answers = []
    for _ in range(4):
        with emails_sent():
            answers.append(client.post(SETUP).status_code)

    assert answers == [302, 302, 302, 429]
    assert len(mailoutbox) == 3


def test_someone_elses_link_opens_nothing(staff, mailoutbox, emails_sent):
    reach_the_admin(signed_in(staff), emails_sent)
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


def test_opening_the_link_spends_nothing_until_the_button_is_pressed(staff, mailoutbox, emails_sent):
    client = signed_in(staff)
    reach_the_admin(client, emails_sent)
    link = link_in(mailoutbox[0])

    client.get(link)  # as a mail scanner, or a second look, would
    client.get(link)

    assert TwoFactorSetupLink.objects.get(user=staff).used_at is None
    assert client.get(ACTIVATE).url == SETUP
    assert client.post(link).url == ACTIVATE


def test_staff_without_a_verified_address_are_sent_no_link(mailoutbox, emails_sent):
    unverified = StaffFactory(email="unverified.staff@example.com", two_factor=False)
    unverified.emailaddress_set.update(verified=False)
    client = Client()
    client.force_login(unverified)

    reach_the_admin(client, emails_sent)

    assert mailoutbox == [] and not TwoFactorSetupLink.objects.exists()
    assert "no verified email address" in client.get(SETUP).content.decode()


def test_the_token_is_made_as_the_email_is_sent_and_no_row_holds_it(
    staff, mailoutbox, django_capture_on_commit_callbacks, broker
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_in(staff).get(reverse("admin:index"))
    link = TwoFactorSetupLink.objects.get(user=staff)
    notification = Notification.objects.get(kind=Notification.Kind.STAFF_TWO_FACTOR_LINK)
    assert notification.two_factor_link == link and notification.sent_at is None
    assert mailoutbox == []  # owed by the outbox, written with the link, not sent inside the request

    assert send_queued_emails(broker) == 1

    token = link_in(mailoutbox[0]).split("/")[-2]
    replaced = link.token_hash
    link.refresh_from_db()
    assert link.token_hash == TwoFactorSetupLink.hash_of(token) != replaced
    assert token not in str(Notification.objects.filter(pk=notification.pk).values().get())
    assert Notification.objects.get(pk=notification.pk).sent_at is not None


def test_a_link_replaced_before_its_email_went_is_never_sent(
    staff, mailoutbox, django_capture_on_commit_callbacks, broker
):
    client = signed_in(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("admin:index"))
        client.post(SETUP)

    send_queued_emails(broker)

    [email] = mailoutbox
    assert client.post(link_in(email)).url == ACTIVATE
