"""Emails to patients: plain text with an HTML twin, never a word about their health."""

import logging
import smtplib
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from uploads.due_dates import promised_due_date, promised_working_days

logger = logging.getLogger(__name__)


def email_message(*, template: str, to: list[str], context: dict) -> EmailMultiAlternatives:
    """The email uploads/email/<template> (subject, text and HTML) to these addresses, not yet sent."""
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "dashboard_url": settings.SITE_URL + reverse("uploads:dashboard"),
        **context,
    }
    subject = render_to_string(f"uploads/email/{template}_subject.txt", context).strip()
    message = EmailMultiAlternatives(
        subject=settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject,
        body=render_to_string(f"uploads/email/{template}.txt", context),
        to=to,
    )
    message.attach_alternative(render_to_string(f"uploads/email/{template}.html", context), "text/html")
    return message


def email_send(*, template: str, to: str, context: dict) -> None:
    """Send uploads/email/<template> to one address now; a mail failure is logged only.

    For staff accounts' own emails (navis/services.py). What the product owes anyone about a case
    goes through the outbox instead (uploads/services/notifications.py), which retries.
    """
    message = email_message(template=template, to=[to], context=context)
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("Could not send the %s email", template)


def case_reference(case) -> str:
    """The short reference a patient and staff can quote; it says nothing about the case."""
    return str(case.public_id)[:8].upper()


def case_submitted_context(*, reference: str, submitted_at: datetime) -> dict:
    """What the submission email says about when: the working day by which guidance is due."""
    return {"reference": reference, "working_days": promised_working_days(), "due": promised_due_date(submitted_at)}
