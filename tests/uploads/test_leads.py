"""The article's call to action records a lead, carried through sign-up to the case it leads to."""

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from django.core import mail
from django.urls import reverse

from articles.models import Article
from tests.articles.conftest import publish
from tests.factories import ArticleFactory, CancerTypeFactory, StaffFactory, UserFactory
from tests.logins import log_in
from uploads.forms import LEAD_SESSION_KEY
from uploads.models import Case, Lead
from uploads.services import intake

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(editor, reviewer) -> Article:
    stomach = CancerTypeFactory(name="Stomach cancer", slug="stomach-cancer")
    return publish(ArticleFactory(created_by=editor, cancer_type=stomach, slug="what-is-her2"), editor, reviewer)


@pytest.fixture
def editor(db):
    return StaffFactory(email="editor@example.com", groups=["Editor"])


@pytest.fixture
def reviewer(db):
    return StaffFactory(email="reviewer@example.com", groups=["Medical reviewer"])


def sign_up(client, email: str = "reader@example.com", **extra) -> None:
    response = client.post(
        reverse("account_signup"),
        {"email": email, "password1": "a long enough passphrase", "password2": "a long enough passphrase", **extra},
    )
    assert response.status_code == 302, response.content.decode()


def test_the_article_call_to_action_links_to_lead_capture_with_the_article_and_campaign(client, article):
    html = client.get(article.get_absolute_url() + "?utm_source=newsletter&utm_campaign=spring&other=x").content

    link = re.search(
        rb'<a class="button" href="([^"]+)" rel="nofollow">Upload your records for guidance specific', html
    )
    assert link.group(1).decode().replace("&amp;", "&") == (
        "/get-guidance/?article=what-is-her2&utm_source=newsletter&utm_campaign=spring"
    )


def test_a_click_records_the_article_campaign_referrer_and_time_then_goes_to_sign_up(client, article):
    response = client.get(
        "/get-guidance/?article=what-is-her2&utm_source=newsletter&utm_medium=email&utm_campaign=spring"
        "&utm_term=her2&utm_content=button",
        headers={"referer": "https://navis.example/answers/what-is-her2/?utm_source=newsletter"},
    )

    lead = Lead.objects.get()
    assert lead.article == article and lead.step == Lead.Step.CLICKED and lead.created_at
    assert (lead.utm_source, lead.utm_medium, lead.utm_campaign, lead.utm_term, lead.utm_content) == (
        "newsletter",
        "email",
        "spring",
        "her2",
        "button",
    )
    assert lead.referrer == "https://navis.example/answers/what-is-her2/?utm_source=newsletter"
    assert response.url == "/accounts/signup/?next=%2Fcases%2Fnew%2F"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_reloading_the_link_before_signing_up_is_the_same_lead(client, article):
    client.get("/get-guidance/?article=what-is-her2")
    client.get("/get-guidance/?article=what-is-her2")

    assert Lead.objects.count() == 1


def test_a_strange_referrer_or_an_unknown_article_is_not_kept(client):
    client.get("/get-guidance/?article=no-such-article", headers={"referer": "javascript:alert(1)"})

    lead = Lead.objects.get()
    assert lead.article is None and lead.referrer == ""


def test_the_lead_is_carried_through_sign_up_and_into_the_case(client, article, consent_text, mailoutbox):
    client.get("/get-guidance/?article=what-is-her2&utm_source=newsletter")
    page = client.get(reverse("account_signup")).content.decode()
    checkbox = re.search(r'<input type="checkbox" name="contact_consent"[^>]*>', page).group(0)
    assert "checked" not in checkbox

    sign_up(client)

    lead = Lead.objects.get()
    assert lead.user.email == "reader@example.com" and lead.step == Lead.Step.SIGNED_UP
    assert lead.contact_consent is False
    assert LEAD_SESSION_KEY not in client.session
    case = intake.case_start(user=lead.user)
    assert case.lead == lead and case.lead.article == article


def test_ticking_contact_consent_is_recorded_on_the_lead(client, article):
    client.get("/get-guidance/?article=what-is-her2")

    sign_up(client, contact_consent="on")

    assert Lead.objects.get().contact_consent is True


