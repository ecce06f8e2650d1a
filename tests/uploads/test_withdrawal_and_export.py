"""Withdrawing a case, deleting an account, and downloading everything we hold about a patient."""

import hashlib
import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from navis.models import User
from tests.factories import PASSWORD, UserFactory
from tests.logins import log_in, reauthenticate
from tests.storage import stored_files
from tests.uploads import files, samples
from tests.uploads.cases import add, complete_case, consented_case, move, release_guidance, submitted_case
from tests.uploads.conftest import send_queued_emails
from uploads.models import AccessLog, Case, CaseStatus, Consent, Document, DocumentStatus, Lead, Notification
from uploads.services import intake, processing
from uploads.services.review import follow_up_ask
from uploads.storage import private_storage
from uploads.validators import UploadRefused
from uploads.workflow import TransitionError

pytestmark = pytest.mark.django_db


def test_withdrawing_deletes_the_files_from_storage_and_keeps_a_record_that_they_existed(
    patient_client, patient, consent_text, broker, mailoutbox, django_capture_on_commit_callbacks
):
    case = submitted_case(patient, consent_text, ("scan.pdf", files.pdf("scan")), ("photo.jpg", files.image("JPEG")))
    other = submitted_case(UserFactory(), consent_text, ("theirs.pdf", files.pdf("theirs")))
    photo = case.documents.get(original_name="photo.jpg")
    photo.safe_copy.save("safe", io.BytesIO(b"a safe copy the pipeline made"), save=True)
    case_files = {d.file.name for d in case.documents.all()} | {photo.safe_copy.name}
    assert case_files <= stored_files()

    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(reverse("uploads:case_withdraw", args=[case.public_id]))

    assert response.url == reverse("uploads:dashboard")
    assert not case_files & stored_files()
    assert other.documents.get().file.name in stored_files()
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN and case.withdrawn_at
    documents = list(case.documents.order_by("original_name"))
    assert [(d.original_name, d.status) for d in documents] == [("photo.jpg", "deleted"), ("scan.pdf", "deleted")]
    assert all(d.deleted_at and d.sha256 and d.size for d in documents)
    assert case.events.last().status == CaseStatus.WITHDRAWN
    assert Consent.objects.get(pk=case.consent_id).withdrawn_at
    page = patient_client.get(case.get_absolute_url()).content.decode()
    assert "You withdrew this request" in page and "Deleted on" in page and "Download" not in page
    assert mailoutbox == [], "the withdrawal only records the email; the retried task sends it"
    assert send_queued_emails(broker) == 1
    [email] = mailoutbox
    assert "deleted the 2 records you shared" in email.body


