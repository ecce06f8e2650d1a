"""The patient's dashboard: each case with its timeline, its records, and the guidance once released."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from tests.factories import CancerTypeFactory, ConsentTextFactory, StaffFactory
from tests.uploads import files
from tests.uploads.cases import complete_case, move, release_guidance, submitted_case
from uploads.models import Case, CaseStatus, ConsentText, Guidance
from uploads.services import intake, review

pytestmark = pytest.mark.django_db


def timeline_states(html: str) -> list[tuple[str, str]]:
    return re.findall(r'timeline__step--(\w+)"[^>]*>\s*<span class="timeline__label">([^<]+)<', html)


def test_the_dashboard_shows_each_case_with_its_timeline(patient_client, patient, consent_text, broker):
    case = submitted_case(patient, consent_text)
    move(case, CaseStatus.PROCESSING)
    move(case, CaseStatus.WAITING_FOR_REVIEW)

    html = patient_client.get(reverse("uploads:dashboard")).content.decode()

    assert timeline_states(html) == [
        ("done", "Submitted"),
        ("done", "Checking your records"),
        ("current", "Waiting for a specialist"),
        ("upcoming", "A specialist is reviewing your case"),
        ("upcoming", "Guidance ready"),
    ]
    assert "1 record" in html


@pytest.mark.parametrize("rounds", [1, 3])
def test_the_dashboard_reads_a_fixed_number_of_queries_however_many_cases(
    patient_client, patient, consent_text, broker, django_assert_num_queries, rounds
):
    breast = CancerTypeFactory(name="Breast cancer")
    for number in range(rounds):
        case = submitted_case(patient, consent_text, ("a.pdf", files.pdf(str(number))))
        case.cancer_type = breast
        case.save(update_fields=["cancer_type"])
        release_guidance(case, "Guidance.")
        withdrawn = submitted_case(patient, consent_text, ("b.pdf", files.pdf(f"b{number}")))
        intake.case_withdraw(case=withdrawn, user=patient)
        complete_case(patient, consent_text, ("c.pdf", files.pdf(f"c{number}")))

    # Session, user, verified email, then cases (with their cancer type), their events and their guidance:
    # six, for any number.
    with django_assert_num_queries(6):
        response = patient_client.get(reverse("uploads:dashboard"))

    html = response.content.decode()
    assert html.count("Read your guidance") == rounds
    assert html.count("Breast cancer — sent") == rounds and html.count("Closed: you withdrew it") == rounds


def card_titles(html: str) -> list[str]:
    return [title.strip() for title in re.findall(r'<a href="/cases/[^"]+/">([^<]+)</a>', html)]


def test_each_request_is_titled_by_its_cancer_and_when_it_was_sent(patient_client, patient, consent_text, broker):
    sent = submitted_case(patient, consent_text)
    Case.objects.filter(pk=sent.pk).update(
        submitted_at=datetime(2026, 12, 2, 12, tzinfo=UTC), cancer_type=CancerTypeFactory(name="Breast cancer")
    )
    complete_case(patient, consent_text, ("b.pdf", files.pdf("b")))

    html = patient_client.get(reverse("uploads:dashboard")).content.decode()

    # The newest first: the draft (named as the patient typed it), then the request sent.
    assert card_titles(html) == ["Stomach cancer — not sent yet", "Breast cancer — sent 2 December 2026"]
    assert "Request started" not in html and str(sent.public_id)[:8].upper() not in html


def test_a_withdrawn_request_is_listed_after_the_open_ones_as_closed_with_no_tracker(
    patient_client, patient, consent_text, broker
):
    submitted_case(patient, consent_text)
    withdrawn = intake.case_withdraw(
        case=submitted_case(patient, consent_text, ("b.pdf", files.pdf("b"))), user=patient
    )

    html = patient_client.get(reverse("uploads:dashboard")).content.decode()

    open_part, closed_part = html.split("Closed requests")
    assert card_titles(open_part) == [f"Stomach cancer — sent {withdrawn.submitted_at:%-d %B %Y}"]
    # Withdrawing erases what the patient wrote, the cancer they named included.
    assert card_titles(closed_part) == [f"Your request — sent {withdrawn.submitted_at:%-d %B %Y}"]
    assert 'class="timeline"' in open_part and 'class="timeline"' not in closed_part
    assert "Closed: you withdrew it on" in closed_part


def test_released_guidance_shows_on_the_case_and_unreleased_does_not(patient_client, patient, consent_text, broker):
    case = submitted_case(patient, consent_text)
    move(case, CaseStatus.IN_REVIEW)
    Guidance.objects.create(case=case, body="A draft the doctor is still writing.", author=StaffFactory())

    before = patient_client.get(case.get_absolute_url()).content.decode()
    release_guidance(case, "Ask your oncologist whether a clinical trial fits.")
    after = patient_client.get(case.get_absolute_url()).content.decode()

    assert "Your guidance" not in before and "still writing" not in before
    assert "Your guidance" in after and "Ask your oncologist whether a clinical trial fits." in after
    assert "still writing" not in after
    assert ("done", "Guidance ready") in timeline_states(after)


def test_the_case_page_shows_the_date_we_promised_and_what_the_patient_asked_and_sent(
    patient_client, patient, consent_text, broker
):
    case = submitted_case(patient, consent_text, ("pathology.pdf", files.pdf("p")), ("scan.pdf", files.pdf("s")))
    # A Thursday: five working days on (the least urgent priority's) is the Thursday after.
    Case.objects.filter(pk=case.pk).update(submitted_at=datetime(2026, 12, 3, 12, tzinfo=UTC))

    html = patient_client.get(case.get_absolute_url()).content.decode()

    assert "<h1>Stomach cancer — sent 3 December 2026" in html
    assert "within 5 working days, by <strong>Thursday 10 December 2026</strong>" in html
    asked = html.split('id="asked-title"')[1].split('id="documents-title"')[0]
    assert "Is immunotherapy an option for me?" in asked and "HER2" in asked and "Stage 3" in asked
    records = html.split('id="documents-title"')[1]
    assert "pathology.pdf" in records and "scan.pdf" in records


def test_once_guidance_is_ready_the_case_page_promises_only_the_follow_up_answer(
    patient_client, patient, consent_text, broker
):
    case = submitted_case(patient, consent_text)
    release_guidance(case, "Ask about trials.")

    ready = patient_client.get(case.get_absolute_url()).content.decode()
    question = review.follow_up_ask(case=case, user=patient, text="Which trials are near me?")
    asked = patient_client.get(case.get_absolute_url()).content.decode()

    assert "working days, by" not in ready and "follow-up question by" not in ready
    assert f"answer your follow-up question by <strong>{question.due_at:%A %-d %B %Y}</strong>" in asked
    assert "Which trials are near me?" in asked and "working days, by" not in asked


@pytest.mark.parametrize("extra", [0, 3])
def test_the_case_page_reads_a_fixed_number_of_queries_however_many_records_and_questions(
    patient_client, patient, consent_text, broker, django_assert_num_queries, extra
):
    case = submitted_case(patient, consent_text, *[(f"r{n}.pdf", files.pdf(f"r{n}")) for n in range(1 + extra)])
    for number in range(extra):
        release_guidance(case, f"Guidance {number}.")
        review.follow_up_ask(case=case, user=patient, text=f"Question {number}?")

    with django_assert_num_queries(10):
        html = patient_client.get(case.get_absolute_url()).content.decode()

    assert html.count('class="document"') == 1 + extra
    assert html.count("Question ") == extra


def test_records_can_be_added_to_an_open_case_and_not_once_guidance_is_ready(
    patient_client, patient, consent_text, broker
):
    case = submitted_case(patient, consent_text)
    open_page = patient_client.get(case.get_absolute_url()).content.decode()
    release_guidance(case, "Done.")
    closed_page = patient_client.get(case.get_absolute_url()).content.decode()

    assert "Add more records" in open_page and 'src="/static/js/upload.js"' in open_page
    assert "Add more records" not in closed_page
    response = patient_client.post(
        reverse("uploads:document_upload", args=[case.public_id]),
        {"files": files.upload("late.pdf", files.pdf("late"))},
        headers={"accept": "application/json"},
    )
    assert response.json()["results"][0]["message"] == "This request no longer takes new records."


def test_a_case_that_needs_attention_shows_as_being_checked_with_a_calm_note(
    patient_client, patient, consent_text, broker
):
    case = move(move(submitted_case(patient, consent_text), CaseStatus.PROCESSING), CaseStatus.NEEDS_ATTENTION)

    html = patient_client.get(case.get_absolute_url()).content.decode()

    assert ("current", "Checking your records") in timeline_states(html)
    assert "needs a closer look" in html


def test_document_statuses_are_shown_in_plain_words(patient_client, patient, consent_text, broker):
    case = submitted_case(patient, consent_text)
    case.documents.update(status="quarantined")

    html = patient_client.get(case.get_absolute_url()).content.decode()

    assert "Refused: it failed our security check" in html
    assert "/download/" not in html


def test_the_upload_form_works_without_javascript_and_is_labelled(patient_client, patient, consent_text):
    case = complete_case(patient, consent_text)

    html = patient_client.get(reverse("uploads:case_records", args=[case.public_id])).content.decode()

    assert 'enctype="multipart/form-data"' in html
    assert re.search(r'<input type="file" id="id_files" name="files" multiple accept="[^"]+"', html)
    assert '<label for="id_files"' in html and 'aria-describedby="upload-limits"' in html
    assert 'aria-live="polite"' in html and '<button type="submit" class="button" data-upload-submit>' in html
    assert "This request can take 29 more files" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script found"
    assert not re.search(r"\son[a-z]+=", html), "inline event handler found"


# --- Consent texts in the admin ---------------------------------------------------------------


def test_staff_add_a_new_version_prefilled_from_the_last_and_publish_it(admin_client, consent_text):
    page = admin_client.get(reverse("admin:uploads_consenttext_add"))
    assert page.context["adminform"].form.initial["version"] == consent_text.version + 1

    admin_client.post(
        reverse("admin:uploads_consenttext_add"),
        {
            "version": consent_text.version + 1,
            "title": "What we do with your records",
            "body": "New text.",
            "items": '[{"key": "process", "label": "I agree."}]',
        },
    )
    draft = ConsentText.objects.get(version=consent_text.version + 1)
    assert draft.published_at is None and ConsentText.objects.current() == consent_text

    admin_client.post(
        reverse("admin:uploads_consenttext_changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )

    assert ConsentText.objects.current() == draft


def test_a_consent_text_with_broken_checkboxes_is_refused_with_the_reason(admin_client):
    response = admin_client.post(
        reverse("admin:uploads_consenttext_add"),
        {"version": 1, "title": "T", "body": "B", "items": '[{"key": "", "label": "No key"}]'},
    )

    assert "Every checkbox needs a non-empty key and label." in response.content.decode()
    assert not ConsentText.objects.exists()


def test_a_published_consent_text_cannot_be_edited_or_deleted(admin_client, consent_text, patient, broker):
    complete_case(patient, consent_text)
    url = reverse("admin:uploads_consenttext_change", args=[consent_text.pk])

    admin_client.post(url, {"version": 99, "title": "Changed", "body": "Changed", "items": "[]"})
    delete = admin_client.post(reverse("admin:uploads_consenttext_delete", args=[consent_text.pk]), {"post": "yes"})

    consent_text.refresh_from_db()
    assert consent_text.title == "Before you share your records" and consent_text.version != 99
    assert delete.status_code == 403


def test_the_case_and_document_lists_open_for_staff_read_only(admin_client, patient, consent_text, broker):
    case = submitted_case(patient, consent_text)

    for url in [
        reverse("admin:uploads_case_changelist"),
        reverse("admin:uploads_case_change", args=[case.pk]),
        reverse("admin:uploads_document_changelist"),
        reverse("admin:uploads_consent_changelist"),
    ]:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert 'name="_save"' not in response.content.decode()


def test_consent_texts_are_versioned_newest_published_first():
    ConsentTextFactory(version=1)
    ConsentTextFactory(version=3, published_at=None)
    two = ConsentTextFactory(version=2)

    assert ConsentText.objects.current() == two


def test_withdrawing_from_the_dashboard_asks_first_and_says_what_it_deletes(patient_client, patient, consent_text):
    case = complete_case(patient, consent_text, ("a.pdf", files.pdf("a")), ("b.pdf", files.pdf("b")))

    page = patient_client.get(reverse("uploads:case_withdraw", args=[case.public_id])).content.decode()

    assert "we delete the 2 records you shared" in page
    assert "our summary of your records, and any guidance and follow-up questions" in page
    assert "we keep only a record that the request existed" in page
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT
    intake.case_withdraw(case=case, user=patient)
    assert patient_client.get(reverse("uploads:case_withdraw", args=[case.public_id])).url == case.get_absolute_url()


@pytest.mark.parametrize(
    "page",
    [
        lambda draft, sent: reverse("uploads:dashboard"),
        lambda draft, sent: reverse("uploads:case_start"),
        lambda draft, sent: sent.get_absolute_url(),
        lambda draft, sent: reverse("uploads:case_records", args=[draft.public_id]),
        lambda draft, sent: reverse("uploads:case_check", args=[draft.public_id]),
        lambda draft, sent: reverse("uploads:case_withdraw", args=[sent.public_id]),
    ],
    ids=["dashboard", "start", "case", "records", "check", "withdraw"],
)
def test_the_patient_pages_answer_head_as_they_answer_get(patient_client, patient, consent_text, broker, page):
    sent = submitted_case(patient, consent_text)
    url = page(complete_case(patient, consent_text, ("b.pdf", files.pdf("b"))), sent)

    got, head = patient_client.get(url), patient_client.head(url)

    assert got.status_code == 200
    assert head.status_code == 200 and head.content == b""
