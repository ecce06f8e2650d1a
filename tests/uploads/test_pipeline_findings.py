"""The records reader (version 2): what a text states, in each marker's canonical key and words.

Cases the reader still reads wrongly are strict xfails that say what it reads, so that the suite
passes until the reader is put right and then says so.
"""

import io
import json
from dataclasses import fields
from datetime import date

import pytest

from tests.uploads import samples
from uploads.pipeline.biomarkers import Biomarker
from uploads.pipeline.extract import extract_text
from uploads.pipeline.findings import FINDINGS_VERSION, Findings, TnmStage, extract_findings

# Where a reading was found, not what it says.
_WHERE = {"name", "evidence", "page"}


def _filled(biomarker: Biomarker) -> dict:
    found = {field.name: getattr(biomarker, field.name) for field in fields(biomarker) if field.name not in _WHERE}
    # A value of 0 ("ER 0%") is a result; an empty text, no value and check=False are not.
    return {name: value for name, value in found.items() if value is not None and value != "" and value is not False}


def results(text: str) -> list[dict]:
    """The biomarkers read from `text`, each as its filled-in fields other than where it was found."""
    return [_filled(biomarker) for biomarker in extract_findings(text).biomarkers]


def labs(text: str) -> list[dict]:
    return [_filled(lab) for lab in extract_findings(text).labs]


IHC = {"method": "IHC"}


def test_the_pathology_report_pdf_gives_its_biomarkers_stage_and_dates():
    text = extract_text(io.BytesIO(samples.pathology_report_pdf())).text

    findings = extract_findings(text)

    assert results(text) == [
        {"key": "her2", "status": "equivocal", "score": "2+", "assay": "4B5", **IHC},
        {"key": "her2", "status": "not amplified", "method": "ISH", "measure": "ratio", "value": 1.4},
        {"key": "pd_l1", "measure": "CPS", "value": 8.0, "assay": "22C3"},
        {"key": "pd_l1", "measure": "TPS", "value": 5.0, "unit": "%", "assay": "22C3"},
        {"key": "mlh1", "status": "retained", **IHC},
        {"key": "pms2", "status": "retained", **IHC},
        {"key": "msh2", "status": "retained", **IHC},
        {"key": "msh6", "status": "retained", **IHC},
        {"key": "msi_mmr", "status": "proficient"},
        {"key": "cldn18_2", "status": "positive", "measure": "positive cells", "value": 80.0, "unit": "%"},
        {"key": "ebv", "status": "negative", "method": "ISH"},
    ]
    assert [biomarker.page for biomarker in findings.biomarkers] == [1] * 11
    [stage] = findings.tnm
    assert (stage.text, stage.t, stage.n, stage.m, stage.page) == ("pT3 pN1 cM0", "pT3", "pN1", "cM0", 1)
    assert "pT3 pN1 cM0" in stage.evidence
    assert findings.stage_groups == ("IIB",)
    assert findings.dates == (date(2026, 3, 12), date(2026, 3, 19))


@pytest.mark.parametrize(
    ("row", "evidence"),
    [
        (0, "HER2 (4B5): score 2+ (equivocal)"),
        pytest.param(
            1,
            "HER2 ISH: not amplified (HER2/CEP17 ratio 1.4)",
        ),
        pytest.param(
            2,
            "PD-L1 (22C3): CPS 8",
        ),
        (4, "MLH1, PMS2, MSH2 and MSH6 retained"),
        (9, "CLDN18.2: positive in 80% of tumour cells"),
    ],
)
def test_each_reading_carries_the_words_it_was_read_from(row, evidence):
    assert extract_findings(samples.PATHOLOGY_REPORT).biomarkers[row].evidence == evidence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HER2 negative (score 1+)", [{"key": "her2", "status": "negative", "score": "1+", **IHC}]),
        ("HER2: 3+ (positive)", [{"key": "her2", "status": "positive", "score": "3+", **IHC}]),
        ("HER2 IHC 0", [{"key": "her2", "status": "negative", "score": "0", **IHC}]),
        pytest.param(
            "HER2 (4B5): 0",
            [{"key": "her2", "status": "negative", "score": "0", "assay": "4B5", **IHC}],
        ),
        pytest.param(
            "HER2-low (IHC 1+)",
            [{"key": "her2", "status": "low", "score": "1+", **IHC}],
        ),
        ("HER2:\n3+", [{"key": "her2", "status": "positive", "score": "3+", **IHC}]),
        ("Negative for HER2 overexpression.", [{"key": "her2", "status": "negative"}]),
        (
            "ER positive, PR negative, HER2 negative.",
            [
                {"key": "er", "status": "positive"},
                {"key": "pr", "status": "negative"},
                {"key": "her2", "status": "negative"},
            ],
        ),
        (
            "HER2: IHC 2+, ISH not amplified (ratio 1.4)",
            [
                {"key": "her2", "status": "equivocal", "score": "2+", **IHC},
                {"key": "her2", "status": "not amplified", "method": "ISH", "measure": "ratio", "value": 1.4},
            ],
        ),
        ("HER2 amplification not detected.", [{"key": "her2", "status": "not amplified"}]),
        pytest.param(
            "HER2 SISH: amplified (HER2/CEP17 ratio 3.2; mean HER2 copy number 7.5).",
            [
                {"key": "her2", "status": "amplified", "method": "ISH", "measure": "ratio", "value": 3.2},
                {"key": "her2", "status": "amplified", "method": "ISH", "measure": "copies", "value": 7.5},
            ],
        ),
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
        ("PD-L1 (22C3) combined positive score (CPS) of 15.", [{"measure": "CPS", "value": 15.0, "assay": "22C3"}]),
        ("PD-L1 CPS ≥ 1", [{"measure": "CPS", "value": 1.0, "comparator": ">="}]),
        ("PD-L1 CPS >= 5", [{"measure": "CPS", "value": 5.0, "comparator": ">="}]),
        ("PD-L1 negative (CPS <1)", [{"status": "negative"}, {"measure": "CPS", "value": 1.0, "comparator": "<"}]),
        ("PD-L1 tumour proportion score 1-49%.", [{"measure": "TPS", "value": 1.0, "upper": 49.0, "unit": "%"}]),
        ("PD-L1 (SP263) TPS: 60%", [{"measure": "TPS", "value": 60.0, "unit": "%", "assay": "SP263"}]),
        ("PD-L1 expression was assessed; CPS not evaluable.", []),
    ],
)
def test_pd_l1_cps_and_tps(text, expected):
    assert results(text) == [{"key": "pd_l1", **row} for row in expected]


