"""The first consent text, published, so a local run can take a request end to end. Safe to run again."""

from django.db import transaction

from uploads.models import ConsentText
from uploads.services.intake import consent_text_publish

DEMO_CONSENT = {
    "title": "Before you share your records",
    "body": (
        "Navis specialists read the records you share and the answers you give, to write guidance on "
        "your case for you and your own doctors.\n\n"
        "Only the Navis team working on your request can see them. We never sell them or share them "
        "with anyone else without asking you first.\n\n"
        "We keep your records while your request is open and for 12 months after we send guidance, "
        "then delete them. You can withdraw a request, download everything we hold, or delete your "
        "account at any time; withdrawing deletes your records straight away.\n\n"
        "Our guidance does not replace your own care team: always talk to them before changing treatment."
    ),
    "items": [
        {"key": "process", "label": "I agree that Navis may read and store my records and answers to advise me."},
        {"key": "not_advice", "label": "I understand that Navis guidance does not replace my own care team."},
        {"key": "own_records", "label": "These are my own records, or I have the patient's permission to share them."},
    ],
}


@transaction.atomic
def load() -> None:
    """Publish the demo consent text as version 1, unless a version 1 exists."""
    consent_text, created = ConsentText.objects.get_or_create(version=1, defaults=DEMO_CONSENT)
    if created:
        consent_text.full_clean()
    consent_text_publish(consent_text=consent_text)
