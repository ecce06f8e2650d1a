"""The reviewer's summary: the patient's answers beside what the documents say, with a priority."""

import pytest

from tests.uploads import samples
from uploads.pipeline.findings import extract_findings
from uploads.pipeline.summary import DocumentReading, PatientAnswers, describe_biomarker, reading_key, summarise_case


def reading(text: str, *, status: str = "done", id: str = "doc") -> DocumentReading:
    return DocumentReading(id=id, status=status, kind="pathology_report", findings=extract_findings(text).to_dict())


def summary_of(answers: dict[str, str], *texts: str, stage: str = "unknown", profile: str = "stomach") -> dict:
    patient = PatientAnswers(cancer_type="Stomach cancer", stage=stage, biomarkers=answers, profile=profile)
    return summarise_case(patient, [reading(text, id=f"doc{n}") for n, text in enumerate(texts)]).data


def outcome(summary: dict, key: str) -> str:
    return next(row["outcome"] for row in summary["comparison"] if row["key"] == key)


@pytest.mark.parametrize(
    ("answer", "report", "expected"),
    [
        ("positive", "HER2 (4B5): score 3+.", "agrees"),
        ("HER2 3+", "HER2 (4B5): score 3+.", "agrees"),
        ("negative", "HER2 (4B5): score 3+.", "differs"),
        ("positive", "HER2 (4B5): score 2+. HER2 ISH: amplified (ratio 2.6).", "agrees"),
        ("positive", "HER2 (4B5): score 2+. HER2 ISH: not amplified (ratio 1.4).", "differs"),
        ("negative", "HER2 (4B5): score 2+. HER2 ISH: not amplified (ratio 1.4).", "agrees"),
        ("HER2-low", "HER2 (4B5): score 1+.", "agrees"),
        ("equivocal", "HER2 (4B5): score 2+ (equivocal).", "agrees"),
        ("2+ and ISH/FISH positive", "HER2 (4B5): score 2+. HER2 ISH: amplified (ratio 2.6).", "agrees"),
        ("2+ and ISH/FISH negative", "HER2 (4B5): score 2+. HER2 ISH: not amplified (ratio 1.4).", "agrees"),
        ("2+ and ISH/FISH negative", "HER2 (4B5): score 2+. HER2 ISH: amplified (ratio 2.6).", "differs"),
        ("I don't know", "HER2 (4B5): score 3+.", "only records"),
        ("something else", "HER2 (4B5): score 3+.", "check by eye"),
    ],
)
def test_her2_as_the_patient_says_it_against_the_report(answer, report, expected):
    assert outcome(summary_of({"her2": answer}, report), "her2") == expected


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("CPS 8", "agrees"),
        ("8", "agrees"),
        ("CPS 10", "differs"),
        ("CPS 5", "differs"),  # the report's 5 is its TPS, not its CPS
        ("positive", "agrees"),
        ("negative", "differs"),
    ],
)
def test_pd_l1_is_compared_by_its_figure_when_the_patient_gives_one(answer, expected):
    report = "PD-L1 (22C3): CPS 8. TPS 5%."

    assert outcome(summary_of({"pd_l1": answer}, report), "pd_l1") == expected


@pytest.mark.parametrize(("answer", "expected"), [("MSS", "agrees"), ("MSI-H", "differs"), ("dMMR", "differs")])
def test_msi_and_mmr_are_one_topic(answer, expected):
    summary = summary_of({"msi_mmr": answer}, "Mismatch repair proteins: MLH1, PMS2, MSH2 and MSH6 retained (pMMR).")

    assert outcome(summary, "msi_mmr") == expected


def test_markers_only_one_side_mentions_are_listed_never_counted_as_differences():
    summary = summary_of({"cldn18_2": "positive", "fgfr2b": "negative"}, "CLDN18.2: positive in 80% of tumour cells.")

    assert outcome(summary, "cldn18_2") == "agrees"
    assert outcome(summary, "fgfr2b") == "only patient"
    assert summary["differences"] == 0


def test_the_pathology_report_beside_a_patient_who_thinks_her2_positive():
    summary = summary_of({"her2": "positive", "pd_l1": "CPS 8"}, samples.PATHOLOGY_REPORT, stage="2")

    rows = {row["key"]: row for row in summary["comparison"]}
    assert rows["her2"]["documents"] == ["IHC 2+, equivocal", "ISH ratio 1.4, not amplified"]
    assert rows["her2"]["outcome"] == "differs"
    assert rows["pd_l1"]["outcome"] == "agrees"
    assert {key: rows["ebv"][key] for key in ("topic", "patient", "documents", "outcome")} == {
        "topic": "EBV (Epstein-Barr virus)",
        "patient": "",
        "documents": ["ISH, negative"],
        "outcome": "only records",
    }
    assert {key: rows["stage"][key] for key in ("patient", "documents", "outcome")} == {
        "patient": "2",
        "documents": ["IIB", "pT3 pN1 cM0"],
        "outcome": "agrees",
    }
    assert summary["differences"] == 1
    assert summary["priority"] == 2
    evidence = {row["evidence"] for row in summary["documents_say"]["biomarkers"]}
    assert "HER2 (4B5): score 2+ (equivocal)" in evidence