MMR_LOSS_MLH1_PMS2 = [
    {"key": "mlh1", "status": "loss", **IHC},
    {"key": "pms2", "status": "loss", **IHC},
    {"key": "msh2", "status": "retained", **IHC},
    {"key": "msh6", "status": "retained", **IHC},
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tumour is MSI-H.", [{"key": "msi_mmr", "status": "deficient"}]),
        ("MSI status: stable (MSS).", [{"key": "msi_mmr", "status": "proficient"}]),
        ("Microsatellite instability-high", [{"key": "msi_mmr", "status": "deficient"}]),
        ("high microsatellite instability", [{"key": "msi_mmr", "status": "deficient"}]),
        ("MSS, TMB low (3 mut/Mb)", [{"key": "msi_mmr", "status": "proficient"}, {"key": "tmb", "status": "low"}]),
        (
            "Mismatch repair deficient (dMMR): loss of MLH1 and PMS2 expression; MSH2 and MSH6 retained.",
            [{"key": "msi_mmr", "status": "deficient"}, *MMR_LOSS_MLH1_PMS2],
        ),
        ("Loss of nuclear expression of MLH1 and PMS2 with positive internal control.", MMR_LOSS_MLH1_PMS2[:2]),
        ("MLH1: lost, PMS2: lost, MSH2: intact, MSH6: intact", MMR_LOSS_MLH1_PMS2),
        pytest.param(
            "No loss of MLH1 or MSH2 expression.",
            [{"key": "mlh1", "status": "retained", **IHC}, {"key": "msh2", "status": "retained", **IHC}],
        ),
        ("MMR proteins: proficient", [{"key": "msi_mmr", "status": "proficient"}]),
        ("MLHI: retained", [{"key": "mlh1", "status": "retained", **IHC}]),  # OCR: I for 1
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
                    "key": "cldn18_2",
                    "status": "positive",
                    "measure": "positive cells",
                    "value": 75.0,
                    "unit": "%",
                    "comparator": ">=",
                }
            ],
        ),
        pytest.param(
            "Claudin 18.2: 80% of tumour cells with moderate-to-strong (2+/3+) membranous staining.",
            [{"key": "cldn18_2", "measure": "positive cells", "value": 80.0, "unit": "%"}],
        ),
        ("CLDN18.2 negative", [{"key": "cldn18_2", "status": "negative"}]),
        (
            "CLDN18.2 (43-14A): positive in 80% of tumour cells.",
            [{"key": "cldn18_2", "status": "positive", "measure": "positive cells", "value": 80.0, "unit": "%"}],
        ),
        pytest.param(
            "FGFR2b overexpression (2+/3+) in 15% of tumour cells.",
            [{"key": "fgfr2b", "status": "positive", "measure": "positive cells", "value": 15.0, "unit": "%"}],
        ),
        ("FGFR2b IHC: negative", [{"key": "fgfr2b", "status": "negative"}]),
        # FGFR2 gene amplification is no marker of any profile (FGFR2b protein is): it is not reported.
        ("FGFR2 amplification not detected.", []),
        ("EBER ISH: positive", [{"key": "ebv", "status": "positive", "method": "ISH"}]),
        ("Epstein-Barr virus: negative", [{"key": "ebv", "status": "negative"}]),
        ("No evidence of EBV.", [{"key": "ebv", "status": "negative"}]),
        (
            "Tumour mutational burden 4.2 mutations per megabase.",
            [{"key": "tmb", "measure": "TMB", "value": 4.2, "unit": "mut/Mb"}],
        ),
        pytest.param(
            "TMB: 12 mut/Mb (TMB-high)",
            [{"key": "tmb", "measure": "TMB", "value": 12.0, "unit": "mut/Mb"}, {"key": "tmb", "status": "high"}],
        ),
    ],
)
def test_claudin_fgfr2b_ebv_and_tmb(text, expected):
    assert results(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("KRAS G12C mutation detected.", [{"key": "kras", "status": "mutated", "variant": "G12C"}]),
        (
            # Both ways of naming the variant are kept: the protein change, then the coding one.
            "KRAS exon 2 c.35G>A p.(Gly12Asp) detected",
            [{"key": "kras", "status": "mutated", "variant": "G12D (c.35G>A)"}],
        ),
        ("KRAS mutant (p.G12V)", [{"key": "kras", "status": "mutated", "variant": "G12V"}]),
        ("EGFR L858R", [{"key": "egfr", "status": "mutated", "variant": "L858R"}]),
        (
            "EGFR exon 19 deletion detected; KRAS wild type.",
            [
                {"key": "egfr", "status": "mutated", "variant": "exon 19 deletion"},
                {"key": "kras", "status": "wild-type"},
            ],
        ),
        ("EGFR T790M: not detected.", [{"key": "egfr", "status": "wild-type", "variant": "T790M"}]),
        (
            "No KRAS, NRAS or BRAF mutation detected.",
            [{"key": gene, "status": "wild-type"} for gene in ("kras", "nras", "braf")],
        ),
        ("KRAS, NRAS and BRAF wild-type.", [{"key": gene, "status": "wild-type"} for gene in ("kras", "nras", "braf")]),
        ("BRAF V600E: not detected", [{"key": "braf", "status": "wild-type", "variant": "V600E"}]),
        (
            "Mutations were not detected in KRAS or NRAS.",
            [{"key": "kras", "status": "wild-type"}, {"key": "nras", "status": "wild-type"}],
        ),
        (
            "HER2 negative, KRAS G12D mutation detected, no NRAS mutation.",
            [
                {"key": "her2", "status": "negative"},
                {"key": "kras", "status": "mutated", "variant": "G12D"},
                {"key": "nras", "status": "wild-type"},
            ],
        ),
        ("KR.AS: no mutation detected", [{"key": "kras", "status": "wild-type"}]),  # OCR: a stray full stop
        ("PIK3CA H1047R mutation detected.", [{"key": "pik3ca", "status": "mutated", "variant": "H1047R"}]),
        ("MET exon 14 skipping detected.", [{"key": "met", "status": "mutated", "variant": "exon 14 skipping"}]),
        ("Germline BRCA2 pathogenic variant identified.", [{"key": "brca2", "status": "mutated"}]),
        (
            "BRCA1 and BRCA2: no pathogenic variant detected.",
            [{"key": "brca1", "status": "wild-type"}, {"key": "brca2", "status": "wild-type"}],
        ),
        ("PALB2: no mutation detected.", [{"key": "palb2", "status": "wild-type"}]),
        (
            "POLE exonuclease domain mutation (P286R) detected.",
            [{"key": "pole", "status": "mutated", "variant": "P286R"}],
        ),
        ("Specimen not suitable for KRAS testing.", []),
    ],
)
def test_gene_mutations_and_their_negation(text, expected):
    assert results(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ER: positive, 95% of tumour cells.", [{"key": "er", "status": "positive", "value": 95.0, "unit": "%"}]),
        ("ER negative (0%).", [{"key": "er", "status": "negative", "value": 0.0, "unit": "%"}]),
        ("PR low positive (5%).", [{"key": "pr", "status": "low", "value": 5.0, "unit": "%"}]),
        (
            "Oestrogen receptor positive (Allred score 8/8).",
            [{"key": "er", "status": "positive", "measure": "allred", "value": 8.0}],
        ),
        ("Progesterone receptor: H-score 120.", [{"key": "pr", "measure": "h-score", "value": 120.0}]),
        ("Ki-67 proliferation index: 25%.", [{"key": "ki67", "value": 25.0, "unit": "%"}]),
        ("MIB1 labelling index 40%.", [{"key": "ki67", "value": 40.0, "unit": "%"}]),
        ("Oncotype DX recurrence score: 18.", [{"key": "oncotype_dx", "measure": "score", "value": 18.0}]),
        ("MammaPrint: low risk.", [{"key": "mammaprint", "status": "low"}]),
        (
            "HRD status: positive (genomic instability score 52).",
            [{"key": "hrd", "status": "positive"}, {"key": "hrd", "measure": "score", "value": 52.0}],
        ),
        ("Homologous recombination deficiency: negative.", [{"key": "hrd", "status": "negative"}]),
        ("p53 immunohistochemistry: aberrant (null pattern).", [{"key": "p53", "status": "aberrant", **IHC}]),
        ("p53: wild-type pattern of staining.", [{"key": "p53", "status": "wild-type", **IHC}]),
        ("CD20: positive in the tumour cells.", [{"key": "cd20", "status": "positive"}]),
        (
            "Cell of origin (Hans algorithm): germinal centre B-cell (GCB) type.",
            [{"key": "cell_of_origin", "status": "GCB"}],
        ),
        ("Cell of origin: non-GCB.", [{"key": "cell_of_origin", "status": "non-GCB"}]),
    ],
)
def test_receptors_proliferation_scores_and_lymphoma_stains(text, expected):
    assert results(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # ALK negative by immunohistochemistry (D5F3) is read as "not rearranged", as the stain is read.
        ("ALK (D5F3) immunohistochemistry: negative.", [{"key": "alk", "status": "not rearranged"}]),
        ("EML4-ALK fusion detected.", [{"key": "alk", "status": "rearranged", "variant": "EML4-ALK"}]),
        ("ROS1 rearrangement detected by FISH.", [{"key": "ros1", "status": "rearranged"}]),
        ("ROS1 FISH: no rearrangement.", [{"key": "ros1", "status": "not rearranged", "method": "FISH"}]),
        ("RET fusion: not detected.", [{"key": "ret", "status": "not rearranged"}]),
        (
            "NTRK gene fusion detected (ETV6-NTRK3).",
            [{"key": "ntrk", "status": "rearranged", "variant": "ETV6-NTRK3"}],
        ),
        ("MYC rearrangement detected by FISH.", [{"key": "myc", "status": "rearranged"}]),
        ("BCL2 FISH: not rearranged.", [{"key": "bcl2", "status": "not rearranged", "method": "FISH"}]),
        ("BCL6 rearrangement: not detected.", [{"key": "bcl6", "status": "not rearranged"}]),
        ("BCL2 (IHC): positive.", [{"key": "bcl2", "status": "positive"}]),
    ],
)
def test_fusions_and_rearrangements(text, expected):
    assert results(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("PSA 8.4 ng/mL", [{"key": "psa", "value": 8.4, "unit": "ng/mL"}]),
        ("Serum CA-125 was 356 U/mL.", [{"key": "ca125", "value": 356.0, "unit": "U/mL"}]),
    ],
)
def test_blood_tests_are_labs_not_biomarkers(text, expected):
    assert labs(text) == expected
    assert results(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gleason score 4+3=7 (grade group 3).", {"gleason": "4+3=7", "grade_group": 3}),
        ("ISUP grade 2.", {"isup_grade": 2}),
        ("Breslow thickness 1.2 mm. Ulceration: present.", {"breslow_mm": 1.2, "ulceration": "present"}),
        ("Ulceration: absent.", {"ulceration": "absent"}),
        ("Cancer in 3 of 12 cores.", {"cores": "3/12"}),
        ("Grade 2.", {"grade": "2"}),
        ("Please bring your medication list.", {}),
    ],
)
def test_grading(text, expected):
    assert extract_findings(text).grading == expected


