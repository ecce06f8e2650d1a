import pytest
from django.db import DatabaseError, connection, transaction

from uploads.models import AccessLog

pytestmark = pytest.mark.django_db


def test_the_access_log_refuses_update_and_delete_on_postgresql():
    assert connection.vendor == "postgresql"
    entry = AccessLog.objects.create(action=AccessLog.Action.VIEW_CASE, user_email="staff@example.com")

    with pytest.raises(DatabaseError, match="append-only: UPDATE"), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).update(user_email="someone.else@example.com")
    with pytest.raises(DatabaseError, match="append-only: DELETE"), transaction.atomic():
        AccessLog.objects.filter(pk=entry.pk).delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM uploads_accesslog")

    entry.refresh_from_db()
    assert entry.user_email == "staff@example.com"


def test_deleting_what_a_row_names_leaves_the_row(django_user_model):
    user = django_user_model.objects.create_user("gone@example.com", "a long test password")
    AccessLog.objects.create(action=AccessLog.Action.EXPORT, user=user, user_email=user.email)

    user.delete()

    entry = AccessLog.objects.get()
    assert entry.user_id is not None and entry.user_email == "gone@example.com"
