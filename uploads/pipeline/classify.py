"""What kind of document a text is, by the words each kind uses."""

import re
from enum import StrEnum

from uploads.pipeline.findings import normalize


class DocumentKind(StrEnum):
    PATHOLOGY_REPORT = "pathology_report"
    IMAGING_REPORT = "imaging_report"
    LAB_RESULTS = "lab_results"
    CLINIC_LETTER = "clinic_letter"
    OTHER = "other"


# (pattern, weight) per kind. Phrases match in any case; abbreviations (CT, FBC) only in capitals.
_SIGNS: dict[DocumentKind, list[tuple[str, int]]] = {
    DocumentKind.PATHOLOGY_REPORT: [
        (r"(?i:histopatholog\w*|cellular pathology|pathology report|cytology report)", 4),
        (r"(?i:macroscopic|microscopic|gross description)", 3),
        (r"(?i:specimen|immunohistochemi\w*|frozen section|lymphovascular|perineural)", 2),
        (r"(?i:biopsy|resection|carcinoma|adenocarcinoma|margins?|differentiated|histolog\w*)", 1),
    ],
    DocumentKind.IMAGING_REPORT: [
        (r"(?i:radiology|radiologist|mammogra\w*)|PET-CT|CT|MRI|PET", 3),
        (r"(?i:ultrasound|x-ray|radiograph|technique:|impression:|contrast|SUV(?:max)?|RECIST)", 2),
        (r"(?i:axial|coronal|lesions?|nodules?|findings:|comparison|previous (?:study|scan|imaging))", 1),
    ],
    DocumentKind.LAB_RESULTS: [
        (r"(?i:reference range|ref\. range|full blood count|urea and electrolytes|liver function)|FBC|U&E|LFTs?", 4),
        (r"(?i:ha?emoglobin|platelets|white cell count|neutrophils|lymphocytes|creatinine|bilirubin|albumin)", 2),
        (r"eGFR|WBC|ALT|AST|ALP|CRP|CEA|CA ?19-9|CA-?125", 2),
        (r"g/L|mmol/L|[µμ]mol/L|IU/L|U/L|x ?10\^?\*?9/L", 1),
    ],
    DocumentKind.CLINIC_LETTER: [
        (r"(?i:dear (?:dr|doctor|mr|mrs|ms|miss|professor|colleague))", 5),
        (r"(?i:yours sincerely|yours faithfully|kind regards|best wishes)", 4),
        (r"(?i:thank you for (?:referring|your referral|asking me)|i (?:saw|reviewed|met) (?:him|her|them|this))", 3),
        (r"(?i:clinic|outpatient|plan:|cc:)", 2),
        (r"(?i:follow[- ]up|mdt|multidisciplinary)", 1),
    ],
}
_PATTERNS = {
    kind: [(re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])"), weight) for pattern, weight in signs]
    for kind, signs in _SIGNS.items()
}
# A word repeated on every line of a table counts a few times, not fifty.
_MOST_COUNTED = 3
# Below this score a text says too little of any kind to be called one.
_LEAST_SCORE = 5


def classify_document(text: str) -> DocumentKind:
    """Return the kind whose words score highest in the text, or OTHER when none clearly does."""
    text = normalize(text)
    scores = {
        kind: sum(weight * min(len(pattern.findall(text)), _MOST_COUNTED) for pattern, weight in patterns)
        for kind, patterns in _PATTERNS.items()
    }
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, best_score), (_, runner_up_score) = ranked[0], ranked[1]
    if best_score < _LEAST_SCORE or best_score == runner_up_score:
        return DocumentKind.OTHER
    return best
