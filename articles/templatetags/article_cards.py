"""The grid of answer cards (selectors.ArticleCard) on the home, cancer-type, answers-list and article pages."""

from collections.abc import Iterable
from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe

from articles.selectors import ArticleCard

register = template.Library()

# Cards are most of what a listing page renders: the template language spent some 330 Python calls on each
# card, and Django's escape 15 on each value, so their few lines of markup are written here, every value
# escaped by the standard library's html.escape (which Django's own escape calls).
_CARD = '<li class="card"><p class="card__type">{}</p>%s<p>{}</p></li>'
_CARDS = {
    2: _CARD % '<h2 class="card__title"><a href="{}">{}</a></h2>',
    3: _CARD % '<h3><a href="{}">{}</a></h3>',
}


@register.simple_tag
def card_grid(cards: Iterable[ArticleCard], heading_level: int = 3) -> SafeString:
    """The cards as a grid; their titles are h3 under a section's h2, or h2 with heading_level=2."""
    card = _CARDS[heading_level]
    items = "\n".join(
        card.format(escape(c.cancer_type_name), escape(c.url), escape(c.title), escape(c.summary)) for c in cards
    )
    return mark_safe(f'<ul class="card-grid">\n{items}\n</ul>')  # noqa: S308 - every value above is escaped