@pytest.mark.parametrize(
    ("stage", "report", "expected"),
    [
        ("3", "Diagnosis: adenocarcinoma, pT3 pN1 cM0, Stage IIB.", "differs"),
        ("4", "Staging CT: liver metastases. cT3 cN1 cM1.", "agrees"),
        ("2", "Staging CT: liver metastases. cT3 cN1 cM1.", "differs"),
        ("unknown", "Diagnosis: adenocarcinoma, pT3 pN1 cM0, Stage IIB.", "only records"),
        ("2", "No staging in this letter.", "only patient"),
    ],
)
def test_the_stage_the_patient_gives_against_the_documents(stage, report, expected):
    assert outcome(summary_of({}, report, stage=stage), "stage") == expected


@pytest.mark.parametrize(
    ("stage", "report", "priority"),
    [
        ("4", "Nothing staged.", 1),
        ("unknown", "cT3 cN1 cM1.", 1),
        ("3", "Nothing staged.", 2),
        ("unknown", "Stage IIIA.", 2),
        ("1", "Stage I.", 3),
    ],
)
def test_priority_follows_the_stage(stage, report, priority):
    patient = PatientAnswers(cancer_type="", stage=stage, biomarkers={})

    result = summarise_case(patient, [reading(report)])

    assert result.priority == priority
    assert result.data["priority_reasons"]


def test_documents_that_were_not_read_are_named_for_the_reviewer():
    patient = PatientAnswers(cancer_type="", stage="1", biomarkers={})
    documents = [
        DocumentReading(id="a", status="quarantined", kind="unknown", note="Quarantined: Navis.Test.EICAR"),
        DocumentReading(id="b", status="failed", kind="unknown", note="The PDF is protected by a password."),
        reading("Dear Dr Okafor, thank you for referring her."),
    ]

    result = summarise_case(patient, documents)

    assert result.data["attention"] == [
        "1 document(s) quarantined by the malware scan; the patient was asked for a copy.",
        "1 document(s) could not be processed: see each one's reason, and retry it.",
        "1 document(s) state no biomarker that could be read: check them by eye.",
    ]
    assert result.priority == 2
    assert [document["note"] for document in result.data["documents"]][:2] == [
        "Quarantined: Navis.Test.EICAR",
        "The PDF is protected by a password.",
    ]


def test_version_1_readings_take_their_key_from_the_name():
    assert {reading_key({"name": name}) for name in ("HER2", "her-2/neu", "ERBB2")} == {"her2"}
    assert {reading_key({"name": name}) for name in ("PD-L1", "CPS", "TPS")} == {"pd_l1"}
    assert {reading_key({"name": name}) for name in ("MSI", "MMR")} == {"msi_mmr"}
    assert reading_key({"name": "CLDN18.2"}) == "cldn18_2"
    assert reading_key({"name": "FGFR2"}) == "fgfr2"
    assert reading_key({"name": "ERBB2", "key": "her2_mutation"}) == "her2_mutation"


def test_a_result_reads_as_one_line():
    assert describe_biomarker({"name": "PD-L1", "measure": "CPS", "value": 1.0, "comparator": ">="}) == "CPS >=1"
    assert describe_biomarker({"name": "PD-L1", "measure": "TPS", "value": 1.0, "upper": 49.0, "unit": "%"}) == (
        "TPS 1-49%"
    )
    assert describe_biomarker({"name": "KRAS", "status": "mutated", "variant": "G12C"}) == "G12C, mutated"
    assert describe_biomarker({"name": "EBV", "status": "negative"}) == "negative"


# --- One row per marker, version-2 readings --------------------------------------------------


def v2(*biomarkers: dict, **more) -> DocumentReading:
    """A document as the version-2 reader describes it: each result with its key, evidence and page."""
    findings = {"version": 2, "biomarkers": list(biomarkers), "tnm": [], "stage_groups": [], "dates": []}
    findings.update(more)
    return DocumentReading(id=more.pop("id", "doc"), status="done", kind="pathology_report", findings=findings)


def rows_of(patient: PatientAnswers, *documents: DocumentReading) -> dict[str, dict]:
    comparison = summarise_case(patient, list(documents)).data["comparison"]
    keys = [row["key"] for row in comparison]
    assert len(keys) == len(set(keys)), keys
    return {row["key"]: row for row in comparison}