def test_a_result_repeated_in_the_summary_counts_once():
    findings = extract_findings("HER2 negative (score 1+).\nSummary: HER2 negative (score 1+).")

    assert len(findings.biomarkers) == 1


@pytest.mark.parametrize(
    ("text", "tnm", "groups"),
    [
        ("pT3 pN1 cM0, Stage IIB", ("pT3", "pN1", "cM0"), ("IIB",)),
        ("ypT2N0 after chemotherapy", ("ypT2", "N0", ""), ()),
        ("T3N1M0", ("T3", "N1", "M0"), ()),
        ("cT4a N2 M1 (stage IVB)", ("cT4a", "N2", "M1"), ("IVB",)),
        # Multiple tumours "(m)" and a sentinel node "(sn)" fold to the canonical categories.
        ("pT1b(m) pN0(sn)", ("pT1b", "pN0", ""), ()),
        ("Stage 3a disease; FIGO stage IIIC1", None, ("IIIA", "IIIC1")),
        ("FIGO stage IIIC1", None, ("IIIC1",)),
        ("Ann Arbor stage IIB.", None, ("IIB",)),
        ("Stage grouping: IVA", None, ("IVA",)),
        (
            "Primary tumour (pT): pT2a\nRegional lymph nodes (pN): pN1\nDistant metastasis (pM): not applicable",
            ("pT2a", "pN1", ""),
            (),
        ),
        ("pT 3 N 1 M X", ("pT3", "N1", "MX"), ()),
        ("pT2 pNO", ("pT2", "pN0", ""), ()),  # OCR: O for 0
        ("pTla pN0", ("pT1a", "pN0", ""), ()),  # OCR: l for 1
        pytest.param(
            "T2-weighted MRI shows a 2 cm lesion in early-stage disease.",
            None,
            (),
        ),
    ],
)
def test_tnm_stage_and_stage_group(text, tnm, groups):
    findings = extract_findings(text)

    first = (findings.tnm[0].t, findings.tnm[0].n, findings.tnm[0].m) if findings.tnm else None
    assert first == tnm
    assert findings.stage_groups == groups


