"""The staff dashboard: the queue's state and the funnel from article to guidance."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.articles.conftest import publish
from tests.factories import ArticleFactory, StaffFactory, UserFactory
from tests.uploads.review import case_reviewer, signed_in, waiting_case
from uploads import reports
from uploads.models import Case, Guidance, Lead
from uploads.services import review

pytestmark = pytest.mark.django_db


def released(case: Case, first, second) -> None:
    review.case_claim(case=case, user=first)
    guidance = review.guidance_save(case=case, author=first, body="Ask about trials.")
    review.guidance_submit(guidance=guidance, user=first)
    review.guidance_release(guidance=guidance, user=second)


def test_the_dashboard_counts_statuses_overdue_time_to_guidance_and_the_funnel(patient, consent_text):
    editor = StaffFactory(email="ed@example.com", groups=["Editor"])
    medical = StaffFactory(email="md@example.com", groups=["Medical reviewer"])
    article = publish(ArticleFactory(created_by=editor, title="What is HER2?"), editor, medical)
    first, second = case_reviewer("one@example.com"), case_reviewer("two@example.com")
    lead = Lead.objects.create(article=article, user=patient, step=Lead.Step.SUBMITTED)
    Lead.objects.create(article=article)  # clicked, never signed up
    done = waiting_case(patient, consent_text)
    waiting = waiting_case(patient, consent_text)
    Case.objects.filter(pk__in=[done.pk, waiting.pk]).update(lead=lead)
    Case.objects.filter(pk=done.pk).update(submitted_at=timezone.now() - timedelta(hours=30))
    Case.objects.filter(pk=waiting.pk).update(due_at=timezone.now() - timedelta(hours=1))
    released(done, first, second)

    figures = reports.dashboard()

    by_status = dict(figures["by_status"])
    assert by_status["Guidance ready"] == 1 and by_status["Waiting for review"] == 1
    assert figures["overdue"] == 1
    assert figures["cases_with_guidance"] == 1 and 29.9 <= figures["median_hours_to_guidance"] <= 30.1
    assert figures["funnel"] == [{"title": "What is HER2?", "clicks": 2, "sign_ups": 1, "submitted": 2, "released": 1}]
    assert Guidance.objects.released().count() == 1


def test_case_reviewers_open_the_dashboard_and_patients_do_not(patient, consent_text):
    waiting_case(patient, consent_text)
    url = reverse("admin:uploads_case_dashboard")

    page = signed_in(case_reviewer("one@example.com")).get(url)

    assert page.status_code == 200 and "Median time from submission to guidance" in page.content.decode()
    outsider = signed_in(UserFactory(email="someone@example.com"))
    assert outsider.get(url).status_code == 302