def test_answers_under_the_old_labels_and_the_records_share_one_row_per_marker():
    patient = PatientAnswers(
        cancer_type="Stomach cancer",
        stage="2",
        biomarkers={"Claudin 18.2 (CLDN18.2)": "Positive", "PD-L1 (CPS)": "CPS 8", "MSI / MMR": "MSS"},
        profile="stomach",
    )
    report = reading(
        "CLDN18.2 (43-14A): positive in 80% of tumour cells. PD-L1 (22C3): CPS 8. "
        "Microsatellite stable (MSS). Mismatch repair proteins retained (pMMR)."
    )

    rows = rows_of(patient, report)

    assert {key: rows[key]["outcome"] for key in ("cldn18_2", "pd_l1", "msi_mmr")} == dict.fromkeys(
        ("cldn18_2", "pd_l1", "msi_mmr"), "agrees"
    )
    assert rows["cldn18_2"]["topic"] == "Claudin 18.2 (CLDN18.2)"
    assert "not in documents" not in {row["outcome"] for row in rows.values()}


def test_a_reading_marked_for_checking_shows_its_words_and_page_and_is_not_a_difference():
    patient = PatientAnswers(cancer_type="Bowel cancer", stage="2", biomarkers={"msi_mmr": "MSS"}, profile="bowel")
    ambiguous = {
        "key": "msi_mmr",
        "name": "MSI",
        "status": "",
        "check": True,
        "evidence": "MSI testing: see addendum",
        "page": 2,
    }

    summary = summarise_case(patient, [v2(ambiguous)]).data

    [row] = [row for row in summary["comparison"] if row["key"] == "msi_mmr"]
    assert row["outcome"] == "check by eye"
    assert row["evidence"] == [{"text": "MSI testing: see addendum", "page": 2, "document": "doc", "check": True}]
    assert summary["differences"] == 0 and summary["priority"] == 3


def test_the_readers_key_decides_the_row_not_the_name():
    patient = PatientAnswers(
        cancer_type="Lung cancer", stage="1", biomarkers={"her2_mutation": "Exon 20 insertion"}, profile="lung"
    )
    mutation = {"key": "her2_mutation", "name": "ERBB2", "status": "mutated", "variant": "exon 20 insertion"}

    rows = rows_of(patient, v2(mutation, {"key": "egfr", "name": "EGFR", "status": "wild-type"}))

    assert rows["her2_mutation"]["outcome"] == "agrees"
    assert "her2" not in rows
    assert rows["egfr"]["outcome"] == "only records"


@pytest.mark.parametrize(
    ("key", "answer", "reading", "expected"),
    [
        ("er", "Positive, 90%", {"status": "positive", "value": 90.0, "unit": "%"}, "agrees"),
        ("er", "Negative", {"status": "positive", "value": 90.0, "unit": "%"}, "differs"),
        ("er", "Low positive (1-10%)", {"status": "low", "value": 5.0, "unit": "%"}, "agrees"),
        ("pr", "Negative", {"status": "negative", "value": 0.0, "unit": "%"}, "agrees"),
        ("ki67", "10 to 20%", {"value": 15.0, "unit": "%"}, "agrees"),
        ("ki67", "Under 10%", {"value": 15.0, "unit": "%"}, "differs"),
        ("ki67", "Over 20%", {"value": 30.0, "unit": "%"}, "agrees"),
        ("pd_l1", "TPS 50% or more", {"status": "positive", "measure": "TPS", "value": 60.0}, "agrees"),
        ("pd_l1", "TPS under 1%", {"status": "positive", "measure": "TPS", "value": 60.0}, "differs"),
        ("kras", "G12C", {"status": "mutated", "variant": "G12C"}, "agrees"),
        ("kras", "G12C", {"status": "mutated", "variant": "G12D"}, "differs"),
        ("kras", "No mutation found (wild-type)", {"status": "mutated", "variant": "G12D"}, "differs"),
        ("alk", "Fusion found (rearranged)", {"status": "rearranged", "variant": "EML4-ALK"}, "agrees"),
        ("alk", "No fusion found", {"status": "not rearranged"}, "agrees"),
        ("mlh1", "Lost (absent)", {"status": "loss"}, "agrees"),
        ("mlh1", "Retained (intact, present)", {"status": "loss"}, "differs"),
        ("msi_mmr", "MSI-high / dMMR (mismatch repair deficient)", {"status": "deficient"}, "agrees"),
        ("p53", "Aberrant (abnormal)", {"status": "aberrant"}, "agrees"),
        ("p53", "Wild-type (normal)", {"status": "aberrant"}, "differs"),
        ("cell_of_origin", "Non-GCB (ABC)", {"status": "non-GCB"}, "agrees"),
        ("cell_of_origin", "GCB (germinal centre)", {"status": "non-GCB"}, "differs"),
        ("brca2", "Not tested", {"status": "mutated"}, "only records"),
    ],
)
def test_each_kind_of_result_is_compared_the_way_it_is_reported(key, answer, reading, expected):
    patient = PatientAnswers(cancer_type="", stage="1", biomarkers={key: answer}, profile="generic")

    rows = rows_of(patient, v2({"key": key, "name": key.upper(), **reading}))

    assert rows[key]["outcome"] == expected


