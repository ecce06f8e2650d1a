import io
import json
from datetime import date

import pytest

from tests.uploads import samples
from uploads.pipeline.biomarkers import Biomarker
from uploads.pipeline.extract import extract_text
from uploads.pipeline.findings import FINDINGS_VERSION, Findings, TnmStage, extract_findings


def results(text: str) -> list[dict]:
    """The biomarkers read from `text`, each as its non-empty fields other than the evidence."""
    return [
        {key: value for key, value in vars(biomarker).items() if value not in ("", None) and key != "evidence"}
        for biomarker in extract_findings(text).biomarkers
    ]


def test_the_pathology_report_pdf_gives_its_biomarkers_stage_and_dates():
    text = extract_text(io.BytesIO(samples.pathology_report_pdf())).text

    findings = extract_findings(text)

    assert results(text) == [
        {"name": "HER2", "status": "equivocal", "method": "IHC", "score": "2+", "assay": "4B5"},
        {"name": "HER2", "status": "not amplified", "method": "ISH", "measure": "ratio", "value": 1.4},
        {"name": "PD-L1", "measure": "CPS", "value": 8.0, "assay": "22C3"},
        {"name": "PD-L1", "measure": "TPS", "value": 5.0, "unit": "%", "assay": "22C3"},
        {"name": "MLH1", "status": "retained", "method": "IHC"},
        {"name": "PMS2", "status": "retained", "method": "IHC"},
        {"name": "MSH2", "status": "retained", "method": "IHC"},
        {"name": "MSH6", "status": "retained", "method": "IHC"},
        {"name": "MMR", "status": "pMMR"},
        {"name": "CLDN18.2", "status": "positive", "measure": "positive cells", "value": 80.0, "unit": "%"},
        {"name": "EBV", "status": "negative", "method": "ISH"},
    ]
    assert findings.tnm == (TnmStage(text="pT3 pN1 cM0", t="pT3", n="pN1", m="cM0"),)
    assert findings.stage_groups == ("IIB",)
    assert findings.dates == (date(2026, 3, 12), date(2026, 3, 19))
    assert findings.biomarkers[0].evidence == "HER2 (4B5): score 2+ (equivocal)"
    assert findings.biomarkers[1].evidence == "HER2 ISH: not amplified (HER2/CEP17 ratio 1.4)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HER2 negative (score 1+)", [{"name": "HER2", "status": "negative", "method": "IHC", "score": "1+"}]),
        ("HER2: 3+ (positive)", [{"name": "HER2", "status": "positive", "method": "IHC", "score": "3+"}]),
        ("HER2 IHC 0", [{"name": "HER2", "method": "IHC", "score": "0"}]),
        ("HER2-low (IHC 1+)", [{"name": "HER2", "status": "low", "method": "IHC", "score": "1+"}]),
        ("HER2:\n3+", [{"name": "HER2", "method": "IHC", "score": "3+"}]),
        ("Negative for HER2 overexpression.", [{"name": "HER2", "status": "negative"}]),
        ("ER positive, PR negative, HER2 negative.", [{"name": "HER2", "status": "negative"}]),
        (
            "HER2: IHC 2+, ISH not amplified (ratio 1.4)",
            [
                {"name": "HER2", "method": "IHC", "score": "2+"},
                {"name": "HER2", "status": "not amplified", "method": "ISH", "measure": "ratio", "value": 1.4},
            ],
        ),
        ("HER2 amplification not detected.", [{"name": "HER2", "status": "not amplified"}]),
    ],
)
def test_her2_scores_and_results_as_written(text, expected):
    assert results(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "HER2 IHC 1+ to 2+",  # two scores: which one is not said
        "HER2 testing was requested.",
        "HER2 (4B5) pending",  # the clone's digits are no score
    ],
)
def test_no_her2_result_is_made_up(text):
    assert results(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "PD-L1 (22C3) combined positive score (CPS) of 15.",
            [{"name": "PD-L1", "measure": "CPS", "value": 15.0, "assay": "22C3"}],
        ),
        ("PD-L1 CPS ≥ 1", [{"name": "PD-L1", "measure": "CPS", "value": 1.0, "comparator": ">="}]),
        ("PD-L1 CPS >= 5", [{"name": "PD-L1", "measure": "CPS", "value": 5.0, "comparator": ">="}]),
        (
            "PD-L1 negative (CPS <1)",
            [
                {"name": "PD-L1", "status": "negative"},
                {"name": "PD-L1", "measure": "CPS", "value": 1.0, "comparator": "<"},
            ],
        ),
        (
            "PD-L1 tumour proportion score 1-49%.",
            [{"name": "PD-L1", "measure": "TPS", "value": 1.0, "upper": 49.0, "unit": "%"}],
        ),
        ("PD-L1 (SP263) TPS: 60%", [{"name": "PD-L1", "measure": "TPS", "value": 60.0, "unit": "%", "assay": "SP263"}]),
        ("PD-L1 expression was assessed; CPS not evaluable.", []),
    ],
)
def test_pd_l1_cps_and_tps(text, expected):
    assert results(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tumour is MSI-H.", [{"name": "MSI", "status": "MSI-H"}]),
        ("MSI status: stable (MSS).", [{"name": "MSI", "status": "MSS"}]),
        ("Microsatellite instability-high", [{"name": "MSI", "status": "MSI-H"}]),
        ("high microsatellite instability", [{"name": "MSI", "status": "MSI-H"}]),
        ("MSS, TMB low (3 mut/Mb)", [{"name": "MSI", "status": "MSS"}, {"name": "TMB", "status": "low"}]),
        (
            "Mismatch repair deficient (dMMR): loss of MLH1 and PMS2 expression; MSH2 and MSH6 retained.",
            [
                {"name": "MMR", "status": "dMMR"},
                {"name": "MLH1", "status": "loss", "method": "IHC"},
                {"name": "PMS2", "status": "loss", "method": "IHC"},
                {"name": "MSH2", "status": "retained", "method": "IHC"},
                {"name": "MSH6", "status": "retained", "method": "IHC"},
            ],
        ),
        (
            "Loss of nuclear expression of MLH1 and PMS2 with positive internal control.",
            [{"name": "MLH1", "status": "loss", "method": "IHC"}, {"name": "PMS2", "status": "loss", "method": "IHC"}],
        ),
        (
            "MLH1: lost, PMS2: lost, MSH2: intact, MSH6: intact",
            [
                {"name": "MLH1", "status": "loss", "method": "IHC"},
                {"name": "PMS2", "status": "loss", "method": "IHC"},
                {"name": "MSH2", "status": "retained", "method": "IHC"},
                {"name": "MSH6", "status": "retained", "method": "IHC"},
            ],
        ),
        (
            "No loss of MLH1 or MSH2 expression.",
            [
                {"name": "MLH1", "status": "retained", "method": "IHC"},
                {"name": "MSH2", "status": "retained", "method": "IHC"},
            ],
        ),
        ("MMR proteins: proficient", [{"name": "MMR", "status": "pMMR"}]),
    ],
)
def test_msi_and_mismatch_repair(text, expected):
    assert results(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "CLDN18.2 positive (≥75% of tumour cells with moderate to strong membranous staining)",
            [
                {
                    "name": "CLDN18.2",
                    "status": "positive",
                    "measure": "positive cells",
                    "value": 75.0,
                    "unit": "%",
                    "comparator": ">=",
                }
            ],
        ),
        (
            "Claudin 18.2: 80% of tumour cells with moderate-to-strong (2+/3+) membranous staining.",
            [{"name": "CLDN18.2", "measure": "positive cells", "value": 80.0, "unit": "%"}],
        ),
        ("CLDN18.2 negative", [{"name": "CLDN18.2", "status": "negative"}]),
        (
            "FGFR2b overexpression (2+/3+) in 15% of tumour cells.",
            [{"name": "FGFR2b", "status": "positive", "measure": "positive cells", "value": 15.0, "unit": "%"}],
        ),
        ("FGFR2b IHC: negative", [{"name": "FGFR2b", "status": "negative"}]),
        ("FGFR2 amplification not detected.", [{"name": "FGFR2", "status": "not amplified"}]),
        ("EBER ISH: positive", [{"name": "EBV", "status": "positive", "method": "ISH"}]),
        ("Epstein-Barr virus: negative", [{"name": "EBV", "status": "negative"}]),
        ("No evidence of EBV.", [{"name": "EBV", "status": "negative"}]),
        (
            "Tumour mutational burden 4.2 mutations per megabase.",
            [{"name": "TMB", "measure": "TMB", "value": 4.2, "unit": "mut/Mb"}],
        ),
        (
            "TMB: 12 mut/Mb (TMB-high)",
            [{"name": "TMB", "measure": "TMB", "value": 12.0, "unit": "mut/Mb"}, {"name": "TMB", "status": "high"}],
        ),
    ],
)
def test_claudin_fgfr2b_ebv_and_tmb(text, expected):
    assert results(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KRAS G12C mutation detected.", [{"name": "KRAS", "status": "mutated", "variant": "G12C"}]),
        ("KRAS exon 2 c.35G>A p.(Gly12Asp) detected", [{"name": "KRAS", "status": "mutated", "variant": "G12D"}]),
        ("KRAS mutant (p.G12V)", [{"name": "KRAS", "status": "mutated", "variant": "G12V"}]),
        ("EGFR L858R", [{"name": "EGFR", "status": "mutated", "variant": "L858R"}]),
        (
            "EGFR exon 19 deletion detected; KRAS wild type.",
            [
                {"name": "EGFR", "status": "mutated", "variant": "exon 19 deletion"},
                {"name": "KRAS", "status": "wild-type"},
            ],
        ),
        (
            "No KRAS, NRAS or BRAF mutation detected.",
            [
                {"name": "KRAS", "status": "wild-type"},
                {"name": "NRAS", "status": "wild-type"},
                {"name": "BRAF", "status": "wild-type"},
            ],
        ),
        (
            "KRAS, NRAS and BRAF wild-type.",
            [
                {"name": "KRAS", "status": "wild-type"},
                {"name": "NRAS", "status": "wild-type"},
                {"name": "BRAF", "status": "wild-type"},
            ],
        ),
        ("BRAF V600E: not detected", [{"name": "BRAF", "status": "wild-type", "variant": "V600E"}]),
        (
            "Mutations were not detected in KRAS or NRAS.",
            [{"name": "KRAS", "status": "wild-type"}, {"name": "NRAS", "status": "wild-type"}],
        ),
        (
            "HER2 negative, KRAS G12D mutation detected, no NRAS mutation.",
            [
                {"name": "HER2", "status": "negative"},
                {"name": "KRAS", "status": "mutated", "variant": "G12D"},
                {"name": "NRAS", "status": "wild-type"},
            ],
        ),
        ("Specimen not suitable for KRAS testing.", []),
    ],
)
def test_gene_mutations_and_their_negation(text, expected):
    assert results(text) == expected


