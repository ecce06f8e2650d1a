import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def assert_site_page_with_ways_back(html: str) -> None:
    assert '<link rel="stylesheet" href="/static/css/site.css' in html
    assert '<a class="site-header__brand" href="/">' in html
    assert '<a href="/">Go to the home page</a>' in html
    assert '<a href="/search/">Search our answers</a>' in html


def test_a_missing_page_is_the_sites_own_404_with_ways_back(client):
    response = client.get("/answers/no-such-answer/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "We cannot find that page" in html
    assert_site_page_with_ways_back(html)


def test_a_patient_opening_the_staff_pages_gets_a_kind_403_and_their_requests(client):
    client.force_login(UserFactory())

    response = client.get(reverse("admin:index"), follow=True)

    assert response.status_code == 403
    html = response.content.decode()
    assert "This page is for the Navis team" in html
    assert "403 Forbidden" not in html
    assert f'<a href="{reverse("uploads:dashboard")}">Go to your requests</a>' in html
    assert_site_page_with_ways_back(html)


@pytest.mark.urls("tests.navis.error_urls")
def test_a_failing_page_is_the_sites_own_500_with_ways_back(client):
    client.raise_request_exception = False

    response = client.get("/fails/")

    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, something went wrong on our side" in html
    assert_site_page_with_ways_back(html)


@pytest.mark.parametrize("name", ["home", "articles:cancer_type_list", "articles:search", "sitemap", "healthz"])
def test_pages_answer_head_as_uptime_monitors_ask(client, name):
    response = client.head(reverse(name))

    assert response.status_code == 200
    assert response.content == b""


def test_the_favicon_is_served_at_the_root_and_linked_from_every_page(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file's signature
    html = client.get(reverse("home")).content.decode()
    assert '<link rel="icon" href="/favicon.ico"' in html
    assert '<link rel="icon" href="/static/img/icon.svg" type="image/svg+xml">' in html
