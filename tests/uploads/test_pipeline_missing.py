"""What seems missing from the records: the key results of the patient's cancer that no document states."""

import pytest

from articles.profiles import PROFILES, profile_for
from uploads.pipeline.findings import extract_findings
from uploads.pipeline.missing import missing_results, record_kinds, said_not_tested

ADD_IT = "If you have it, add the report; you can still send your request without it."


def v2(*biomarkers: dict, labs: tuple = (), grading: dict | None = None, tnm: tuple = (), groups: tuple = ()) -> dict:
    """Findings as the version-2 reader stores them: each reading carries its own key."""
    return {
        "version": 2,
        "biomarkers": list(biomarkers),
        "labs": list(labs),
        "grading": grading or {},
        "tnm": list(tnm),
        "stage_groups": list(groups),
        "dates": [],
    }


def keys(profile: str, findings: list[dict], answers: dict | None = None) -> list[str]:
    return [result.key for result in missing_results(profile_for(profile), findings, answers or {})]


def test_with_no_record_read_every_key_result_of_the_profile_is_missing_in_its_order():
    assert keys("breast", []) == ["er", "pr", "her2", "ki67"]
    assert keys("prostate", []) == ["psa", "gleason"]
    assert keys("melanoma", []) == ["braf", "breslow_mm"]
    assert keys("generic", []) == []


def test_the_message_names_the_result_says_why_it_matters_and_that_the_patient_may_go_on():
    [her2, *_] = missing_results(profile_for("stomach"), [], {})

    assert her2.message == f"We could not find your HER2 result. {her2.why} {ADD_IT}"
    assert her2.why == "It matters for treatment choices in stomach cancer."
    assert her2.as_dict() == {
        "key": "her2",
        "name": "HER2 result",
        "why": "It matters for treatment choices in stomach cancer.",
        "message": her2.message,
    }


def test_a_result_the_current_reader_finds_is_not_missing():
    # Version 1 readings have no key: reading_key derives it from the name ("HER2", "PD-L1").
    findings = extract_findings("HER2 (IHC): 2+, equivocal. PD-L1 CPS 8.").to_dict()

    assert keys("stomach", [findings]) == ["msi_mmr", "cldn18_2"]


def test_a_reading_to_check_by_eye_counts_as_found_and_any_document_may_state_it():
    er = {"key": "er", "name": "ER", "status": "positive", "value": 90, "check": False}
    pr = {"key": "pr", "name": "PR", "status": "", "check": True}  # the words were unclear: a person looks

    assert keys("breast", [v2(er), v2(pr)]) == ["her2", "ki67"]


def test_the_four_mmr_proteins_state_the_mmr_status():
    proteins = [{"key": key, "name": key.upper(), "status": "retained"} for key in ("mlh1", "msh2", "msh6", "pms2")]

    assert "msi_mmr" not in keys("bowel", [v2(*proteins)])


def test_blood_tests_grading_and_stage_come_from_their_own_parts_of_the_findings():
    psa = {"key": "psa", "name": "PSA", "value": 8.4, "unit": "ng/mL"}

    assert keys("prostate", [v2(labs=(psa,))]) == ["gleason"]
    assert keys("prostate", [v2(labs=(psa,), grading={"gleason": "3+4=7"})]) == []
    assert keys("prostate", [v2(grading={"gleason": None, "grade_group": 2})]) == ["psa", "gleason"]
    assert keys("melanoma", [v2(grading={"breslow_mm": 1.2})]) == ["braf"]


def test_a_result_the_patient_says_was_not_tested_is_not_asked_about_but_i_dont_know_is():
    answers = {"ki67": "Not tested", "her2": "I don't know", "er": "never tested", "pr": "Positive, 50%"}

    assert keys("breast", [], answers) == ["pr", "her2"]
    assert said_not_tested("Not tested") and said_not_tested("it was not done")
    assert not said_not_tested("I don't know") and not said_not_tested("Not positive")


def test_older_answers_stored_under_the_markers_name_are_understood():
    assert "pd_l1" not in keys("stomach", [], {"PD-L1 (CPS)": "not tested"})


@pytest.mark.parametrize("slug", sorted(PROFILES))
def test_every_key_result_of_every_profile_has_a_reason_and_reads_as_a_sentence(slug):
    for result in missing_results(profile_for(slug), [], {}):
        assert result.why.endswith(".") and result.why[0].isupper(), (slug, result.key)
        assert result.message.startswith(f"We could not find your {result.name}. ")


def test_the_kinds_of_record_in_the_patients_words_each_once():
    kinds = ["pathology_report", "clinic_letter", "pathology_report", "other", "unknown", "", "molecular_report"]

    assert record_kinds(kinds) == [
        "pathology report (biopsy or operation)",
        "clinic letter",
        "other document",
        "molecular or genetic test report",
    ]


def test_no_value_the_reader_took_reaches_what_the_patient_reads():
    findings = extract_findings("HER2 (IHC): 3+, positive. PD-L1 CPS 12. Claudin 18.2 positive 80%.").to_dict()

    text = " ".join(result.message for result in missing_results(profile_for("stomach"), [findings], {}))
    for value in ("3+", "12", "80"):
        assert value not in text