def test_the_patients_tnm_carries_its_words_and_page():
    findings = extract_findings("Clinical letter.\fDiagnosis: adenocarcinoma, ypT2 N0 M0.")

    assert findings.tnm[0] == TnmStage(
        text="ypT2 N0 M0", t="ypT2", n="N0", m="M0", evidence="Diagnosis: adenocarcinoma, ypT2 N0 M0.", page=2
    )


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
    findings = extract_findings(
        samples.PATHOLOGY_REPORT + "\nLetter of 03/12/2026. PSA 8.4 ng/mL. Gleason score 4+3=7."
    )

    stored = json.loads(json.dumps(findings.to_dict()))

    assert stored["version"] == FINDINGS_VERSION == 2
    assert stored["dates"] == ["2026-03-12", "2026-03-19"]
    assert stored["ambiguous_dates"] == ["03/12/2026"]
    assert stored["biomarkers"][3] == {
        "key": "pd_l1",
        "name": "PD-L1",
        "status": "",
        "method": "",
        "score": "",
        "measure": "TPS",
        "value": 5.0,
        "upper": None,
        "unit": "%",
        "comparator": "",
        "variant": "",
        "assay": "22C3",
        "evidence": "TPS 5%",
        "page": 1,
        "check": False,
    }
    assert [(lab["key"], lab["value"], lab["unit"]) for lab in stored["labs"]] == [("psa", 8.4, "ng/mL")]
    assert stored["grading"] == {"gleason": "4+3=7"}
    assert stored["tnm"][0]["t"] == "pT3" and stored["tnm"][0]["page"] == 1
    assert Findings.from_dict(stored) == findings


def test_findings_stored_by_version_1_are_read_back_with_their_keys():
    stored = {
        "version": 1,
        "biomarkers": [
            {
                "name": name,
                "status": status,
                "method": "",
                "score": "",
                "measure": "",
                "value": None,
                "upper": None,
                "unit": "",
                "comparator": "",
                "variant": "",
                "assay": "",
                "evidence": f"{name} {status}",
            }
            for name, status in (
                ("HER2", "negative"),
                ("MSI", "MSS"),
                ("CLDN18.2", "positive"),
                ("FGFR2", "not amplified"),
            )
        ],
        "tnm": [{"text": "pT3 pN1 cM0", "t": "pT3", "n": "pN1", "m": "cM0"}],
        "stage_groups": ["IIB"],
        "dates": ["2026-03-12"],
        "ambiguous_dates": [],
    }

    findings = Findings.from_dict(stored)

    assert [(biomarker.key, biomarker.name, biomarker.status) for biomarker in findings.biomarkers] == [
        ("her2", "HER2", "negative"),
        ("msi_mmr", "MSI", "MSS"),
        ("cldn18_2", "CLDN18.2", "positive"),
        ("fgfr2", "FGFR2", "not amplified"),  # no profile key: the name, folded
    ]
    assert findings.biomarkers[0].evidence == "HER2 negative" and findings.biomarkers[0].page is None
    assert findings.tnm == (TnmStage(text="pT3 pN1 cM0", t="pT3", n="pN1", m="cM0"),)
    assert (findings.labs, findings.grading) == ((), {})
    assert findings.stage_groups == ("IIB",) and findings.dates == (date(2026, 3, 12),)


def test_a_text_without_findings_gives_empty_findings():
    findings = extract_findings("Please bring your medication list to the next appointment.")

    assert findings == Findings()
    assert findings.to_dict() == {
        "version": FINDINGS_VERSION,
        "biomarkers": [],
        "labs": [],
        "tnm": [],
        "stage_groups": [],
        "grading": {},
        "dates": [],
        "ambiguous_dates": [],
    }


def test_biomarker_fields_are_the_stored_schema():
    assert list(vars(Biomarker(key="her2", name="HER2"))) == [
        "key",
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
        "page",
        "check",
    ]


def test_tnm_fields_are_the_stored_schema():
    assert list(vars(TnmStage(text="pT2", t="pT2"))) == ["text", "t", "n", "m", "evidence", "page"]


def test_a_history_that_starts_mid_line_is_no_result_of_this_report_but_its_blood_tests_are():
    findings = extract_findings(
        "Frozen section pathologist: Dr A. Clinical History: ER positive, PR negative breast cancer, PSA 6.1 ng/mL.\n"
        "\n"
        "DIAGNOSIS: Lung, right upper lobe: adenocarcinoma. ALK (D5F3) negative."
    )

    assert [(biomarker.key, biomarker.status) for biomarker in findings.biomarkers] == [("alk", "not rearranged")]
    assert [(lab.key, lab.value, lab.unit) for lab in findings.labs] == [("psa", 6.1, "ng/mL")]


