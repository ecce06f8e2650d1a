"""The guidance letter: a PDF a patient takes to their care team, naming who wrote and who checked it."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from tests.articles.conftest import publish
from tests.factories import ArticleFactory, StaffFactory, UserFactory
from tests.uploads.cases import complete_case, release_guidance
from tests.uploads.files import pdf_text
from tests.uploads.review import case_reviewer, signed_in, waiting_case
from uploads import letters
from uploads.emails import case_reference
from uploads.models import AccessLog, Case
from uploads.services import intake, review

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered_case(patient, consent_text, broker) -> Case:
    """A case from an article, its guidance written and checked by two reviewers, and a follow-up answered."""
    editor = StaffFactory(email="editor@example.com", groups=["Editor"])
    medical = StaffFactory(email="medical@example.com", groups=["Medical reviewer"])
    article = publish(ArticleFactory(created_by=editor, questions=0), editor, medical)
    article.questions.create(text="Which trials near me take HER2-positive cancers?")
    publish(article, editor, medical)
    first = case_reviewer("first@example.com", full_name="Dr Ada First", credentials="MD, Medical Oncology")
    second = case_reviewer("second@example.com", full_name="Dr Ben Second", credentials="FRCP")
    case = waiting_case(patient, consent_text)
    case.lead = intake.lead_record(article_slug=article.slug, utm={}, referrer="", user=patient)
    case.save(update_fields=["lead"])
    review.case_claim(case=case, user=first)
    guidance = review.guidance_send_for_sign_off(case=case, author=first, body="Ask your team about **trastuzumab**.")
    review.guidance_release(guidance=guidance, user=second)
    review.follow_up_ask(case=case, user=patient, text="Would a trial near Leeds take me?")
    answer = review.guidance_send_for_sign_off(case=case, author=first, body="The LEEDS-2 trial is recruiting.")
    review.guidance_release(guidance=answer, user=second)
    return case


def letter_url(case: Case) -> str:
    return reverse("uploads:case_letter", args=[case.public_id])


def test_the_letter_holds_the_guidance_the_questions_the_answers_and_who_wrote_and_checked_them(
    patient_client, answered_case
):
    response = patient_client.get(letter_url(answered_case))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reference = case_reference(answered_case)
    assert response["Content-Disposition"] == f'attachment; filename="navis-guidance-{reference}.pdf"'
    assert {"no-store", "private"} <= {d.strip() for d in response["Cache-Control"].split(",")}
    text = pdf_text(response.content)
    assert f"Reference {reference}" in text
    assert "Is immunotherapy an option for me?" in text  # the questions the patient sent with the case
    assert "Ask your team about trastuzumab." in text
    written = "by Dr Ada First, MD, Medical Oncology and checked by Dr Ben Second, FRCP on"
    assert text.count(written) == 2  # the guidance, and the answer to the follow-up
    assert text.index("trastuzumab") < text.index("Would a trial near Leeds take me?") < text.index("LEEDS-2")
    assert "Which trials near me take HER2-positive cancers?" in text  # from the article the patient came from
    # Nothing of the page's controls.
    for control in ("Send your question", "Ask a follow-up question", "Withdraw", "Add more records", "Print or save"):
        assert control not in text


def test_each_letter_taken_is_in_the_access_log(patient_client, patient, answered_case):
    patient_client.get(letter_url(answered_case))

    (entry,) = AccessLog.objects.filter(action=AccessLog.Action.DOWNLOAD_LETTER)
    assert (entry.user, entry.case, entry.document) == (patient, answered_case, None)


def test_staff_who_review_cases_take_the_letter_too_and_are_logged(answered_case):
    reviewer = case_reviewer("third@example.com", full_name="Dr Cy Third")

    response = signed_in(reviewer).get(letter_url(answered_case))

    assert response.status_code == 200 and "LEEDS-2" in pdf_text(response.content)
    assert AccessLog.objects.filter(action=AccessLog.Action.DOWNLOAD_LETTER, user=reviewer).count() == 1


def test_no_letter_for_someone_else_nor_before_guidance_is_released(client, patient, consent_text, answered_case):
    client.force_login(UserFactory(email="someone.else@example.com"))
    assert client.get(letter_url(answered_case)).status_code == 404

    client.force_login(patient)
    waiting = waiting_case(patient, consent_text)
    assert client.get(letter_url(waiting)).status_code == 404
    draft = complete_case(patient, consent_text)
    assert client.get(letter_url(draft)).status_code == 404
    assert not AccessLog.objects.filter(action=AccessLog.Action.DOWNLOAD_LETTER).exists()


def test_the_case_page_names_who_wrote_and_checked_the_guidance_and_offers_the_letter(patient_client, answered_case):
    page = patient_client.get(answered_case.get_absolute_url()).content.decode()

    assert "Written by Dr Ada First, MD, Medical Oncology and checked by Dr Ben Second, FRCP on" in page
    assert "Our answer, written by Dr Ada First, MD, Medical Oncology and checked by Dr Ben Second, FRCP" in page
    assert f'href="{letter_url(answered_case)}"' in page


def test_guidance_whose_writers_left_still_says_it_was_checked(patient_client, patient, consent_text, broker):
    case = waiting_case(patient, consent_text)
    release_guidance(case, "Ask about trials.")

    text = pdf_text(patient_client.get(letter_url(case)).content)

    assert "Written by one of our specialists and checked by a second specialist on" in text


def test_the_letter_fetches_nothing_from_the_network():
    asked = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    remote = f"http://127.0.0.1:{server.server_port}"
    try:
        pdf = letters.pdf_from_html(
            f'<link rel="stylesheet" href="{remote}/style.css">'
            f'<style>@font-face {{ font-family: X; src: url("{remote}/font.woff2") }} p {{ font-family: X }}</style>'
            f'<p>Hello</p><img src="{remote}/tracker.png">'
        )
    finally:
        server.shutdown()
        server.server_close()

    assert "Hello" in pdf_text(pdf)
    assert asked == []
