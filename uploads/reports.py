"""Figures for the staff dashboard: the state of the queue and where patients come from."""

from statistics import median

from django.db.models import Count, Min, Q
from django.utils import timezone

from articles.models import Article
from uploads.models import Case, CaseStatus, Guidance, Lead

S = CaseStatus


def dashboard() -> dict:
    """Cases by status, how many are overdue, the median time to guidance, and the funnel per article."""
    now = timezone.now()
    by_status = dict(Case.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    overdue = Case.objects.filter(due_at__lt=now).exclude(status__in=[S.DRAFT, S.GUIDANCE_READY, S.WITHDRAWN]).count()
    # Submission to the first guidance the patient could read, per case.
    firsts = Case.objects.filter(submitted_at__isnull=False).annotate(
        first_guidance=Min("guidance__released_at", filter=Q(guidance__status=Guidance.Status.RELEASED))
    )
    waits = [
        (case.first_guidance - case.submitted_at).total_seconds()
        for case in firsts.filter(first_guidance__isnull=False).only("submitted_at")
    ]
    funnel = (
        Article.objects.annotate(
            clicks=Count("leads", distinct=True),
            sign_ups=Count("leads", filter=~Q(leads__step=Lead.Step.CLICKED), distinct=True),
            submitted=Count("leads__cases", filter=Q(leads__cases__submitted_at__isnull=False), distinct=True),
            released=Count(
                "leads__cases",
                filter=Q(leads__cases__guidance__status=Guidance.Status.RELEASED),
                distinct=True,
            ),
        )
        .filter(clicks__gt=0)
        .order_by("-clicks", "title")
        .values("title", "clicks", "sign_ups", "submitted", "released")
    )
    return {
        "by_status": [(label, by_status.get(value, 0)) for value, label in S.choices],
        "overdue": overdue,
        "median_hours_to_guidance": round(median(waits) / 3600, 1) if waits else None,
        "cases_with_guidance": len(waits),
        "funnel": list(funnel),
    }
