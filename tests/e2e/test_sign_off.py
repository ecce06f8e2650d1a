"""Guidance from writing to the patient's letter in a real browser (issue 12, acceptance 1).

Reviewer A writes with a preview and sends it for sign-off; reviewer B asks for changes with a comment;
A is emailed, revises and sends it again; B releases it. The patient reads it naming both, with their
credentials, and downloads the PDF letter, in which pdftotext finds the names, the answer and the reference.
"""

import time
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions

from tests.e2e.steps import (
    click,
    message_says,
    releases_after_confirming,
    resume_session,
    session_cookies,
    sign_in,
    wait_for,
)
from tests.factories import PASSWORD, StaffFactory, UserFactory
from tests.uploads.conftest import send_queued_emails
from tests.uploads.files import pdf_text
from tests.uploads.review import waiting_case
from uploads.emails import case_reference
from uploads.models import CaseNote, CaseStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def downloaded(folder: Path, name: str, seconds: float = 20) -> bytes:
    """The file the browser saved in `folder`, once it has finished writing it."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if (folder / name).exists() and not list(folder.glob("*.crdownload")):
            return (folder / name).read_bytes()
        time.sleep(0.2)
    raise AssertionError(f"{name} was not downloaded; the folder holds {sorted(p.name for p in folder.iterdir())}")


def test_guidance_sent_back_revised_and_released_reaches_the_patient_as_a_signed_letter(
    browser, live_server, mailoutbox, broker, consent_text, tmp_path
):
    patient = UserFactory(email="pat@example.com")
    first = StaffFactory(
        email="ada@example.com", full_name="Dr Ada First", credentials="MD, Medical Oncology", groups=["Case reviewer"]
    )
    second = StaffFactory(
        email="ben@example.com", full_name="Dr Ben Second", credentials="FRCP", groups=["Case reviewer"]
    )
    case = waiting_case(patient, consent_text)
    reference = case_reference(case)
    case_path = f"/admin/uploads/case/{case.pk}/change/"

    # A claims the case, writes with a preview, and sends it for sign-off.
    sign_in(browser, live_server, first.email, PASSWORD, two_factor=True)
    browser.get(f"{live_server.url}{case_path}")
    click(browser, "Claim this case")
    editor = wait_for(browser, expected_conditions.presence_of_element_located((By.ID, "guidance-body")))
    editor.send_keys("Immunotherapy **may** be an option: ask your team about your PD-L1 score.")
    click(browser, "Preview")
    preview = wait_for(browser, expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".guidance-preview")))
    assert "Immunotherapy may be an option" in preview.text
    click(browser, "Send for sign-off")
    message_says(browser, "sent for sign-off")
    as_first = session_cookies(browser)

    # B asks for changes with a comment, after confirming.
    sign_in(browser, live_server, second.email, PASSWORD, two_factor=True)
    as_second = session_cookies(browser)
    browser.get(f"{live_server.url}{case_path}")
    browser.find_element(By.ID, "changes-comment").send_keys("Say which test gives the PD-L1 score (CPS).")
    click(browser, "Ask for changes…")
    wait_for(browser, expected_conditions.title_contains("Send this guidance back to its author?"))
    click(browser, "Yes, send it back")
    message_says(browser, "back with its author")
    assert CaseNote.objects.filter(case=case, body__contains="which test gives the PD-L1 score").exists()

    # A is emailed, revises and sends it again.
    send_queued_emails(broker)
    (to_author,) = [message for message in mailoutbox if message.to == [first.email]]
    assert "Changes asked for on your guidance" in to_author.subject
    resume_session(browser, as_first)
    browser.get(f"{live_server.url}{case_path}")
    assert "which test gives the PD-L1 score" in browser.find_element(By.ID, "content").text
    editor = browser.find_element(By.ID, "guidance-body")
    editor.clear()
    editor.send_keys("Immunotherapy **may** be an option: ask your team for your PD-L1 combined positive score (CPS).")
    click(browser, "Preview")
    wait_for(browser, expected_conditions.text_to_be_present_in_element((By.CSS_SELECTOR, ".guidance-preview"), "CPS"))
    click(browser, "Send for sign-off")
    message_says(browser, "sent for sign-off")

    # B releases it, after confirming.
    resume_session(browser, as_second)
    releases_after_confirming(browser, live_server, case_path)
    case.refresh_from_db()
    assert case.status == CaseStatus.GUIDANCE_READY

    # The patient reads it, naming both reviewers, and downloads the letter.
    signed = "by Dr Ada First, MD, Medical Oncology and checked by Dr Ben Second, FRCP on"
    sign_in(browser, live_server, patient.email, PASSWORD, two_factor=False)
    browser.get(f"{live_server.url}{case.get_absolute_url()}")
    guidance = browser.find_element(By.ID, "guidance").text
    assert f"Written {signed}" in guidance and "combined positive score (CPS)" in guidance
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.find_element(By.LINK_TEXT, "Print or save as PDF").click()
    letter = pdf_text(downloaded(tmp_path, f"navis-guidance-{reference}.pdf"))
    assert f"Written {signed}" in letter
    assert "Immunotherapy may be an option: ask your team for your PD-L1 combined positive score (CPS)." in letter
    assert "Is immunotherapy an option for me?" in letter  # the question it answers
    assert f"Reference {reference}" in letter