@pytest.mark.parametrize(("text", "group"), [("Clinical diagnosis: stage III-C", "IIIC"), ("FIGO stage IV-B.", "IVB")])
def test_a_stage_group_written_with_a_hyphen(text, group):
    assert extract_findings(text).stage_groups == (group,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "MMR: deficient - loss of PMS2 only; MLH1, MSH2, MSH6 preserved",
            [
                ("msi_mmr", "deficient"),
                ("pms2", "loss"),
                ("mlh1", "retained"),
                ("msh2", "retained"),
                ("msh6", "retained"),
            ],
        ),
        (
            "Genes without a reportable variant: KRAS, BRAF, ERBB2, TP53, PIK3CA",
            [
                ("kras", "wild-type"),
                ("braf", "wild-type"),
                ("her2_mutation", "wild-type"),
                ("tp53", "wild-type"),
                ("pik3ca", "wild-type"),
            ],
        ),
        (
            "Fusions (RNA): none detected, including NTRK1-3 and RET",
            [("ntrk", "not rearranged"), ("ret", "not rearranged")],
        ),
        (
            "ALTERATIONS NOT DETECTED\n  ALK, ROS1 and NTRK1/2/3 fusions; KRAS G12C",
            [
                ("alk", "not rearranged"),
                ("ros1", "not rearranged"),
                ("ntrk", "not rearranged"),
                ("kras", "wild-type"),
            ],
        ),
        ("The neoplasm is positive for CD5, CD20 and CD23 and negative for cyclin D1.", [("cd20", "positive")]),
    ],
)
def test_panels_and_lists_share_their_result(text, expected):
    assert [(biomarker.key, biomarker.status) for biomarker in extract_findings(text).biomarkers] == expected


def test_an_ish_block_gives_its_counts_ratio_and_interpretation():
    findings = extract_findings(
        "ADDENDUM - HER2 FISH RESULT:\n"
        "Fluorescence in situ hybridization for HER2 was performed on block A3.\n"
        "  Average HER2 copies per nucleus: 2.8\n"
        "  HER2:CEP17 ratio: 1.5\n"
        "INTERPRETATION: NEGATIVE (not amplified).\n"
    )

    ish = [(b.status, b.measure, b.value) for b in findings.biomarkers if b.method == "ISH"]
    assert ("not amplified", "ratio", 1.5) in ish
    assert ("not amplified", "copies", 2.8) in ish


def test_ocr_inside_numbers_and_leader_dots():
    findings = extract_findings("ER ....... 1OO % strong\nPR ....... 85 % strong")

    assert [(b.key, b.value, b.unit) for b in findings.biomarkers] == [("er", 100.0, "%"), ("pr", 85.0, "%")]


def test_a_comment_after_a_result_that_says_when_it_would_matter_keeps_the_result():
    findings = extract_findings(
        "His PD-L1 combined positive\nscore is 20, which would matter only if the cancer came back."
    )

    assert [(b.key, b.measure, b.value) for b in findings.biomarkers] == [("pd_l1", "CPS", 20.0)]


def test_an_ocr_s_for_6_in_msh6():
    findings = extract_findings("Immunohistochemistry for hMLH1, hMSH2 and hMSHS showed preserved nuclear expression.")

    assert [(b.key, b.status) for b in findings.biomarkers] == [
        ("mlh1", "retained"),
        ("msh2", "retained"),
        ("msh6", "retained"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A score named in words, with no CPS/TPS/IC abbreviation of its own.
        ("PD-L1 (SP142): immune cells (IC) cover 3% of the tumour area.", [{"measure": "IC", "value": 3.0}]),
        ("PD-L1 (SP263) tumour cell proportion 70 %.", [{"measure": "TPS", "value": 70.0}]),
        # Of a band and the estimate inside it, the estimate.
        (
            "PD-L1 staining is seen in 1-49% of the tumour cells (about 30%).",
            [{"measure": "positive cells", "value": 30.0}],
        ),
        # A comment that weighs the score against a cut-off keeps the score.
        ("PD-L1 (22C3): the CPS is 4, which is below the cut-off of 10.", [{"measure": "CPS", "value": 4.0}]),
        # Beside the measured score, "(CPS ≥ 10)" is the cut-off met, not a second score.
        (
            "PD-L1 CPS: 25\nConclusion: PD-L1 positive (CPS ≥ 10)",
            [{"measure": "CPS", "value": 25.0}, {"status": "positive"}],
        ),
    ],
)
def test_pd_l1_scores_in_words_bands_and_cut_offs(text, expected):
    found = [{k: v for k, v in row.items() if k in ("measure", "value", "status")} for row in results(text)]
    assert found == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "loss of" leads into the protein after it, not into the panel's name before it.
        (
            "The mismatch repair stains show loss of PMS2 with preserved MLH1.",
            [("pms2", "loss"), ("mlh1", "retained")],
        ),
        # "All four retained" after the panel's result: each protein, and the whole.
        (
            "MMR: proficient (all four retained)",
            [
                ("msi_mmr", "proficient"),
                ("mlh1", "retained"),
                ("msh2", "retained"),
                ("msh6", "retained"),
                ("pms2", "retained"),
            ],
        ),
        (
            "Interpretation: no abnormalities of mismatch repair protein expression are seen.",
            [("msi_mmr", "proficient")],
        ),
        ("The pattern suggests a low likelihood of microsatellite\ninstability.", [("msi_mmr", "proficient")]),
        # OCR inside the known word.
        ("Microsatelllte stable.", [("msi_mmr", "proficient")]),
    ],
)
def test_mmr_panel_wordings(text, expected):
    assert [(row["key"], row["status"]) for row in results(text)] == expected


