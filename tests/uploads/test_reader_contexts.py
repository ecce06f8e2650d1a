"""Issue 9, Acceptance 2: the reader understands each context that Build 3 lists.

One test per context, each with cases written for this module (no text from a real report). Every
case was run against the version-1 reader of today's main (commit 2bae785, with `--runxfail`) and
fails there; the assertions go through `readings`, which reads the marker key and canonical status
of either version, so that a case is about what is read, not about field names.

"""

from dataclasses import asdict

import pytest

from uploads.pipeline.findings import extract_findings
from uploads.pipeline.summary import reading_key

# Version 1 wrote the overall MSI/MMR result as the report's abbreviation; version 2 canonically.
_CANONICAL_STATUSES = {"MSI-H": "deficient", "dMMR": "deficient", "MSS": "proficient", "pMMR": "proficient"}
# The words a reviewer checks against the report; the name, evidence and page only say where.
_NOT_COMPARED = {"key", "name", "evidence", "page", "check"}


def readings(text: str) -> list[dict]:
    """What the reader takes from `text`: each result's key and the fields it fills in."""
    findings = extract_findings(text)
    found = []
    for biomarker in (*findings.biomarkers, *getattr(findings, "labs", ())):
        stored = asdict(biomarker)
        row = {"key": reading_key(stored)}
        row |= {
            field: value for field, value in stored.items() if field not in _NOT_COMPARED and value not in ("", None)
        }
        if "status" in row:
            row["status"] = _CANONICAL_STATUSES.get(row["status"], row["status"])
        if stored.get("check"):
            row["check"] = True
        found.append(row)
    return found


def stage(text: str) -> tuple[tuple[str, str, str] | None, str | None]:
    """The patient's TNM (t, n, m) and stage group the reader takes from `text`."""
    findings = extract_findings(text)
    tnm = (findings.tnm[0].t, findings.tnm[0].n, findings.tnm[0].m) if findings.tnm else None
    return tnm, (findings.stage_groups[0] if findings.stage_groups else None)


IHC = {"method": "IHC"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("No ROS1 rearrangement detected.", [{"key": "ros1", "status": "not rearranged"}]),
        ("No microsatellite instability.", [{"key": "msi_mmr", "status": "proficient"}]),
        ("No MLH1 staining in tumour nuclei.", [{"key": "mlh1", "status": "loss", **IHC}]),
        ("Negative for microsatellite instability.", [{"key": "msi_mmr", "status": "proficient"}]),
        pytest.param(
            "Loss of MLH1 expression: not identified.",
            [{"key": "mlh1", "status": "retained", **IHC}],
        ),
        pytest.param(
            "Microsatellite instability not identified.",
            [{"key": "msi_mmr", "status": "proficient"}],
        ),
        ("ALK rearrangement: not identified.", [{"key": "alk", "status": "not rearranged"}]),
        ("The tumour cells are negative for ER.", [{"key": "er", "status": "negative"}]),
        ("Absence of MLH1 staining.", [{"key": "mlh1", "status": "loss", **IHC}]),
        (
            "There is absence of nuclear staining for MLH1 and PMS2.",
            [{"key": "mlh1", "status": "loss", **IHC}, {"key": "pms2", "status": "loss", **IHC}],
        ),
        pytest.param(
            "In the absence of BRAF V600E, MLH1 loss may be sporadic.",
            [],
        ),
    ],
)
def test_negation(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "KRAS mutation analysis will be performed and reported separately.",
        "Specimen sent out for KRAS mutation testing.",
        "KRAS mutation testing not possible: insufficient tissue.",
        "Insufficient tissue for KRAS mutation analysis.",
    ],
)
def test_pending_or_impossible_tests_give_no_result(text):
    assert readings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "MSI-H is defined as instability at two or more of the five markers.",
        "Tumours are classified as MSI-H if two or more markers show instability.",
        pytest.param(
            "MSI-H: instability at two or more loci.",
        ),
        pytest.param(
            "dMMR: loss of one or more MMR proteins.",
        ),
        pytest.param(
            "Interpretation: MSI-H tumours are defined by instability in ≥2 markers.",
        ),
    ],
)
def test_definitions_give_no_result(text):
    assert readings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Methods: KRAS exons 2, 3 and 4 were sequenced to detect mutations such as G12C and G12D.",
        "Method: the assay detects BRAF V600E mutations.",
        pytest.param(
            "Assay: detects KRAS G12C, G12D and G12V.",
        ),
        pytest.param(
            "Method: PD-L1 22C3 pharmDx; CPS ≥ 1 is positive.",
        ),
    ],
)
def test_methods_give_no_result(text):
    assert readings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Interpretation criteria: PD-L1 CPS ≥ 10 is considered positive.",
        "HER2 positive is defined as IHC 3+ or ISH amplified.",
        pytest.param(
            "HER2 positive = IHC 3+ or IHC 2+ with ISH amplification.",
        ),
        pytest.param(
            "Scoring: HER2 3+ is complete intense membranous staining in >10% of cells.",
        ),
        pytest.param(
            "PD-L1 was scored as CPS using the 22C3 pharmDx assay; CPS ≥ 1 indicates positivity.",
        ),
    ],
)
def test_criteria_give_no_result(text):
    assert readings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Several studies have shown that KRAS G12C mutations predict response to sotorasib.",
        "BRAF V600E mutations occur in about 10% of colorectal cancers (Smith et al., 2019).",
        "KRAS G12C is a target of sotorasib (Skoulidis et al. N Engl J Med 2021).",
        pytest.param(
            "MSI-H colorectal cancers respond to pembrolizumab.",
        ),
    ],
)
def test_literature_gives_no_result(text):
    assert readings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Family history of MSI-H colon cancer in her father.",
        "Her mother's breast cancer was HER2 positive.",
        "Family history: paternal uncle with KRAS mutant colorectal cancer.",
    ],
)
def test_family_history_is_not_the_patients_result(text):
    assert readings(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "HER2 (4B5)\n3+ (positive)",
            [{"key": "her2", "status": "positive", "score": "3+", "assay": "4B5", **IHC}],
        ),
        pytest.param(
            "HER2 immunohistochemistry\nScore: 2+ (equivocal)",
            [{"key": "her2", "status": "equivocal", "score": "2+", **IHC}],
        ),
    ],
)
def test_results_on_a_following_line(text, expected):
    assert readings(text) == expected


