"""The user and role admin: staff and patient accounts apart, passwords only by reset email, roles by superusers."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse

from navis.models import User
from tests.admin_forms import admin_form_data
from tests.factories import PASSWORD, StaffFactory, UserFactory
from tests.logins import log_in
from tests.uploads.conftest import queued, send_queued_emails
from uploads import task_names
from uploads.models import Notification

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "an attacker's chosen password"


def signed_in(user: User) -> Client:
    client = Client()
    log_in(client, user.email)
    return client


@pytest.fixture
def administrator() -> User:
    return StaffFactory(email="office@example.com", groups=["Administrator"])


@pytest.fixture
def superuser() -> User:
    return StaffFactory(email="root@example.com", is_superuser=True)


@pytest.fixture
def editor() -> User:
    return StaffFactory(email="editor@example.com", groups=["Editor"])


def user_form_data(page, **overrides) -> dict:
    """The user change form as shown, with its split date field filled as a browser sends it."""
    joined = page.context["original"].date_joined
    data = admin_form_data(page, date_joined=None, **overrides)
    return {**data, "date_joined_0": f"{joined:%Y-%m-%d}", "date_joined_1": f"{joined:%H:%M:%S}"}


def password_url(user: User) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


def change_url(user: User) -> str:
    return reverse("admin:navis_user_change", args=[user.pk])


# --- M1: nobody sets another person's password ---------------------------------------------------


def test_an_administrator_cannot_set_a_patients_password(administrator, mailoutbox):
    patient = UserFactory(email="patient@example.com")
    client = signed_in(administrator)

    page = client.get(password_url(patient))
    post = client.post(password_url(patient), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert page.status_code in (403, 404)
    assert post.status_code in (403, 404)
    patient.refresh_from_db()
    assert patient.check_password(PASSWORD) and not patient.check_password(NEW_PASSWORD)
    assert mailoutbox == []


def test_an_administrator_cannot_change_a_patients_account(administrator):
    patient = UserFactory(email="patient@example.com", full_name="Ana Lopez")
    client = signed_in(administrator)

    page = client.get(change_url(patient))
    client.post(change_url(patient), user_form_data(page, full_name="Someone else", email="office+1@example.com"))

    assert page.context["has_change_permission"] is False
    patient.refresh_from_db()
    assert (patient.full_name, patient.email) == ("Ana Lopez", "patient@example.com")


def test_nobody_sets_another_persons_password_not_even_a_superuser(superuser, editor, mailoutbox):
    client = signed_in(superuser)

    page = client.get(password_url(editor))
    response = client.post(password_url(editor), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert page.status_code == 200
    assert b"password1" not in page.content and b"Send the password-reset email" in page.content
    assert response.status_code == 302 and response["Location"] == change_url(editor)
    editor.refresh_from_db()
    assert editor.check_password(PASSWORD) and not editor.check_password(NEW_PASSWORD)
    [email] = mailoutbox
    assert email.to == [editor.email]
    assert "/accounts/password/reset/key/" in email.body
    entry = LogEntry.objects.get(object_id=str(editor.pk), user=superuser)
    assert entry.change_message == "Sent a password-reset email."


def test_an_administrator_sends_a_staff_member_a_reset_email_from_the_list(administrator, editor, mailoutbox):
    patient = UserFactory(email="patient@example.com")
    client = signed_in(administrator)

    response = client.post(
        reverse("admin:navis_user_changelist"),
        {"action": "send_password_reset_email", "_selected_action": [editor.pk, patient.pk]},
        follow=True,
    )

    assert [email.to for email in mailoutbox] == [[editor.email]]
    shown = [str(message) for message in response.context["messages"]]
    assert f"You may not reset the password of {patient}." in shown


@pytest.mark.parametrize("role", ["editor", "superuser"])
def test_ones_own_password_is_changed_where_allauth_asks_for_it_again(role, request):
    user = request.getfixturevalue(role)

    response = signed_in(user).get(password_url(user))

    assert response.status_code == 302 and response["Location"] == reverse("account_change_password")


def test_a_new_account_has_no_password_until_its_holder_chooses_one(administrator, mailoutbox, emails_sent):
    client = signed_in(administrator)

    with emails_sent():
        response = client.post(
            reverse("admin:navis_user_add"),
            {
                "email": "new.staff@example.com",
                "full_name": "New Staff",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(email="new.staff@example.com")
    assert not created.has_usable_password() and not created.is_staff
    [email] = mailoutbox
    assert email.to == ["new.staff@example.com"] and "/accounts/password/reset/key/" in email.body


# --- M1: only a superuser grants or removes a role -------------------------------------------------


def test_an_administrator_cannot_make_an_editor_a_case_reviewer(administrator, editor, superuser, mailoutbox):
    reviewers = Group.objects.get(name="Case reviewer")
    client = signed_in(administrator)
    page = client.get(change_url(editor))

    client.post(
        change_url(editor),
        user_form_data(
            page,
            groups=[str(reviewers.pk), *map(str, editor.groups.values_list("pk", flat=True))],
            is_superuser="on",
            user_permissions=[str(Permission.objects.get(codename="review_case").pk)],
        ),
    )

    editor.refresh_from_db()
    assert list(editor.groups.values_list("name", flat=True)) == ["Editor"]
    assert not editor.is_superuser and not editor.user_permissions.exists()
    assert not editor.has_perm("uploads.review_case")
    assert not LogEntry.objects.filter(object_id=str(editor.pk), change_message__startswith="Granted").exists()
    assert mailoutbox == []


def test_an_administrator_cannot_give_a_role_through_the_group_admin(administrator):
    reviewers = Group.objects.get(name="Case reviewer")
    before = set(reviewers.permissions.all())
    url = reverse("admin:auth_group_change", args=[reviewers.pk])
    client = signed_in(administrator)

    response = client.post(url, {"name": "Case reviewer", "permissions": [str(p.pk) for p in Permission.objects.all()]})

    assert response.status_code in (200, 403)
    assert set(reviewers.permissions.all()) == before


def test_a_superuser_grants_a_role_and_every_superuser_hears_of_it(superuser, editor, mailoutbox, emails_sent):
    other_superuser = StaffFactory(email="root2@example.com", is_superuser=True)
    reviewers = Group.objects.get(name="Case reviewer")
    client = signed_in(superuser)
    page = client.get(change_url(editor))

    with emails_sent():
        response = client.post(
            change_url(editor),
            user_form_data(page, groups=[str(reviewers.pk), *map(str, editor.groups.values_list("pk", flat=True))]),
        )

    assert response.status_code == 302, response.content.decode()[:2000]
    editor.refresh_from_db()
    assert set(editor.groups.values_list("name", flat=True)) == {"Editor", "Case reviewer"}
    entry = LogEntry.objects.get(object_id=str(editor.pk), change_message__startswith="Granted")
    assert entry.user == superuser and entry.change_message == "Granted role Case reviewer."
    [email] = mailoutbox
    assert sorted(email.to) == sorted([superuser.email, other_superuser.email])
    assert "Granted role Case reviewer" in email.body and superuser.email in email.body


def test_a_role_change_owes_its_email_in_the_outbox_with_the_record_of_the_change(
    superuser, editor, mailoutbox, django_capture_on_commit_callbacks, broker
):
    reviewers = Group.objects.get(name="Case reviewer")
    client = signed_in(superuser)
    page = client.get(change_url(editor))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(change_url(editor), user_form_data(page, groups=[str(reviewers.pk)]))

    entry = LogEntry.objects.get(object_id=str(editor.pk), change_message__startswith="Granted")
    notification = Notification.objects.get(kind=Notification.Kind.STAFF_ROLES_CHANGED)
    assert notification.log_entry == entry and notification.sent_at is None
    assert mailoutbox == []  # not sent inside the request: by the retried task
    assert queued(broker) == [(task_names.NOTIFICATIONS_SEND, [[notification.pk]])]
    send_queued_emails(broker)
    [email] = mailoutbox
    assert email.to == [superuser.email] and "Granted role Case reviewer" in email.body
    assert Notification.objects.get(pk=notification.pk).sent_at is not None


def test_a_superuser_removing_a_role_is_recorded_too(superuser, editor, mailoutbox, emails_sent):
    client = signed_in(superuser)
    page = client.get(change_url(editor))

    with emails_sent():
        client.post(change_url(editor), user_form_data(page, groups=[], is_staff=None))

    editor.refresh_from_db()
    assert not editor.is_staff and not editor.groups.exists()
    entry = LogEntry.objects.get(object_id=str(editor.pk), change_message__startswith="Removed")
    assert entry.change_message == "Removed staff status; Removed role Editor."
    assert [email.to for email in mailoutbox] == [[superuser.email]]


def test_a_superuser_changing_a_roles_permissions_is_recorded_and_reported(superuser, mailoutbox, emails_sent):
    editors = Group.objects.get(name="Editor")
    added = Permission.objects.get(codename="view_case")
    url = reverse("admin:auth_group_change", args=[editors.pk])
    client = signed_in(superuser)
    permissions = [str(pk) for pk in editors.permissions.values_list("pk", flat=True)] + [str(added.pk)]

    with emails_sent():
        response = client.post(url, {"name": "Editor", "permissions": permissions})

    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get(object_id=str(editors.pk), change_message__startswith="Granted")
    assert entry.change_message == "Granted permission uploads.view_case."
    [email] = mailoutbox
    assert email.to == [superuser.email] and "uploads.view_case" in email.body


def test_a_superuser_deleting_a_role_says_whom_it_was_taken_from(superuser, editor, mailoutbox, emails_sent):
    editors = Group.objects.get(name="Editor")
    client = signed_in(superuser)

    with emails_sent():
        response = client.post(reverse("admin:auth_group_delete", args=[editors.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Group.objects.filter(name="Editor").exists() and not editor.groups.exists()
    entry = LogEntry.objects.get(object_id=str(editors.pk), change_message__startswith="Deleted the role")
    assert entry.change_message == f"Deleted the role Editor; Removed role Editor from {editor.email}."
    [email] = mailoutbox
    assert email.to == [superuser.email] and editor.email in email.body


def test_a_superuser_sets_the_credentials_a_reviewers_guidance_is_signed_with(superuser):
    reviewer = StaffFactory(email="ada@example.com", full_name="Dr Ada First", groups=["Case reviewer"])
    client = signed_in(superuser)
    page = client.get(change_url(reviewer))
    assert 'name="credentials"' in page.content.decode()

    response = client.post(change_url(reviewer), user_form_data(page, credentials="MD, Medical Oncology"))

    assert response.status_code == 302, response.content.decode()[:2000]
    reviewer.refresh_from_db()
    assert reviewer.signature == "Dr Ada First, MD, Medical Oncology"
