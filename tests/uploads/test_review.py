"""Staff review: the queue, guidance with a second reviewer's sign-off, follow-up questions."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.factories import StaffFactory
from tests.uploads.conftest import send_queued_emails
from tests.uploads.review import case_reviewer, needs_attention_case, waiting_case
from uploads.due_dates import due_at
from uploads.models import Case, CaseEvent, CaseStatus, FollowUpQuestion, Guidance, Notification
from uploads.services import review

pytestmark = pytest.mark.django_db
S = CaseStatus


@pytest.fixture
def reviewers(db):
    return case_reviewer("first@example.com"), case_reviewer("second@example.com")


def claimed(case, reviewer):
    review.case_claim(case=case, user=reviewer)
    case.refresh_from_db()
    return case


def test_claiming_takes_a_case_into_review(patient, consent_text, reviewers):
    case = claimed(waiting_case(patient, consent_text), reviewers[0])

    assert case.status == S.IN_REVIEW and case.assigned_to == reviewers[0]
    assert case.events.filter(status=S.IN_REVIEW, actor=reviewers[0]).exists()


def test_assignment_suggests_the_least_loaded_reviewer(patient, consent_text, reviewers):
    first, second = reviewers
    claimed(waiting_case(patient, consent_text), first)

    assert review.reviewer_suggest() == second
    claimed(waiting_case(patient, consent_text), second)
    claimed(waiting_case(patient, consent_text), second)
    assert review.reviewer_suggest() == first


def test_an_editor_cannot_take_cases(patient, consent_text):
    editor = StaffFactory(email="ed@example.com", groups=["Editor"])

    with pytest.raises(PermissionDenied):
        review.case_claim(case=waiting_case(patient, consent_text), user=editor)


def test_guidance_needs_a_second_reviewer_to_sign_it_off(
    patient, consent_text, reviewers, mailoutbox, django_capture_on_commit_callbacks, broker
):
    first, second = reviewers
    case = claimed(waiting_case(patient, consent_text), first)
    guidance = review.guidance_save(case=case, author=first, body="## Your questions\n\nAsk about **trastuzumab**.")
    review.guidance_submit(guidance=guidance, user=first)

    with pytest.raises(PermissionDenied, match="another reviewer"):
        review.guidance_release(guidance=guidance, user=first)
    with django_capture_on_commit_callbacks(execute=True):
        review.guidance_release(guidance=guidance, user=second)

    guidance.refresh_from_db()
    case.refresh_from_db()
    assert guidance.status == Guidance.Status.RELEASED and guidance.signed_off_by == second
    assert "<strong>trastuzumab</strong>" in guidance.body_html
    assert case.status == S.GUIDANCE_READY
    assert mailoutbox == [], "the release only records the email; the retried task sends it"
    assert send_queued_emails(broker) == 1
    (email,) = mailoutbox
    assert email.to == [patient.email]
    for health_word in ("trastuzumab", "HER2", "Stomach", "cancer", "immunotherapy"):
        assert health_word.lower() not in (email.subject + email.body).lower()
    assert "log in" in email.body.lower()


def test_guidance_cannot_be_written_before_the_case_is_claimed(patient, consent_text, reviewers):
    with pytest.raises(ValidationError, match="Claim the case"):
        review.guidance_save(case=waiting_case(patient, consent_text), author=reviewers[0], body="Too early.")


def test_editing_guidance_sent_for_sign_off_takes_it_back_to_draft(patient, consent_text, reviewers):
    first, second = reviewers
    case = claimed(waiting_case(patient, consent_text), first)
    guidance = review.guidance_save(case=case, author=first, body="First words.")
    review.guidance_submit(guidance=guidance, user=first)

    again = review.guidance_save(case=case, author=first, body="Better words.")

    assert again.pk == guidance.pk and again.status == Guidance.Status.DRAFT
    with pytest.raises(ValidationError):
        review.guidance_release(guidance=again, user=second)


def released_case(patient, consent_text, reviewers):
    first, second = reviewers
    case = claimed(waiting_case(patient, consent_text), first)
    guidance = review.guidance_save(case=case, author=first, body="Ask about trials.")
    review.guidance_submit(guidance=guidance, user=first)
    review.guidance_release(guidance=guidance, user=second)
    case.refresh_from_db()
    return case


def test_a_follow_up_question_goes_back_to_the_guidance_author_three_times_at_most(patient, consent_text, reviewers):
    case = released_case(patient, consent_text, reviewers)
    first, second = reviewers

    for number in range(3):
        question = review.follow_up_ask(case=case, user=patient, text=f"Question {number + 1}?")
        case.refresh_from_db()
        assert case.status == S.IN_REVIEW and case.assigned_to == first and question.assigned_to == first
        guidance = review.guidance_save(case=case, author=first, body=f"Answer {number + 1}.")
        review.guidance_submit(guidance=guidance, user=first)
        review.guidance_release(guidance=guidance, user=second)
        case.refresh_from_db()

    with pytest.raises(ValidationError, match="3 follow-up questions"):
        review.follow_up_ask(case=case, user=patient, text="A fourth?")
    assert FollowUpQuestion.objects.filter(case=case, answered_by__isnull=False).count() == 3
    assert case.guidance.released().count() == 4


def test_a_follow_up_question_is_due_its_own_working_days_after_it_is_asked(
    patient, consent_text, reviewers, settings, mailoutbox, django_capture_on_commit_callbacks, broker
):
    settings.CASE_DUE_WORKING_DAYS = {1: 1, 2: 2, 3: 4}
    case = released_case(patient, consent_text, reviewers)
    Case.objects.filter(pk=case.pk).update(priority=2, due_at=timezone.now() - timedelta(days=30))
    case.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        question = review.follow_up_ask(case=case, user=patient, text="Should I ask about trials?")

    case.refresh_from_db()
    assert question.due_at == due_at(question.asked_at, 2)
    assert case.due_at == question.due_at, "the question's date, not the one the guidance met"
    send_queued_emails(broker)
    letter = next(email for email in mailoutbox if email.to == [patient.email])
    assert f"writes back to you by {timezone.localtime(question.due_at):%A %-d %B}." in letter.body


def test_only_the_patient_asks_follow_ups_and_only_once_guidance_is_out(patient, consent_text, reviewers):
    case = waiting_case(patient, consent_text)
    with pytest.raises(ValidationError):
        review.follow_up_ask(case=case, user=patient, text="Too early?")
    case = released_case(patient, consent_text, reviewers)
    with pytest.raises(PermissionDenied):
        review.follow_up_ask(case=case, user=reviewers[0], text="Not mine to ask?")
    assert not CaseEvent.objects.filter(case=case, note__contains="follow-up").exists()


def test_a_case_that_needs_attention_goes_to_review_with_the_note(
    patient, consent_text, reviewers, django_capture_on_commit_callbacks
):
    case = needs_attention_case(patient, consent_text)

    with django_capture_on_commit_callbacks(execute=True):
        review.case_send_to_review(case=case, by=reviewers[0], note="The scan is a duplicate of the report.")

    case.refresh_from_db()
    assert case.status == S.WAITING_FOR_REVIEW
    assert case.notes.get().body == "The scan is a duplicate of the report."
    assert case.events.last().actor == reviewers[0]
    kinds = set(Notification.objects.filter(event=case.events.last()).values_list("kind", flat=True))
    assert kinds == {Notification.Kind.STAFF_CASE_READY, Notification.Kind.PATIENT_CASE_READY}


def test_sending_to_review_needs_a_note_and_a_case_that_needs_attention(patient, consent_text, reviewers):
    case = needs_attention_case(patient, consent_text)

    with pytest.raises(ValidationError, match="Write a note"):
        review.case_send_to_review(case=case, by=reviewers[0], note="  ")
    case.refresh_from_db()
    assert case.status == S.NEEDS_ATTENTION
    with pytest.raises(ValidationError, match="needs attention"):
        review.case_send_to_review(case=waiting_case(patient, consent_text), by=reviewers[0], note="Why not.")


def test_the_patient_is_asked_for_a_new_copy_of_the_file_that_could_not_be_read(
    patient, consent_text, reviewers, mailoutbox, django_capture_on_commit_callbacks, broker
):
    case = needs_attention_case(patient, consent_text)

    with django_capture_on_commit_callbacks(execute=True):
        (asked,) = review.case_new_copy_request(case=case, by=reviewers[0])

    assert asked.original_name == "scan.pdf" and asked.new_copy_requested_at is not None
    case.refresh_from_db()
    assert case.status == S.NEEDS_ATTENTION
    assert case.events.last().actor == reviewers[0]
    assert send_queued_emails(broker) == 1
    (email,) = mailoutbox
    assert email.to == [patient.email]
    assert "new copy" in email.subject.lower() and "log in" in email.body.lower()
    for private in ("scan.pdf", "pathology", "stomach", "her2"):
        assert private not in (email.subject + email.body + email.alternatives[0][0]).lower()
    with pytest.raises(ValidationError, match="asked for already"):
        review.case_new_copy_request(case=case, by=reviewers[0])


def awaiting_sign_off(patient, consent_text, reviewers, body="Ask about trials."):
    first, _ = reviewers
    case = claimed(waiting_case(patient, consent_text), first)
    guidance = review.guidance_send_for_sign_off(case=case, author=first, body=body)
    return case, guidance


def test_the_second_reviewer_sends_guidance_back_with_a_comment_and_the_author_is_emailed(
    patient, consent_text, reviewers, mailoutbox, django_capture_on_commit_callbacks, broker
):
    first, second = reviewers
    case, guidance = awaiting_sign_off(patient, consent_text, reviewers)
    # The second reviewer took the case over meanwhile: sent back, it is the author's again.
    review.case_claim(case=case, user=second, reason="Covering while Dr First is in clinic.")

    with pytest.raises(ValidationError, match="Say what should change"):
        review.guidance_changes_request(guidance=guidance, user=second, comment="  ")
    with pytest.raises(PermissionDenied):
        review.guidance_changes_request(guidance=guidance, user=first, comment="My own?")
    with django_capture_on_commit_callbacks(execute=True):
        review.guidance_changes_request(guidance=guidance, user=second, comment="Name the trial phase.")

    guidance.refresh_from_db()
    case.refresh_from_db()
    assert guidance.status == Guidance.Status.DRAFT and guidance.author == first
    assert case.status == S.IN_REVIEW and case.assigned_to == first
    assert case.notes.get().body == "Changes asked for on the guidance: Name the trial phase."
    assert case.events.last().note == f"Guidance sent back to {first} by {second}."
    assert send_queued_emails(broker) == 1
    (email,) = mailoutbox
    assert email.to == [first.email]
    assert "changes" in email.subject.lower() and "trial" not in email.body.lower()
    with pytest.raises(ValidationError, match="Only guidance sent for sign-off"):
        review.guidance_release(guidance=guidance, user=second)


def test_a_signer_who_edits_the_guidance_becomes_its_author_and_needs_another_signer(patient, consent_text, reviewers):
    first, second = reviewers
    case, guidance = awaiting_sign_off(patient, consent_text, reviewers)

    edited = review.guidance_send_for_sign_off(case=case, author=second, body="Ask about phase 3 trials.")

    assert edited.pk == guidance.pk and edited.author == second
    assert edited.status == Guidance.Status.AWAITING_SIGN_OFF
    with pytest.raises(PermissionDenied, match="another reviewer"):
        review.guidance_release(guidance=edited, user=second)
    review.guidance_release(guidance=edited, user=first)
    edited.refresh_from_db()
    assert edited.signed_off_by == first


def test_taking_over_a_case_someone_else_holds_needs_a_reason_kept_in_its_history(patient, consent_text, reviewers):
    first, second = reviewers
    case = claimed(waiting_case(patient, consent_text), first)

    with pytest.raises(ValidationError, match="holds this case"):
        review.case_claim(case=case, user=second)
    case.refresh_from_db()
    assert case.assigned_to == first
    review.case_claim(case=case, user=second, reason="Dr First is on leave.")

    case.refresh_from_db()
    assert case.assigned_to == second
    event = case.events.last()
    assert event.actor == second and event.note == f"Taken over from {first}: Dr First is on leave."
    review.case_claim(case=case, user=second)  # claiming your own case again asks nothing


def test_a_follow_up_goes_to_the_queue_when_the_guidance_author_no_longer_reviews_cases(
    patient, consent_text, reviewers
):
    case = released_case(patient, consent_text, reviewers)
    reviewers[0].groups.clear()

    question = review.follow_up_ask(case=case, user=patient, text="Who answers now?")

    case.refresh_from_db()
    assert case.status == S.WAITING_FOR_REVIEW and case.assigned_to is None and question.assigned_to is None