def test_a_result_repeated_in_the_summary_counts_once():
    findings = extract_findings("HER2 negative (score 1+).\nSummary: HER2 negative (score 1+).")

    assert len(findings.biomarkers) == 1


@pytest.mark.parametrize(
    ("text", "stages", "groups"),
    [
        ("pT3 pN1 cM0, Stage IIB", [TnmStage("pT3 pN1 cM0", "pT3", "pN1", "cM0")], ("IIB",)),
        ("ypT2N0 after chemotherapy", [TnmStage("ypT2 N0", "ypT2", "N0")], ()),
        ("T3N1M0", [TnmStage("T3 N1 M0", "T3", "N1", "M0")], ()),
        ("cT4a N2 M1 (stage IVB)", [TnmStage("cT4a N2 M1", "cT4a", "N2", "M1")], ("IVB",)),
        ("pT1b(m) pN0(sn)", [TnmStage("pT1b(m) pN0(sn)", "pT1b(m)", "pN0(sn)")], ()),
        ("Stage 3a disease; FIGO stage IIIC1", [], ("IIIA", "IIIC1")),
        ("T2-weighted MRI shows a 2 cm lesion in early-stage disease.", [], ()),
    ],
)
def test_tnm_stage_and_stage_group(text, stages, groups):
    findings = extract_findings(text)

    assert list(findings.tnm) == stages
    assert findings.stage_groups == groups


