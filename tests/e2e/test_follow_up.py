"""A follow-up question in a real browser (issue 12, acceptance 2).

The patient asks about their released guidance; the guidance's author is emailed and finds the case
in the queue with the question's own due date; they answer, a second reviewer releases the answer
after confirming, and the patient reads it below their question. Throughout, the patient's tracker
keeps the first guidance shown as delivered.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from tests.e2e.steps import click, message_says, releases_after_confirming, sign_in, wait_for
from tests.factories import PASSWORD, StaffFactory, UserFactory
from tests.uploads.conftest import send_queued_emails
from tests.uploads.review import waiting_case
from uploads.models import CaseStatus
from uploads.services import review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def guidance_step(browser) -> str:
    """The state the patient's tracker shows the "Guidance ready" step in."""
    step = browser.find_element(By.XPATH, "//li[contains(@class, 'timeline__step')][contains(., 'Guidance ready')]")
    return re.search(r"timeline__step--(\w+)", step.get_attribute("class")).group(1)


def test_a_follow_up_reaches_its_author_with_its_own_due_date_and_the_answer_reaches_the_patient(
    browser, live_server, mailoutbox, broker, consent_text
):
    patient = UserFactory(email="pat@example.com")
    first = StaffFactory(email="first.reviewer@example.com", full_name="Dr First", groups=["Case reviewer"])
    second = StaffFactory(email="second.reviewer@example.com", full_name="Dr Second", groups=["Case reviewer"])
    case = waiting_case(patient, consent_text)
    review.case_claim(case=case, user=first)
    review.guidance_send_for_sign_off(case=case, author=first, body="Ask your team about **trastuzumab**.")
    review.guidance_release(guidance=case.guidance.get(), user=second)
    broker.purge()
    reference = str(case.public_id)[:8].upper()

    # The patient asks.
    sign_in(browser, live_server, patient.email, PASSWORD, two_factor=False)
    browser.get(f"{live_server.url}{case.get_absolute_url()}")
    browser.find_element(By.ID, "id_text").send_keys("Would a trial near Leeds take me?")
    click(browser, "Send your question")
    wait_for(
        browser, expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, ".messages"), "question is sent")
    )
    question = case.follow_ups.get()
    page = browser.find_element(By.TAG_NAME, "main").text
    assert f"We will answer by {timezone.localtime(question.due_at):%A %-d %B %Y}" in page
    assert guidance_step(browser) == "done"

    # The guidance's author is emailed, and the queue shows the case with the question's due date.
    send_queued_emails(broker)
    (to_author,) = [message for message in mailoutbox if message.to == [first.email]]
    assert to_author.subject == f"Case {reference.lower()} has a follow-up question"
    assert "Would a trial" not in to_author.body
    case_path = urlsplit(re.search(r"https?://\S+/admin/uploads/case/\d+/\S*", to_author.body).group(0)).path
    sign_in(browser, live_server, first.email, PASSWORD, two_factor=True)
    browser.get(f"{live_server.url}/admin/")
    assert "Follow-ups waiting: 1" in browser.find_element(By.ID, "content").text
    browser.find_element(By.PARTIAL_LINK_TEXT, "Follow-ups waiting").click()
    row = browser.find_element(By.XPATH, f"//tr[.//a[normalize-space()='{reference}']]").text
    assert timezone.localtime(question.due_at).strftime("%d %b %H:%M") in row and "Dr First" in row

    # The author answers beside the question, with a preview, and sends it for sign-off.
    browser.get(f"{live_server.url}{case_path}")
    assert "to be answered by Dr First" in browser.find_element(By.ID, "content").text
    aside = browser.find_element(By.CSS_SELECTOR, ".guidance-aside").text
    assert "Would a trial near Leeds take me?" in aside
    editor = browser.find_element(By.ID, "guidance-body")
    editor.clear()
    editor.send_keys("The **LEEDS-2** trial is recruiting: ask your oncologist about it.")
    click(browser, "Preview")
    preview = wait_for(browser, expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".guidance-preview")))
    assert "The LEEDS-2 trial is recruiting" in preview.text
    click(browser, "Send for sign-off")
    message_says(browser, "sent for sign-off")

    # A second reviewer releases it, after confirming.
    sign_in(browser, live_server, second.email, PASSWORD, two_factor=True)
    releases_after_confirming(browser, live_server, case_path)

    # The patient reads the answer below their question; the guidance stays delivered.
    sign_in(browser, live_server, patient.email, PASSWORD, two_factor=False)
    browser.get(f"{live_server.url}{case.get_absolute_url()}")
    thread = browser.find_element(By.ID, "guidance").text
    assert thread.index("trastuzumab") < thread.index("Would a trial near Leeds") < thread.index("LEEDS-2")
    assert "We will answer by" not in thread
    assert guidance_step(browser) == "done"
    case.refresh_from_db()
    assert case.status == CaseStatus.GUIDANCE_READY
