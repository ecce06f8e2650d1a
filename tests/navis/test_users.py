import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from navis.models import User

pytestmark = pytest.mark.django_db


def test_users_sign_in_with_their_email_address():
    user = User.objects.create_user("Ana.Lopez@Example.COM", "a long enough password")

    assert user.email == "ana.lopez@example.com"
    assert User.USERNAME_FIELD == "email"
    assert user.check_password("a long enough password")
    assert not user.is_staff


def test_email_addresses_are_unique_whatever_their_case():
    User.objects.create_user("sam@example.com", "a long enough password")

    with pytest.raises((ValidationError, IntegrityError)):
        User.objects.create_user("SAM@example.com", "another long password")


def test_a_superuser_is_staff():
    admin = User.objects.create_superuser("boss@example.com", "a long enough password")

    assert admin.is_staff and admin.is_superuser


def test_the_admin_lists_users_by_email(admin_client):
    User.objects.create_user("listed@example.com", "a long enough password")

    response = admin_client.get(reverse("admin:navis_user_changelist"))

    assert response.status_code == 200
    assert b"listed@example.com" in response.content


def test_the_admin_adds_a_user_by_email(admin_client):
    response = admin_client.post(
        reverse("admin:navis_user_add"),
        {"email": "new.staff@example.com", "full_name": "New Staff"},
    )

    assert response.status_code == 302, response.content
    assert User.objects.filter(email="new.staff@example.com").exists()


def test_an_administrator_cannot_make_anyone_a_superuser_or_change_their_own_roles(client):
    from tests.factories import StaffFactory
    from tests.logins import log_in

    administrator = StaffFactory(email="administrator@example.com", groups=["Administrator"])
    superuser = StaffFactory(email="root@example.com", is_superuser=True)
    log_in(client, administrator.email)

    own = client.get(reverse("admin:navis_user_change", args=[administrator.pk]))
    assert own.status_code == 200
    assert {"is_superuser", "groups", "is_staff"} <= set(own.context["adminform"].readonly_fields)
    assert client.get(reverse("admin:navis_user_change", args=[superuser.pk])).context["has_change_permission"] is False
    assert client.get(reverse("admin:auth_user_password_change", args=[superuser.pk])).status_code == 403
    administrator.refresh_from_db()
    assert not administrator.is_superuser
