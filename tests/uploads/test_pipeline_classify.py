import io

import pytest

from tests.uploads import samples
from uploads.pipeline.classify import DocumentKind, classify_document
from uploads.pipeline.extract import extract_text

IMAGING_REPORT = """\
Department of Radiology
CT chest, abdomen and pelvis with contrast
Technique: axial images after intravenous contrast; coronal reformats.
Comparison: previous CT of 2 January 2026.
Findings: the gastric wall thickening is smaller. No new lesions. A 4 mm nodule in the right
lower lobe is unchanged. No ascites.
Impression: partial response (RECIST 1.1). Radiologist: Dr A. Ferreira
"""

LAB_RESULTS = """\
Full blood count                 Result     Reference range
Haemoglobin                      112 g/L    130-170 g/L
White cell count                 5.2        4.0-11.0 x10^9/L
Neutrophils                      3.1        2.0-7.5 x10^9/L
Platelets                        240        150-400 x10^9/L
Urea and electrolytes: creatinine 78 umol/L, eGFR > 90
CEA 4.1 ug/L; CA 19-9 35 U/L
"""


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (samples.PATHOLOGY_REPORT, DocumentKind.PATHOLOGY_REPORT),
        (samples.CLINIC_LETTER, DocumentKind.CLINIC_LETTER),
        (IMAGING_REPORT, DocumentKind.IMAGING_REPORT),
        (LAB_RESULTS, DocumentKind.LAB_RESULTS),
    ],
    ids=["pathology", "letter", "imaging", "lab"],
)
def test_each_kind_of_document_is_recognised(text, kind):
    assert classify_document(text) is kind


def test_the_pathology_report_pdf_is_a_pathology_report():
    text = extract_text(io.BytesIO(samples.pathology_report_pdf())).text

    assert classify_document(text) is DocumentKind.PATHOLOGY_REPORT


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Directions to the hospital car park: take the second exit at the roundabout.",
        "Biopsy booked.",  # one pathology word is not a report
    ],
)
def test_a_text_that_says_too_little_is_other(text):
    assert classify_document(text) is DocumentKind.OTHER


def test_a_letter_that_quotes_pathology_results_is_still_a_letter():
    letter = samples.CLINIC_LETTER + "\nThe specimen showed a moderately differentiated adenocarcinoma on biopsy."

    assert classify_document(letter) is DocumentKind.CLINIC_LETTER
