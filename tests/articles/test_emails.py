"""The editorial emails: reviewers hear of text to review, editors of what the reviewer decided."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import services
from tests.articles.conftest import publish
from tests.factories import ArticleFactory, StaffFactory
from tests.uploads.conftest import queued, send_queued_emails
from uploads import task_names
from uploads.models import Notification

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


@pytest.fixture
def submitted(editor, broker, django_capture_on_commit_callbacks):
    article = ArticleFactory(created_by=editor, title="What is HER2?")
    with django_capture_on_commit_callbacks(execute=True):
        services.article_revision_record(article=article, user=editor)
        services.article_submit(article=article, user=editor)
    return article


def test_submitting_emails_the_medical_reviewers_through_the_outbox(
    submitted, editor, reviewer, second_reviewer, admin_user, broker, mailoutbox
):
    owed = Notification.objects.get(kind=Kind.ARTICLE_SUBMITTED)
    assert (owed.case, owed.article_event.article, owed.sent_at) == (None, submitted, None)
    assert mailoutbox == [], "the request only records the email"
    assert [args for name, args in queued(broker) if name == task_names.NOTIFICATIONS_SEND] == [[[owed.pk]]]

    # Delivered twice, it mails once: to the reviewers, not the editor who submitted nor the superuser.
    assert send_queued_emails(broker) == 1
    assert send_queued_emails(broker) == 1
    [email] = mailoutbox
    assert sorted(email.to) == sorted([reviewer.email, second_reviewer.email])
    assert email.subject == "Navis: An article is waiting for your medical review: What is HER2?"
    assert "Eda Editor sent “What is HER2?” (revision 1) for medical review" in email.body
    assert f"/admin/articles/article/{submitted.pk}/change/" in email.body
    [(html, mimetype)] = email.alternatives
    assert mimetype == "text/html" and "Review the article" in html


def test_a_reviewer_who_edited_the_text_is_not_asked_to_review_it(
    editor, reviewer, second_reviewer, broker, mailoutbox, django_capture_on_commit_callbacks
):
    article = ArticleFactory(created_by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.article_revision_record(article=article, user=editor)
        article.body += "\n\nA sentence the reviewer added."
        article.save()
        services.article_revision_record(article=article, user=reviewer)
        services.article_submit(article=article, user=editor)
    send_queued_emails(broker)

    [email] = mailoutbox
    assert email.to == [second_reviewer.email]


def test_sending_back_emails_the_editor_the_reviewers_reason(
    submitted, editor, reviewer, broker, mailoutbox, django_capture_on_commit_callbacks
):
    broker.purge()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_send_back(article=submitted, user=reviewer, comment="Say what HER2-low means.")
    send_queued_emails(broker)

    [email] = mailoutbox
    assert email.to == [editor.email]
    assert email.subject == "Navis: Your article needs changes: What is HER2?"
    assert "Dr Rui Reviewer sent “What is HER2?” back to you" in email.body
    assert "Say what HER2-low means." in email.body


def test_approving_emails_every_editor_of_the_text(
    submitted, editor, reviewer, broker, mailoutbox, django_capture_on_commit_callbacks
):
    other_editor = StaffFactory(email="editor2@example.com", groups=["Editor"])
    submitted.summary = "A shorter summary."
    submitted.save()
    services.article_revision_record(article=submitted, user=other_editor)
    services.article_submit(article=submitted, user=other_editor)
    broker.purge()
    with django_capture_on_commit_callbacks(execute=True):
        services.article_approve(article=submitted, user=reviewer, comment="Clear and accurate.")
    send_queued_emails(broker)

    [email] = mailoutbox
    assert sorted(email.to) == sorted([editor.email, other_editor.email])
    assert email.subject == "Navis: Your article was approved: What is HER2?"
    assert "Their note: Clear and accurate." in email.body


def test_a_text_past_its_review_date_asks_the_medical_reviewers(
    editor, reviewer, second_reviewer, broker, mailoutbox, django_capture_on_commit_callbacks
):
    due = timezone.localdate() + timedelta(days=30)
    publish(ArticleFactory(created_by=editor, next_review_due=due), editor, reviewer)
    broker.purge()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.article_flag_overdue_reviews(today=due + timedelta(days=1)) == 1
    send_queued_emails(broker)

    [email] = mailoutbox
    assert sorted(email.to) == sorted([reviewer.email, second_reviewer.email])
    assert "has passed its medical review date" in email.body and "re-approve it" in email.body