def test_dates_are_read_where_unambiguous_and_kept_as_written_where_not():
    findings = extract_findings(
        "Seen 2026-03-12 (12 March 2026); CT on March 14, 2026; MDT on the 3rd of April 2026. "
        "Letters dated 13/03/2026, 05.05.2026 and 03/12/2026; not a date: 31/02/2026, ratio 1.4. "
        "Next scan 2026-06-01."
    )

    assert findings.dates == (
        date(2026, 3, 12),
        date(2026, 3, 14),
        date(2026, 4, 3),
        date(2026, 3, 13),
        date(2026, 5, 5),
        date(2026, 6, 1),
    )
    assert findings.ambiguous_dates == ("03/12/2026",)


def test_findings_serialise_to_json_and_back():
    findings = extract_findings(samples.PATHOLOGY_REPORT + "\nLetter of 03/12/2026.")

    stored = json.loads(json.dumps(findings.to_dict()))

    assert stored["version"] == FINDINGS_VERSION
    assert stored["dates"] == ["2026-03-12", "2026-03-19"]
    assert stored["ambiguous_dates"] == ["03/12/2026"]
    assert stored["biomarkers"][2] == {
        "name": "PD-L1",
        "status": "",
        "method": "",
        "score": "",
        "measure": "CPS",
        "value": 8.0,
        "upper": None,
        "unit": "",
        "comparator": "",
        "variant": "",
        "assay": "22C3",
        "evidence": "PD-L1 (22C3): CPS 8",
    }
    assert Findings.from_dict(stored) == findings


def test_a_text_without_findings_gives_empty_findings():
    findings = extract_findings("Please bring your medication list to the next appointment.")

    assert findings == Findings()
    assert findings.to_dict() == {
        "version": FINDINGS_VERSION,
        "biomarkers": [],
        "tnm": [],
        "stage_groups": [],
        "dates": [],
        "ambiguous_dates": [],
    }


def test_biomarker_fields_are_the_stored_schema():
    assert list(vars(Biomarker(name="HER2"))) == [
        "name",
        "status",
        "method",
        "score",
        "measure",
        "value",
        "upper",
        "unit",
        "comparator",
        "variant",
        "assay",
        "evidence",
    ]
