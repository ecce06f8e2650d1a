"""The admin pages staff use all day, in a real browser at a desktop's width and a phone's (issue 12).

Each page fits its width: nothing wider than the window, and at 1280 px no list or table that clips
its columns behind a scroll bar. On a phone, the review queue's and the article form's row tables may
scroll inside their own box (Django's way), never the page. axe (tests/e2e/axe.py) finds nothing
critical or serious on any of them (acceptance 4). The article form names every input of its row
tables, and brings its first error into view.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from articles import services as article_services
from tests.e2e import axe
from tests.e2e.steps import sign_in, wait_for
from tests.factories import PASSWORD, ArticleFactory, CaseFactory, DocumentFactory, StaffFactory
from tests.uploads import samples
from tests.uploads.test_processing import run_pipeline
from uploads.models import CaseStatus
from uploads.services import review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP, PHONE = 1280, 390
# Boxes Django lets scroll sideways on a narrow screen: the rows of a list, a form's row tables.
SCROLL_BOXES_ON_A_PHONE = ".results, .inline-group"
# What overflows its box on purpose or by nature: form controls, text hidden for screen readers.
OVERFLOW = """
const overflowing = [];
for (const element of document.querySelectorAll('body *')) {
  const style = getComputedStyle(element);
  if (element.matches('input, textarea, select, button, .visually-hidden, .visually-hidden *, thead')) continue;
  if (element.matches(arguments[0]) || style.overflowX === 'visible' || element.clientWidth === 0) continue;
  if (element.scrollWidth > element.clientWidth + 1) {
    const by = element.scrollWidth - element.clientWidth;
    overflowing.push(`${element.tagName.toLowerCase()}.${element.className} by ${by} px`);
  }
}
const page = document.documentElement;
return {wider_than_the_window: Math.max(0, page.scrollWidth - page.clientWidth), clipped: overflowing};
"""


@pytest.fixture
def workbench(broker):
    """A reviewer who also edits and reviews articles, a case awaiting their sign-off, an article of two revisions."""
    staff = StaffFactory(
        email="all.rounder@example.com",
        full_name="Dr Alexandra Allrounder-Smythe",
        groups=["Case reviewer", "Editor", "Medical reviewer"],
    )
    author = StaffFactory(email="author@example.com", full_name="Dr Wendy Writer-Longname", groups=["Case reviewer"])
    case = CaseFactory()
    DocumentFactory(
        case=case,
        content=samples.pathology_report_pdf(),
        original_name="Histopathology report from Harbourside General Hospital March 2026.pdf",
    )
    DocumentFactory(
        case=case,
        content=samples.text_pdf(samples.CLINIC_LETTER),
        original_name="clinic_letter_upper_gi_oncology_harbourside_2026-04-02_final_version.pdf",
    )
    run_pipeline(case)
    # Beside it in the queue, an overdue one: the widest due date the queue shows.
    CaseFactory(status=CaseStatus.WAITING_FOR_REVIEW, due_at=timezone.now() - timedelta(days=1))
    review.case_claim(case=case, user=author)
    review.guidance_send_for_sign_off(
        case=case, author=author, body="## What your records show\n\nAsk your team about **trastuzumab**."
    )
    article = ArticleFactory(created_by=staff)
    article_services.article_revision_record(article=article, user=staff)
    article.body += "\n\nWhat to ask at your next appointment, and who can help."
    article.save()
    article_services.article_revision_record(article=article, user=staff)
    return staff, case, article


def admin_pages(case, article) -> dict[str, str]:
    return {
        "admin home": reverse("admin:index"),
        "review queue": reverse("admin:uploads_case_changelist"),
        "case page": reverse("admin:uploads_case_change", args=[case.pk]),
        "articles": reverse("admin:articles_article_changelist"),
        "new article": reverse("admin:articles_article_add"),
        "article": reverse("admin:articles_article_change", args=[article.pk]),
        "revision diff": reverse("admin:articles_article_revision", args=[article.pk, 2]),
    }


def window_width(browser, width: int) -> None:
    """Lay the page out as a device of this width would: below 800 px a phone's, with its overlay scroll bars.

    (A desktop window of 390 px would lose 15 px of it to a scroll bar, which no phone does.)
    """
    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 800}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def fit_and_axe(browser, width: int) -> dict:
    """How far the open page overflows, and what axe finds critical or serious on it."""
    found = browser.execute_script(OVERFLOW, SCROLL_BOXES_ON_A_PHONE if width == PHONE else ":not(*)")
    blocking = [violation for violation in axe.violations(browser) if violation["impact"] in axe.BLOCKING]
    return {**found, "axe": axe.report(blocking)}


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_every_admin_page_of_the_journeys_fits_a_desktop_and_a_phone_and_passes_axe(
    browser, live_server, workbench, width
):
    staff, case, article = workbench
    sign_in(browser, live_server, staff.email, PASSWORD, two_factor=True)
    window_width(browser, width)

    seen = {}
    for name, path in admin_pages(case, article).items():
        browser.get(f"{live_server.url}{path}")
        seen[name] = fit_and_axe(browser, width)
    browser.get(f"{live_server.url}{admin_pages(case, article)['case page']}")
    browser.find_element(By.XPATH, "//button[normalize-space()='Sign off and release to the patient…']").click()
    wait_for(browser, expected_conditions.title_contains("Release this guidance to the patient?"))
    seen["release confirmation"] = fit_and_axe(browser, width)

    assert seen == {name: {"wider_than_the_window": 0, "clipped": [], "axe": ""} for name in seen}


def test_the_article_form_labels_every_row_input_and_brings_the_first_error_into_view(browser, live_server, workbench):
    staff, _, article = workbench
    sign_in(browser, live_server, staff.email, PASSWORD, two_factor=True)
    window_width(browser, DESKTOP)
    browser.get(f"{live_server.url}{reverse('admin:articles_article_change', args=[article.pk])}")

    unlabelled = browser.execute_script(
        "return [...document.querySelectorAll('.inline-group tr:not(.empty-form) :is(input, select, textarea)')]"
        ".filter(input => input.type !== 'hidden' && !input.labels.length && !input.getAttribute('aria-label'))"
        ".map(input => input.name);"
    )
    assert unlabelled == []
    assert browser.find_element(By.ID, "id_sources-0-title").get_attribute("aria-label") == "Title, article source 1"

    # A source's link, far down the form, is not a web address: the page comes back with it in view.
    browser.find_element(By.ID, "id_sources-0-title").send_keys("Gastric cancer guideline")
    browser.find_element(By.ID, "id_sources-0-url").send_keys("not a link at all")
    browser.find_element(By.NAME, "_continue").click()
    wait_for(browser, expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".errornote")))
    focused = browser.switch_to.active_element
    assert focused.get_attribute("id") == "id_sources-0-url"
    assert browser.execute_script(
        "const box = arguments[0].getBoundingClientRect(); return box.top >= 0 && box.bottom <= window.innerHeight;",
        focused,
    )
