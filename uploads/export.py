"""Everything we hold about a patient, as one zip: their answers, consents, documents and guidance.

The zip is written to a temporary file on disk, document by document in chunks, then streamed: a
patient with 500 MB of records costs the web process no more memory than one with none.
"""

import json
import shutil
import tempfile
import zipfile
from typing import IO

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from navis.models import User
from uploads.models import AccessLog, Case, CaseEvent, Consent, Document, DocumentStatus, Guidance, Lead
from uploads.storage import document_download_name

README = """\
Everything {site} holds about you, as of {now}.

account.json      your account: email addresses, when you joined, whether two-factor is on
consents.json     each consent you gave: the text you agreed to, when, and from where
leads.json        how you first came to us (the page and campaign), and your contact choice
access_log.json   each time someone viewed or downloaded your records, or you exported your data (this time too)
cases/            one folder per request you started:
  case.json         your answers, its status and timeline, and the list of your documents
  documents/        the files you uploaded (deleted ones are listed in case.json only)
  guidance/         the guidance our team wrote to you
"""


def _json(data) -> bytes:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str).encode()


def _account(user: User) -> dict:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "joined": user.date_joined,
        "last_login": user.last_login,
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "two_factor": sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True)),
    }


def _consents(user: User) -> list[dict]:
    return [
        {
            "version": c.consent_text.version,
            "title": c.consent_text.title,
            "text": c.consent_text.body,
            "boxes_ticked": [i["label"] for i in c.consent_text.items if i["key"] in c.accepted_items],
            "agreed_at": c.accepted_at,
            "ip_address": c.ip_address,
            "user_agent": c.user_agent,
            "withdrawn_at": c.withdrawn_at,
        }
        for c in Consent.objects.filter(user=user).select_related("consent_text").order_by("accepted_at")
    ]


def _leads(user: User) -> list[dict]:
    fields = ("created_at", "step", "referrer", "contact_consent", "utm_source", "utm_medium", "utm_campaign")
    return [
        {**{f: getattr(lead, f) for f in fields}, "article": lead.article.title if lead.article else None}
        for lead in Lead.objects.filter(user=user).select_related("article").order_by("created_at")
    ]


def _access_log(user: User) -> list[dict]:
    # About their cases and documents, and what names no case: their own exports (this one too).
    about_them = Q(case__owner=user) | Q(case__isnull=True, document__isnull=True, user=user)
    entries = AccessLog.objects.filter(about_them).select_related("document").order_by("at", "id")
    return [
        {
            "at": e.at,
            "what": e.get_action_display(),
            "document": e.document.original_name if e.document else None,
            "by": "you" if e.user_id == user.pk else "Navis staff",
        }
        for e in entries
    ]


def _case(case: Case) -> dict:
    return {
        "reference": str(case.public_id),
        "status": case.get_status_display(),
        "started": case.created_at,
        "submitted": case.submitted_at,
        "withdrawn": case.withdrawn_at,
        "cancer_type": case.cancer_type.name if case.cancer_type else case.cancer_type_other,
        "stage": case.get_stage_display(),
        "biomarkers": case.biomarkers,
        "diagnosis_details": case.diagnosis_details,
        "other_test_results": case.biomarkers_other,
        "treatment_so_far": case.treatment_so_far,
        "current_treatment": case.current_treatment,
        "questions": case.questions,
        # Staff notes on events are for staff; the patient gets what happened and when.
        "timeline": [{"status": e.get_status_display(), "at": e.at} for e in case.events.all()],
        "documents": [
            {
                "name": d.original_name,
                "type": d.content_type,
                "size": d.size,
                "sha256": d.sha256,
                "uploaded": d.uploaded_at,
                "status": d.get_status_display(),
                "deleted": d.deleted_at,
            }
            for d in case.documents.all()
        ],
    }


def _unique(name: str, used: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{stem} ({n}).{suffix}" if dot else f"{name} ({n})"
    used.add(candidate)
    return candidate


def export_write(*, user: User) -> IO[bytes]:
    """Write the patient's zip to a temporary file and return it open at the start."""
    cases = (
        Case.objects.owned_by(user)
        .select_related("cancer_type")
        .prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.order_by("at", "id")),
            Prefetch("documents", queryset=Document.objects.order_by("uploaded_at", "id")),
            Prefetch("guidance", queryset=Guidance.objects.released(), to_attr="released_guidance"),
        )
        .order_by("created_at")
    )
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - returned open; the response closes it
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt", README.format(site=settings.SITE_NAME, now=timezone.now().isoformat(timespec="seconds"))
        )
        archive.writestr("account.json", _json(_account(user)))
        archive.writestr("consents.json", _json(_consents(user)))
        archive.writestr("leads.json", _json(_leads(user)))
        archive.writestr("access_log.json", _json(_access_log(user)))
        for number, case in enumerate(cases, start=1):
            folder = f"cases/{number}-{str(case.public_id)[:8]}"
            archive.writestr(f"{folder}/case.json", _json(_case(case)))
            used: set[str] = set()
            for document in case.documents.all():
                if document.status in (DocumentStatus.DELETED, DocumentStatus.QUARANTINED):
                    continue
                name = _unique(document_download_name(document), used)
                entry = zipfile.ZipInfo(
                    f"{folder}/documents/{name}", date_time=timezone.localtime(document.uploaded_at).timetuple()[:6]
                )
                # Already compressed (PDF, JPEG, ...): stored as is, copied in chunks.
                with document.file.open("rb") as source, archive.open(entry, "w", force_zip64=True) as target:
                    shutil.copyfileobj(source, target, 256 * 1024)
            for index, guidance in enumerate(case.released_guidance, start=1):
                released = timezone.localdate(guidance.released_at).isoformat()
                archive.writestr(f"{folder}/guidance/{index}-{released}.txt", guidance.body)
    spool.seek(0)
    return spool
