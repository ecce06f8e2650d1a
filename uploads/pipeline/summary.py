"""What reviewers read first about a case: the patient's answers beside what the documents say.

A pure function over plain values (the service gathers them from the rows). Differences are
flagged only where both sides say something comparable: "I don't know" or a result in words we
cannot map is shown, never counted as a difference. The priority and the time to review follow
from the stage and from what needs a reviewer's eye.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

SUMMARY_VERSION = 1

# Days a reviewer has for a case, by priority (1 is the most urgent).
REVIEW_DAYS = {1: 2, 2: 5, 3: 10}

# How each side names a marker, folded to capitals without punctuation, to the topic we compare.
_TOPICS = {
    "HER2": "HER2",
    "HER2NEU": "HER2",
    "ERBB2": "HER2",
    "PDL1": "PD-L1",
    "CPS": "PD-L1",
    "MSI": "MSI/MMR",
    "MSIH": "MSI/MMR",
    "MMR": "MSI/MMR",
    "DMMR": "MSI/MMR",
    "CLDN182": "CLDN18.2",
    "CLAUDIN182": "CLDN18.2",
    "FGFR2B": "FGFR2b",
    "EBV": "EBV",
    "TMB": "TMB",
    "KRAS": "KRAS",
    "NRAS": "NRAS",
    "BRAF": "BRAF",
    "EGFR": "EGFR",
}
_ROMAN = {"0": "0", "I": "1", "II": "2", "III": "3", "IV": "4"}
_STAGE_GROUP = re.compile(r"^(IV|I{1,3}|0)")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# A patient's words for a result, to what they mean.
_PATIENT_WORDS = [
    ("unknown", r"\b(?:don'?t know|do not know|not sure|unknown|not tested|pending|waiting)\b"),
    ("deficient", r"\b(?:msi-?h|msi[- ]high|dmmr|deficient|unstable)\b"),
    ("proficient", r"\b(?:mss|pmmr|proficient|stable)\b"),
    ("low", r"\blow\b"),
    ("equivocal", r"\b(?:equivocal|borderline)\b|\b2\+"),
    ("negative", r"\b(?:negative|neg|not detected|wild[- ]?type|none)\b|\b[01]\+|^0$|^-$"),
    ("positive", r"\b(?:positive|pos|detected|mutated|amplified|high)\b|\b3\+|^\+$"),
]


@dataclass(frozen=True)
class PatientAnswers:
    cancer_type: str
    # "0" to "4", or "unknown".
    stage: str
    # Marker name to the result as the patient gave it.
    biomarkers: dict[str, str]


@dataclass(frozen=True)
class DocumentReading:
    # The document's public id, as a string.
    id: str
    status: str
    kind: str
    page_count: int | None = None
    # Findings.to_dict(), or {} when the document was not read.
    findings: dict = field(default_factory=dict)
    # Why it failed, or the signature that quarantined it.
    note: str = ""


@dataclass(frozen=True)
class CaseSummary:
    data: dict
    priority: int
    review_days: int

    @property
    def review_time(self) -> timedelta:
        return timedelta(days=self.review_days)


def summarise_case(patient: PatientAnswers, documents: list[DocumentReading]) -> CaseSummary:
    """Lay the documents' findings beside the patient's answers; flag differences; set a priority."""
    readings = _biomarker_readings(documents)
    tnm = _unique(stage["text"] for document in documents for stage in document.findings.get("tnm", []))
    groups = _unique(group for document in documents for group in document.findings.get("stage_groups", []))
    comparison = _compare_biomarkers(patient.biomarkers, readings)
    comparison.append(_compare_stage(patient.stage, groups, tnm))
    differences = sum(1 for row in comparison if row["outcome"] == "differs")
    unprocessed = sum(1 for document in documents if document.status in ("quarantined", "failed"))
    priority, reasons = _priority(patient.stage, _stages(groups, tnm), differences, unprocessed)
    data = {
        "version": SUMMARY_VERSION,
        "cancer_type": patient.cancer_type,
        "documents": [
            {
                "id": document.id,
                "status": document.status,
                "kind": document.kind,
                "page_count": document.page_count,
                "dates": document.findings.get("dates", []),
                "note": document.note,
            }
            for document in documents
        ],
        "documents_say": {
            "biomarkers": [reading.as_dict() for reading in readings],
            "tnm": tnm,
            "stage_groups": groups,
        },
        "comparison": comparison,
        "differences": differences,
        "attention": _attention(documents),
        "priority": priority,
        "priority_reasons": reasons,
    }
    return CaseSummary(data=data, priority=priority, review_days=REVIEW_DAYS[priority])


def topic_of(name: str) -> str:
    """The topic a marker's name belongs to ("her-2/neu" is HER2), or the name as given."""
    folded = re.sub(r"[^A-Z0-9]", "", name.upper())
    return _TOPICS.get(folded, name.strip())


