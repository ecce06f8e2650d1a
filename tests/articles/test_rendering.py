import pytest

from articles.rendering import html_to_text, render_markdown

HOSTILE = [
    ("<script>alert('x')</script>", ["<script", "alert("]),
    ('<img src="x" onerror="alert(1)">', ["onerror", "<img"]),
    ('<a href="javascript:alert(1)">click</a>', ["javascript:"]),
    ('<a href="JaVaScRiPt:alert(1)">click</a>', ["javascript:", "JaVaScRiPt"]),
    ("[click](javascript:alert(1))", ["javascript:"]),
    ('<iframe src="https://evil.example"></iframe>', ["<iframe", "evil.example"]),
    ('<p onclick="steal()">text</p>', ["onclick", "steal"]),
    ("<svg><script>alert(1)</script></svg>", ["<svg", "<script"]),
    ('<object data="x.swf"></object><embed src="x.swf">', ["<object", "<embed"]),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', ["data:"]),
    ("<style>body{display:none}</style>", ["<style", "display:none"]),
    ('<form action="https://evil.example"><input name="card"></form>', ["<form", "<input"]),
    ('<a href="vbscript:msgbox(1)">x</a>', ["vbscript:"]),
    ('<div style="background:url(javascript:alert(1))">x</div>', ["style=", "javascript:"]),
]


@pytest.mark.parametrize(("markdown", "forbidden"), HOSTILE)
def test_hostile_markdown_renders_harmlessly(markdown, forbidden):
    html = render_markdown(f"Some text.\n\n{markdown}\n\nMore text.")

    for fragment in forbidden:
        assert fragment.lower() not in html.lower()
    assert "Some text." in html and "More text." in html


def test_headings_steps_and_lists_are_kept():
    html = render_markdown("Intro.\n\n## Section\n\n### Part\n\n1. **One** step\n2. Two\n\n- a\n- b\n")

    assert "<h2>Section</h2>" in html
    assert "<h3>Part</h3>" in html
    assert "<ol>" in html and "<li><strong>One</strong> step</li>" in html
    assert "<ul>" in html


def test_a_top_level_heading_becomes_h2_so_the_page_keeps_one_h1():
    assert "<h1" not in render_markdown("# Title in the body")
    assert "<h2>Title in the body</h2>" in render_markdown("# Title in the body")


def test_safe_links_are_kept_and_cannot_reach_the_opener():
    html = render_markdown("[NCI](https://www.cancer.gov/)")

    assert 'href="https://www.cancer.gov/"' in html
    assert "noopener" in html


def test_plain_text_for_search_has_no_markup():
    assert html_to_text(render_markdown("## Title\n\nSome **bold** & text.")) == "Title Some bold & text."
