"""For every cancer profile: the diagnosis form's answers reach the comparison on the case page.

The answers go through the real diagnosis step, the case is summarised by the real pipeline
service, and the reviewer reads the real admin case page. The records' findings are set as the
version-2 reader writes them (key, status, evidence, page), so that this holds whatever the
reader reads.
"""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from articles.profiles import PROFILES, CancerProfile
from tests.factories import CancerTypeFactory
from tests.uploads import files
from tests.uploads.cases import add, consented_case
from tests.uploads.review import case_reviewer, document_done, signed_in
from uploads.models import CaseStatus
from uploads.services import intake, processing

pytestmark = pytest.mark.django_db

TWO_SIDED = {"agrees", "differs", "check by eye"}
# What the records state of each stage or grade question.
RECORDS = {
    "stage_groups": ["IIA"],
    "tnm": [{"text": "pT2 pN1 cM0", "t": "pT2", "n": "pN1", "m": "cM0"}],
    "grading": {
        "gleason": "3+4=7",
        "grade_group": 2,
        "grade": "2",
        "isup_grade": 2,
        "breslow_mm": 1.2,
        "ulceration": "absent",
        "cores": "3 of 12",
    },
}
LABS = {"psa", "ca125"}


def findings_for(profile: CancerProfile) -> dict:
    """A version-2 reading of every marker of the profile, each with its words and page."""
    biomarkers = [
        {"key": m.key, "name": m.label, "status": "positive", "evidence": f"{m.label}: positive", "page": 2}
        for m in profile.markers
        if m.key not in LABS
    ]
    labs = [
        {"key": m.key, "value": 8.4, "unit": m.unit, "evidence": f"{m.label} 8.4 {m.unit}", "page": 1}
        for m in profile.markers
        if m.key in LABS
    ]
    return {"version": 2, "biomarkers": biomarkers, "labs": labs, "dates": [], **RECORDS}


def answers_for(profile: CancerProfile) -> dict[str, str]:
    """The diagnosis form filled in with each question's first suggestion."""
    return {
        **{f"biomarker_{marker.key}": marker.suggestions[0] for marker in profile.markers},
        **{f"detail_{detail.key}": detail.suggestions[0] for detail in profile.details},
    }


def row_of(html: str, key: str) -> str:
    rows = re.findall(rf'<tr class="comparison__row[^"]*" data-key="{key}">(.*?)</tr>', html, re.DOTALL)
    assert len(rows) == 1, f"{key}: {len(rows)} rows"
    return rows[0]


def outcome_of(row: str) -> str:
    return re.findall(r"<td>([^<]*)</td>\s*$", row.strip())[-1]


@pytest.mark.parametrize("slug", list(PROFILES))
def test_the_diagnosis_answers_reach_the_comparison_on_the_case_page(slug, patient, patient_client, consent_text):
    profile = PROFILES[slug]
    cancer_type = CancerTypeFactory(name=profile.name, slug=f"{slug}-cancer", profile=slug)
    case = consented_case(patient, consent_text)
    answers = answers_for(profile)

    response = patient_client.post(
        reverse("uploads:case_diagnosis", args=[case.public_id]),
        {
            "cancer_type": cancer_type.pk,
            "questions_for": slug,
            "stage": "2",
            "questions": "What should I ask my team?",
            **answers,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    document = add(case, "pathology.pdf", files.pdf("Pathology"))
    intake.case_submit(case=case, user=patient)
    assert processing.case_processing_start(case_id=case.pk)
    document_done(document)
    document.findings = findings_for(profile)
    document.save(update_fields=["findings"])
    assert processing.case_finalise_if_ready(case_id=case.pk)
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING_FOR_REVIEW

    reviewer = case_reviewer(f"reviewer-{slug}@example.com")
    html = signed_in(reviewer).get(reverse("admin:uploads_case_change", args=[case.pk])).content.decode()

    for marker in profile.markers:
        row = row_of(html, marker.key)
        assert escape(marker.label) in row and escape(answers[f"biomarker_{marker.key}"]) in row, marker.key
        assert "page 2" in row or "page 1" in row, marker.key
        assert outcome_of(row) in TWO_SIDED, (marker.key, outcome_of(row))
    for detail in profile.details:
        row = row_of(html, detail.key)
        assert escape(detail.label) in row and escape(answers[f"detail_{detail.key}"]) in row, detail.key
        expected = {"only patient"} if detail.key in ("histology", "tumour_side") else TWO_SIDED
        assert outcome_of(row) in expected, (detail.key, outcome_of(row))
    assert outcome_of(row_of(html, "stage")) == "agrees"


def finalised_breast_case(patient, consent_text, findings: dict, biomarkers: dict[str, str]):
    breast = CancerTypeFactory(name="Breast cancer", slug="breast-cancer", profile="breast")
    case = consented_case(patient, consent_text)
    intake.case_diagnosis_update(
        case=case, answers={"cancer_type": breast, "biomarkers": biomarkers, "questions": "What next?"}
    )
    document = add(case, "pathology.pdf", files.pdf("Pathology"))
    intake.case_submit(case=case, user=patient)
    assert processing.case_processing_start(case_id=case.pk)
    document_done(document)
    document.findings = findings
    document.save(update_fields=["findings"])
    assert processing.case_finalise_if_ready(case_id=case.pk)
    case.refresh_from_db()
    return case


def test_the_reviewer_sees_what_seems_missing_under_the_comparison(patient, consent_text):
    er = {"key": "er", "name": "ER", "status": "positive", "value": 90.0, "unit": "%", "evidence": "ER 90%", "page": 1}
    findings = {"version": 2, "biomarkers": [er], "labs": [], "tnm": [], "stage_groups": [], "dates": []}
    case = finalised_breast_case(patient, consent_text, findings, {"ki67": "Not tested"})

    html = signed_in(case_reviewer("reviewer@example.com")).get(reverse("admin:uploads_case_change", args=[case.pk]))
    html = html.content.decode()

    missing = re.findall(r'<li data-missing="(\w+)"><strong>([^<]*)</strong>', html)
    assert missing == [("pr", "Progesterone receptor (PR) result"), ("her2", "HER2 result")]
    assert html.index('class="comparison"') < html.index("What seems missing")
    assert "Records read: pathology report (biopsy or operation)." in html


def test_an_older_summary_without_the_missing_list_still_shows(patient, consent_text):
    case = finalised_breast_case(patient, consent_text, {"version": 1, "biomarkers": []}, {})
    older = {key: value for key, value in case.summary.items() if key not in ("missing", "records_held")}
    case.summary = {**older, "version": 2}
    case.save(update_fields=["summary"])

    response = signed_in(case_reviewer("reviewer@example.com")).get(
        reverse("admin:uploads_case_change", args=[case.pk])
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Not checked: this summary was made before the pipeline kept what seems missing." in html
    assert "data-missing" not in html
