"""Control characters in a request are refused with 400; patient pages are never cached."""

import re

import pytest
from django.contrib import admin
from django.contrib.admin import SimpleListFilter
from django.urls import URLResolver, get_resolver, reverse

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


def _every_route(patterns=None, prefix: str = "") -> list[str]:
    """Every address the project serves, with a sample value in each of its parts."""
    samples = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000000", "path": "x"}
    routes = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        pattern = str(entry.pattern)
        if pattern.startswith("^"):
            # A regex route (the admin's app index): one of its values will do.
            pattern = re.sub(r"\(\?P<\w+>[^)]*\)", "x", pattern).strip("^$").replace("\\", "")
        pattern = re.sub(r"<(?:(\w+):)?\w+>", lambda match: samples.get(match[1] or "str", "x"), pattern)
        if isinstance(entry, URLResolver):
            routes.extend(_every_route(entry.url_patterns, prefix + pattern))
        else:
            routes.append("/" + prefix + pattern)
    return sorted(set(routes))


@pytest.mark.django_db
@pytest.mark.parametrize("route", _every_route())
def test_a_nul_byte_anywhere_in_a_request_to_any_route_is_a_400(client, route):
    """L3 on every address: in the query string, in the path and in a cookie."""
    assert client.get(route, {"q": "\x00"}).status_code == 400
    assert client.get(route + "%00").status_code == 400
    # The raw header, as a probe sends it: the test client would quote a cookie it set itself.
    assert client.get(route, HTTP_COOKIE="utm_source=a\x00b").status_code == 400


def _admin_list_filters() -> list[tuple[str, str]]:
    filters = []
    for model, model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for entry in (*model_admin.list_filter, "q", "o", "p"):
            if isinstance(entry, str):
                filters.append((url, entry))
            elif isinstance(entry, type) and issubclass(entry, SimpleListFilter):
                filters.append((url, entry.parameter_name))
            else:
                filters.append((url, entry[0] if isinstance(entry, tuple) else str(entry)))
    return filters


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "parameter"), _admin_list_filters())
def test_a_nul_byte_in_any_admin_list_filter_is_a_400(client, admin_user, url, parameter):
    # Signed in without the login pages: the filter is refused before any view or two-factor check.
    client.force_login(admin_user)
    assert client.get(url, {parameter: "\x00"}).status_code == 400
    assert client.get(url, {parameter: "a\x00"}).status_code == 400
