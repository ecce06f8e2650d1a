import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_home_page_has_one_h1_landmarks_and_a_skip_link(client):
    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and 'aria-label="Main"' in html
    assert '<meta name="viewport"' in html


def test_pages_carry_a_strict_content_security_policy_and_no_framing(client):
    response = client.get(reverse("home"))

    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_load_no_third_party_script(client):
    html = client.get(reverse("home")).content.decode()

    for src in re.findall(r'<script[^>]*src="([^"]+)"', html):
        assert src.startswith("/static/")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script found"


def test_every_response_carries_a_request_id(client):
    response = client.get(reverse("healthz"), headers={"X-Request-ID": "req-123"})

    assert response.headers["X-Request-ID"] == "req-123"
