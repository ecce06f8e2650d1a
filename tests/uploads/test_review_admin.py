"""The review queue and the case page, as case reviewers use them in the admin."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import StaffFactory, UserFactory
from tests.uploads import files
from tests.uploads.cases import add, complete_case, move
from tests.uploads.review import case_reviewer, needs_attention_case, signed_in, waiting_case
from tests.uploads.test_dashboard import timeline_states
from uploads.models import AccessLog, Case, CaseStatus, Document, Guidance
from uploads.services import intake, review

pytestmark = pytest.mark.django_db
S = CaseStatus
QUEUE = reverse("admin:uploads_case_changelist")


@pytest.fixture
def reviewer(db):
    return case_reviewer("first@example.com", full_name="Dr First")


@pytest.fixture
def reviewer_client(reviewer):
    return signed_in(reviewer)


def case_page(case: Case) -> str:
    return reverse("admin:uploads_case_change", args=[case.pk])


def act(client, case: Case, action: str, **data):
    return client.post(reverse("admin:uploads_case_act", args=[case.pk, action]), data, follow=True)


def messages_of(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_the_queue_opens_on_cases_waiting_for_review_and_in_review(reviewer_client, patient, consent_text):
    waiting = waiting_case(patient, consent_text)
    draft_owner = UserFactory(email="draft@example.com")
    Case.objects.create(owner=draft_owner)

    response = reviewer_client.get(QUEUE)

    assert list(response.context["cl"].result_list) == [waiting]
    # "All cases" means all the patients sent: a draft is not one of them (L4).
    assert list(reviewer_client.get(QUEUE, {"list": "all"}).context["cl"].result_list) == [waiting]


def test_staff_see_no_case_the_patient_has_not_submitted(reviewer_client, patient, consent_text):
    """L4: a draft is not listed, does not open, and cannot be acted on, by its id or its status."""
    waiting = waiting_case(patient, consent_text)
    draft = complete_case(patient, consent_text)
    other = UserFactory(email="other@example.com")
    withdrawn_draft = complete_case(other, consent_text)
    intake.case_withdraw(case=withdrawn_draft, user=other, notify=False)
    document = draft.documents.get()

    listed = reviewer_client.get(QUEUE, {"list": "all", "status": "draft"})

    assert listed.status_code == 200 and list(listed.context["cl"].result_list) == []
    everything = reviewer_client.get(QUEUE, {"list": "all"}).context["cl"].result_list
    assert list(everything) == [waiting]
    for url in (
        case_page(draft),
        case_page(withdrawn_draft),
        reverse("admin:uploads_case_document_view", args=[draft.pk, document.public_id]),
        reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Case).pk, draft.pk]),
    ):
        assert reviewer_client.get(url).status_code == 404, url
    assert reviewer_client.post(reverse("admin:uploads_case_act", args=[draft.pk, "claim"])).status_code == 404
    # The admin's own history page answers a draft as it answers an id that does not exist.
    history = reviewer_client.get(reverse("admin:uploads_case_history", args=[draft.pk]))
    assert history.status_code == 302 and history["Location"] == reverse("admin:index")
    draft.refresh_from_db()
    assert draft.assigned_to is None and draft.status == S.DRAFT
    assert not AccessLog.objects.filter(case=draft).exists()
    assert reviewer_client.get(case_page(waiting)).status_code == 200


def test_the_consent_admin_shows_no_consent_given_to_a_draft(reviewer_client, patient, consent_text):
    waiting = waiting_case(patient, consent_text)
    draft = complete_case(UserFactory(email="writing@example.com"), consent_text)

    listed = reviewer_client.get(reverse("admin:uploads_consent_changelist"))

    assert list(listed.context["cl"].result_list) == [waiting.consent]
    opened = reviewer_client.get(reverse("admin:uploads_consent_change", args=[draft.consent.pk]))
    assert opened.status_code == 302 and opened["Location"] == reverse("admin:index")


def test_the_document_admin_shows_no_file_of_a_draft(reviewer_client, patient, consent_text):
    waiting = waiting_case(patient, consent_text)
    draft = complete_case(patient, consent_text)
    draft_document = draft.documents.get()

    listed = reviewer_client.get(reverse("admin:uploads_document_changelist"))

    assert list(listed.context["cl"].result_list) == list(waiting.documents.all())
    # Answered as an id that does not exist: back to the admin's index.
    opened = reviewer_client.get(reverse("admin:uploads_document_change", args=[draft_document.pk]))
    assert opened.status_code == 302 and opened["Location"] == reverse("admin:index")
    shown = reviewer_client.get(reverse("admin:uploads_document_change", args=[waiting.documents.get().pk]))
    assert shown.status_code == 200


def test_queue_filters_assigned_to_me_unassigned_and_overdue(reviewer, reviewer_client, patient, consent_text):
    mine = waiting_case(patient, consent_text)
    review.case_claim(case=mine, user=reviewer)
    unassigned = waiting_case(patient, consent_text)
    Case.objects.filter(pk=unassigned.pk).update(due_at=timezone.now() - timedelta(hours=2))

    def listed(**params):
        return list(reviewer_client.get(QUEUE, params).context["cl"].result_list)

    assert listed(assigned="me") == [mine]
    assert listed(assigned="none") == [unassigned]
    assert listed(due="overdue") == [unassigned]
    assert "Overdue:" in reviewer_client.get(QUEUE).content.decode()


def test_the_case_page_shows_the_case_and_records_who_saw_it(reviewer, reviewer_client, patient, consent_text):
    case = waiting_case(patient, consent_text)

    html = reviewer_client.get(case_page(case)).content.decode()

    assert "Is immunotherapy an option for me?" in html
    assert "HER2: Positive (3+)" in html
    assert f"Agreed to {consent_text}" in html and "203.0.113.9" in html
    assert "Pathology report" in html and "HER2 positive 3+" in html
    assert "HER2 3+ by IHC." in html
    assert "View safe copy" in html and "Download original" in html
    (entry,) = AccessLog.objects.filter(case=case)
    assert entry.action == AccessLog.Action.VIEW_CASE and entry.user_email == reviewer.email and entry.request_id
    assert "first@example.com: 2 views" in reviewer_client.get(case_page(case)).content.decode()


@pytest.mark.both_storages
def test_the_safe_copy_opens_inline_and_the_original_downloads_both_recorded(reviewer_client, patient, consent_text):
    case = waiting_case(patient, consent_text)
    document = case.documents.get()

    shown = reviewer_client.get(reverse("admin:uploads_case_document_view", args=[case.pk, document.public_id]))
    taken = reviewer_client.get(reverse("uploads:document_download", args=[case.public_id, document.public_id]))

    assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
    assert (
        "attachment" not in shown.get("Content-Disposition", "")
        and "default-src 'none'" in shown["Content-Security-Policy"]
    )
    assert b"".join(shown.streaming_content).startswith(b"%PDF")
    assert taken.status_code == 200 and taken["Content-Disposition"].startswith("attachment")
    actions = sorted(AccessLog.objects.filter(document=document).values_list("action", flat=True))
    assert actions == [AccessLog.Action.DOWNLOAD_DOCUMENT, AccessLog.Action.VIEW_DOCUMENT]


def test_a_reviewer_gets_the_original_and_the_safe_copy_named_for_their_detected_type(
    reviewer_client, patient, consent_text
):
    case = waiting_case(patient, consent_text)
    document = case.documents.get()
    # A row written before names followed the detected type keeps the name the probe gave it.
    Document.objects.filter(pk=document.pk).update(original_name="lab-results.html")

    taken = reviewer_client.get(reverse("uploads:document_download", args=[case.public_id, document.public_id]))
    shown = reviewer_client.get(reverse("admin:uploads_case_document_view", args=[case.pk, document.public_id]))

    assert (taken["Content-Type"], taken["Content-Disposition"]) == (
        "application/pdf",
        'attachment; filename="lab-results.pdf"',
    )
    assert (shown["Content-Type"], shown["Content-Disposition"]) == (
        "application/pdf",
        'inline; filename="lab-results.pdf"',
    )


def test_a_hundred_scripted_views_and_downloads_make_exactly_a_hundred_audit_rows(
    reviewer_client, patient, consent_text
):
    case = waiting_case(patient, consent_text)
    document = case.documents.get()
    urls = [
        case_page(case),
        reverse("admin:uploads_case_document_view", args=[case.pk, document.public_id]),
        reverse("uploads:document_download", args=[case.public_id, document.public_id]),
    ]

    for number in range(100):
        response = reviewer_client.get(urls[number % 3])
        assert response.status_code == 200

    assert AccessLog.objects.count() == 100
    assert AccessLog.objects.filter(action=AccessLog.Action.VIEW_CASE).count() == 34


def test_claim_write_send_and_release_from_the_case_page(reviewer, reviewer_client, patient, consent_text, mailoutbox):
    case = waiting_case(patient, consent_text)
    act(reviewer_client, case, "claim")
    response = act(reviewer_client, case, "guidance_save", body="Ask your team about **trastuzumab**.")
    assert "draft is saved" in messages_of(response)
    guidance = case.guidance.get()
    act(reviewer_client, case, "guidance_send", body="Ask your team about **trastuzumab**.")

    refused = act(reviewer_client, case, "guidance_release", guidance=guidance.pk, confirmed="yes")
    assert "another reviewer must sign it off" in messages_of(refused)

    second = signed_in(case_reviewer("second@example.com"))
    assert "Sign off and release" in second.get(case_page(case)).content.decode()
    act(second, case, "guidance_release", guidance=guidance.pk, confirmed="yes")
    case.refresh_from_db()
    assert case.status == S.GUIDANCE_READY
    patient_page = signed_in(patient).get(case.get_absolute_url()).content.decode()
    assert "Ask your team about <strong>trastuzumab</strong>." in patient_page


def test_refused_guidance_keeps_what_was_typed(reviewer_client, patient, consent_text):
    case = waiting_case(patient, consent_text)

    response = act(reviewer_client, case, "guidance_save", body="Words typed before claiming.")

    assert "Claim the case" in messages_of(response)
    assert "Words typed before claiming." in response.content.decode()


def test_an_editor_sees_nothing_of_cases(patient, consent_text):
    case = waiting_case(patient, consent_text)
    editor = signed_in(StaffFactory(email="ed@example.com", groups=["Editor"]))

    assert editor.get(QUEUE).status_code == 403
    assert editor.get(case_page(case)).status_code == 403
    assert "Cases" not in editor.get(reverse("admin:index")).content.decode()
    assert not AccessLog.objects.exists()


def queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(QUEUE).status_code == 200
    return len(queries)


def test_the_queue_renders_ten_thousand_cases_with_a_fixed_number_of_queries(reviewer_client, patient, consent_text):
    waiting_case(patient, consent_text)
    reviewer_client.get(QUEUE)  # the first page of a session also stores the session's last activity
    few = queue_queries(reviewer_client)
    owner = UserFactory(email="many@example.com")
    Case.objects.bulk_create(
        Case(owner=owner, status=S.WAITING_FOR_REVIEW, due_at=timezone.now() + timedelta(hours=n % 50))
        for n in range(10_000)
    )

    assert queue_queries(reviewer_client) == few


def test_a_case_that_needs_attention_is_sent_to_review_from_its_page(reviewer_client, patient, consent_text):
    case = needs_attention_case(patient, consent_text)
    assert "Send to review" in reviewer_client.get(case_page(case)).content.decode()

    refused = act(reviewer_client, case, "send_to_review", body="")
    assert "Write a note" in messages_of(refused)
    sent = act(reviewer_client, case, "send_to_review", body="The scan repeats the report.")

    assert "in the review queue" in messages_of(sent)
    case.refresh_from_db()
    assert case.status == S.WAITING_FOR_REVIEW
    assert "The scan repeats the report." in sent.content.decode()


def test_the_patient_asked_for_a_new_copy_sees_which_file_on_their_case_page(reviewer_client, patient, consent_text):
    case = needs_attention_case(patient, consent_text)
    patient_client = signed_in(patient)
    assert "Please send us a new copy" not in patient_client.get(case.get_absolute_url()).content.decode()

    response = act(reviewer_client, case, "new_copy")

    assert "emailed to sign in" in messages_of(response)
    assert "Ask the patient for a new copy" not in response.content.decode()
    page = patient_client.get(case.get_absolute_url()).content.decode()
    assert "Please send us a new copy of this file." in page
    assert "<li>scan.pdf</li>" in page


def test_the_request_for_a_new_copy_leaves_the_patient_page_once_they_add_a_record(
    reviewer_client, patient, consent_text, broker
):
    case = needs_attention_case(patient, consent_text)
    act(reviewer_client, case, "new_copy")
    add(case, "scan-again.pdf", files.pdf("Scan, clearer"))
    # Read and summarised again, the old copy still failed: the case needs attention once more.
    move(case, S.PROCESSING)
    move(case, S.NEEDS_ATTENTION)

    page = signed_in(patient).get(case.get_absolute_url()).content.decode()

    assert "Please send us a new copy" not in page
    assert "needs a closer look" in page


def sent_for_sign_off(reviewer, client, patient, consent_text) -> Case:
    case = waiting_case(patient, consent_text)
    act(client, case, "claim")
    act(client, case, "guidance_send", body="Ask your team about **trastuzumab**.")
    return case


def test_release_and_send_back_each_ask_first_on_a_page_of_their_own(reviewer, reviewer_client, patient, consent_text):
    case = sent_for_sign_off(reviewer, reviewer_client, patient, consent_text)
    guidance = case.guidance.get()
    second = signed_in(case_reviewer("second@example.com"))

    asked = act(second, case, "guidance_release", guidance=guidance.pk)
    assert "Release this guidance to the patient?" in asked.content.decode()
    assert "Yes, release it to the patient" in asked.content.decode()
    guidance.refresh_from_db()
    assert guidance.status == Guidance.Status.AWAITING_SIGN_OFF

    asked = act(second, case, "guidance_changes_request", guidance=guidance.pk, comment="Say which trial.")
    page = asked.content.decode()
    assert "Send this guidance back to its author?" in page and "Say which trial.</textarea>" in page
    guidance.refresh_from_db()
    assert guidance.status == Guidance.Status.AWAITING_SIGN_OFF

    sent_back = act(
        second, case, "guidance_changes_request", guidance=guidance.pk, comment="Say which trial.", confirmed="yes"
    )
    assert "back with its author" in messages_of(sent_back)
    guidance.refresh_from_db()
    assert guidance.status == Guidance.Status.DRAFT
    assert "Say which trial." in reviewer_client.get(case_page(case)).content.decode()


def test_claim_is_not_offered_on_a_held_case_and_taking_it_over_asks_why(reviewer, patient, consent_text):
    case = waiting_case(patient, consent_text)
    review.case_claim(case=case, user=reviewer)
    second = signed_in(case_reviewer("second@example.com"))

    page = second.get(case_page(case)).content.decode()
    assert "Claim this case" not in page and "Take over this case" in page

    refused = act(second, case, "claim", reason="")
    assert "holds this case" in messages_of(refused)
    taken = act(second, case, "claim", reason="Dr First is away.")
    assert "The case is yours." in messages_of(taken)
    assert "Taken over from Dr First: Dr First is away." in taken.content.decode()


def test_queue_filters_and_home_counts_for_sign_off_and_follow_ups(reviewer, reviewer_client, patient, consent_text):
    signing = sent_for_sign_off(reviewer, reviewer_client, patient, consent_text)
    asked = waiting_case(patient, consent_text)
    second_user = case_reviewer("second@example.com")
    second = signed_in(second_user)
    review.case_claim(case=asked, user=reviewer)
    review.guidance_send_for_sign_off(case=asked, author=reviewer, body="Ask about trials.")
    review.guidance_release(guidance=asked.guidance.get(), user=second_user)
    review.follow_up_ask(case=asked, user=patient, text="And radiotherapy?")

    def listed(client, **params):
        return list(client.get(QUEUE, params).context["cl"].result_list)

    assert listed(second, waiting="my_sign_off") == [signing]
    assert listed(reviewer_client, waiting="my_sign_off") == [], "nobody signs off their own guidance"
    assert listed(second, list="all", waiting="follow_up") == [asked]
    home = second.get(reverse("admin:index")).content.decode()
    assert "Awaiting my sign-off: 1" in home and "Follow-ups waiting: 1" in home
    assert "Assigned to me: 0" in home and "Overdue: 0" in home


def test_a_case_is_found_by_the_reference_patients_quote(reviewer_client, patient, consent_text):
    case = waiting_case(patient, consent_text)
    waiting_case(patient, consent_text)
    reference = str(case.public_id)[:8].upper()

    assert list(reviewer_client.get(QUEUE, {"q": reference}).context["cl"].result_list) == [case]
    assert list(reviewer_client.get(QUEUE, {"q": f" {reference.lower()} "}).context["cl"].result_list) == [case]
    assert list(reviewer_client.get(QUEUE, {"q": str(case.public_id)}).context["cl"].result_list) == [case]


def test_the_editor_previews_on_the_server_without_saving_and_sends_for_sign_off_as_it_saves(
    reviewer_client, patient, consent_text
):
    case = waiting_case(patient, consent_text)
    act(reviewer_client, case, "claim")
    body = "Ask about **trastuzumab**.<script>alert(1)</script>"

    previewed = act(reviewer_client, case, "guidance_preview", body=body)

    page = previewed.content.decode()
    assert "Preview: as the patient will read it" in page
    assert "Ask about <strong>trastuzumab</strong>." in page and "<script>alert(1)" not in page
    assert "Ask about **trastuzumab**.&lt;script&gt;" in page, "the draft stays in the box"
    # Beside the editor: the patient's questions and what the records say.
    aside = page[page.index('<aside class="guidance-aside"') :]
    assert "Is immunotherapy an option for me?" in aside and "HER2 positive 3+" in aside
    assert not case.guidance.exists()

    sent = act(reviewer_client, case, "guidance_send", body="Ask about **trastuzumab**.")

    assert "sent for sign-off" in messages_of(sent)
    guidance = case.guidance.get()
    assert guidance.status == Guidance.Status.AWAITING_SIGN_OFF and guidance.body == "Ask about **trastuzumab**."


def test_a_follow_up_reads_as_a_thread_and_the_guidance_stays_delivered(reviewer, patient, consent_text):
    second_user = case_reviewer("second@example.com", full_name="Dr Second")
    case = waiting_case(patient, consent_text)
    review.case_claim(case=case, user=reviewer)
    review.guidance_send_for_sign_off(case=case, author=reviewer, body="Ask about trials.")
    review.guidance_release(guidance=case.guidance.get(), user=second_user)
    question = review.follow_up_ask(case=case, user=patient, text="Which trials near Leeds?")
    patient_client = signed_in(patient)

    page = patient_client.get(case.get_absolute_url()).content.decode()

    assert ("done", "Guidance ready") in timeline_states(page), "not 'still to come' after a follow-up"
    assert page.index("Ask about trials.") < page.index("Which trials near Leeds?")
    assert f"We will answer by {timezone.localtime(question.due_at):%A %-d %B %Y}" in page
    staff_page = signed_in(reviewer).get(case_page(case)).content.decode()
    assert "Which trials near Leeds?" in staff_page and "to be answered by Dr First" in staff_page

    review.guidance_send_for_sign_off(case=case, author=reviewer, body="The LEEDS-2 trial is recruiting.")
    review.guidance_release(guidance=case.guidance.get(status="awaiting_sign_off"), user=second_user)

    page = patient_client.get(case.get_absolute_url()).content.decode()
    assert page.index("Ask about trials.") < page.index("Which trials near Leeds?") < page.index("LEEDS-2")
    assert "We will answer by" not in page and "Our answer, written" in page


def test_a_signer_edits_behind_a_fold_that_stays_open_on_their_preview(
    reviewer, reviewer_client, patient, consent_text
):
    case = sent_for_sign_off(reviewer, reviewer_client, patient, consent_text)
    second = signed_in(case_reviewer("second@example.com"))

    assert '<details class="guidance-edit">' in second.get(case_page(case)).content.decode()
    previewed = act(second, case, "guidance_preview", body="Ask about **pertuzumab** too.")

    page = previewed.content.decode()
    assert '<details class="guidance-edit" open>' in page and "<strong>pertuzumab</strong>" in page
