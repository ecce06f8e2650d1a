"""The whole journey in a real browser, as people would walk it.

A reader opens an article and follows its call to action, signs up, verifies, consents, uploads and
submits; a real worker runs the pipeline; a case reviewer with two-factor opens the case from the queue,
views a document and writes guidance; a second reviewer signs it off and releases it; the patient is
emailed and reads it on their dashboard.
"""

import re
from urllib.parse import urlsplit

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from tests.articles.conftest import publish
from tests.e2e.steps import PASSWORD as PATIENT_PASSWORD
from tests.e2e.steps import pdf_of, reader_submits_a_case, sign_in, wait_for, wait_for_status
from tests.factories import PASSWORD, ArticleFactory, CancerTypeFactory, ConsentTextFactory, StaffFactory
from tests.workers import celery_worker, purge_queues
from uploads.models import AccessLog, Case, CaseStatus, Guidance, Notification
from uploads.services import notifications

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_from_an_article_to_guidance_read_on_the_dashboard(browser, live_server, mailoutbox, tmp_path, worker_logs):
    stomach = CancerTypeFactory(name="Stomach cancer", slug="stomach-cancer", profile="stomach")
    editor = StaffFactory(email="editor@example.com", groups=["Editor"])
    medical = StaffFactory(email="medical@example.com", groups=["Medical reviewer"])
    article = publish(ArticleFactory(created_by=editor, cancer_type=stomach), editor, medical)
    ConsentTextFactory()
    first = StaffFactory(email="first.reviewer@example.com", full_name="Dr First", groups=["Case reviewer"])
    second = StaffFactory(email="second.reviewer@example.com", full_name="Dr Second", groups=["Case reviewer"])
    records = {"pathology report.pdf": pdf_of(1024 * 1024, "Pathology"), "CT report.pdf": pdf_of(600 * 1024, "CT")}
    purge_queues()

    with celery_worker(worker_logs):
        reader_submits_a_case(browser, live_server, mailoutbox, article, records, tmp_path)
        case = Case.objects.get()
        wait_for_status(case, CaseStatus.WAITING_FOR_REVIEW)

    # The first reviewer finds the case in the queue, reads a record, writes guidance.
    sign_in(browser, live_server, first.email, PASSWORD, two_factor=True)
    browser.get(f"{live_server.url}/admin/uploads/case/")
    reference = str(case.public_id)[:8].upper()
    browser.find_element(By.LINK_TEXT, reference).click()
    wait_for(browser, expected_conditions.title_contains(f"Case {reference}"))
    assert "Would immunotherapy help me?" in browser.find_element(By.ID, "content").text
    browser.find_element(By.XPATH, "//button[normalize-space()='Claim this case']").click()
    wait_for(browser, expected_conditions.presence_of_element_located((By.ID, "guidance-body")))
    safe_copy = browser.find_element(By.LINK_TEXT, "View safe copy").get_attribute("href")
    case_page = browser.current_url
    browser.get(safe_copy)
    browser.get(case_page)
    browser.find_element(By.ID, "guidance-body").send_keys(
        "## What your records show\n\nYour HER2 result means **trastuzumab** is worth asking about."
    )
    browser.find_element(By.XPATH, "//button[normalize-space()='Save draft']").click()
    wait_for(browser, expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, ".messagelist"), "saved"))
    browser.find_element(By.XPATH, "//button[normalize-space()='Send for sign-off']").click()
    wait_for(browser, expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, ".messagelist"), "sign-off"))

    # A second reviewer signs it off and releases it.
    sign_in(browser, live_server, second.email, PASSWORD, two_factor=True)
    browser.get(case_page)
    browser.find_element(By.XPATH, "//button[normalize-space()='Sign off and release to the patient…']").click()
    wait_for(browser, expected_conditions.title_contains("Release this guidance to the patient?"))
    browser.find_element(By.XPATH, "//button[normalize-space()='Yes, release it to the patient']").click()
    wait_for(browser, expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, ".messagelist"), "released"))

    # The patient is told to sign in (the task a worker runs, run here so the test can read the
    # email), and reads the guidance on their dashboard.
    owed = case.notifications.filter(kind=Notification.Kind.GUIDANCE_READY).values_list("pk", flat=True)
    assert notifications.notifications_send(notification_ids=list(owed)) == 1
    email = mailoutbox[-1]
    assert email.subject.endswith(f"Your guidance is ready ({reference})")
    assert "trastuzumab" not in email.body and "HER2" not in email.body
    dashboard_path = urlsplit(re.search(r"https?://\S+/cases/", email.body).group(0)).path
    sign_in(browser, live_server, "reader@example.com", PATIENT_PASSWORD, two_factor=False)
    browser.get(f"{live_server.url}{dashboard_path}")
    browser.find_element(By.LINK_TEXT, "Read your guidance").click()
    guidance = wait_for(browser, expected_conditions.presence_of_element_located((By.ID, "guidance")))
    assert "Your HER2 result means trastuzumab is worth asking about." in guidance.text

    case.refresh_from_db()
    assert case.status == CaseStatus.GUIDANCE_READY
    assert Guidance.objects.get(case=case).signed_off_by == second
    seen = set(AccessLog.objects.filter(case=case).values_list("user_email", "action"))
    assert (first.email, AccessLog.Action.VIEW_CASE) in seen and (first.email, AccessLog.Action.VIEW_DOCUMENT) in seen
