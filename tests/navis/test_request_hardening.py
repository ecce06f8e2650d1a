"""Control characters in a request are refused with 400; patient pages are never cached."""

import pytest
from django.urls import reverse

NUL_URLS = ["/search/?q=%00", "/get-guidance/?article=%00", "/?utm_source=%00x", "/search/?q=a%01b"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", NUL_URLS)
def test_a_control_character_in_the_query_string_is_a_400(client, url):
    response = client.get(url)

    assert response.status_code == 400


@pytest.mark.django_db
def test_a_control_character_in_an_admin_list_filter_is_a_400(admin_client):
    response = admin_client.get(reverse("admin:uploads_case_changelist") + "?status=%00")

    assert response.status_code == 400


@pytest.mark.django_db
def test_an_ordinary_query_string_still_works(client):
    assert client.get("/search/?q=stomach").status_code == 200


@pytest.mark.django_db
def test_patient_pages_are_sent_with_no_store(patient_client):
    for url in (reverse("uploads:dashboard"), reverse("uploads:case_start"), reverse("account_email")):
        response = patient_client.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


@pytest.mark.django_db
def test_the_sign_in_page_is_sent_with_no_store(client):
    assert "no-store" in client.get(reverse("account_login"))["Cache-Control"]


@pytest.mark.django_db
def test_every_response_has_a_permissions_policy(client):
    response = client.get("/")

    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
