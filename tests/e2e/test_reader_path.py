"""A new reader in a real browser, on a laptop and on a phone: from the home page to the guidance sign-up."""

import base64
import io

import pytest
from pypdf import PdfReader
from selenium.webdriver.common.by import By
from selenium.webdriver.common.print_page_options import PrintOptions
from selenium.webdriver.support import expected_conditions

from tests.e2e.steps import wait_for
from uploads.models import Lead

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = (1280, 800)
PHONE = (390, 844)
CALL_TO_ACTION = "Upload your records for guidance specific to your case"


def on_first_screen(browser, element) -> bool:
    """Whether the element starts above the bottom of the window, with nothing scrolled."""
    return browser.execute_script(
        "return window.scrollY === 0 && arguments[0].getBoundingClientRect().top < window.innerHeight;", element
    )


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_a_new_reader_goes_from_the_home_page_to_the_guidance_sign_up_without_an_article(
    browser, live_server, stomach_article, size
):
    browser.set_window_size(*size)
    browser.get(f"{live_server.url}/")

    offer = browser.find_element(By.ID, "offer-guidance-title")
    assert offer.text == "Get guidance on your own case"
    if size == LAPTOP:
        assert on_first_screen(browser, browser.find_element(By.LINK_TEXT, CALL_TO_ACTION))
    button = browser.find_element(By.LINK_TEXT, CALL_TO_ACTION)
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    button.click()

    wait_for(browser, expected_conditions.title_contains("Create an account"))
    assert browser.find_element(By.ID, "id_email").is_displayed()
    lead = Lead.objects.get()
    assert lead.article is None and lead.step == Lead.Step.CLICKED


def test_a_reader_finds_the_offer_on_a_cancer_type_page_too(browser, live_server, stomach_article):
    browser.get(f"{live_server.url}/")
    browser.find_element(By.LINK_TEXT, "Stomach cancer").click()
    wait_for(browser, expected_conditions.title_contains("Stomach cancer"))

    assert "begin in the lining" in browser.find_element(By.ID, "overview-title").find_element(By.XPATH, "..").text
    browser.find_element(By.LINK_TEXT, CALL_TO_ACTION).click()

    wait_for(browser, expected_conditions.title_contains("Create an account"))


def test_on_a_phone_the_answer_starts_on_the_first_screen(browser, live_server, stomach_article):
    browser.set_window_size(*PHONE)
    browser.get(f"{live_server.url}{stomach_article.get_absolute_url()}")

    answer = browser.find_element(By.CSS_SELECTOR, ".article__body p")
    assert answer.text == "The short answer first."
    assert on_first_screen(browser, answer)


def test_the_questions_print_on_one_sheet_of_a4(browser, live_server, stomach_article):
    browser.get(f"{live_server.url}{stomach_article.get_absolute_url()}")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Print these questions on one page").click()
    wait_for(browser, expected_conditions.title_contains("Questions to ask your oncology team"))

    a4 = PrintOptions()
    a4.page_width, a4.page_height = 21.0, 29.7  # centimetres: the browser's own default is US Letter
    pdf = PdfReader(io.BytesIO(base64.b64decode(browser.print_page(a4))))

    [page] = pdf.pages
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5  # A4 in points
    text = page.extract_text()
    assert "Question 1:" in text and "Question 8:" in text and "My own questions and notes" in text