# --- What the documents say -----------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    """One biomarker result one document states."""

    topic: str
    biomarker: dict
    document: str

    @property
    def result(self) -> str:
        return describe_biomarker(self.biomarker)

    def as_dict(self) -> dict:
        return {
            "topic": self.topic,
            "name": self.biomarker["name"],
            "result": self.result,
            "document": self.document,
            "evidence": self.biomarker.get("evidence", ""),
        }


def _biomarker_readings(documents: list[DocumentReading]) -> list[_Reading]:
    return [
        _Reading(topic=topic_of(biomarker["name"]), biomarker=biomarker, document=document.id)
        for document in documents
        for biomarker in document.findings.get("biomarkers", [])
    ]


def _unique(items) -> list:
    return list(dict.fromkeys(items))


def _stages(groups: list[str], tnm: list[str]) -> set[str]:
    """The stages ("1" to "4") the documents state, a distant metastasis (M1) being stage 4."""
    stages = {_ROMAN[match.group(1)] for group in groups if (match := _STAGE_GROUP.match(group))}
    if any(re.search(r"\bc?p?M1", stage) for stage in tnm):
        stages.add("4")
    return stages


def describe_biomarker(biomarker: dict) -> str:
    """One line for a reviewer: "IHC 2+, equivocal", "CPS 8", "ISH not amplified"."""
    parts = []
    if biomarker.get("method"):
        parts.append(biomarker["method"])
    if biomarker.get("score"):
        parts.append(biomarker["score"])
    if biomarker.get("value") is not None:
        value = f"{biomarker.get('comparator', '')}{_number(biomarker['value'])}"
        if biomarker.get("upper") is not None:
            value += f"-{_number(biomarker['upper'])}"
        measure = biomarker.get("measure", "")
        parts.append(f"{measure} {value}{biomarker.get('unit', '')}".strip())
    if biomarker.get("variant"):
        parts.append(biomarker["variant"])
    line = " ".join(parts)
    status = biomarker.get("status", "")
    return f"{line}, {status}" if line and status else line or status


def _number(value: float) -> str:
    return f"{value:g}"


# --- Comparison -----------------------------------------------------------------------------


def _compare_biomarkers(answers: dict[str, str], readings: list[_Reading]) -> list[dict]:
    by_topic: dict[str, list[_Reading]] = {}
    for reading in readings:
        by_topic.setdefault(reading.topic, []).append(reading)
    rows = [
        _comparison_row(topic_of(name), str(answer), by_topic.pop(topic_of(name), []))
        for name, answer in answers.items()
    ]
    # What the documents say that the patient did not mention.
    rows.extend(_comparison_row(topic, "", found) for topic, found in by_topic.items())
    return rows


def _comparison_row(topic: str, answer: str, readings: list[_Reading]) -> dict:
    biomarkers = [reading.biomarker for reading in readings]
    if not readings:
        outcome = "not in documents"
    elif not answer.strip():
        outcome = "only in documents"
    else:
        outcome = _compare_answer(topic, answer, biomarkers)
    return {
        "topic": topic,
        "patient": answer,
        "documents": [reading.result for reading in readings],
        "outcome": outcome,
    }


def _compare_answer(topic: str, answer: str, biomarkers: list[dict]) -> str:
    # "CPS 5" is compared with the CPS a document gives, not with its TPS.
    measures = {word.upper() for word in re.findall(r"\b(cps|tps)\b", answer, re.IGNORECASE)}
    values = {
        biomarker["value"]
        for biomarker in biomarkers
        if biomarker.get("value") is not None and (not measures or biomarker.get("measure") in measures)
    }
    numbers = {float(number) for number in _NUMBER.findall(answer)} if topic in ("PD-L1", "TMB") else set()
    if numbers and values:
        # "CPS 8" against "CPS 8": the figure decides.
        return "agrees" if numbers & values else "differs"
    patient = _patient_meaning(answer)
    documents = _documents_meaning(topic, biomarkers)
    if patient in ("", "unknown") or not documents:
        return "unclear"
    return "agrees" if patient in documents else "differs"