MMR_RETAINED = [{"key": key, "status": "retained", **IHC} for key in ("mlh1", "msh2", "msh6", "pms2")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("INTACT NUCLEAR EXPRESSION OF MLH1, MSH2, MSH6 AND PMS2", MMR_RETAINED),
        (
            "IMMUNOHISTOCHEMISTRY FOR MISMATCH REPAIR PROTEINS: Intact nuclear expression of MLH1, MSH2, MSH6 and "
            "PMS2 in tumour cells.",
            MMR_RETAINED,
        ),
        pytest.param(
            "Intact nuclear expression of\nMLH1, MSH2, MSH6 and PMS2",
            MMR_RETAINED,
        ),
    ],
)
def test_results_before_a_list_of_names(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "DIAGNOSIS:\nAdenocarcinoma. HER2 negative (score 1+).\nCOMMENT:\n"
            "HER2 is considered positive when IHC is 3+; trastuzumab benefit was shown in the ToGA trial.",
            [{"key": "her2", "status": "negative", "score": "1+", **IHC}],
        ),
        (
            "DIAGNOSIS: Adenocarcinoma, HER2 negative (score 1+).\nREFERENCES:\n"
            "1. HER2 positive gastric cancer responds to trastuzumab (Bang et al., Lancet 2010).",
            [{"key": "her2", "status": "negative", "score": "1+", **IHC}],
        ),
        pytest.param(
            "DIAGNOSIS: Adenocarcinoma, HER2 negative (score 1+).\n"
            "COMMENT: KRAS G12C mutant tumours may respond to sotorasib.",
            [{"key": "her2", "status": "negative", "score": "1+", **IHC}],
        ),
    ],
)
def test_report_sections_only_the_diagnosis_states_results(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            # Two specimens, two results each: both are stated, neither is merged into the other.
            # Two tumours with opposite results: both are kept, for a reviewer to read by eye.
            "A. Left breast core: ER positive (90%), HER2 negative (score 1+).\n"
            "B. Right breast core: ER negative (0%), HER2 positive (score 3+).",
            [
                {"key": "er", "status": "positive", "value": 90.0, "unit": "%", "check": True},
                {"key": "her2", "status": "negative", "score": "1+", **IHC, "check": True},
                {"key": "er", "status": "negative", "value": 0.0, "unit": "%", "check": True},
                {"key": "her2", "status": "positive", "score": "3+", **IHC, "check": True},
            ],
        ),
        (
            "Previous biopsy (2025): HER2 3+. Current resection: HER2 1+ (negative).",
            [{"key": "her2", "status": "negative", "score": "1+", **IHC}],
        ),
        pytest.param(
            "A. Core biopsy: HER2 2+ (equivocal).\n"
            "B. Excision: HER2 repeated on the excision: 3+ (positive); this supersedes the core result.",
            [{"key": "her2", "status": "positive", "score": "3+", **IHC}],
        ),
    ],
)
def test_several_specimens(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KR.AS: no mutation detected", [{"key": "kras", "status": "wild-type"}]),
        (
            "MLHI, PMS2, MSH2 and MSH6: retained",
            [{"key": k, "status": "retained", **IHC} for k in ("mlh1", "pms2", "msh2", "msh6")],
        ),
        ("MLHI: retained", [{"key": "mlh1", "status": "retained", **IHC}]),
        # A speck read as a quote before one name of a list.
        (
            "Immunohistochemistry for hMLH1, 'hMSH2 and hMSH6 showed preserved expression.",
            [{"key": k, "status": "retained", **IHC} for k in ("mlh1", "msh2", "msh6")],
        ),
        # One letter misread inside a receptor's long name.
        (
            "Tumour cells are negative for oestrogen receptor and progesteronc receptor.",
            [{"key": "er", "status": "negative"}, {"key": "pr", "status": "negative"}],
        ),
        # Bcl-2 as stains write it, its l read as an I, in a list of stains with an immunoglobulin.
        (
            "The cells are positive for CD20, CD5, IgD and BcI-2.",
            [{"key": "cd20", "status": "positive"}, {"key": "bcl2", "status": "positive"}],
        ),
    ],
)
def test_ocr_swaps_inside_known_tokens(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize(
    ("text", "tnm", "group"),
    [
        ("pTla pNO", ("pT1a", "pN0", ""), None),
        ("pT2 pNO", ("pT2", "pN0", ""), None),
    ],
)
def test_ocr_swaps_inside_tnm(text, tnm, group):
    assert stage(text) == (tnm, group)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KRAS MUTATION ANALYSIS\nNo mutation detected", [{"key": "kras", "status": "wild-type"}]),
        ("EGFR Mutation Analysis\nResult: No mutation detected", [{"key": "egfr", "status": "wild-type"}]),
        ("NO DEFICIENCY IDENTIFIED IN THE DNA MISMATCH REPAIR PROTEINS", [{"key": "msi_mmr", "status": "proficient"}]),
        ("Tumours are classified as MSI-H if two or more of five markers are unstable.", []),
        pytest.param(
            "HER2 protein stained with the PATHWAY antibody (4B5).\n"
            "Positive reaction in more than 10% of tumour cells (Score = 3+)",
            [{"key": "her2", "status": "positive", "score": "3+", "assay": "4B5", **IHC}],
        ),
        (
            "IMMUNOHISTOCHEMISTRY FOR MISMATCH REPAIR PROTEINS: Intact nuclear expression of MLH1, MSH2, MSH6 and "
            "PMS2 in tumour cells.",
            MMR_RETAINED,
        ),
    ],
)
def test_the_issues_named_failures(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize(
    ("text", "tnm", "group"),
    [
        ("Stage grouping: IVA", None, "IVA"),
        (
            "pT2a: Tumour more than 3 cm\npNO: No regional lymph node metastasis\n(pM) Not applicable",
            ("pT2a", "pN0", ""),
            None,
        ),
        ("pT 3 N 1 M X", ("pT3", "N1", "MX"), None),
    ],
)
def test_the_issues_named_staging_failures(text, tnm, group):
    assert stage(text) == (tnm, group)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "ER positive; PR negative; HER2 equivocal (2+)",
            [
                {"key": "er", "status": "positive"},
                {"key": "pr", "status": "negative"},
                {"key": "her2", "status": "equivocal", "score": "2+", **IHC},
            ],
        ),
        (
            "HER2 IHC: 2+; ISH: amplified",
            [
                {"key": "her2", "status": "equivocal", "score": "2+", **IHC},
                {"key": "her2", "status": "amplified", "method": "ISH"},
            ],
        ),
        pytest.param(
            "HER2: 1+; negative",
            [{"key": "her2", "status": "negative", "score": "1+", **IHC}],
        ),
    ],
)
def test_semicolons_between_results(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The pluperfect of a test: an earlier result, not this one.
        (
            "Gene expression profiling: activated B-cell type.\nThe Hans algorithm on the first biopsy had given GCB.",
            [{"key": "cell_of_origin", "status": "non-GCB"}],
        ),
        # An earlier specimen named just before the marker, in the same sentence.
        ("PAX5 positive, unlike the 2023 diagnostic biopsy, which was CD20 positive.", []),
    ],
)
def test_an_earlier_result_in_the_words_just_before_the_marker_is_not_this_one(text, expected):
    assert readings(text) == expected


def test_a_germline_test_given_as_a_field_is_a_result_and_advice_to_test_is_not():
    assert readings("PALB2 germline testing: no pathogenic variant identified.") == [
        {"key": "palb2", "status": "wild-type"}
    ]
    assert readings("Germline testing for PALB2 is advised given the family history.") == []
