"""A reader becomes a patient in a real browser: from an article to a submitted case on their dashboard."""

import pytest
from django.urls import reverse
from selenium.webdriver.common.by import By

from tests.articles.conftest import publish
from tests.e2e.steps import pdf_of, photo, reader_submits_a_case, sign_in
from tests.factories import PASSWORD, ArticleFactory, CancerTypeFactory, ConsentTextFactory, StaffFactory, UserFactory
from tests.uploads.cases import complete_case
from tests.uploads.conftest import send_queued_emails
from uploads import task_names
from uploads.models import Case, CaseStatus, Lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_signs_up_consents_describes_uploads_and_submits(browser, live_server, mailoutbox, tmp_path, broker):
    stomach = CancerTypeFactory(name="Stomach cancer", slug="stomach-cancer", profile="stomach")
    editor = StaffFactory(email="editor@example.com", groups=["Editor"])
    reviewer = StaffFactory(email="reviewer@example.com", groups=["Medical reviewer"])
    article = publish(ArticleFactory(created_by=editor, cancer_type=stomach), editor, reviewer)
    broker.purge()  # the editorial emails its review owed are not this journey's
    ConsentTextFactory()
    records = {
        "pathology report.pdf": pdf_of(3 * 1024 * 1024, "Pathology"),
        "CT scan report.pdf": pdf_of(2 * 1024 * 1024, "CT"),
        "clinic letter photo.jpg": photo(1200, 900),
    }

    reader_submits_a_case(browser, live_server, mailoutbox, article, records, tmp_path)

    case = Case.objects.get()
    assert case.status == CaseStatus.SUBMITTED and case.documents.count() == 3
    assert case.lead.article == article and case.lead.utm_source == "newsletter"
    assert case.lead.step == Lead.Step.SUBMITTED
    # Each record was sent to be read as it arrived, then the case and its email at submission.
    documents = [
        (task_names.DOCUMENT_PROCESS, [pk]) for pk in case.documents.order_by("pk").values_list("pk", flat=True)
    ]
    [submitted] = case.notifications.values_list("pk", flat=True)
    assert [(t.name, t.args) for t in broker.queued_tasks()] == [
        *documents,
        (task_names.CASE_PROCESS, [case.pk]),
        (task_names.NOTIFICATIONS_SEND, [[submitted]]),
    ]
    assert send_queued_emails(broker) == 1
    assert [m.subject for m in mailoutbox][-1].startswith("Navis: We have your request")


def test_on_a_phone_the_file_chooser_is_big_enough_for_a_thumb(browser, live_server, broker):
    patient = UserFactory(email="phone@example.com")
    case = complete_case(patient, ConsentTextFactory())
    sign_in(browser, live_server, patient.email, PASSWORD, two_factor=False)
    browser.set_window_size(390, 844)

    browser.get(f"{live_server.url}{reverse('uploads:case_records', args=[case.public_id])}")

    chooser = browser.find_element(By.ID, "id_files").rect
    zone = browser.find_element(By.CSS_SELECTOR, "[data-drop-zone]").rect
    assert chooser["height"] >= 44, chooser
    # The width of the box it sits in, less the box's padding.
    assert chooser["width"] >= zone["width"] - 48, (chooser, zone)