def test_four_proteins_listed_one_by_one_give_no_overall_result_the_report_does_not_state():
    text = "MLH1: retained\nPMS2: retained\nMSH2: retained\nMSH6: retained"

    assert [row["key"] for row in results(text)] == ["mlh1", "pms2", "msh2", "msh6"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A list that ends its line.
        (
            "RNA fusions: none detected, including ROS1 and RET\nReported by Dr A. Bell",
            [("ros1", "not rearranged", ""), ("ret", "not rearranged", "")],
        ),
        # A fusion named with its partner.
        ("Sequencing found a KIF5B-RET fusion.", [("ret", "rearranged", "KIF5B-RET")]),
        ("ROS1 rearrangement: SDC4-ROS1 (reads 900)", [("ros1", "rearranged", "SDC4-ROS1")]),
        # OCR inside the name.
        ("R0S1 FISH : n0t rearranged .", [("ros1", "not rearranged", "")]),
        # The line's test is each gene's.
        (
            "FISH: MYC break-apart - no rearrangement; BCL6 - negative.",
            [("myc", "not rearranged", ""), ("bcl6", "not rearranged", "")],
        ),
    ],
)
def test_fusions_with_partners_line_tests_and_lists_at_a_line_end(text, expected):
    assert [(row["key"], row["status"], row.get("variant", "")) for row in results(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The large cells express CD20 and PAX5.", [("cd20", "positive")]),
        ("The large cells do not express CD20.", [("cd20", "negative")]),
        # A minus set apart after a bracket.
        ("EBER (ISH) -\nReported by Dr B. Hale", [("ebv", "negative")]),
    ],
)
def test_stains_expressed_and_signs_after_a_bracket(text, expected):
    assert [(row["key"], row["status"]) for row in results(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # OCR spaced the letters out, and read the O of FIGO as a zero.
        ("FIG0 2023   :  I I B\nComment: none", ("IIB",)),
        ("Stage (FIGO) : I I I C 2\n", ("IIIC2",)),
        # A stage named as a kind of disease is no patient's stage.
        ("Adjuvant radiotherapy is not offered for stage I disease in this unit.", ()),
        ("Pathological stage: IIA. Radiotherapy is offered in stage II tumours.", ("IIA",)),
        # A clinical indication at a line's start is the history's stage, not the report's.
        ("Clinical indication: stage IV disease, for first-line treatment choice\n\nKRAS: wild-type", ()),
    ],
)
def test_stage_groups_spaced_out_named_as_a_kind_of_disease_or_in_the_indication(text, expected):
    assert extract_findings(text).stage_groups == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # OCR inside the tokens: i for 1 after a prefix, a T split into quotes.
        ("AJCC pathologic stage: pTib pN0 pMx", ("pT1b", "pN0", "pMX")),
        ("Stage (pTNM): p'1'3 pN1", ("pT3", "pN1", "")),
        ("pTNM stage: pT3, Ni", ("pT3", "N1", "")),
        # A checklist's table, whose column heads name a definition, and "classified as;".
        (
            "The primary tumour is classified as:\nTNM Scheme   FIGO Scheme   Definition\n"
            "T2a   IIA   Upper vagina involved\n"
            "The regional lymph nodes are classified as; N0 (nodes free)",
            ("T2a", "N0", ""),
        ),
    ],
)
def test_tnm_ocr_and_checklist_tables(text, expected):
    [stage, *_] = extract_findings(text).tnm
    assert (stage.t, stage.n, stage.m) == expected


def test_the_combinations_a_stage_group_stands_for_are_no_tnm():
    assert extract_findings("Final stage: IIIC (T3c/N0/M0) OR (any T/N1/M0)").tnm == ()


_GROUP_TABLE = (
    "Stage Grouping (AJCC / FIGO)\n[ ] ( ] IA   T1a N0 M0\n( j [ ] IB   T1b N0 M0\nIIIA T3a N0 M0\n"
    "{ticked} IIIB   T2 N1 M0\nT3a Nl MO\n( J [ ] IVA   T4 Any N M0\n[ ) ( ] IVB   Any T Any N M1\n"
)


def test_a_table_of_stage_groups_with_its_boxes_unreadable_gives_no_tnm():
    assert extract_findings(_GROUP_TABLE.format(ticked="( ] [ j")).tnm == ()


def test_a_row_of_a_stage_group_table_ticked_plainly_is_the_patients_stage():
    [stage] = extract_findings(_GROUP_TABLE.format(ticked="[x]")).tnm

    assert (stage.t, stage.n, stage.m) == ("T2", "N1", "M0")


def test_checklist_options_whose_definitions_wrap_onto_a_line_are_no_stage():
    text = (
        "The tumour is classified as T2N0.\nPrimary Tumor (pT)\n` pTX: Cannot be assessed\n"
        "pT I: Solitary tumor without vascular invasion\npT2: Solitary tumor with vascular invasion, or several\n"
        "tumors none larger than 5 cm\npT4: Tumor directly invading organs other than the gallbladder, or\n"
        "perforating the visceral peritoneum\nDistant Metastasis (pM)\n` pMX: Cannot be assessed\n"
        "pM1: Distant metastasis\n"
    )

    assert [(stage.t, stage.n, stage.m) for stage in extract_findings(text).tnm] == [("T2", "N0", "")]


def test_a_result_for_the_names_after_a_marker_is_not_its_own():
    # OCR left the stains before BCL2 unreadable ("C020", "IgO"); "negative for" speaks of CD10.
    assert results("The cells are positive for C020, C05, IgO and BCL2 and negative for C010 and cyclin D1.") == []


def test_an_ish_ratio_written_out_and_her2_neu_with_its_slash_read_as_a_1():
    assert results("The ratio of HER2 to the centromere of chromosome 17 is 2.4.") == [
        {"key": "her2", "method": "ISH", "measure": "ratio", "value": 2.4}
    ]
    assert results("HER·21neu by IHC: score 3+") == [{"key": "her2", "status": "positive", "score": "3+", **IHC}]