@pytest.mark.both_storages
def test_withdrawing_erases_files_leftovers_answers_summary_and_guidance_and_keeps_a_tombstone(
    patient, consent_text, broker, admin_client
):
    report = samples.pathology_report_pdf()
    case = complete_case(patient, consent_text, ("report.pdf", report))
    intake.case_diagnosis_update(
        case=case,
        answers={
            "cancer_type_other": "Gastro-oesophageal junction",
            "stage": "3",
            "biomarkers": {"her2": "Positive (3+)"},
            "diagnosis_details": {"stage_group": "IIIA"},
            "biomarkers_other": "MSI stable per my oncologist",
            "treatment_so_far": "FLOT, four cycles",
            "current_treatment": "Waiting for surgery",
            "questions": "Is immunotherapy an option for me?",
        },
    )
    intake.case_submit(case=case, user=patient)
    processing.case_process(case_id=case.pk)
    [document] = case.documents.all()
    processing.document_process(document_id=document.pk)
    case.refresh_from_db()
    document.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_REVIEW and case.summary
    assert document.status == DocumentStatus.DONE and document.safe_copy.name and document.extracted_text
    # A copy a killed run wrote and never recorded, in the case's folder.
    left = f"cases/{case.public_id}/safe/left-by-a-killed-run.pdf"
    private_storage().save(left, io.BytesIO(b"a copy no row names"))
    move(case, CaseStatus.IN_REVIEW)
    release_guidance(case, "Ask your team about **trastuzumab** with chemotherapy.")
    question = follow_up_ask(case=case, user=patient, text="Would that change my surgery date?")
    staff = UserFactory(is_staff=True)
    intake.access_record(user=staff, action=AccessLog.Action.VIEW_CASE, ip_address=None, request_id="r1", case=case)
    submitted_at = case.submitted_at
    assert stored_files() == {document.file.name, document.safe_copy.name, left}

    said = ("immunotherapy", "FLOT", "MSI stable", "trastuzumab", "surgery date", "Gastro-oesophageal", "IIIA")
    staff_page = reverse("admin:uploads_case_change", args=[case.pk])
    before = admin_client.get(staff_page).content.decode()
    assert [words for words in said if words in before] == list(said)

    intake.case_withdraw(case=case, user=patient, notify=False)

    assert stored_files() == set()
    case.refresh_from_db()
    erased = {name: getattr(case, name) for name in intake.WITHDRAWAL_ERASES}
    assert erased == {
        "cancer_type_other": "",
        "biomarkers": {},
        "diagnosis_details": {},
        "biomarkers_other": "",
        "treatment_so_far": "",
        "current_treatment": "",
        "questions": "",
        "summary": {},
    }
    document.refresh_from_db()
    assert (document.extracted_text, document.findings, document.page_count) == ("", {}, None)
    assert [(g.body, g.body_html) for g in case.guidance.all()] == [("", "")]
    question.refresh_from_db()
    assert question.text == ""
    # The tombstone: reference, dates, status, the documents' record, events, consent and access log.
    assert (case.status, case.submitted_at, case.withdrawn_at is not None) == (CaseStatus.WITHDRAWN, submitted_at, True)
    assert (document.status, document.sha256, document.size, document.original_name) == (
        DocumentStatus.DELETED,
        hashlib.sha256(report).hexdigest(),
        len(report),
        "report.pdf",
    )
    assert [e.status for e in case.events.all()][-1] == CaseStatus.WITHDRAWN
    assert Consent.objects.get(pk=case.consent_id).withdrawn_at
    assert AccessLog.objects.filter(case=case, user=staff).count() == 1
    # Staff who open the case read none of it.
    after = admin_client.get(staff_page).content.decode()
    assert [words for words in said if words in after] == []


def test_a_withdrawn_case_takes_no_records_and_cannot_be_withdrawn_twice(patient, consent_text, broker):
    case = submitted_case(patient, consent_text)
    intake.case_withdraw(case=case, user=patient)

    with pytest.raises(UploadRefused, match="no longer takes new records"):
        add(case, "late.pdf", files.pdf("late"))
    with pytest.raises(TransitionError):
        intake.case_withdraw(case=case, user=patient)


def test_deleting_the_account_withdraws_every_case_first_and_removes_the_account(
    client, patient, consent_text, broker, mailoutbox, django_capture_on_commit_callbacks
):
    Lead.objects.create(user=patient, step=Lead.Step.SIGNED_UP, utm_source="newsletter")
    submitted = submitted_case(patient, consent_text, ("one.pdf", files.pdf("one")))
    draft = consented_case(patient, consent_text)
    add(draft, "two.png", files.image("PNG"))
    names = {d.file.name for d in Document.objects.filter(case__owner=patient)}
    other = complete_case(UserFactory(), consent_text)
    log_in(client, patient.email)
    reauthenticate(client)

    confirm_page = client.get(reverse("uploads:account_delete"))
    assert "withdraws your 2 open requests" in confirm_page.content.decode()
    unconfirmed = client.post(reverse("uploads:account_delete"))
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("uploads:account_delete"), {"confirm": "yes"})

    assert response.url == reverse("home")
    assert not names & stored_files()
    assert other.documents.get().file.name in stored_files()
    assert not User.objects.filter(pk=patient.pk).exists()
    assert not Case.objects.filter(pk__in=[submitted.pk, draft.pk]).exists()
    assert not EmailAddress.objects.filter(email=patient.email).exists()
    assert Lead.objects.get(utm_source="newsletter").user is None
    assert client.get(reverse("uploads:dashboard")).status_code == 302
    # The email outlives the account it is about, holding the address only until it is sent.
    assert mailoutbox == []
    owed = Notification.objects.get(kind=Notification.Kind.ACCOUNT_DELETED)
    assert (owed.case, owed.recipient, owed.sent_at) == (None, patient.email, None)
    assert send_queued_emails(broker) == 1
    assert [(m.subject, m.to) for m in mailoutbox] == [("Navis: Your account is deleted", [patient.email])]
    owed.refresh_from_db()
    assert owed.sent_at and owed.recipient == ""
    assert not Notification.objects.filter(case__isnull=False, case__owner_id=patient.pk).exists()


