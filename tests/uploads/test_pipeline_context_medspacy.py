import os
import subprocess
import sys

import pytest

from uploads.pipeline.context import Context

# medspaCy is an optional extra (pyproject, `medspacy`): without it the reader uses its own rules.
pytest.importorskip("medspacy")

from uploads.pipeline import context_medspacy


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("No KRAS mutation detected", Context.STATED),
        ("HER2 (4B5) negative, score 1+", Context.STATED),
        ("MLH1, MSH2, MSH6 and PMS2: loss of nuclear expression", Context.STATED),
        ("no pathogenic or likely pathogenic BRCA1 variant was identified", Context.STATED),
        ("EGFR mutation analysis will be performed and reported separately", Context.PENDING),
        ("PD-L1 testing has been requested", Context.PENDING),
        ("Insufficient tumour cells for KRAS testing", Context.NOT_DONE),
        ("HER2 protein overexpression was not assessed", Context.NOT_DONE),
        ("Tumours are classified as MSI-H if two or more markers are unstable", Context.DEFINITION),
        ("The assay detects mutations in codons 12 and 13 of KRAS", Context.DEFINITION),
        ("EGFR mutations predict response to tyrosine kinase inhibitors", Context.LITERATURE),
        ("Her mother carried a BRCA1 mutation", Context.FAMILY),
        ("possible HER2 amplification", Context.HEDGED),
        ("history of HER2 positive breast cancer", Context.LITERATURE),
    ],
)
def test_conText_puts_each_sentence_in_its_context(words, expected):
    assert context_medspacy.context_of(words) == expected


def test_a_negated_result_is_still_a_result():
    # ConText finds the negation; it is the result (wild-type), so it decides nothing.
    assert context_medspacy.context_of("KRAS: no mutation detected in exons 2, 3 and 4") == Context.STATED
    assert context_medspacy.context_of("Negative for BRAF V600E") == Context.STATED


def test_the_sectionizer_finds_methods_and_history_and_leaves_the_diagnosis():
    text = (
        "DIAGNOSIS\n"
        "KRAS: mutated, G12D\n"
        "\n"
        "METHODS\n"
        "The assay detects mutations in codons 12 and 13 of KRAS.\n"
        "\n"
        "COMMENT\n"
        "Reviewed by a second pathologist.\n"
        "Clinical History: HER2 positive breast cancer in 2019\n"
    )

    found = context_medspacy.sections(text)

    assert [(text[span.start : span.end].strip(), title) for span, title in found] == [
        ("METHODS\nThe assay detects mutations in codons 12 and 13 of KRAS.", "methods"),
        ("Clinical History: HER2 positive breast cancer in 2019", "clinical history"),
    ]


def _reader_in(mode: str | None) -> str:
    """Which module's context_of and sections the reader imports with NAVIS_READER_CONTEXT=mode."""
    environment = {key: value for key, value in os.environ.items() if key != "NAVIS_READER_CONTEXT"}
    if mode is not None:
        environment["NAVIS_READER_CONTEXT"] = mode
    code = (
        "from uploads.pipeline import biomarkers, findings;"
        "print(biomarkers.context_of.__module__, findings.sections.__module__)"
    )
    done = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (None, "uploads.pipeline.context uploads.pipeline.context"),
        ("rules", "uploads.pipeline.context uploads.pipeline.context"),
        ("medspacy", "uploads.pipeline.context_medspacy uploads.pipeline.context_medspacy"),
        ("medspacy-context", "uploads.pipeline.context_medspacy uploads.pipeline.context"),
        ("medspacy-sections", "uploads.pipeline.context uploads.pipeline.context_medspacy"),
    ],
)
def test_navis_reader_context_chooses_the_implementation_the_reader_uses(mode, expected):
    assert _reader_in(mode) == expected


def test_the_reader_with_medspacy_keeps_results_and_drops_methods_and_relatives():
    text = (
        "DIAGNOSIS\n"
        "Adenocarcinoma. KRAS: no mutation detected. HER2 (4B5): score 3+, positive.\n"
        "Her sister carried a BRCA1 mutation.\n"
        "\n"
        "METHODS\n"
        "The assay detects BRAF V600E mutations.\n"
    )
    code = (
        "import json, sys; from uploads.pipeline.findings import extract_findings;"
        "print(json.dumps([[b.key, b.status] for b in extract_findings(sys.stdin.read()).biomarkers]))"
    )
    environment = {**os.environ, "NAVIS_READER_CONTEXT": "medspacy"}

    done = subprocess.run(
        [sys.executable, "-c", code], env=environment, input=text, capture_output=True, text=True, check=True
    )

    assert done.stdout.strip() == '[["kras", "wild-type"], ["her2", "positive"]]'
