from django import template

from articles.models import Article

register = template.Library()


@register.simple_tag
def articles_review_overdue_count() -> int:
    """How many published articles are past their medical review date."""
    return Article.objects.review_overdue().count()


@register.simple_tag
def articles_awaiting_review_count() -> int:
    """How many articles wait for a medical reviewer: submitted text, and live text past its review date."""
    return Article.objects.awaiting_medical_review().count()
