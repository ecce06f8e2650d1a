"""What a reader does in the browser, from an article to a submitted request: shared by the journeys."""

import io
import os
import re
import time

from PIL import Image
from pypdf import PdfWriter
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

from tests.factories import TOTP_SECRET
from tests.logins import fresh_totp_code

PASSWORD = "a long enough passphrase"
# Chromium sends uploads at this pace, so each file's progress can be seen moving.
UPLOAD_BYTES_PER_SECOND = 2 * 1024 * 1024


def pdf_of(size: int, title: str) -> bytes:
    """A valid PDF of about `size` bytes (a file attached to it makes up the bulk)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    writer.add_attachment("scan.bin", os.urandom(size))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def photo(width: int, height: int) -> bytes:
    """A JPEG of noise: it does not compress, so it is as large as a real phone photo."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def wait_for(browser, condition, seconds: float = 20):
    return WebDriverWait(browser, seconds).until(condition)


def sign_in(browser, live_server, email: str, password: str, *, two_factor: bool) -> None:
    """Sign in through the real pages, with the authenticator's code when the account has one."""
    browser.delete_all_cookies()
    browser.get(f"{live_server.url}/accounts/login/")
    browser.find_element(By.NAME, "login").send_keys(email)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    if two_factor:
        wait_for(browser, expected_conditions.presence_of_element_located((By.NAME, "code")))
        browser.find_element(By.NAME, "code").send_keys(fresh_totp_code(TOTP_SECRET))
        browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, lambda b: "/accounts/login/" not in b.current_url and "/2fa/" not in b.current_url)


def wait_for_status(case, status: str, seconds: float = 90) -> None:
    """Wait until the pipeline has moved the case to `status`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        case.refresh_from_db()
        if case.status == status:
            return
        time.sleep(0.5)
    raise AssertionError(f"the case is {case.status}, not {status}, after {seconds} s")


def starts_consents_and_chooses(browser, cancer_type: str) -> None:
    """From the start page: start a request, agree to every item, choose the type of cancer."""
    browser.find_element(By.XPATH, "//button[normalize-space()='Start']").click()
    wait_for(browser, expected_conditions.title_contains("Step 1 of 4"))
    for checkbox in browser.find_elements(By.CSS_SELECTOR, "input[type=checkbox]"):
        checkbox.click()
    browser.find_element(By.XPATH, "//button[contains(., 'I agree')]").click()

    wait_for(browser, expected_conditions.title_contains("Step 2 of 4"))
    Select(browser.find_element(By.ID, "id_cancer_type")).select_by_visible_text(cancer_type)
    # Choosing the type reloads the step with its questions.
    wait_for(browser, expected_conditions.text_to_be_present_in_element((By.TAG_NAME, "main"), "questions for"))


def reader_submits_a_case(browser, live_server, mailoutbox, article, records: dict[str, bytes], tmp_path) -> None:
    """Sign up from the article's call to action, verify, consent, describe, upload `records`, submit."""
    paths = []
    for name, content in records.items():
        (tmp_path / name).write_bytes(content)
        paths.append(str(tmp_path / name))

    # The article's call to action leads to sign-up.
    browser.get(f"{live_server.url}{article.get_absolute_url()}?utm_source=newsletter")
    browser.find_element(By.LINK_TEXT, "Upload your records for guidance specific to your case").click()
    wait_for(browser, expected_conditions.title_contains("Create an account"))
    browser.find_element(By.ID, "id_email").send_keys("reader@example.com")
    browser.find_element(By.ID, "id_password1").send_keys(PASSWORD)
    browser.find_element(By.ID, "id_password2").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form.stack-form button[type=submit]").click()
    wait_for(browser, expected_conditions.title_contains("Check your email"))

    # The link in the captured email confirms the address and signs the reader in.
    [message] = mailoutbox
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    browser.get(link)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, expected_conditions.title_contains("Get guidance on your case"))

    starts_consents_and_chooses(browser, "Stomach cancer")
    browser.find_element(By.CSS_SELECTOR, "input[name=stage][value='3']").click()
    browser.find_element(By.ID, "id_biomarker_her2").send_keys("2+ and ISH/FISH negative")
    browser.find_element(By.ID, "id_biomarker_pd_l1").send_keys("CPS 5")
    browser.find_element(By.ID, "id_questions").send_keys("Would immunotherapy help me?")
    browser.find_element(By.NAME, "continue").click()

    wait_for(browser, expected_conditions.title_contains("Step 3 of 4"))
    assert "up to 50.0 MB each" in browser.find_element(By.ID, "upload-limits").text
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 5, "downloadThroughput": -1, "uploadThroughput": UPLOAD_BYTES_PER_SECOND},
    )
    # Note every value each progress bar shows while the files go up.
    browser.execute_script(
        "window.seenProgress = {};"
        "setInterval(function () { document.querySelectorAll('.upload-result').forEach(function (row) {"
        "  var name = row.querySelector('.upload-result__name').textContent;"
        "  var bar = row.querySelector('progress');"
        "  (window.seenProgress[name] = window.seenProgress[name] || []).push(bar ? bar.value : null); }); }, 20);"
    )
    browser.find_element(By.ID, "id_files").send_keys("\n".join(paths))
    wait_for(
        browser,
        lambda b: "Finished:" in b.find_element(By.CSS_SELECTOR, "[data-upload-status]").text,
        seconds=60,
    )

    seen = browser.execute_script("return window.seenProgress;")
    for name in records:
        assert any(0 < value < 100 for value in seen[name] if value is not None), (name, seen[name])
    assert (
        f"Finished: {len(records)} uploaded, 0 not uploaded."
        in browser.find_element(By.CSS_SELECTOR, "[data-upload-status]").text
    )
    wait_for(browser, lambda b: len(b.find_elements(By.CSS_SELECTOR, ".document-list .document")) == len(records))
    # Each file listed once: its result row leaves as the list of records takes it.
    wait_for(browser, lambda b: not b.find_elements(By.CSS_SELECTOR, ".upload-result--ok"))
    listed = [item.text for item in browser.find_elements(By.CSS_SELECTOR, ".document__name, .upload-result__name")]
    assert sorted(listed) == sorted(records), listed

    browser.find_element(By.LINK_TEXT, "Continue").click()
    wait_for(browser, expected_conditions.title_contains("Step 4 of 4"))
    summary = browser.find_element(By.TAG_NAME, "main").text
    assert "Stomach cancer" in summary and "HER2: 2+ and ISH/FISH negative" in summary
    assert all(name in summary for name in records)
    browser.find_element(By.XPATH, "//button[normalize-space()='Submit my request']").click()

    wait_for(browser, expected_conditions.title_contains("Stomach cancer — sent"))
    assert "We have your request" in browser.find_element(By.CSS_SELECTOR, ".messages").text
    browser.find_element(By.LINK_TEXT, "Your requests").click()
    wait_for(browser, expected_conditions.title_contains("Your requests"))
    dashboard = browser.find_element(By.TAG_NAME, "main").text
    assert (
        f"{len(records)} records" in dashboard and "Submitted" in dashboard and "Waiting for a specialist" in dashboard
    )
