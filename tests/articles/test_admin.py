"""The editorial workflow as staff do it: through the Django admin, as editor and medical reviewer."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleStatus
from tests.admin_forms import admin_form_data
from tests.factories import CancerTypeFactory, StaffFactory

pytestmark = pytest.mark.django_db


def change_url(article: Article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def workflow(client, article: Article, action: str, **data):
    url = reverse("admin:articles_article_workflow", args=[article.pk, action])
    return client.post(url, data, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def approve_in_admin(client, article: Article, editor, reviewer) -> None:
    client.force_login(editor)
    workflow(client, article, "submit")
    client.force_login(reviewer)
    workflow(client, article, "approve")
    client.force_login(editor)


def add_article_in_admin(client) -> Article:
    cancer_type = CancerTypeFactory(name="Stomach cancer", slug="stomach-cancer")
    page = client.get(reverse("admin:articles_article_add"))
    data = admin_form_data(
        page,
        title="What is PD-L1 CPS?",
        slug="what-is-pd-l1-cps",
        cancer_type=str(cancer_type.pk),
        summary="What the PD-L1 combined positive score measures and why it matters.",
        body="CPS counts cells that carry PD-L1.\n\n## Why it matters\n\n1. **Test** the tissue.\n",
        byline="Navis AI",
        how_made="ai_drafted",
        **{
            "questions-0-text": "What is my CPS?",
            "questions-0-order": "0",
            "resources-0-name": "National Cancer Institute",
            "resources-0-url": "https://www.cancer.gov/",
            "resources-0-order": "0",
            "sources-0-title": "Gastric cancer guideline",
            "sources-0-publisher": "A guideline body",
            "sources-0-url": "https://example.org/guideline",
            "sources-0-accessed_on": "2026-10-01",
            "sources-0-order": "0",
        },
    )
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return Article.objects.get(slug="what-is-pd-l1-cps")


def test_an_article_goes_live_through_the_admin_as_editor_and_reviewer(client, editor, reviewer):
    client.force_login(editor)
    article = add_article_in_admin(client)
    assert article.status == ArticleStatus.DRAFT
    assert article.revisions.count() == 1

    response = workflow(client, article, "submit")
    assert "is now in medical review" in " ".join(messages_of(response))

    client.force_login(reviewer)
    response = workflow(client, article, "approve", comment="Clear and accurate.")
    assert "is now approved" in " ".join(messages_of(response))

    client.force_login(editor)
    workflow(client, article, "publish")
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED

    client.logout()
    public = client.get(reverse("articles:detail", args=[article.slug]))
    assert public.status_code == 200
    assert "What is PD-L1 CPS?</h1>" in public.content.decode()
    assert "What is my CPS?" in public.content.decode()


def test_an_editor_cannot_approve_in_the_admin(client, editor):
    client.force_login(editor)
    article = add_article_in_admin(client)
    workflow(client, article, "submit")

    response = workflow(client, article, "approve")

    assert any("permission" in m for m in messages_of(response))
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    assert "Approve this text" not in client.get(change_url(article)).content.decode()


def test_a_reviewer_cannot_approve_their_own_edit_in_the_admin(client, editor, reviewer, second_reviewer):
    client.force_login(editor)
    article = add_article_in_admin(client)
    client.force_login(reviewer)
    page = client.get(change_url(article))
    client.post(change_url(article), admin_form_data(page, summary="A reviewer's own improvement to the summary."))
    client.force_login(editor)
    workflow(client, article, "submit")

    client.force_login(reviewer)
    response = workflow(client, article, "approve")

    assert "another medical reviewer must approve it" in " ".join(messages_of(response))
    article.refresh_from_db()
    assert article.status == ArticleStatus.IN_REVIEW
    client.force_login(second_reviewer)
    workflow(client, article, "approve")
    article.refresh_from_db()
    assert article.status == ArticleStatus.APPROVED


def test_unapproved_text_cannot_be_published_from_the_admin(client, editor):
    client.force_login(editor)
    article = add_article_in_admin(client)

    response = workflow(client, article, "publish")

    assert any("not possible while the article is draft" in m for m in messages_of(response))
    article.refresh_from_db()
    assert not article.is_live


def test_sending_back_without_a_reason_is_refused_with_a_message(client, editor, reviewer):
    client.force_login(editor)
    article = add_article_in_admin(client)
    workflow(client, article, "submit")
    client.force_login(reviewer)

    response = workflow(client, article, "send_back", comment="")

    assert "Say what needs to change" in " ".join(messages_of(response))
    workflow(client, article, "send_back", comment="Please define CPS first.")
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT
    client.force_login(editor)
    assert "Please define CPS first." in client.get(change_url(article)).content.decode()


@pytest.mark.django_db(transaction=True)  # the public cache is cleared when a change commits
def test_an_edited_published_article_keeps_serving_the_approved_text(client, editor, reviewer):
    client.force_login(editor)
    article = add_article_in_admin(client)
    approve_in_admin(client, article, editor, reviewer)
    workflow(client, article, "publish")
    public_url = reverse("articles:detail", args=[article.slug])

    page = client.get(change_url(article))
    response = client.post(
        change_url(article), admin_form_data(page, body="Rewritten answer, not yet reviewed."), follow=True
    )
    assert any("The public page still shows the approved text" in m for m in messages_of(response))

    client.logout()
    live = client.get(public_url).content.decode()
    assert "CPS counts cells that carry PD-L1." in live
    assert "Rewritten answer" not in live

    client.force_login(editor)
    preview = client.get(reverse("admin:articles_article_preview", args=[article.pk])).content.decode()
    assert "Rewritten answer, not yet reviewed." in preview and "Preview." in preview

    approve_in_admin(client, article, editor, reviewer)
    workflow(client, article, "publish")
    client.logout()
    assert "Rewritten answer, not yet reviewed." in client.get(public_url).content.decode()


def test_the_admin_shows_revisions_with_a_diff_and_restores_one(client, editor):
    client.force_login(editor)
    article = add_article_in_admin(client)
    page = client.get(change_url(article))
    client.post(change_url(article), admin_form_data(page, summary="A second, different summary of the answer."))

    diff = client.get(reverse("admin:articles_article_revision", args=[article.pk, 2])).content.decode()
    assert '<h3 class="diff__field">Summary</h3>' in diff
    assert "Removed: </span>What the PD-L1 combined positive score measures" in diff
    assert "Added: </span>A second, different summary of the answer." in diff
    assert "7 words added, 11 removed" in diff
    assert "Eda Editor" in diff
    # Only the field that changed, in plain labels: no hunk headers, field keys or ids.
    assert "The answer</h3>" not in diff and "@@" not in diff and "summary:" not in diff

    client.post(reverse("admin:articles_article_restore", args=[article.pk, 1]))
    article.refresh_from_db()
    assert article.summary.startswith("What the PD-L1 combined positive score")
    assert article.revisions.count() == 3


def test_scheduling_from_the_admin(client, editor, reviewer):
    client.force_login(editor)
    article = add_article_in_admin(client)
    approve_in_admin(client, article, editor, reviewer)
    at = timezone.localtime() + timedelta(days=1)

    workflow(client, article, "schedule", publish_at=at.strftime("%Y-%m-%dT%H:%M"))

    article.refresh_from_db()
    assert article.status == ArticleStatus.SCHEDULED
    assert article.publish_at.replace(second=0, microsecond=0) == at.replace(second=0, microsecond=0)


def test_overdue_reviews_show_in_the_admin_filter_and_on_the_index(client, editor, published_article):
    other = published_article
    Article.objects.filter(pk=other.pk).update(review_overdue=True)
    client.force_login(editor)

    changelist = client.get(reverse("admin:articles_article_changelist"), {"review": "overdue"})
    index = client.get(reverse("admin:index")).content.decode()

    assert list(changelist.context["cl"].queryset) == [other]
    assert "1 published article is overdue for medical review" in index


def test_previews_are_for_staff_only(client, editor, published_article, django_user_model):
    preview = reverse("admin:articles_article_preview", args=[published_article.pk])

    assert client.get(preview).status_code == 302  # to the admin login
    client.force_login(django_user_model.objects.create_user("patient@example.com", "a long test password"))
    assert client.get(preview).status_code == 302


def test_saving_over_a_newer_revision_is_refused_with_the_other_editors_changes(client, editor):
    client.force_login(editor)
    article = add_article_in_admin(client)
    mine = client.get(change_url(article))  # opened at revision 1
    other = Client()
    other.force_login(StaffFactory(email="editor2@example.com", full_name="Ola Other", groups=["Editor"]))
    theirs = other.get(change_url(article))
    other.post(change_url(article), admin_form_data(theirs, summary="Ola's shorter summary of the score."))

    refused = client.post(change_url(article), admin_form_data(mine, body="My rewritten answer."))

    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Not saved: Ola Other saved revision 2 while you were editing" in page
    assert "Added: </span>Ola&#x27;s shorter summary of the score." in page
    assert refused.context["adminform"].form["body"].value() == "My rewritten answer."
    assert article.revisions.count() == 2
    article.refresh_from_db()
    assert article.summary == "Ola's shorter summary of the score."

    # Having seen their changes, saving again keeps this version, as a new revision.
    saved = client.post(change_url(article), admin_form_data(refused))
    assert saved.status_code == 302
    article.refresh_from_db()
    assert article.revisions.count() == 3 and article.body == "My rewritten answer."


def test_a_reviewer_reapproves_an_overdue_article_from_their_queue(client, editor, second_reviewer, published_article):
    Article.objects.filter(pk=published_article.pk).update(review_overdue=True)
    client.force_login(second_reviewer)

    index = client.get(reverse("admin:index")).content.decode()
    queue = client.get(reverse("admin:articles_article_changelist"), {"review": "waiting"})
    page = client.get(change_url(published_article)).content.decode()

    assert "1 article is waiting for your medical review" in index
    assert list(queue.context["cl"].queryset) == [published_article]
    assert "Still accurate: re-approve" in page and "Needs changes: to the editor" in page
    next_review = timezone.localdate() + timedelta(days=365)
    response = workflow(client, published_article, "reapprove", **{"reapprove-next_review_due": next_review})
    assert "is now published" in " ".join(messages_of(response))
    published_article.refresh_from_db()
    assert published_article.live_revision.next_review_due == next_review
    assert published_article.live_revision.approved_by == second_reviewer
    assert "No article is waiting" in client.get(reverse("admin:index")).content.decode()
