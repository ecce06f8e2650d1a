"""axe over every public and patient page, at 1280 px and 390 px: nothing critical or serious (issue 13).

One browser walks the whole list at each width, over data built once for the walk: a reader's pages, the account
pages a patient meets (signed out, then half-way through a two-factor sign-in, then signed in), each
step of a request, a case with released guidance and a follow-up, the account's own pages, and the
two-factor pages of an account that has it on, as staff meet them. Every page's findings are gathered,
so one run shows all that is wrong rather than the first page's.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse
from selenium.webdriver.common.by import By

from tests.e2e.axe import assert_accessible
from tests.e2e.steps import sign_in, wait_for
from tests.factories import PASSWORD, TOTP_SECRET, StaffFactory, UserFactory
from tests.uploads.cases import complete_case, release_guidance
from tests.uploads.review import waiting_case
from uploads.services import intake, review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = (1280, 800)
PHONE = (390, 844)


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    # Where the browser must end up, when the address redirects (a sign-up with `next`, say).
    lands_on: str = ""
    # Words the page must show, so that it is checked in the state it is listed for.
    shows: tuple[str, ...] = ()


@pytest.fixture
def site(consent_text, stomach_article):
    """Everything the pages show, made once for each walk with the factories and the real services."""
    article = stomach_article
    stomach = article.cancer_type

    patient = UserFactory(email="pat@example.com", full_name="Pat Example")
    # A second patient, with an authenticator app: the two-factor step of signing in.
    guarded = UserFactory(email="guarded@example.com")
    TOTP.activate(guarded, TOTP_SECRET)
    RecoveryCodes.activate(guarded)
    # Someone who has signed up and not yet opened the link we emailed them.
    unconfirmed = UserFactory(email="new@example.com", verified=False)
    confirmation = EmailConfirmationHMAC(EmailAddress.objects.get(user=unconfirmed))
    # The link in the password reset email.
    reset_key = default_token_generator.make_token(patient)
    reset_path = reverse("account_reset_password_from_key", args=[user_pk_to_url_str(patient), reset_key])

    submitted = waiting_case(patient, consent_text)
    answered = waiting_case(patient, consent_text)
    author = StaffFactory(email="author@example.com", full_name="Dr Author", groups=["Case reviewer"])
    review.case_claim(case=answered, user=author)
    release_guidance(answered, "Ask your team about **trastuzumab**, and whether a trial would suit you.")
    review.follow_up_ask(case=answered, user=patient, text="Would a trial near Leeds take me?")
    withdrawn = waiting_case(patient, consent_text)
    intake.case_withdraw(case=withdrawn, user=patient, notify=False)
    # A patient has one draft at a time: made last, ready to send, so each of its steps can be opened.
    draft = complete_case(patient, consent_text)

    public = [
        Page("home", reverse("home")),
        Page("cancer types", reverse("articles:cancer_type_list")),
        Page("a cancer type", stomach.get_absolute_url()),
        Page(
            "a cancer type's answers",
            reverse("articles:cancer_type_answers", args=[stomach.slug]),
            shows=(article.title,),
        ),
        Page("an article", article.get_absolute_url()),
        Page("printable questions", reverse("articles:questions", args=[article.slug])),
        Page("search with results", f"{reverse('articles:search')}?q=stomach", shows=(article.title,)),
        Page("search, nothing asked", reverse("articles:search")),
        Page("search, no match", f"{reverse('articles:search')}?q=stomch+cancr"),
        Page("not found", "/no-such-page/", shows=("We cannot find that page",)),
        Page("sign up", reverse("account_signup")),
        Page("get guidance, signed out", reverse("uploads:lead_start"), lands_on=reverse("account_signup")),
        Page("log in", reverse("account_login")),
        Page("password reset", reverse("account_reset_password")),
        Page("password reset sent", reverse("account_reset_password_done")),
        Page("new password", reset_path, lands_on=reset_path.replace(reset_key, "set-password")),
        Page("reset link used", reset_path.replace(reset_key, "used-up"), shows=("This link no longer works",)),
        Page("new password saved", reverse("account_reset_password_from_key_done")),
        Page("account closed", reverse("account_inactive")),
        Page("check your email", reverse("account_email_verification_sent")),
        Page("confirm your email", reverse("account_confirm_email", args=[confirmation.key])),
        Page("confirm link used", "/accounts/confirm-email/used-up/", shows=("This link has expired",)),
    ]
    patient_pages = [
        Page("your requests", reverse("uploads:dashboard")),
        Page("get guidance, signed in", reverse("uploads:lead_start"), lands_on=reverse("uploads:case_start")),
        Page("start a request", reverse("uploads:case_start")),
        Page("consent", reverse("uploads:case_consent", args=[draft.public_id])),
        Page("diagnosis", reverse("uploads:case_diagnosis", args=[draft.public_id])),
        Page("records", reverse("uploads:case_records", args=[draft.public_id])),
        Page("check", reverse("uploads:case_check", args=[draft.public_id])),
        Page("a submitted case", submitted.get_absolute_url()),
        Page("a case with guidance and a follow-up", answered.get_absolute_url(), shows=("trastuzumab", "near Leeds")),
        Page("a withdrawn case", withdrawn.get_absolute_url(), shows=("withdrew",)),
        Page("withdraw", reverse("uploads:case_withdraw", args=[submitted.public_id])),
        Page("a staff page", "/admin/", lands_on="/admin/login/"),
        Page("email addresses", reverse("account_email")),
        Page("two-factor", reverse("mfa_index")),
        Page("change your password", reverse("account_change_password")),
        Page("your data", reverse("uploads:account_export")),
        Page("delete your account", reverse("uploads:account_delete")),
        Page("password again", reverse("account_reauthenticate")),
    ]
    return {"public": public, "patient": patient_pages, "patient_user": patient, "guarded": guarded}


def visit(browser, live_server, page: Page) -> str:
    """Open the page and return what axe finds wrong there (empty when nothing critical or serious)."""
    browser.get(f"{live_server.url}{page.path}")
    return check(browser, page)


def check(browser, page: Page) -> str:
    """What is wrong with the page the browser has open: not the page listed, or what axe finds."""
    expected = page.lands_on or urlsplit(page.path).path
    landed = urlsplit(browser.current_url).path
    if landed != expected:
        return f"{page.name}: {page.path} went to {landed}, not {expected}"
    text = browser.find_element(By.TAG_NAME, "main").text
    if missing := [words for words in page.shows if words not in text]:
        return f"{page.name}: {page.path} does not show {missing}"
    try:
        assert_accessible(browser, page=f"{page.name} ({page.path})")
    except AssertionError as problem:
        return str(problem)
    return ""


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_every_public_and_patient_page_passes_axe(browser, live_server, site, size):
    browser.set_window_size(*size)
    problems = [visit(browser, live_server, page) for page in site["public"]]

    # Half-way through signing in with an authenticator app: the page that asks for its code.
    browser.get(f"{live_server.url}{reverse('account_login')}")
    browser.find_element(By.NAME, "login").send_keys(site["guarded"].email)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, lambda b: urlsplit(b.current_url).path == reverse("mfa_authenticate"))
    problems.append(check(browser, Page("two-factor code", reverse("mfa_authenticate"))))

    sign_in(browser, live_server, site["patient_user"].email, PASSWORD, two_factor=False)
    problems += [visit(browser, live_server, page) for page in site["patient"]]

    # Setting up an authenticator app asks for the password again first (the page just checked).
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, lambda b: urlsplit(b.current_url).path != reverse("account_reauthenticate"))
    problems.append(visit(browser, live_server, Page("set up an authenticator app", reverse("mfa_activate_totp"))))

    # Asking for a copy of their data: the page that says the download has started (the zip itself is not kept).
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "deny"})
    browser.get(f"{live_server.url}{reverse('uploads:account_export')}")
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    started = reverse("uploads:account_export_started")
    wait_for(browser, lambda b: urlsplit(b.current_url).path == started)
    problems.append(check(browser, Page("your download has started", started)))
    # An account whose only address is not confirmed (an address changed, say) is stopped before the intake pages.
    EmailAddress.objects.filter(user=site["patient_user"]).update(verified=False)
    problems.append(
        visit(
            browser,
            live_server,
            Page(
                "confirm your address first", reverse("uploads:case_start"), shows=("Confirm your email address first",)
            ),
        )
    )
    problems.append(visit(browser, live_server, Page("log out", reverse("account_logout"))))

    # The two-factor pages of an account that has it on, as every member of staff has.
    sign_in(browser, live_server, site["guarded"].email, PASSWORD, two_factor=True)
    problems.append(visit(browser, live_server, Page("two-factor, on", reverse("mfa_index"), shows=("It is on",))))
    problems.append(visit(browser, live_server, Page("security code again", reverse("mfa_reauthenticate"))))
    browser.get(f"{live_server.url}{reverse('account_reauthenticate')}")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(browser, lambda b: urlsplit(b.current_url).path != reverse("account_reauthenticate"))
    for page in (
        Page("turn off two-factor", reverse("mfa_deactivate_totp")),
        Page("recovery codes", reverse("mfa_view_recovery_codes")),
        Page("new recovery codes", reverse("mfa_generate_recovery_codes")),
    ):
        problems.append(visit(browser, live_server, page))

    found = [problem for problem in problems if problem]
    assert not found, "\n\n".join(found)