@pytest.mark.both_storages
def test_deleting_the_account_removes_the_leftovers_of_every_case_withdrawn_or_not(patient, consent_text, broker):
    withdrawn = submitted_case(patient, consent_text, ("one.pdf", files.pdf("one")))
    intake.case_withdraw(case=withdrawn, user=patient, notify=False)
    open_case = submitted_case(patient, consent_text, ("two.pdf", files.pdf("two")))
    other = submitted_case(UserFactory(), consent_text, ("theirs.pdf", files.pdf("theirs")))
    # Files no row names, as runs killed after writing them leave (one after its case was withdrawn).
    for case in (withdrawn, open_case):
        private_storage().save(f"cases/{case.public_id}/safe/left-behind.pdf", io.BytesIO(b"copy"))
    assert len(stored_files()) == 4

    intake.account_delete(user=patient)

    assert stored_files() == {other.documents.get().file.name}


def test_account_deletion_asks_for_the_password_again_after_a_while(client, patient, settings):
    client.force_login(patient)

    response = client.post(reverse("uploads:account_delete"), {"confirm": "yes"})

    assert response.status_code == 302 and response.url.startswith(reverse("account_reauthenticate"))
    assert User.objects.filter(pk=patient.pk).exists()


def read_zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def export(client):
    """Ask for the export as the page's button does, then fetch the file as the page that follows does."""
    asked = client.post(reverse("uploads:account_export"))
    assert asked.status_code == 302 and asked.url == reverse("uploads:account_export_started")
    return client.get(reverse("uploads:account_export_download"))


def test_after_the_password_the_export_moves_on_to_a_page_that_says_the_download_has_started(client, patient):
    client.force_login(patient)

    asked = client.post(reverse("uploads:account_export"))
    assert asked.url.startswith(reverse("account_reauthenticate"))
    # allauth replays the request asked for once the password is given: it must lead off the password page.
    after_password = client.post(asked.url, {"password": PASSWORD})
    assert after_password.status_code == 302 and after_password.url == reverse("uploads:account_export_started")
    started = client.get(after_password.url).content.decode()
    download_url = reverse("uploads:account_export_download")

    assert "<h1>Your download has started</h1>" in started
    assert f'<meta http-equiv="refresh" content="0; url={download_url}">' in started
    response = client.get(download_url)
    assert response["Content-Type"] == "application/zip"
    # Once for each time it is asked for: fetching the address again starts nothing.
    assert client.get(download_url).url == reverse("uploads:account_export")
    assert client.get(reverse("uploads:account_export_started")).url == reverse("uploads:account_export")
    assert AccessLog.objects.filter(user_email=patient.email, action=AccessLog.Action.EXPORT).count() == 1


def test_the_export_cannot_be_fetched_without_asking_for_it_first(client, patient):
    log_in(client, patient.email)
    reauthenticate(client)

    response = client.get(reverse("uploads:account_export_download"))

    assert response.status_code == 302 and response.url == reverse("uploads:account_export")
    assert not AccessLog.objects.filter(action=AccessLog.Action.EXPORT).exists()


def test_the_export_holds_exactly_the_patient_s_data(client, patient, consent_text, broker):
    Lead.objects.create(user=patient, step=Lead.Step.SIGNED_UP, utm_campaign="spring")
    scan, letter = files.pdf("scan"), files.image("PNG")
    first = submitted_case(patient, consent_text, ("scan.pdf", scan), ("letter.png", letter))
    release_guidance(move(first, CaseStatus.IN_REVIEW), "Ask your team about nivolumab.")
    second = complete_case(patient, consent_text, ("withdrawn.pdf", files.pdf("gone")))
    intake.case_withdraw(case=second, user=patient)
    stranger = submitted_case(UserFactory(email="stranger@example.com"), consent_text, ("x.pdf", files.pdf("x")))
    stranger.questions = "A stranger's question"
    stranger.save()
    log_in(client, patient.email)
    reauthenticate(client)
    page = client.get(reverse("uploads:account_export"))
    response = export(client)

    assert "Download my data" in page.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="navis-data-')
    archive = read_zip(response)
    first_folder = f"cases/1-{str(first.public_id)[:8]}"
    second_folder = f"cases/2-{str(second.public_id)[:8]}"
    assert sorted(archive.namelist()) == sorted(
        [
            "README.txt",
            "account.json",
            "consents.json",
            "leads.json",
            "access_log.json",
            f"{first_folder}/case.json",
            f"{first_folder}/documents/scan.pdf",
            f"{first_folder}/documents/letter.png",
            f"{first_folder}/guidance/1-{first.guidance.get().released_at:%Y-%m-%d}.txt",
            f"{second_folder}/case.json",
        ]
    )
    assert archive.read(f"{first_folder}/documents/scan.pdf") == scan
    assert archive.read(f"{first_folder}/documents/letter.png") == letter
    assert archive.read(f"{first_folder}/guidance/1-{first.guidance.get().released_at:%Y-%m-%d}.txt") == (
        b"Ask your team about nivolumab."
    )
    answers = json.loads(archive.read(f"{first_folder}/case.json"))
    assert answers["questions"] == "Is immunotherapy an option for me?"
    assert answers["biomarkers"] == {"her2": "Positive (3+)"}
    withdrawn = json.loads(archive.read(f"{second_folder}/case.json"))
    assert withdrawn["documents"][0]["name"] == "withdrawn.pdf" and withdrawn["documents"][0]["deleted"]
    account = json.loads(archive.read("account.json"))
    assert account["email"] == patient.email and account["two_factor"] == []
    consents = json.loads(archive.read("consents.json"))
    assert len(consents) == 2 and consents[0]["ip_address"] == "203.0.113.9"
    assert json.loads(archive.read("leads.json"))[0]["utm_campaign"] == "spring"
    everything = b"".join(archive.read(name) for name in archive.namelist())
    for foreign in (b"stranger@example.com", b"A stranger's question", str(stranger.public_id).encode()):
        assert foreign not in everything
    assert AccessLog.objects.filter(user=patient, action=AccessLog.Action.EXPORT).count() == 1


