"""The outbox: every email about a case is a row written with the change it announces, sent once by its task."""

from collections.abc import Callable

import psycopg
import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import transaction
from django.utils import timezone

from tests.factories import CaseFactory
from tests.uploads import files
from tests.uploads.cases import complete_case, submitted_case
from tests.uploads.conftest import queued, send_queued_emails
from tests.uploads.review import case_reviewer, waiting_case
from uploads import task_names
from uploads.models import Notification
from uploads.services import intake, notifications, processing, review

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
STAFF = "reviewers@navis.test"
AUTHOR = "first@example.com"


class Rollback(Exception):
    """Raised inside the change's transaction to undo it."""


def released(patient, consent_text):
    first, second = case_reviewer(AUTHOR), case_reviewer("second@example.com")
    case = waiting_case(patient, consent_text)
    review.case_claim(case=case, user=first)
    guidance = review.guidance_save(case=case, author=first, body="Ask about trials.")
    review.guidance_submit(guidance=guidance, user=first)
    return case, guidance, second


def submitting(patient, consent_text) -> Callable[[], object]:
    case = complete_case(patient, consent_text)
    return lambda: intake.case_submit(case=case, user=patient)


def withdrawing(patient, consent_text) -> Callable[[], object]:
    case = submitted_case(patient, consent_text)
    return lambda: intake.case_withdraw(case=case, user=patient)


def deleting_the_account(patient, consent_text) -> Callable[[], object]:
    submitted_case(patient, consent_text)
    return lambda: intake.account_delete(user=patient)


def releasing_guidance(patient, consent_text) -> Callable[[], object]:
    _case, guidance, second = released(patient, consent_text)
    return lambda: review.guidance_release(guidance=guidance, user=second)


def asking_a_follow_up(patient, consent_text) -> Callable[[], object]:
    case, guidance, second = released(patient, consent_text)
    review.guidance_release(guidance=guidance, user=second)
    return lambda: review.follow_up_ask(case=case, user=patient, text="Would a trial take me?")


# Each change, the emails it owes, and who receives them ("patient" for the patient's address).
CHANGES = [
    pytest.param(submitting, [(Kind.CASE_SUBMITTED, "patient")], id="submitted"),
    pytest.param(withdrawing, [(Kind.CASE_WITHDRAWN, "patient")], id="withdrawn"),
    pytest.param(deleting_the_account, [(Kind.ACCOUNT_DELETED, "patient")], id="account-deleted"),
    pytest.param(releasing_guidance, [(Kind.GUIDANCE_READY, "patient")], id="guidance-ready"),
    pytest.param(
        asking_a_follow_up,
        # To the guidance's author, who answers it, not to every member of staff.
        [(Kind.FOLLOW_UP_RECEIVED, "patient"), (Kind.STAFF_FOLLOW_UP_RECEIVED, AUTHOR)],
        id="follow-up-received",
    ),
]


def new_rows(before: set[int]):
    return Notification.objects.exclude(pk__in=before).order_by("kind")


@pytest.mark.parametrize(("prepare", "owed"), CHANGES)
def test_a_change_rolled_back_leaves_no_email_behind(
    prepare, owed, patient, consent_text, broker, mailoutbox, django_capture_on_commit_callbacks
):
    change = prepare(patient, consent_text)
    before = set(Notification.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Rollback), transaction.atomic():
        change()
        # Written inside the change's own transaction, before anything commits...
        assert sorted(new_rows(before).values_list("kind", flat=True)) == sorted(kind for kind, _ in owed)
        raise Rollback

    # ...so it goes with it: no row, no message, no email.
    assert not new_rows(before).exists()
    assert queued(broker) == []
    assert mailoutbox == []


@pytest.mark.parametrize(("prepare", "owed"), CHANGES)
def test_a_change_owes_its_emails_and_the_task_sends_each_once(
    prepare, owed, patient, consent_text, broker, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PIPELINE_STAFF_EMAILS = [STAFF]
    patient_email = patient.email
    change = prepare(patient, consent_text)
    before = set(Notification.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        change()

    rows = list(new_rows(before))
    assert [row.kind for row in rows] == sorted(kind for kind, _ in owed)
    assert mailoutbox == [], "the change only records its emails"
    # One message for the emails of one change, naming them by id only.
    sends = [args for name, args in queued(broker) if name == task_names.NOTIFICATIONS_SEND]
    assert sends == [[sorted(row.pk for row in rows)]]

    # The same message delivered twice mails each email once.
    assert send_queued_emails(broker) == 1
    assert send_queued_emails(broker) == 1
    expected = {kind: [patient_email if to == "patient" else to] for kind, to in owed}
    assert sorted(message.to for message in mailoutbox) == sorted(expected.values())
    for row in rows:
        row.refresh_from_db()
        assert row.sent_at and row.attempts == 1 and row.recipient == ""
    for message in mailoutbox:
        for health in ("trials", "Stomach", "immunotherapy", "HER2"):
            assert health not in message.subject and health not in message.body


def test_the_withdrawal_email_counts_the_records_the_withdrawal_deleted(
    patient, consent_text, broker, mailoutbox, django_capture_on_commit_callbacks
):
    case = submitted_case(patient, consent_text, ("one.pdf", files.pdf("one")), ("two.pdf", files.pdf("two")))

    with django_capture_on_commit_callbacks(execute=True):
        intake.case_withdraw(case=case, user=patient)
    send_queued_emails(broker)

    [email] = mailoutbox
    assert "deleted the 2 records you shared" in email.body


def test_the_author_is_told_of_a_follow_up_question_without_its_words(
    patient, consent_text, broker, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.PIPELINE_STAFF_EMAILS = [STAFF]
    change = asking_a_follow_up(patient, consent_text)

    with django_capture_on_commit_callbacks(execute=True):
        question = change()
    send_queued_emails(broker)

    staff = next(message for message in mailoutbox if message.to == [AUTHOR])
    reference = str(question.case.public_id)[:8]
    assert staff.subject == f"Case {reference} has a follow-up question"
    assert "It is yours to answer" in staff.body and "/admin/" in staff.body
    assert f"{timezone.localtime(question.due_at):%-d %B %Y %H:%M}" in staff.body
    patient_email = next(message for message in mailoutbox if message.to == [patient.email])
    assert "We have your question" in patient_email.subject
    for message in (staff, patient_email):
        assert "Would a trial take me?" not in message.body


class CutOffOnceAccepted(locmem.EmailBackend):
    """A mail server that accepts the message, and then the sender's database connection is cut."""

    def send_messages(self, messages):
        from django.db import connection

        sent = super().send_messages(messages)
        params = {key: value for key, value in connection.get_connection_params().items() if key != "cursor_factory"}
        with psycopg.connect(**params, autocommit=True) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
        return sent


@pytest.mark.django_db(transaction=True)
def test_a_database_cut_while_an_email_is_marked_sent_marks_it_sent_and_never_sends_it_twice(settings):
    settings.PIPELINE_STAFF_EMAILS = [STAFF]
    case = CaseFactory()
    processing.case_process(case_id=case.pk)
    notification = case.notifications.get(kind=Kind.STAFF_CASE_READY)
    settings.EMAIL_BACKEND = f"{__name__}.CutOffOnceAccepted"

    assert notifications.notification_send(notification_id=notification.pk)

    notification.refresh_from_db()
    assert notification.sent_at is not None
    assert notification.claimed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert not notifications.notification_send(notification_id=notification.pk)
    assert [message.subject for message in mail.outbox] == [f"Case {str(case.public_id)[:8]} is waiting for review"]