def _patient_meaning(answer: str) -> str:
    text = answer.strip().lower()
    for meaning, pattern in _PATIENT_WORDS:
        if re.search(pattern, text):
            return meaning
    return ""


def _documents_meaning(topic: str, readings: list[dict]) -> set[str]:
    """What the documents' results mean, in the patient's words (a set: documents can disagree)."""
    meanings: set[str] = set()
    if topic == "HER2":
        return _her2_meaning(readings)
    for reading in readings:
        status = reading.get("status", "")
        if status in ("MSI-H", "dMMR", "loss"):
            meanings.add("deficient")
        elif status in ("MSS", "pMMR", "retained", "MSI-L"):
            meanings.add("proficient")
        elif status in ("positive", "mutated", "amplified", "high"):
            meanings.add("positive")
        elif status in ("negative", "wild-type", "not amplified"):
            meanings.add("negative")
        elif status in ("low", "equivocal"):
            meanings.add(status)
        elif topic == "PD-L1" and reading.get("value") is not None:
            meanings.add("positive" if reading["value"] >= 1 else "negative")
    return meanings


def _her2_meaning(readings: list[dict]) -> set[str]:
    scores = {reading["score"] for reading in readings if reading.get("score")}
    ish = {reading["status"] for reading in readings if reading.get("method") == "ISH" and reading.get("status")}
    stated = {reading["status"] for reading in readings if reading.get("status") and reading.get("method") != "ISH"}
    meanings = {status for status in stated if status in ("positive", "negative", "low", "equivocal")}
    if "3+" in scores or "amplified" in ish:
        meanings.add("positive")
    if "2+" in scores and not ish:
        meanings.add("equivocal")
    if ("2+" in scores and "not amplified" in ish) or "1+" in scores:
        # HER2-low is "negative" in the older two-way reading patients are often told.
        meanings.update({"low", "negative"})
    if "0" in scores:
        meanings.add("negative")
    return meanings


def _compare_stage(answer: str, groups: list[str], tnm: list[str]) -> dict:
    stages = _stages(groups, tnm)
    if not groups and not tnm:
        outcome = "not in documents"
    elif answer in ("", "unknown") or not stages:
        outcome = "unclear"
    else:
        outcome = "agrees" if answer in stages else "differs"
    return {
        "topic": "stage",
        "patient": "" if answer == "unknown" else answer,
        "documents": [*groups, *tnm],
        "outcome": outcome,
    }


# --- Attention and priority -----------------------------------------------------------------


def _attention(documents: list[DocumentReading]) -> list[str]:
    quarantined = sum(1 for document in documents if document.status == "quarantined")
    failed = sum(1 for document in documents if document.status == "failed")
    unread = sum(1 for document in documents if document.status == "done" and not document.findings.get("biomarkers"))
    notes = []
    if quarantined:
        notes.append(f"{quarantined} document(s) quarantined by the malware scan; the patient was asked for a copy.")
    if failed:
        notes.append(f"{failed} document(s) could not be processed: see each one's reason, and retry it.")
    if not documents:
        notes.append("No documents: only the patient's answers.")
    elif unread:
        notes.append(f"{unread} document(s) state no biomarker that could be read: check them by eye.")
    return notes


def _priority(patient_stage: str, stages: set[str], differences: int, unprocessed: int) -> tuple[int, list[str]]:
    if patient_stage == "4" or "4" in stages:
        return 1, ["Stage 4 (metastatic), by the patient's answer or the documents."]
    reasons = []
    if patient_stage == "3" or "3" in stages:
        reasons.append("Stage 3, by the patient's answer or the documents.")
    if differences:
        reasons.append("The documents and the patient's answers differ.")
    if unprocessed:
        reasons.append("A document was quarantined or could not be processed.")
    return (2, reasons) if reasons else (3, ["No sign of urgency in the answers or the documents."])