def test_signing_up_without_a_click_still_starts_a_lead(client):
    sign_up(client, email="direct@example.com")

    lead = Lead.objects.get()
    assert lead.article is None and lead.user.email == "direct@example.com" and lead.step == Lead.Step.SIGNED_UP


def test_a_signed_in_patient_who_clicks_goes_straight_to_their_request(client, article, patient):
    client.force_login(patient)

    response = client.get("/get-guidance/?article=what-is-her2")

    assert response.url == reverse("uploads:case_start")
    assert Lead.objects.get().user == patient


def test_the_site_loads_no_third_party_tracking_script(client, article):
    for url in [article.get_absolute_url(), reverse("account_signup"), reverse("home")]:
        html = client.get(url).content.decode()
        for src in re.findall(r'<script[^>]*src="([^"]+)"', html):
            assert src.startswith("/static/"), (url, src)
        assert "google-analytics" not in html and "gtag(" not in html and "facebook" not in html


# --- The admin --------------------------------------------------------------------------------


@pytest.fixture
def leads(article):
    other = ArticleFactory(cancer_type=CancerTypeFactory(name="Lung cancer", slug="lung-cancer"))
    patient = UserFactory(email="consented@example.com")
    silent = UserFactory(email="silent@example.com")
    return [
        Lead.objects.create(
            article=article,
            utm_source="newsletter",
            step=Lead.Step.CLICKED,
            created_at=datetime(2025, 6, 1, 9, 30, tzinfo=UTC),
        ),
        Lead.objects.create(
            article=article,
            utm_source='=HYPERLINK("http://evil")',
            user=patient,
            contact_consent=True,
            step=Lead.Step.SUBMITTED,
        ),
        Lead.objects.create(article=other, user=silent, contact_consent=False, step=Lead.Step.SIGNED_UP),
    ]


def admin_list(client, **filters) -> str:
    return client.get(reverse("admin:uploads_lead_changelist"), filters).content.decode()


def test_staff_filter_leads_by_article_cancer_type_date_and_step(admin_client, leads, article):
    changelist = admin_list(admin_client)
    for title in ("cancer type", "step", "article", "created at"):
        assert f"By {title}" in changelist, title
    assert "3 leads" in changelist

    assert "1 lead" in admin_list(admin_client, step="submitted")
    assert "2 leads" in admin_list(admin_client, article__id__exact=article.pk)
    assert "2 leads" in admin_list(admin_client, cancer_type=article.cancer_type_id)
    assert "1 lead" in admin_list(admin_client, created_at__year="2025")


def test_the_cancer_type_filter_finds_a_lead_by_the_type_given_in_its_case(admin_client, leads, consent_text):
    lung = leads[2].article.cancer_type
    Case.objects.create(owner=leads[1].user, lead=leads[1], cancer_type=lung)

    assert "2 leads" in admin_list(admin_client, cancer_type=lung.pk)


def test_the_csv_export_follows_the_filters_names_only_those_who_agreed_and_defuses_formulas(
    admin_client, leads, article
):
    response = admin_client.get(reverse("admin:uploads_lead_export"), {"article__id__exact": article.pk})

    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="leads-')
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [r["step"] for r in rows] == ["Clicked the call to action", "Submitted a case"]
    assert rows[0]["article"] == article.title and rows[0]["cancer_type"] == "Stomach cancer"
    assert rows[1]["email"] == "consented@example.com" and rows[1]["contact_consent"] == "yes"
    assert rows[1]["utm_source"] == '\'=HYPERLINK("http://evil")'
    everything = b"".join(admin_client.get(reverse("admin:uploads_lead_export")).streaming_content).decode()
    assert "silent@example.com" not in everything
    assert 'href="/admin/uploads/lead/export.csv' in admin_list(admin_client)


def test_staff_without_permission_cannot_export_leads(client, leads):
    log_in(client, StaffFactory(email="nobody@example.com").email)

    assert client.get(reverse("admin:uploads_lead_export")).status_code == 403
    assert not mail.outbox