def test_a_blood_test_from_the_labs_is_compared_with_its_unit():
    patient = PatientAnswers(
        cancer_type="Prostate cancer", stage="2", biomarkers={"psa": "8.4 ng/mL"}, profile="prostate"
    )
    labs = [{"key": "psa", "value": 8.4, "unit": "ng/mL", "evidence": "PSA 8.4 ng/mL", "page": 1}]

    rows = rows_of(patient, v2(labs=labs))

    assert rows["psa"]["outcome"] == "agrees"
    assert rows["psa"]["documents"] == ["8.4 ng/mL"]
    assert rows["psa"]["evidence"][0]["text"] == "PSA 8.4 ng/mL"


@pytest.mark.parametrize(
    ("details", "findings", "expected"),
    [
        ({"gleason": "4+3=7"}, {"grading": {"gleason": "4+3=7", "grade_group": 3}}, {"gleason": "agrees"}),
        ({"gleason": "3+4=7"}, {"grading": {"gleason": "4+3=7"}}, {"gleason": "differs"}),
        ({"grade_group": "3"}, {"grading": {"grade_group": 3}}, {"grade_group": "agrees"}),
        ({"cores": "3 of 12"}, {"grading": {"cores": "3 of 12"}}, {"cores": "agrees"}),
        ({"figo_stage": "IIIC"}, {"stage_groups": ["IIIC"]}, {"figo_stage": "agrees"}),
        ({"figo_stage": "IB"}, {"stage_groups": ["IIIC"]}, {"figo_stage": "differs"}),
        ({"ann_arbor_stage": "II"}, {"stage_groups": ["IIA"]}, {"ann_arbor_stage": "agrees"}),
        ({"stage_group": "IIIA"}, {"stage_groups": ["IIIB"]}, {"stage_group": "differs"}),
        ({"breslow_mm": "1.2"}, {"grading": {"breslow_mm": 1.2, "ulceration": "absent"}}, {"breslow_mm": "agrees"}),
        ({"ulceration": "Present"}, {"grading": {"ulceration": "absent"}}, {"ulceration": "differs"}),
        ({"isup_grade": "3"}, {"grading": {"isup_grade": 3}}, {"isup_grade": "agrees"}),
        (
            {"tnm": "pT2 N1 M0"},
            {"tnm": [{"text": "pT2 pN1 cM0", "t": "pT2", "n": "pN1", "m": "cM0"}]},
            {"tnm": "agrees"},
        ),
        ({"histology": "Clear cell"}, {}, {"histology": "only patient"}),
    ],
)
def test_the_stage_and_grade_answers_are_compared_with_what_the_records_state(details, findings, expected):
    patient = PatientAnswers(cancer_type="", stage="unknown", biomarkers={}, details=details)

    rows = rows_of(patient, v2(**findings))

    assert {key: rows[key]["outcome"] for key in expected} == expected


def test_a_different_gleason_score_raises_the_priority():
    patient = PatientAnswers(cancer_type="", stage="1", biomarkers={}, details={"gleason": "3+3=6"}, profile="prostate")

    result = summarise_case(patient, [v2(grading={"gleason": "4+4=8"})])

    assert result.data["differences"] == 1
    assert result.priority == 2


# --- What seems missing, as the patient was told ------------------------------------------------


def test_the_summary_keeps_what_seems_missing_and_the_kinds_of_record_read():
    patient = PatientAnswers(
        cancer_type="Breast cancer", stage="2", biomarkers={"ki67": "Not tested"}, profile="breast"
    )
    er = {"key": "er", "name": "ER", "status": "positive", "value": 90.0, "unit": "%"}
    unread = DocumentReading(id="failed", status="failed", kind="unknown", note="Could not be read")

    data = summarise_case(patient, [v2(er), unread]).data

    assert data["version"] == 3
    assert [item["key"] for item in data["missing"]] == ["pr", "her2"]  # Ki-67 was not tested
    assert data["missing"][0]["message"].startswith("We could not find your Progesterone receptor (PR) result.")
    assert data["records_held"] == ["pathology report (biopsy or operation)"]
