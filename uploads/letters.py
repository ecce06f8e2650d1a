"""The guidance letter: what a patient takes to their care team, laid out as a PDF by WeasyPrint."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from PIL import ImageFile
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from articles.selectors import article_live_questions
from uploads import selectors
from uploads.emails import case_reference
from uploads.models import Case

# Importing WeasyPrint tells Pillow, for the whole process, to load truncated images; the upload checks
# and the pipeline refuse them (a cut-off photo of a record), so put Pillow's default back.
ImageFile.LOAD_TRUNCATED_IMAGES = False


def pdf_from_html(html: str) -> bytes:
    """Lay out a page of HTML as a PDF, fetching nothing from anywhere."""
    # Nothing in a letter is fetched: its style is inline and its fonts are the machine's own. A sanitised
    # body could still name a remote image, and fetching it would tell a stranger a patient opened their
    # letter. One fetcher for each render: it keeps state between calls, so threads must not share one.
    local_only = URLFetcher(allowed_protocols=("data",), allow_redirects=False, fail_on_errors=False)
    return HTML(string=html, url_fetcher=local_only).write_pdf()


def guidance_letter_name(case: Case) -> str:
    """The letter's file name: plain, with the reference the patient quotes."""
    return f"navis-guidance-{case_reference(case)}.pdf"


def guidance_letter_pdf(*, case: Case) -> bytes:
    """The case's released guidance, the patient's questions and our answers, as a PDF letter."""
    context = {
        "site_name": settings.SITE_NAME,
        "case": case,
        "reference": case_reference(case),
        "today": timezone.localdate(),
        "thread": selectors.guidance_thread(released=case.released_guidance, follow_ups=list(case.follow_ups.all())),
        "team_questions": article_live_questions(article_id=case.lead.article_id)
        if case.lead and case.lead.article_id
        else [],
    }
    return pdf_from_html(render_to_string("uploads/guidance_letter.html", context))
