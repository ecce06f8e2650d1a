import time

import pytest
from django.urls import reverse

from navis.middleware import LAST_SEEN_KEY
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def idle_for(client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - seconds
    session.save()


def test_staff_are_signed_out_after_fifteen_idle_minutes(client):
    client.force_login(StaffFactory(is_superuser=True))
    assert client.get(reverse("admin:index")).status_code == 200

    idle_for(client, 15 * 60 + 5)
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_staff_who_keep_working_stay_signed_in(client):
    client.force_login(StaffFactory(is_superuser=True))
    client.get(reverse("admin:index"))
    idle_for(client, 14 * 60)

    assert client.get(reverse("admin:index")).status_code == 200


def test_patients_are_not_signed_out_by_the_staff_rule(client):
    client.force_login(UserFactory())
    idle_for(client, 60 * 60)

    client.get(reverse("home"))

    assert "_auth_user_id" in client.session
