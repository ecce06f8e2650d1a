from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleEvent, ArticleStatus
from articles.workflow import WorkflowError
from tests.articles.conftest import publish
from tests.factories import ArticleFactory, TopicFactory
from uploads.models import Notification

pytestmark = pytest.mark.django_db


def test_an_article_goes_from_draft_to_published_through_review(editor, reviewer):
    article = ArticleFactory(created_by=editor)

    revision = services.article_revision_record(article=article, user=editor)
    services.article_submit(article=article, user=editor)
    services.article_approve(article=article, user=reviewer)
    services.article_publish(article=article, user=editor)

    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert article.live_revision == revision
    assert article.live_revision.approved_by == reviewer
    assert article.published_at is not None
    actions = list(article.events.order_by("at", "id").values_list("action", flat=True))
    assert actions == ["edited", "submitted", "approved", "published"]


def test_an_editor_cannot_approve(editor):
    article = ArticleFactory(created_by=editor)
    services.article_revision_record(article=article, user=editor)
    services.article_submit(article=article, user=editor)

    with pytest.raises(PermissionDenied):
        services.article_approve(article=article, user=editor)

    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW


def test_a_reviewer_cannot_approve_text_they_edited(editor, reviewer, second_reviewer):
    article = ArticleFactory(created_by=editor)
    services.article_revision_record(article=article, user=editor)
    article.body += "\n\nA sentence the reviewer added."
    article.save()
    services.article_revision_record(article=article, user=reviewer)
    services.article_submit(article=article, user=editor)

    with pytest.raises(PermissionDenied, match="another medical reviewer"):
        services.article_approve(article=article, user=reviewer)

    services.article_approve(article=article, user=second_reviewer)
    article.refresh_from_db()
    assert article.status == ArticleStatus.APPROVED


def test_nothing_unapproved_can_be_published(editor):
    article = ArticleFactory(created_by=editor)
    services.article_revision_record(article=article, user=editor)

    with pytest.raises(WorkflowError):
        services.article_publish(article=article, user=editor)
    services.article_submit(article=article, user=editor)
    with pytest.raises(WorkflowError):
        services.article_publish(article=article, user=editor)

    article.refresh_from_db()
    assert article.live_revision is None


def test_sending_back_needs_a_reason_and_returns_to_draft(editor, reviewer):
    article = ArticleFactory(created_by=editor)
    services.article_revision_record(article=article, user=editor)
    services.article_submit(article=article, user=editor)

    with pytest.raises(ValidationError):
        services.article_send_back(article=article, user=reviewer, comment="  ")
    services.article_send_back(article=article, user=reviewer, comment="Explain CPS in plain words.")

    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    assert article.events.filter(action=ArticleEvent.Action.SENT_BACK, comment="Explain CPS in plain words.").exists()


def test_editing_a_published_article_makes_a_draft_and_keeps_the_live_text(published_article, editor):
    live = published_article.live_revision
    published_article.body = "Completely new text."
    published_article.save()

    new_revision = services.article_revision_record(article=published_article, user=editor)

    published_article.refresh_from_db()
    assert published_article.status == ArticleStatus.DRAFT
    assert published_article.live_revision == live
    assert new_revision.number == live.number + 1
    assert "Completely new text" not in published_article.live_revision.body_html


def test_saving_without_a_change_records_no_revision(published_article, editor):
    assert services.article_revision_record(article=published_article, user=editor) is None
    published_article.refresh_from_db()
    assert published_article.status == ArticleStatus.PUBLISHED


def test_an_approval_covers_only_the_text_approved(approved_article, editor):
    article = approved_article
    article.summary = "Changed after approval."
    article.save()
    services.article_revision_record(article=article, user=editor)

    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    with pytest.raises(WorkflowError):
        services.article_publish(article=article, user=editor)


def test_unpublish_and_publish_again(published_article, editor):
    services.article_unpublish(article=published_article, user=editor)
    published_article.refresh_from_db()
    assert published_article.live_revision is None

    services.article_republish(article=published_article, user=editor)
    published_article.refresh_from_db()
    assert published_article.is_live


def test_scheduled_articles_publish_when_due_and_not_before(approved_article, editor):
    article = approved_article
    at = timezone.now() + timedelta(hours=1)
    services.article_schedule(article=article, user=editor, publish_at=at)

    assert services.article_publish_due(now=at - timedelta(seconds=1)) == []
    # A run that comes late still publishes it.
    assert services.article_publish_due(now=at + timedelta(minutes=7)) == [article.pk]
    assert services.article_publish_due(now=at + timedelta(minutes=8)) == []

    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED and article.is_live


def test_scheduling_in_the_past_is_refused(approved_article, editor):
    article = approved_article

    with pytest.raises(ValidationError):
        services.article_schedule(article=article, user=editor, publish_at=timezone.now() - timedelta(minutes=1))


def test_overdue_reviews_are_flagged_once(editor, reviewer):
    article = ArticleFactory(created_by=editor, next_review_due=timezone.localdate() + timedelta(days=10))
    publish(article, editor, reviewer)

    assert services.article_flag_overdue_reviews(today=timezone.localdate()) == 0
    assert services.article_flag_overdue_reviews(today=timezone.localdate() + timedelta(days=11)) == 1
    assert services.article_flag_overdue_reviews(today=timezone.localdate() + timedelta(days=12)) == 0
    article.refresh_from_db()
    assert article.review_overdue


