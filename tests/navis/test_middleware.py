"""Sessions end after a spell without requests, and staff sessions after a working day however busy.

Each test signs in through the real login page, keeps the real session, and moves the clock.
"""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.logins import log_in

pytestmark = pytest.mark.django_db

MINUTE = 60
HOUR = 60 * MINUTE
DAY = 24 * HOUR


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def assert_signed_out_to_login(response, client, message: str) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert message in page


def test_staff_are_signed_out_after_fifteen_idle_minutes(client, admin_user, clock):
    log_in(client, admin_user.email)
    assert client.get(reverse("admin:index")).status_code == 200

    clock.advance(15 * MINUTE + 5)
    response = client.get(reverse("admin:index"))

    assert_signed_out_to_login(response, client, "signed out after 15 minutes without activity")


def test_staff_who_keep_working_stay_signed_in(client, admin_user, clock):
    log_in(client, admin_user.email)
    client.get(reverse("admin:index"))
    clock.advance(14 * MINUTE)

    assert client.get(reverse("admin:index")).status_code == 200


def test_a_staff_session_ends_twelve_hours_after_signing_in_however_busy(client, admin_user, clock):
    log_in(client, admin_user.email)
    client.get(reverse("admin:index"))
    for _ in range(12 * 6 - 1):
        clock.advance(10 * MINUTE)
        assert client.get(reverse("admin:index")).status_code == 200
    assert signed_in(client), "eleven hours fifty of work, never idle"

    clock.advance(11 * MINUTE)
    response = client.get(reverse("admin:index"))

    assert_signed_out_to_login(response, client, "a session lasts at most 12 hours")


@pytest.mark.parametrize("remember", [False, True], ids=["session", "remembered"])
def test_patients_are_signed_out_after_thirty_idle_minutes_remembered_or_not(client, clock, remember):
    patient = UserFactory()
    log_in(client, patient.email, remember=remember)
    assert client.get(reverse("uploads:dashboard")).status_code == 200
    clock.advance(29 * MINUTE)
    assert client.get(reverse("uploads:dashboard")).status_code == 200

    clock.advance(30 * MINUTE + 5)
    response = client.get(reverse("uploads:dashboard"))

    assert_signed_out_to_login(response, client, "signed out after 30 minutes without activity")


def test_only_a_remembered_session_outlives_the_browser_and_for_seven_days(client):
    patient = UserFactory()
    log_in(client, patient.email)
    not_remembered = client.cookies["sessionid"]
    client.logout()
    log_in(client, patient.email, remember=True)
    remembered = client.cookies["sessionid"]

    assert not_remembered["expires"] == "" and not_remembered["max-age"] == ""
    assert remembered["max-age"] == 7 * DAY


def test_a_remembered_patient_session_ends_at_its_age_however_active(client, settings, clock):
    settings.SESSION_COOKIE_AGE = 2 * HOUR
    patient = UserFactory()
    log_in(client, patient.email, remember=True)
    client.get(reverse("uploads:dashboard"))
    for _ in range(5):
        clock.advance(20 * MINUTE)
        assert client.get(reverse("uploads:dashboard")).status_code == 200

    clock.advance(21 * MINUTE)
    response = client.get(reverse("uploads:dashboard"))

    assert_signed_out_to_login(response, client, "a session lasts at most 2 hours")
