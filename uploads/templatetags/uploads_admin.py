from django import template

from uploads import selectors

register = template.Library()


@register.simple_tag
def review_counts(user) -> selectors.ReviewCounts:
    """The review queue's counts for the admin's home page: what waits on this reviewer and on the team."""
    return selectors.review_counts(user=user)
