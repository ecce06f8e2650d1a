"""The reviewer's summary: the patient's answers beside what the documents say, with a priority."""

import pytest

from tests.uploads import samples
from uploads.pipeline.findings import extract_findings
from uploads.pipeline.summary import DocumentReading, PatientAnswers, describe_biomarker, summarise_case, topic_of


def reading(text: str, *, status: str = "done", id: str = "doc") -> DocumentReading:
    return DocumentReading(id=id, status=status, kind="pathology_report", findings=extract_findings(text).to_dict())


def summary_of(answers: dict[str, str], *texts: str, stage: str = "unknown") -> dict:
    patient = PatientAnswers(cancer_type="Stomach cancer", stage=stage, biomarkers=answers)
    return summarise_case(patient, [reading(text, id=f"doc{n}") for n, text in enumerate(texts)]).data


def outcome(summary: dict, topic: str) -> str:
    return next(row["outcome"] for row in summary["comparison"] if row["topic"] == topic)


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
        ("I don't know", "HER2 (4B5): score 3+.", "unclear"),
        ("something else", "HER2 (4B5): score 3+.", "unclear"),
    ],
)
def test_her2_as_the_patient_says_it_against_the_report(answer, report, expected):
    assert outcome(summary_of({"HER2": answer}, report), "HER2") == expected


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

    assert outcome(summary_of({"PD-L1": answer}, report), "PD-L1") == expected


@pytest.mark.parametrize(("answer", "expected"), [("MSS", "agrees"), ("MSI-H", "differs"), ("dMMR", "differs")])
def test_msi_and_mmr_are_one_topic(answer, expected):
    summary = summary_of({"MSI": answer}, "Mismatch repair proteins: MLH1, PMS2, MSH2 and MSH6 retained (pMMR).")

    assert outcome(summary, "MSI/MMR") == expected


def test_markers_only_one_side_mentions_are_listed_never_counted_as_differences():
    summary = summary_of({"CLDN18.2": "positive", "FGFR2b": "negative"}, "CLDN18.2: positive in 80% of tumour cells.")

    assert outcome(summary, "CLDN18.2") == "agrees"
    assert outcome(summary, "FGFR2b") == "not in documents"
    assert summary["differences"] == 0


def test_the_pathology_report_beside_a_patient_who_thinks_her2_positive():
    summary = summary_of({"HER2": "positive", "PD-L1": "CPS 8"}, samples.PATHOLOGY_REPORT, stage="2")

    rows = {row["topic"]: row for row in summary["comparison"]}
    assert rows["HER2"]["documents"] == ["IHC 2+, equivocal", "ISH ratio 1.4, not amplified"]
    assert rows["HER2"]["outcome"] == "differs"
    assert rows["PD-L1"]["outcome"] == "agrees"
    assert rows["EBV"] == {
        "topic": "EBV",
        "patient": "",
        "documents": ["ISH, negative"],
        "outcome": "only in documents",
    }
    assert rows["stage"] == {"topic": "stage", "patient": "2", "documents": ["IIB", "pT3 pN1 cM0"], "outcome": "agrees"}
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
        ("unknown", "Diagnosis: adenocarcinoma, pT3 pN1 cM0, Stage IIB.", "unclear"),
        ("2", "No staging in this letter.", "not in documents"),
    ],
)
def test_the_stage_the_patient_gives_against_the_documents(stage, report, expected):
    assert outcome(summary_of({}, report, stage=stage), "stage") == expected


@pytest.mark.parametrize(
    ("stage", "report", "priority", "days"),
    [
        ("4", "Nothing staged.", 1, 2),
        ("unknown", "cT3 cN1 cM1.", 1, 2),
        ("3", "Nothing staged.", 2, 5),
        ("unknown", "Stage IIIA.", 2, 5),
        ("1", "Stage I.", 3, 10),
    ],
)
def test_priority_and_time_to_review_follow_the_stage(stage, report, priority, days):
    patient = PatientAnswers(cancer_type="", stage=stage, biomarkers={})

    result = summarise_case(patient, [reading(report)])

    assert (result.priority, result.review_days) == (priority, days)
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


def test_marker_names_are_read_however_they_are_written():
    assert {topic_of(name) for name in ("HER2", "her-2/neu", "ERBB2")} == {"HER2"}
    assert {topic_of(name) for name in ("PD-L1", "pdl1", "PD L1")} == {"PD-L1"}
    assert topic_of("Claudin 18.2") == "CLDN18.2"
    assert topic_of("Ki-67") == "Ki-67"


def test_a_result_reads_as_one_line():
    assert describe_biomarker({"name": "PD-L1", "measure": "CPS", "value": 1.0, "comparator": ">="}) == "CPS >=1"
    assert describe_biomarker({"name": "PD-L1", "measure": "TPS", "value": 1.0, "upper": 49.0, "unit": "%"}) == (
        "TPS 1-49%"
    )
    assert describe_biomarker({"name": "KRAS", "status": "mutated", "variant": "G12C"}) == "G12C, mutated"
    assert describe_biomarker({"name": "EBV", "status": "negative"}) == "negative"
