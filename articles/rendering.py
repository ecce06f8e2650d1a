"""Markdown written by staff, rendered to HTML that is safe to show to the public."""

import html
import re

import markdown
import nh3

ALLOWED_TAGS = {
    "h2", "h3", "h4", "p", "br", "hr", "ul", "ol", "li", "strong", "em", "b", "i", "blockquote",
    "a", "code", "pre", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "abbr": {"title"}, "th": {"scope"}}
# Elements whose content is dropped with them, not kept as text.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript", "svg", "math"}


def render_markdown(source: str) -> str:
    """Render Markdown to sanitised HTML: no scripts, event handlers, frames or javascript: links."""
    raw = markdown.markdown(source, extensions=["extra", "sane_lists"], output_format="html")
    # The page's one h1 is the article's question: headings in the body start at h2.
    raw = re.sub(r"<(/?)h1(\b[^>]*)>", r"<\1h2\2>", raw)
    return nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def html_to_text(fragment: str) -> str:
    """Reduce sanitised HTML to plain text for search."""
    text = nh3.clean(fragment, tags=set(), clean_content_tags=DROPPED_WITH_CONTENT)
    return re.sub(r"\s+", " ", html.unescape(text)).strip()
