"""The intake flow as a patient goes through it: consent, diagnosis, records, check and submit."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import CancerTypeFactory, ConsentTextFactory, UserFactory
from tests.uploads import files, samples
from tests.uploads.cases import add, complete_case, consented_case
from tests.uploads.conftest import send_queued_emails
from uploads import task_names
from uploads.due_dates import promised_due_at
from uploads.emails import case_reference
from uploads.models import Case, CaseStatus, Consent, Document, DocumentStatus, Lead, Notification
from uploads.services import intake, processing, reconcile
from uploads.validators import UploadRefused
from uploads.workflow import TransitionError

pytestmark = pytest.mark.django_db


def step_url(name: str, case: Case) -> str:
    return reverse(f"uploads:case_{name}", args=[case.public_id])


def start(client) -> Case:
    response = client.post(reverse("uploads:case_start"))
    assert response.status_code == 302
    return Case.objects.latest("created_at")


def test_starting_opens_a_draft_at_the_consent_step_and_starting_again_resumes_it(patient_client, consent_text):
    case = start(patient_client)

    again = patient_client.post(reverse("uploads:case_start"))

    assert case.status == CaseStatus.DRAFT
    assert again.url == step_url("consent", case)
    assert Case.objects.count() == 1
    page = patient_client.get(reverse("uploads:case_start")).content.decode()
    assert "Carry on where you left off" in page and step_url("consent", case) in page


def test_the_start_page_shows_the_limits_before_anything_is_uploaded(patient_client):
    html = patient_client.get(reverse("uploads:case_start")).content.decode()

    assert "Up to 30 files, each up to 50.0\xa0MB, and 500.0\xa0MB in all." in html
    assert "PDF, JPEG, PNG, TIFF or HEIC" in html


def test_consent_records_the_version_time_address_and_browser(patient_client, patient, consent_text):
    case = start(patient_client)

    response = patient_client.post(
        step_url("consent", case),
        {"item_process": "on", "item_not_advice": "on"},
        headers={"user-agent": "Firefox on a phone"},
        REMOTE_ADDR="198.51.100.7",
    )

    assert response.url == step_url("diagnosis", case)
    consent = Consent.objects.get(user=patient)
    assert consent.consent_text == consent_text
    assert consent.accepted_items == ["process", "not_advice"]
    assert consent.ip_address == "198.51.100.7"
    assert consent.user_agent == "Firefox on a phone"
    case.refresh_from_db()
    assert case.consent == consent


def test_consent_needs_every_box_ticked_and_says_so_beside_the_unticked_one(patient_client, consent_text):
    case = start(patient_client)

    response = patient_client.post(step_url("consent", case), {"item_process": "on"})

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<ul class="errorlist" id="id_item_not_advice_error"><li>Tick this box to agree', html)
    assert 'aria-describedby="id_item_not_advice_error"' in html
    assert "checked" in html.split('name="item_process"')[1].split(">")[0]
    assert not Consent.objects.exists()


def test_the_patient_agrees_to_the_newest_published_version(patient_client, consent_text):
    newer = ConsentTextFactory(version=consent_text.version + 1, title="Version two of what we do")
    ConsentTextFactory(version=newer.version + 1, title="A draft nobody sees yet", published_at=None)
    case = start(patient_client)

    html = patient_client.get(step_url("consent", case)).content.decode()

    assert "Version two of what we do" in html and "A draft nobody sees yet" not in html


def test_no_consent_no_upload_and_no_later_step(patient_client, consent_text):
    case = start(patient_client)
    body = {"files": files.upload("report.pdf", files.pdf())}

    upload = patient_client.post(reverse("uploads:document_upload", args=[case.public_id]), body, follow=True)

    assert not Document.objects.exists()
    assert "Agree to how we use your records before you upload them." in upload.content.decode()
    for step in ("diagnosis", "records", "check"):
        response = patient_client.get(step_url(step, case))
        assert response.url == step_url("consent", case), step


def test_without_a_published_consent_text_the_flow_says_it_cannot_take_records(patient_client):
    case = start(patient_client)

    response = patient_client.get(step_url("consent", case))

    assert response.status_code == 503
    assert "We cannot take records just now" in response.content.decode()


def test_each_page_shows_which_step_of_four_it_is(patient_client, patient, consent_text):
    case = consented_case(patient, consent_text)

    for number, step in enumerate(["consent", "diagnosis", "records", "check"], start=1):
        html = patient_client.get(step_url(step, case)).content.decode()
        assert f"Step {number} of 4" in html, step
        assert html.count('aria-current="step"') == 1


def test_diagnosis_errors_sit_beside_their_field_and_what_was_typed_stays(patient_client, patient, consent_text):
    breast = CancerTypeFactory(name="Breast cancer", slug="breast-cancer", profile="breast")
    case = consented_case(patient, consent_text)
    intake.case_diagnosis_update(case=case, answers={"cancer_type": breast})

    response = patient_client.post(
        step_url("diagnosis", case),
        {
            "cancer_type": "",
            "questions_for": "generic",
            "stage": "2",
            "detail_stage_group": "IIB",
            "treatment_so_far": "Three cycles of FLOT",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_cancer_type_error"' in html and "Choose the type of cancer" in html
    assert 'id="id_questions_error"' in html and "Tell us at least one question" in html
    assert 'value="IIB"' in html
    assert "Three cycles of FLOT</textarea>" in html
    assert re.search(r'<input type="radio" name="stage" value="2"[^>]*checked', html)
    case.refresh_from_db()
    assert case.treatment_so_far == ""


def test_diagnosis_answers_are_saved_under_the_stable_marker_keys(patient_client, patient, consent_text):
    stomach = CancerTypeFactory(name="Stomach cancer", slug="stomach-cancer", profile="stomach")
    case = consented_case(patient, consent_text)

    response = patient_client.post(
        step_url("diagnosis", case),
        {
            "cancer_type": stomach.pk,
            "questions_for": "stomach",
            "stage": "4",
            "detail_stage_group": "IVA",
            "biomarker_her2": "Negative (0 or 1+)",
            "biomarker_pd_l1": "CPS 8",
            "biomarker_msi_mmr": "",
            "biomarker_cldn18_2": "Positive (75% or more of cells)",
            "biomarker_ebv": "Not tested",
            "biomarkers_other": "EBV negative",
            "treatment_so_far": "FLOT then surgery",
            "current_treatment": "None",
            "questions": "Should I have nivolumab?",
        },
    )

    assert response.url == step_url("records", case)
    case.refresh_from_db()
    assert case.cancer_type == stomach and case.stage == "4"
    assert case.biomarkers == {
        "her2": "Negative (0 or 1+)",
        "pd_l1": "CPS 8",
        "cldn18_2": "Positive (75% or more of cells)",
        "ebv": "Not tested",
    }
    assert case.diagnosis_details == {"stage_group": "IVA"}
    assert case.biomarkers_other == "EBV negative"
    again = patient_client.get(step_url("diagnosis", case)).content.decode()
    assert 'value="CPS 8"' in again and "<datalist" in again
    check = patient_client.get(step_url("check", case)).content.decode()
    assert "Claudin 18.2 (CLDN18.2): Positive (75% or more of cells)" in check and "Stage group: IVA" in check


def field_names(html: str) -> set[str]:
    return set(re.findall(r'name="((?:biomarker|detail)_\w+)"', html))


def test_a_breast_cancer_patient_is_asked_breast_markers_with_hints_and_not_stomach_ones(
    patient_client, patient, consent_text
):
    breast = CancerTypeFactory(name="Breast cancer", slug="breast-cancer", profile="breast")
    case = consented_case(patient, consent_text)
    intake.case_diagnosis_update(case=case, answers={"cancer_type": breast})

    html = patient_client.get(step_url("diagnosis", case)).content.decode()

    assert {"biomarker_er", "biomarker_pr", "biomarker_her2", "biomarker_ki67", "detail_grade"} <= field_names(html)
    assert not {"biomarker_cldn18_2", "biomarker_msi_mmr", "biomarker_ebv"} & field_names(html)
    assert "Oestrogen receptor (ER)" in html and "Allred score" in html
    # Each of the ten markers offers both; the three stage and grade questions offer "I don't know".
    assert html.count('<option value="Not tested">') == 10
    assert html.count('<option value="I don&#x27;t know">') == 13


def test_choosing_another_type_shows_its_questions_without_javascript_and_saves_nothing(
    patient_client, patient, consent_text
):
    CancerTypeFactory(name="Stomach cancer", slug="stomach-cancer", profile="stomach")
    prostate = CancerTypeFactory(name="Prostate cancer", slug="prostate-cancer", profile="prostate")
    case = consented_case(patient, consent_text)
    first = patient_client.get(step_url("diagnosis", case)).content.decode()
    assert 'name="show_questions"' in first and "biomarker_psa" not in first

    response = patient_client.post(
        step_url("diagnosis", case),
        {"cancer_type": prostate.pk, "questions_for": "generic", "questions": "Is surgery best?", "show_questions": ""},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert {"biomarker_psa", "biomarker_brca2", "detail_gleason", "detail_grade_group", "detail_cores"} <= field_names(
        html
    )
    assert "Is surgery best?</textarea>" in html
    assert re.search(rf'<option value="{prostate.pk}" selected>', html)
    assert 'name="questions_for" value="prostate"' in html
    case.refresh_from_db()
    assert case.cancer_type is None and case.questions == ""


def test_continuing_after_changing_the_type_shows_the_new_questions_first(patient_client, patient, consent_text):
    stomach = CancerTypeFactory(name="Stomach cancer", slug="stomach-cancer", profile="stomach")
    breast = CancerTypeFactory(name="Breast cancer", slug="breast-cancer", profile="breast")
    case = consented_case(patient, consent_text)
    intake.case_diagnosis_update(case=case, answers={"cancer_type": stomach})

    response = patient_client.post(
        step_url("diagnosis", case),
        {
            "cancer_type": breast.pk,
            "questions_for": "stomach",
            "biomarker_her2": "Positive (3+)",
            "biomarker_cldn18_2": "Negative",
            "questions": "What next?",
            "continue": "",
        },
    )

    html = response.content.decode()
    assert response.status_code == 200 and "These are the questions for breast cancer" in html
    # HER2 is asked of both: what was typed stays.
    assert re.search(r'name="biomarker_her2" value="Positive \(3\+\)"', html)
    assert "biomarker_er" in html and "biomarker_cldn18_2" not in html
    case.refresh_from_db()
    assert case.cancer_type == stomach


def test_the_stage_questions_fit_the_cancer_and_are_kept(patient_client, patient, consent_text):
    prostate = CancerTypeFactory(name="Prostate cancer", slug="prostate-cancer", profile="prostate")
    case = consented_case(patient, consent_text)

    response = patient_client.post(
        step_url("diagnosis", case),
        {
            "cancer_type": prostate.pk,
            "questions_for": "prostate",
            "stage": "2",
            "detail_gleason": "4+3=7",
            "detail_grade_group": "3",
            "detail_cores": "3 of 12",
            "biomarker_psa": "8.4 ng/mL",
            "questions": "Should I have surgery or radiotherapy?",
        },
    )

    assert response.url == step_url("records", case)
    case.refresh_from_db()
    assert case.diagnosis_details == {"gleason": "4+3=7", "grade_group": "3", "cores": "3 of 12"}
    assert case.biomarkers == {"psa": "8.4 ng/mL"}
    html = patient_client.get(step_url("diagnosis", case)).content.decode()
    assert 'value="4+3=7"' in html and "Gleason score" in html


@pytest.mark.parametrize(("slug", "asks"), [("lymphoma", "detail_ann_arbor_stage"), ("womb", "detail_figo_stage")])
def test_lymphoma_and_womb_cancer_are_asked_their_own_staging(patient_client, patient, consent_text, slug, asks):
    cancer_type = CancerTypeFactory(name=slug, slug=slug, profile=slug)
    case = consented_case(patient, consent_text)
    intake.case_diagnosis_update(case=case, answers={"cancer_type": cancer_type})

    html = patient_client.get(step_url("diagnosis", case)).content.decode()

    assert asks in field_names(html) and "detail_stage_group" not in field_names(html)


def test_save_and_finish_later_keeps_a_partial_answer_and_the_dashboard_resumes_it(
    patient_client, patient, consent_text
):
    case = consented_case(patient, consent_text)

    response = patient_client.post(
        step_url("diagnosis", case), {"stage": "unknown", "treatment_so_far": "Surgery", "save_for_later": ""}
    )

    assert response.url == reverse("uploads:dashboard")
    case.refresh_from_db()
    assert case.treatment_so_far == "Surgery"
    dashboard = patient_client.get(reverse("uploads:dashboard")).content.decode()
    assert "Not sent yet" in dashboard and "Carry on" in dashboard
    detail = patient_client.get(case.get_absolute_url()).content.decode()
    assert step_url("diagnosis", case) in detail


# The file's mode is a local disk's: on S3 the bucket's privacy is tests/uploads/test_storage_backends.py's.
@pytest.mark.parametrize("private_storage_backend", ["local"], indirect=True)
def test_uploading_keeps_the_file_privately_under_a_random_name_with_its_sha256(
    patient_client, patient, consent_text, private_media
):
    case = consented_case(patient, consent_text)
    content = files.pdf("My pathology report")

    response = patient_client.post(
        reverse("uploads:document_upload", args=[case.public_id]),
        {"files": files.upload("Jane Doe pathology.pdf", content)},
    )

    assert response.url == step_url("records", case)
    document = Document.objects.get(case=case)
    assert document.original_name == "Jane Doe pathology.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(content)
    assert document.status == DocumentStatus.RECEIVED
    stored = private_media / document.file.name
    assert stored.read_bytes() == content
    assert "Jane" not in document.file.name and "pathology" not in document.file.name
    # Random, and the row's own: a file of a row never written is one the storage sweep can tell.
    assert document.file.name == f"cases/{case.public_id}/{document.public_id}.pdf"
    assert oct(stored.stat().st_mode & 0o777) == "0o600"
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    page = patient_client.get(step_url("records", case)).content.decode()
    assert page.count(">Jane Doe pathology.pdf<") == 1 and "1 file uploaded: see the list of your records." in page


def test_several_files_at_once_each_get_their_own_result(patient_client, patient, consent_text):
    case = consented_case(patient, consent_text)

    response = patient_client.post(
        reverse("uploads:document_upload", args=[case.public_id]),
        {
            "files": [
                files.upload("one.pdf", files.pdf("one")),
                files.upload("two.jpg", files.image("JPEG")),
                files.upload("three.tiff", files.image("TIFF")),
                files.upload("four.heic", files.image("HEIF")),
                files.upload("five.png", files.image("PNG")),
            ]
        },
        follow=True,
    )

    html = response.content.decode()
    # Each file once: in the list of records, with a count in the results instead of a row each.
    assert "5 files uploaded: see the list of your records." in html
    assert html.count("upload-result--ok") == 0
    for name in ("one.pdf", "two.jpg", "three.tiff", "four.heic", "five.png"):
        assert html.count(f">{name}<") == 1, name
    types = sorted(Document.objects.filter(case=case).values_list("content_type", flat=True))
    assert types == ["application/pdf", "image/heic", "image/jpeg", "image/png", "image/tiff"]


def test_the_script_gets_a_json_result_for_its_one_file(patient_client, patient, consent_text):
    case = consented_case(patient, consent_text)

    response = patient_client.post(
        reverse("uploads:document_upload", args=[case.public_id]),
        {"files": files.upload("scan.png", files.image("PNG"))},
        headers={"accept": "application/json"},
    )

    assert response.status_code == 200
    assert response.json() == {
        "results": [{"name": "scan.png", "ok": True, "message": "Uploaded.", "listed": True}],
        "allowance": {"files_left": 29, "bytes_left": 500 * 1024 * 1024 - Document.objects.get().size},
    }


def test_the_same_file_twice_in_a_case_is_kept_once(patient_client, patient, consent_text):
    case = consented_case(patient, consent_text)
    content = files.pdf("Same")
    url = reverse("uploads:document_upload", args=[case.public_id])
    patient_client.post(url, {"files": files.upload("first.pdf", content)})

    response = patient_client.post(
        url, {"files": files.upload("copy of first.pdf", content)}, headers={"accept": "application/json"}
    )

    assert response.json()["results"][0] == {
        "name": "copy of first.pdf",
        "ok": True,
        "message": "Already in this request as “first.pdf”: we keep one copy.",
        # Not a new record: its row says where the file is.
        "listed": False,
    }
    assert Document.objects.filter(case=case).count() == 1


def test_a_case_takes_no_more_files_than_the_limit(patient, consent_text, settings):
    settings.UPLOAD_MAX_FILES_PER_CASE = 2
    case = consented_case(patient, consent_text)
    for n in range(2):
        add(case, f"{n}.pdf", files.pdf(str(n)))

    with pytest.raises(UploadRefused, match="already has 2 files, the most it can hold"):
        add(case, "third.pdf", files.pdf("third"))


def test_a_case_takes_no_more_bytes_than_the_limit(patient, consent_text, settings):
    first = files.pdf("first")
    settings.UPLOAD_MAX_CASE_SIZE = len(first) + 100
    case = consented_case(patient, consent_text)
    add(case, "first.pdf", first)

    with pytest.raises(UploadRefused, match="not enough room left"):
        add(case, "second.pdf", files.pdf("second"))


def test_a_record_added_by_mistake_can_be_removed_before_submitting(patient_client, patient, consent_text):
    case = complete_case(patient, consent_text)
    document = case.documents.get()

    response = patient_client.post(
        reverse("uploads:document_remove", args=[case.public_id, document.public_id]), follow=True
    )

    document.refresh_from_db()
    assert document.status == DocumentStatus.DELETED and document.deleted_at
    assert not document.file.storage.exists(document.file.name)
    assert "Removed “pathology.pdf”." in response.content.decode()


def test_a_record_added_to_a_draft_goes_to_the_pipeline_by_id_after_commit(
    patient_client, patient, consent_text, broker, django_capture_on_commit_callbacks
):
    case = consented_case(patient, consent_text)

    with django_capture_on_commit_callbacks(execute=True):
        patient_client.post(
            reverse("uploads:document_upload", args=[case.public_id]),
            {"files": files.upload("letter.pdf", files.pdf("letter"))},
        )
        assert broker.queued_tasks() == [], "nothing may be queued before the transaction commits"

    document = Document.objects.get(case=case)
    assert [(t.name, t.args) for t in broker.queued_tasks()] == [(task_names.DOCUMENT_PROCESS, [document.pk])]
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT


def test_the_check_page_lists_what_is_missing_with_links_to_the_step(patient_client, patient, consent_text):
    case = consented_case(patient, consent_text)

    response = patient_client.get(step_url("check", case))
    html = response.content.decode()

    assert "Before you can submit" in html
    assert f'<a href="{step_url("diagnosis", case)}">Tell us the type of cancer.</a>' in html
    assert f'<a href="{step_url("records", case)}">Add at least one record.</a>' in html
    assert "Submit my request" not in html
    patient_client.post(step_url("check", case))
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT


def test_submitting_hands_the_case_to_the_pipeline_by_id_after_commit(
    patient_client, patient, consent_text, broker, django_capture_on_commit_callbacks
):
    case = complete_case(patient, consent_text)
    html = patient_client.get(step_url("check", case)).content.decode()
    assert "Is immunotherapy an option for me?" in html and "HER2: Positive (3+)" in html

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = patient_client.post(step_url("check", case))
        assert broker.queued_tasks() == [], "nothing may be queued before the transaction commits"

    assert callbacks
    assert response.url == case.get_absolute_url()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.submitted_at
    assert list(case.events.values_list("status", flat=True)) == ["draft", "submitted"]
    [email] = case.notifications.all()
    tasks = broker.queued_tasks()
    assert [(task.name, task.args) for task in tasks] == [
        (task_names.CASE_PROCESS, [case.pk]),
        (task_names.NOTIFICATIONS_SEND, [[email.pk]]),
    ]
    for personal in (patient.email, "Stomach", "immunotherapy", "pathology", str(case.public_id)):
        assert all(personal.encode() not in task.raw for task in tasks)


def test_submitting_emails_what_happens_next_and_when_without_any_health_information(
    patient_client, patient, consent_text, mailoutbox, django_capture_on_commit_callbacks, broker, settings
):
    settings.CASE_DUE_WORKING_DAYS = {1: 2, 2: 3, 3: 4}
    case = complete_case(patient, consent_text)

    with django_capture_on_commit_callbacks(execute=True):
        patient_client.post(step_url("check", case))

    assert mailoutbox == [], "the request only records the email; the retried task sends it"
    assert case.notifications.get().kind == Notification.Kind.CASE_SUBMITTED
    assert send_queued_emails(broker) == 1
    assert send_queued_emails(broker) == 1  # the same message delivered twice mails once
    [email] = mailoutbox
    html = email.alternatives[0][0]
    assert email.to == [patient.email]
    assert email.subject == f"Navis: We have your request ({case_reference(case)})"
    assert "What happens next" in email.body and "What happens next" in html
    # The date promised is the one the review queue counts down to until the case has its priority.
    case.refresh_from_db()
    assert case.due_at == promised_due_at(case.submitted_at)
    assert f"within 4 working days, by {timezone.localtime(case.due_at):%A %-d %B}." in email.body
    for health in ("Stomach", "immunotherapy", "HER2", "pathology", "Stage"):
        assert health not in email.body and health not in html and health not in email.subject


def test_submitting_while_the_broker_does_not_answer_reads_as_usual_and_the_reconciler_sends_it_later(
    patient_client, patient, consent_text, broker, django_capture_on_commit_callbacks, settings
):
    case = complete_case(patient, consent_text)

    with broker.unreachable(), django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(step_url("check", case), follow=True)

    assert response.status_code == 200 and response.redirect_chain == [(case.get_absolute_url(), 302)]
    assert "Thank you. We have your request" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.submitted_at
    [email] = case.notifications.filter(sent_at__isnull=True)
    assert email.kind == Notification.Kind.CASE_SUBMITTED
    assert broker.queued_tasks() == [], "nothing reached the broker"

    # Once the broker answers again, the reconciler's next run past the wait sends the case, its
    # waiting record and the email.
    later = timezone.now() + timedelta(seconds=settings.PIPELINE_STUCK_AFTER_SECONDS + 1)
    with django_capture_on_commit_callbacks(execute=True):
        reconcile.pipeline_reconcile(now=later)
    assert [(t.name, t.args) for t in broker.queued_tasks()] == [
        (task_names.DOCUMENT_PROCESS, [case.documents.get().pk]),
        (task_names.CASE_PROCESS, [case.pk]),
        (task_names.NOTIFICATIONS_SEND, [[email.pk]]),
    ]


def test_a_record_added_to_a_submitted_case_goes_to_the_pipeline_by_id(
    patient_client, patient, consent_text, broker, django_capture_on_commit_callbacks
):
    case = complete_case(patient, consent_text)
    with django_capture_on_commit_callbacks(execute=True):
        intake.case_submit(case=case, user=patient)
    broker.purge()

    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(
            reverse("uploads:document_upload", args=[case.public_id]),
            {"files": files.upload("letter.pdf", files.pdf("letter"))},
        )

    assert response.url == case.get_absolute_url()
    document = Document.objects.get(case=case, original_name="letter.pdf")
    assert [(t.name, t.args) for t in broker.queued_tasks()] == [(task_names.DOCUMENT_PROCESS, [document.pk])]
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_answers_cannot_change_once_submitted(patient_client, patient, consent_text, broker):
    case = complete_case(patient, consent_text)
    intake.case_submit(case=case, user=patient)

    response = patient_client.post(step_url("diagnosis", case), {"questions": "changed"})

    assert response.url == case.get_absolute_url()
    case.refresh_from_db()
    assert case.questions == "Is immunotherapy an option for me?"


def test_the_lead_moves_along_as_the_patient_consents_and_submits(patient, consent_text, broker):
    Lead.objects.create(user=patient, step=Lead.Step.SIGNED_UP)
    case = consented_case(patient, consent_text)
    assert case.lead.step == Lead.Step.CONSENTED

    intake.case_diagnosis_update(case=case, answers={"cancer_type_other": "Other", "questions": "Q?"})
    add(case, "a.pdf", files.pdf("a"))
    intake.case_submit(case=case, user=patient)

    case.lead.refresh_from_db()
    assert case.lead.step == Lead.Step.SUBMITTED


def test_an_unverified_account_cannot_reach_the_intake_flow(client):
    unverified = UserFactory(verified=False)
    client.force_login(unverified)

    response = client.get(reverse("uploads:case_start"))

    assert response.status_code == 200
    assert "Confirm your email address first" in response.content.decode()
    assert not Case.objects.exists()


def test_submitting_twice_from_two_tabs_sends_the_case_once(patient_client, patient, consent_text, broker):
    case = complete_case(patient, consent_text)
    first_tab = Case.objects.get(pk=case.pk)
    intake.case_submit(case=case, user=patient)

    with pytest.raises(TransitionError):
        intake.case_submit(case=first_tab, user=patient)
    response = patient_client.post(step_url("check", case))

    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert case.events.filter(status=CaseStatus.SUBMITTED).count() == 1


def test_the_diagnosis_step_takes_the_same_queries_whatever_the_profile(patient_client, patient, consent_text):
    counts = {}
    for slug in ("generic", "stomach", "breast", "prostate"):
        cancer_type = CancerTypeFactory(name=f"{slug} type", slug=f"{slug}-type", profile=slug)
        case = consented_case(patient, consent_text)
        intake.case_diagnosis_update(case=case, answers={"cancer_type": cancer_type})
        with CaptureQueriesContext(connection) as queries:
            assert patient_client.get(step_url("diagnosis", case)).status_code == 200
        counts[slug] = len(queries)
        Case.objects.filter(pk=case.pk).delete()
    assert len(set(counts.values())) == 1, counts


# --- What the check step says of the records ---------------------------------------------------


# A biopsy report that states HER2 and PD-L1, and neither the MMR status nor Claudin 18.2.
BIOPSY_REPORT = """\
HISTOPATHOLOGY REPORT
Specimen: gastric biopsy. Microscopic: moderately differentiated adenocarcinoma.
Immunohistochemistry: HER2 (4B5): score 2+ (equivocal). HER2 ISH: not amplified.
PD-L1 (22C3): CPS 8.
"""


def stomach_draft(patient, consent_text, *documents: tuple[str, bytes], biomarkers: dict | None = None) -> Case:
    """A stomach-cancer draft whose records the pipeline has read, as a worker would have by now."""
    stomach = CancerTypeFactory(name="Stomach cancer", slug="stomach-cancer", profile="stomach")
    case = consented_case(patient, consent_text)
    intake.case_diagnosis_update(
        case=case,
        answers={"cancer_type": stomach, "biomarkers": biomarkers or {}, "questions": "What next?"},
    )
    for name, content in documents:
        processing.document_process(document_id=add(case, name, content).pk)
    case.refresh_from_db()
    return case


def test_the_check_step_says_which_records_we_have_and_which_key_result_we_could_not_find(
    patient_client, patient, consent_text
):
    case = stomach_draft(
        patient,
        consent_text,
        ("pathology.pdf", samples.text_pdf(BIOPSY_REPORT)),
        ("letter.pdf", samples.text_pdf(samples.CLINIC_LETTER)),
    )

    html = patient_client.get(step_url("check", case)).content.decode()

    assert "They include: pathology report (biopsy or operation), clinic letter." in html
    missing = re.findall(r'<li data-missing="(\w+)">([^<]*)</li>', html)
    assert [key for key, _ in missing] == ["msi_mmr", "cldn18_2"]
    assert missing[0][1] == (
        "We could not find your MSI / MMR result. It shows whether immunotherapy may work well, and can change the "
        "plan for surgery. If you have it, add the report; you can still send your request without it."
    )
    # What the reader took from the records is never shown to the patient.
    for read in ("2+", "CPS 8", "CPS 12", "not amplified"):
        assert read not in html
    assert "Submit my request" in html  # it does not stop the patient sending it
    assert "js/check.js" not in html  # nothing left to wait for


def test_a_result_the_patient_said_was_not_tested_is_not_asked_about(patient_client, patient, consent_text):
    case = stomach_draft(
        patient,
        consent_text,
        ("pathology.pdf", samples.text_pdf(BIOPSY_REPORT)),
        biomarkers={"msi_mmr": "Not tested", "cldn18_2": "not done"},
    )

    html = patient_client.get(step_url("check", case)).content.decode()

    assert "data-missing" not in html
    assert "We found the key results for your type of cancer that we look for." in html


def test_while_records_are_read_the_check_step_says_so_with_a_refresh_that_needs_no_script(
    patient_client, patient, consent_text
):
    case = stomach_draft(patient, consent_text, ("pathology.pdf", samples.pathology_report_pdf()))
    add(case, "letter.pdf", files.pdf("letter"))  # not read yet
    add(case, "scan.pdf", files.pdf("scan"))

    html = patient_client.get(step_url("check", case)).content.decode()

    assert "We are still reading 2 of your documents." in html
    assert f'<a href="{step_url("check", case)}">Refresh this page</a>' in html
    assert "data-missing" not in html  # nothing is said to be missing before every record is read
    assert "js/check.js" in html  # and with a script, the page looks again by itself


def test_the_check_step_takes_the_same_queries_however_many_records(
    patient_client, patient, consent_text, django_assert_num_queries
):
    case = stomach_draft(patient, consent_text, ("pathology.pdf", samples.text_pdf(BIOPSY_REPORT)))
    # Session, user, case (events and guidance prefetched), documents, its email address for allauth.
    with django_assert_num_queries(7):
        assert "data-missing" in patient_client.get(step_url("check", case)).content.decode()

    for number in range(3):
        letter = samples.text_pdf(f"{samples.CLINIC_LETTER}Copy {number}")
        processing.document_process(document_id=add(case, f"letter-{number}.pdf", letter).pk)
    with django_assert_num_queries(7):
        assert "clinic letter" in patient_client.get(step_url("check", case)).content.decode()


def test_a_record_we_could_not_read_says_so_on_the_check_step(patient_client, patient, consent_text):
    case = stomach_draft(patient, consent_text, ("pathology.pdf", samples.text_pdf(BIOPSY_REPORT)))
    broken = add(case, "broken.pdf", files.pdf("broken"))
    Document.objects.filter(pk=broken.pk).update(status=DocumentStatus.FAILED)

    html = patient_client.get(step_url("check", case)).content.decode()

    assert "broken.pdf (" in html and "We could not read this file; our team will look at it" in html
    assert 'data-missing="msi_mmr"' in html  # what the read records lack is still said