def test_a_variant_whose_significance_the_next_sentences_doubt_is_for_a_reviewer():
    text = (
        "IDH1 variant detected: p.Arg100Gln (c.299G>A).\n"
        "This change has not been described before. Its significance is unclear."
    )

    assert [(row["key"], row["status"], row.get("check", False)) for row in results(text)] == [
        ("idh1", "mutated", True)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rule for positive results: ER and PR: 1% of tumour nuclei staining.", []),
        ("Progesterone receptor: about 30% of cells show moderate nuclear staining.", [("pr", "positive", 30.0)]),
    ],
)
def test_receptor_criteria_and_cells_that_show_staining(text, expected):
    assert [(row["key"], row.get("status"), row.get("value")) for row in results(text)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A word the line wrapped in two, before the marker.
        ("Nearly all tumour cells strongly over\nexpress the p53 protein.", [("p53", "aberrant")]),
        # The slash of "HER-2/c-erbB-2" read as a j.
        ("The carcinoma cells do not show overexpression of HER-2jc-erbB-2.", [("her2", "negative")]),
    ],
)
def test_overexpression_wrapped_and_her2_c_erbb2_ocr(text, expected):
    assert [(row["key"], row["status"]) for row in results(text)] == expected


def test_a_percentage_and_an_allred_score_of_one_receptor_are_two_readings():
    assert results("ER: positive, 90%, Allred 7/8") == [
        {"key": "er", "status": "positive", "value": 90.0, "unit": "%"},
        {"key": "er", "status": "positive", "measure": "allred", "value": 7.0},
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MET: no exon 14 skipping detected.", [("met", "wild-type", "exon 14 skipping")]),
        # OCR inside a variant's position, and inside the genes' names.
        ("BRAF c.l799T>A p.V6OOE detected", [("braf", "mutated", "V600E (c.1799T>A)")]),
        (
            "EGFR, KR AS, BRAF: no pathogenic variants.",
            [("egfr", "wild-type", ""), ("kras", "wild-type", ""), ("braf", "wild-type", "")],
        ),
        ("BR.AF : no mutation detected ;", [("braf", "wild-type", "")]),
    ],
)
def test_genes_said_absent_by_their_change_and_ocr_in_names_and_variants(text, expected):
    assert [(row["key"], row["status"], row.get("variant", "")) for row in results(text)] == expected


def test_a_kind_of_disease_is_no_result_and_a_reading_for_a_reviewer_casts_no_doubt_on_a_clear_one():
    assert results("ERBB2 amplification (copy number 18) is consistent with HER2-positive disease.") == [
        {"key": "her2", "status": "amplified", "method": "ISH", "measure": "copies", "value": 18.0}
    ]
    text = (
        "HER2: 2+ by IHC, with ISH showing no amplification (ratio 1.8).\n"
        "For your information, HER2-positive disease (IHC 3+, or 2+ with ISH amplification) would have\n"
        "meant trastuzumab."
    )
    assert results(text)[0] == {"key": "her2", "status": "equivocal", "method": "IHC", "score": "2+"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("HER2 ISH: HER2/CEP17 rati0 2.3", [{"key": "her2", "method": "ISH", "measure": "ratio", "value": 2.3}]),
        # A stain of one change is that change's result.
        ("BRAF V600E (VE1 immunohistochemistry): positive", [{"key": "braf", "status": "mutated", "variant": "V600E"}]),
    ],
)
def test_ocr_ratio_and_a_mutation_specific_stain(text, expected):
    assert results(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Positivity" in the score's name is no positive result.
        ("PD-L1 (SP263): tumour area positivity (TAP) score 5%", [{"measure": "TAP", "value": 5.0}]),
        # The word before the bracket is PD-L1's own result.
        ("PD-L1 expression: negative (TPS 0%)", [{"status": "negative"}, {"measure": "TPS", "value": 0.0}]),
    ],
)
def test_pd_l1_tap_and_a_result_before_the_score_in_brackets(text, expected):
    found = [{k: v for k, v in row.items() if k in ("measure", "value", "status")} for row in results(text)]
    assert found == expected


def test_receptors_each_with_their_own_figure_in_brackets_are_no_list_sharing_the_first():
    text = "The tumour cells are positive for oestrogen receptor (80%, strong) and progesterone receptor (20%, weak)."

    assert [(row["key"], row["value"]) for row in results(text)] == [("er", 80.0), ("pr", 20.0)]


def test_two_specimens_labelled_on_one_line_each_keep_their_own_result():
    text = "Block A: PR positive (60%). Block C: PR positive (30%)."

    assert [(row["key"], row["value"]) for row in results(text)] == [("pr", 60.0), ("pr", 30.0)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15. THE FINAL STAGE OF THE TUMOUR IS:\nAJCC SCHEME   FIGO SCHEME\nlla (T2a/ N0/ M0)   IIA\n", ("IIA",)),
        ("The overall pathologic stage of the tumour is:\n2b (T2b/N0/MX)\n", ("IIB",)),
        ("The final stage of the tumour is:\nX Insufficient data to assign stage\n", ()),
    ],
)
def test_a_checklists_final_stage_on_the_line_below(text, expected):
    assert extract_findings(text).stage_groups == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Melanoma, right calf, Breslow 1.8 mm, ulcerated.", {"breslow_mm": 1.8, "ulceration": "present"}),
        ("Breslow thickness : l . 4 mm\nU1ceration : n0t identified", {"breslow_mm": 1.4, "ulceration": "absent"}),
        ("Maximum thickness: 3.2 mm (Breslow)\nUlceration: yes", {"breslow_mm": 3.2, "ulceration": "present"}),
        ("Number of cores with cancer: 3 of 12", {"cores": "3/12"}),
        ("Cancer is present in four of twelve cores.", {"cores": "4/12"}),
        ("Positive cores: 2/10", {"cores": "2/10"}),
    ],
)
def test_breslow_ulceration_and_cores_as_reports_write_them(text, expected):
    assert extract_findings(text).grading == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Histologic grade (WHO/ISUP): Grade 3", 3),
        ("Clear cell renal cell carcinoma, high grade (ISUP 4).", 4),
    ],
)
def test_isup_grade_as_a_field_and_in_brackets(text, expected):
    assert extract_findings(text).grading["isup_grade"] == expected


def test_a_negation_after_a_result_leads_into_the_marker_after_it():
    text = "MMR stains: MLH1 intact, PMS2 intact, MSH2 intact, MSH6 intact (no evidence of MMR deficiency)"

    assert [(row["key"], row["status"]) for row in results(text)][-1] == ("msi_mmr", "proficient")