def test_the_export_lists_every_access_log_row_about_the_patient_their_own_exports_too(
    client, patient, consent_text, broker
):
    case = submitted_case(patient, consent_text, ("scan.pdf", files.pdf("scan")))
    stranger = UserFactory(email="stranger@example.com")
    strangers_case = submitted_case(stranger, consent_text, ("x.pdf", files.pdf("x")))
    staff = UserFactory(email="staff@example.com", is_staff=True)
    seen = {"ip_address": "198.51.100.7", "request_id": "r1"}
    intake.access_record(user=staff, action=AccessLog.Action.VIEW_CASE, case=case, **seen)
    intake.access_record(user=staff, action=AccessLog.Action.DOWNLOAD_DOCUMENT, document=case.documents.get(), **seen)
    # About someone else: neither staff's look at another case nor another patient's export.
    intake.access_record(user=staff, action=AccessLog.Action.VIEW_CASE, case=strangers_case, **seen)
    intake.access_record(user=stranger, action=AccessLog.Action.EXPORT, **seen)
    log_in(client, patient.email)
    reauthenticate(client)

    export(client)
    archive = read_zip(export(client))

    log = json.loads(archive.read("access_log.json"))
    assert [(row["what"], row["document"], row["by"]) for row in log] == [
        ("Viewed a case", None, "Navis staff"),
        ("Downloaded a document", "scan.pdf", "Navis staff"),
        ("Exported all their data", None, "you"),
        ("Exported all their data", None, "you"),  # this export itself
    ]


def test_the_export_names_each_file_for_its_detected_type(client, patient, consent_text, broker):
    case = submitted_case(
        patient,
        consent_text,
        ("lab-results.html", files.pdf("lab")),
        ("photo.pdf", files.image("JPEG")),
        ("scan", files.image("PNG")),
    )
    # A row written before names followed the detected type.
    Document.objects.filter(case=case, content_type="image/png").update(original_name="scan.exe")
    log_in(client, patient.email)
    reauthenticate(client)
    archive = read_zip(export(client))

    folder = f"cases/1-{str(case.public_id)[:8]}/documents"
    assert sorted(n for n in archive.namelist() if "/documents/" in n) == [
        f"{folder}/lab-results.pdf",
        f"{folder}/photo.jpg",
        f"{folder}/scan.png",
    ]


def test_the_export_leaves_out_quarantined_files_but_lists_them(client, patient, consent_text, broker):
    case = submitted_case(patient, consent_text, ("virus.pdf", files.pdf("looks fine")))
    Document.objects.filter(case=case).update(status=DocumentStatus.QUARANTINED)
    log_in(client, patient.email)
    reauthenticate(client)
    archive = read_zip(export(client))

    assert not [n for n in archive.namelist() if "/documents/" in n]
    listed = json.loads(archive.read(f"cases/1-{str(case.public_id)[:8]}/case.json"))["documents"]
    assert listed[0]["name"] == "virus.pdf" and listed[0]["status"] == "Quarantined"