def test_restoring_a_revision_makes_a_new_draft_with_its_text(published_article, editor):
    first = published_article.live_revision
    published_article.title = "A different question?"
    published_article.save()
    published_article.questions.all().delete()
    services.article_revision_record(article=published_article, user=editor)

    restored = services.article_restore_revision(article=published_article, revision=first, user=editor)

    published_article.refresh_from_db()
    assert restored.number == first.number + 2
    assert published_article.title == first.content["title"]
    assert [q.text for q in published_article.questions.all()] == first.content["questions"]
    assert published_article.status == ArticleStatus.DRAFT


def overdue(article):
    """Flag the published article's review as overdue, as the nightly task would on the day after it."""
    article.refresh_from_db()
    services.article_flag_overdue_reviews(today=article.live_revision.next_review_due + timedelta(days=1))
    article.refresh_from_db()
    return article


def reviewed(**kwargs):
    return ArticleFactory(next_review_due=timezone.localdate() + timedelta(days=30), **kwargs)


def test_reapproving_keeps_the_live_text_word_for_word_with_a_new_review_date(editor, reviewer, second_reviewer):
    article = overdue(publish(reviewed(created_by=editor), editor, reviewer))
    live = article.live_revision
    assert Article.objects.awaiting_medical_review().get() == article
    next_review = timezone.localdate() + timedelta(days=365)

    services.article_reapprove(article=article, user=second_reviewer, next_review_due=next_review, comment="Checked.")

    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED and not article.review_overdue
    reapproved = article.live_revision
    # No draft: the one new revision is the live text, approved now by the re-approver, written by its editor.
    assert article.revisions.count() == 2 and article.revisions.first() == reapproved
    assert {k: v for k, v in reapproved.content.items() if k != "next_review_due"} == {
        k: v for k, v in live.content.items() if k != "next_review_due"
    }
    assert reapproved.body_html == live.body_html
    assert (reapproved.next_review_due, article.next_review_due) == (next_review, next_review)
    assert (reapproved.approved_by, reapproved.created_by) == (second_reviewer, editor)
    assert reapproved.approved_at is not None
    # The earlier approval stays on record, and so does the re-approval.
    live.refresh_from_db()
    assert live.approved_by == reviewer
    event = article.events.get(action=ArticleEvent.Action.REAPPROVED)
    assert (event.actor, event.revision, event.comment) == (second_reviewer, reapproved, "Checked.")
    assert not Article.objects.awaiting_medical_review().exists()
    # The working copy matches the live text, so saving it unchanged records nothing.
    assert services.article_revision_record(article=article, user=editor) is None


def test_a_revision_files_its_text_under_the_topics_it_had_and_a_reapproval_keeps_them(
    editor, reviewer, second_reviewer
):
    surgery, diet = TopicFactory(name="Surgery"), TopicFactory(name="Diet")
    article = reviewed(created_by=editor)
    article.topics.add(surgery)
    article = overdue(publish(article, editor, reviewer))

    services.article_reapprove(
        article=article, user=second_reviewer, next_review_due=timezone.localdate() + timedelta(days=90)
    )
    article.topics.set([diet])
    draft = services.article_revision_record(article=article, user=editor)

    article.refresh_from_db()
    # The re-approved live text stays under surgery until the draft under diet is published.
    assert article.live_revision.number == 2 and list(article.live_revision.topics.all()) == [surgery]
    assert list(draft.topics.all()) == [diet]


def test_nobody_reapproves_a_text_they_wrote(editor, reviewer, second_reviewer):
    article = reviewed(created_by=reviewer)
    services.article_revision_record(article=article, user=reviewer)
    services.article_submit(article=article, user=editor)
    services.article_approve(article=article, user=second_reviewer)
    services.article_publish(article=article, user=editor)
    article = overdue(article)
    next_review = timezone.localdate() + timedelta(days=365)

    with pytest.raises(PermissionDenied, match="another medical reviewer must re-approve"):
        services.article_reapprove(article=article, user=reviewer, next_review_due=next_review)
    with pytest.raises(PermissionDenied):
        services.article_reapprove(article=article, user=editor, next_review_due=next_review)

    article.refresh_from_db()
    assert article.review_overdue and article.revisions.count() == 1
    services.article_reapprove(article=article, user=second_reviewer, next_review_due=next_review)


def test_a_reapproval_needs_a_future_review_date(editor, reviewer, second_reviewer):
    article = overdue(publish(reviewed(created_by=editor), editor, reviewer))

    with pytest.raises(ValidationError, match="in the future"):
        services.article_reapprove(article=article, user=second_reviewer, next_review_due=timezone.localdate())

    assert article.revisions.count() == 1


def test_a_live_text_that_needs_changes_goes_back_to_the_editor_as_a_draft(editor, reviewer, second_reviewer):
    article = overdue(publish(reviewed(created_by=editor), editor, reviewer))
    live = article.live_revision

    with pytest.raises(ValidationError):
        services.article_review_needs_changes(article=article, user=second_reviewer, comment=" ")
    services.article_review_needs_changes(article=article, user=second_reviewer, comment="The trial has closed.")

    article.refresh_from_db()
    # The editor has a draft; the public keeps reading the approved text until a new one is approved.
    assert article.status == ArticleStatus.DRAFT
    assert article.live_revision == live and article.revisions.count() == 1
    event = article.events.get(action=ArticleEvent.Action.SENT_BACK)
    assert (event.actor, event.comment, event.revision) == (second_reviewer, "The trial has closed.", live)
    assert Notification.objects.get(article_event=event).kind == Notification.Kind.ARTICLE_SENT_BACK
    assert not Article.objects.awaiting_medical_review().exists()