def test_a_clinical_m_completes_a_pathological_stage_given_field_by_field():
    [stage, *_] = extract_findings("Tumour stage: pT4a; Nodal stage: pN2b; Metastasis: cM0").tnm

    assert (stage.t, stage.n, stage.m) == ("pT4a", "pN2b", "cM0")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The heading on the line above, 2 read as Z and 0 as o, M left blank.
        ("Staging of the specimen\nPathological Staging\npTZ N o M Stage: .\nNotes:", ("pT2", "N0", "")),
        # The heading glued to the letters, a stray tick before a value, T left blank.
        ("Patholo gicalStagingpT '? N '0 M 0 Stage: ;", ("", "N0", "M0")),
        # The clinical line above it is the surgeon's estimate, not the patient's pathological stage.
        ("Clinical Sta ging\nT3 N1 M0 Stage: II\nPathological Sta gingpTZN0 M , Stage:", ("pT2", "N0", "")),
    ],
)
def test_a_forms_handwritten_pathological_staging_line(text, expected):
    [stage] = extract_findings(text).tnm
    assert (stage.t, stage.n, stage.m) == expected


def test_a_forms_clinical_staging_line_alone_gives_no_pathological_stage():
    assert (
        extract_findings("Clinical Sta ging Date of diagnosis\nT3 N a M 0 Stage: ,\nPathol ogical Sta ging").tnm == ()
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # OCR glued the chosen category to the start of the question it answers.
        (
            "pT1b : invasion of half or more of the myometrium\nN0THE REGIONAL LYMPH NODES SAMPLED ARE:\n"
            "(All negative)\nMXTHE DISTANT SITES ARE:\n(Not sampled)",
            ("pT1b", "N0", "MX"),
        ),
        # The chosen category starts the line below its question, its meaning in brackets.
        (
            "TNM category : T2b (extension to pelvic tissues)\nTHE REGIONAL LYMPH NODES ARE:\n"
            "N0 (No regional lymph node metastasis)\nTHE STATUS OF DISTANT SITES is classifi\nMX (Cannot be assessed)",
            ("T2b", "N0", "MX"),
        ),
        # Every option listed in brackets, none chosen: no M.
        ("pT2 pN0\nDistant metastasis:\nMX (Cannot be assessed)\nM1 (Distant metastasis)", ("pT2", "pN0", "")),
    ],
)
def test_a_forms_chosen_category_beside_the_question_it_answers(text, expected):
    [stage, *_] = extract_findings(text).tnm
    assert (stage.t, stage.n, stage.m) == expected


def test_a_digit_the_hand_wrote_after_a_forms_stage_is_no_stage_group():
    assert extract_findings("Pathol ogical Sta gingPT ~ N.. Mn Stage :2 k").stage_groups == ()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ("pT2\npNO\npMX\nI I", ("II",)),
        ("pT1b\npN0\npMX\nI B", ("IB",)),
        ("pT2a\npNX\npMX\nI IA", ("IIA",)),
        # "I IA" under a T3 is no group its T stands for: IIA or I and IA, it is left unread.
        ("pT3\npN0\npM0\nI IA", ()),
        ("pT2\npN1\npMX\nI I", ()),
    ],
)
def test_a_spaced_group_below_a_column_of_values_is_read_where_its_t_stands_for_it(values, expected):
    text = f"T STAGE , PATHOLOGIC :\nN STAGE , PATHOLOGIC :\nM STAGE , PATHOLOGIC :\nFIGO STAGE :\n{values}\n"

    assert extract_findings(text).stage_groups == expected


def test_another_fields_measure_run_onto_the_stage_label_is_no_stage_group():
    assert extract_findings("FIGO STAGE :4 of 11 mm (36%)\nNot identified").stage_groups == ()


def test_a_checklist_heading_names_the_letter_and_the_answer_below_ends_with_its_category():
    text = (
        "TUMOUR EXTENT (TNM category)\nThe carcinoma reaches the outer half of the wall (pT1b)\n"
        "NODES (N)\nNone of the nineteen nodes holds tumour (N0)\n"
        "DISTANT SPREAD (M)\nNo distant site was sent, so it is not assessed (MX)\n"
        "Stage: pT1b N0"
    )
    [stage, *_] = extract_findings(text).tnm

    assert (stage.t, stage.n, stage.m) == ("pT1b", "N0", "MX")


def test_an_ocr_category_starting_a_row_under_the_tnm_scheme_head():
    text = "Primary tumour is classified as:\nTNM SCHEME  FIGO SCHEME  DEFINITION\nTlb  IB  Confined to the cervix"

    [stage, *_] = extract_findings(text).tnm

    assert stage.t == "T1b"


def test_an_ocr_capital_prefix_after_a_stray_full_stop():
    [stage, *_] = extract_findings("Pathologic stage: pT2a pN0 .PMX").tnm

    assert (stage.t, stage.n, stage.m) == ("pT2a", "pN0", "pMX")


@pytest.mark.parametrize("written", ["PM82", "PM52", "PMSZ"])
def test_pms2_with_its_s_or_its_2_misread_by_ocr(written):
    assert ("pms2", "retained") in [
        (row["key"], row["status"])
        for row in results(f"Mismatch repair stains:\n{written}: staining present in tumour.")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The tumour cells are positive for oestrogen receptor (ER) and progesterone receptor (PR).",
        "Positive staining of the glands for ER and focally PR.",
    ],
)
def test_a_result_before_a_list_of_receptors_with_abbreviations_or_a_degree(text):
    assert {(row["key"], row["status"]) for row in results(text)} == {
        ("er", "positive"),
        ("pr", "positive"),
    }


def test_receptors_positive_in_one_component_and_negative_in_another_are_for_a_reviewer():
    text = (
        "The glandular areas are positive for oestrogen receptor (ER) and focally progesterone receptor (PR). "
        "ER and PR are negative in the spindle cell component."
    )

    assert all(biomarker.check for biomarker in extract_findings(text).biomarkers)


def test_a_receptor_weakly_positive_with_no_percentage_read_is_for_a_reviewer():
    [er] = extract_findings("Oestrogen receptor (clone SP1): weakly positive (1+, 4O°).").biomarkers

    assert (er.key, er.status, er.check) == ("er", "positive", True)
