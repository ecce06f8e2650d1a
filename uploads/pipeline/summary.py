"""What reviewers read first about a case: the patient's answers beside what the documents say.

A pure function over plain values (the service gathers them from the rows). One row per marker,
keyed by the canonical marker key (articles/profiles.py): the patient's answer beside every
reading of it with its evidence, and whether they agree, differ, are on one side only, or need a
reviewer's eye (compare.py decides). Differences raise the priority; so does the stage. It also
keeps what the check step told the patient seems missing (missing.py), for the reviewer to see.
"""

import re
from dataclasses import dataclass, field

from articles.profiles import MARKERS, detail_label, marker_key, marker_label, profile_for
from uploads.pipeline import missing
from uploads.pipeline.compare import AGREES, CHECK, DIFFERS, compare_detail, compare_marker, patient_meaning

# 3: adds "missing" and "records_held". The case page shows what a summary has: an older one is
# shown without them, never rewritten.
SUMMARY_VERSION = 3

ONLY_PATIENT = "only patient"
ONLY_RECORDS = "only records"

_ROMAN = {"0": "0", "I": "1", "II": "2", "III": "3", "IV": "4"}
_STAGE_GROUP = re.compile(r"^(IV|I{1,3}|0)")
# Stage answers compared with the stage groups the records state.
_FROM_GROUPS = ("stage_group", "figo_stage", "ann_arbor_stage")


@dataclass(frozen=True)
class PatientAnswers:
    cancer_type: str
    # "0" to "4", or "unknown".
    stage: str
    # Marker key (in older rows, its name) to the result as the patient gave it.
    biomarkers: dict[str, str]
    # The cancer type's profile slug (articles/profiles.py).
    profile: str = "generic"
    # Stage and grade answers beyond the stage number: stage_group, gleason, figo_stage...
    details: dict[str, str] = field(default_factory=dict)


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


def summarise_case(patient: PatientAnswers, documents: list[DocumentReading]) -> CaseSummary:
    """Lay the documents' findings beside the patient's answers, one row per marker; set a priority."""
    readings = _readings(documents)
    tnm_rows = list(
        {stage["text"]: stage for document in documents for stage in document.findings.get("tnm", [])}.values()
    )
    tnm = [stage["text"] for stage in tnm_rows]
    groups = _unique(group for document in documents for group in document.findings.get("stage_groups", []))
    grading = _grading(documents)
    comparison = _compare_markers(patient, readings)
    comparison.append(_compare_stage(patient.stage, groups, tnm))
    comparison.extend(_compare_details(patient.details, groups, tnm_rows, grading))
    differences = sum(1 for row in comparison if row["outcome"] == DIFFERS)
    unprocessed = sum(1 for document in documents if document.status in ("quarantined", "failed"))
    priority, reasons = _priority(patient.stage, _stages(groups, tnm), differences, unprocessed)
    read = [document for document in documents if document.status == "done"]
    not_found = missing.missing_results(
        profile_for(patient.profile),
        [document.findings for document in read],
        {**patient.details, **patient.biomarkers},
    )
    data = {
        "version": SUMMARY_VERSION,
        "cancer_type": patient.cancer_type,
        "profile": profile_for(patient.profile).slug,
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
            "grading": grading,
        },
        "comparison": comparison,
        "missing": [result.as_dict() for result in not_found],
        "records_held": missing.record_kinds(document.kind for document in read),
        "differences": differences,
        "attention": _attention(documents),
        "priority": priority,
        "priority_reasons": reasons,
    }
    return CaseSummary(data=data, priority=priority)


def reading_key(biomarker: dict) -> str:
    """A reading's marker key: the reader's own (version 2), else derived from its name (version 1)."""
    if biomarker.get("key"):
        return biomarker["key"]
    name = biomarker.get("name", "")
    return marker_key(name) or re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


# --- What the documents say -----------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    """One result (a biomarker, or a blood test from "labs") one document states."""

    key: str
    biomarker: dict
    document: str

    @property
    def result(self) -> str:
        return describe_biomarker(self.biomarker)

    @property
    def evidence(self) -> dict:
        return {
            "text": self.biomarker.get("evidence", ""),
            "page": self.biomarker.get("page"),
            "document": self.document,
            "check": bool(self.biomarker.get("check")),
        }

    def as_dict(self) -> dict:
        return {
            "key": self.key,
            "name": self.biomarker.get("name") or marker_label(self.key),
            "result": self.result,
            "document": self.document,
            "evidence": self.biomarker.get("evidence", ""),
            "page": self.biomarker.get("page"),
            "check": bool(self.biomarker.get("check")),
        }


def _readings(documents: list[DocumentReading]) -> list[_Reading]:
    return [
        _Reading(key=reading_key(biomarker), biomarker=biomarker, document=document.id)
        for document in documents
        for biomarker in (*document.findings.get("biomarkers", []), *document.findings.get("labs", []))
    ]


def _grading(documents: list[DocumentReading]) -> dict[str, list]:
    """Each grading key the documents state, with every value they give it."""
    grading: dict[str, list] = {}
    for document in documents:
        for key, value in (document.findings.get("grading") or {}).items():
            if value not in (None, "") and value not in grading.setdefault(key, []):
                grading[key].append(value)
    return {key: values for key, values in grading.items() if values}


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
        unit = biomarker.get("unit", "")
        parts.append(f"{measure} {value}{'' if unit in ('', '%') else ' '}{unit}".strip())
    if biomarker.get("variant"):
        parts.append(biomarker["variant"])
    line = " ".join(parts)
    status = biomarker.get("status", "")
    return f"{line}, {status}" if line and status else line or status


def _number(value: float) -> str:
    return f"{value:g}"


# --- Comparison -----------------------------------------------------------------------------


def _compare_markers(patient: PatientAnswers, readings: list[_Reading]) -> list[dict]:
    """One row per marker key: the patient's markers in the profile's order, then what only the records say."""
    answers: dict[str, str] = {}
    for name, answer in patient.biomarkers.items():
        key = marker_key(name) or name
        if str(answer).strip() and key not in answers:
            answers[key] = str(answer).strip()
    by_key: dict[str, list[_Reading]] = {}
    for reading in readings:
        by_key.setdefault(reading.key, []).append(reading)
    order = {marker.key: index for index, marker in enumerate(profile_for(patient.profile).markers)}
    keys = sorted(_unique([*answers, *by_key]), key=lambda key: (key not in order, order.get(key, 0)))
    return [_marker_row(key, answers.get(key, ""), by_key.get(key, [])) for key in keys]


def _marker_row(key: str, answer: str, readings: list[_Reading]) -> dict:
    if not readings:
        outcome = ONLY_PATIENT
    elif not answer or patient_meaning(answer) == "unknown":
        outcome = ONLY_RECORDS
    else:
        outcome = compare_marker(key, answer, [reading.biomarker for reading in readings])
    # A marker we have no profile entry for is named as the report names it.
    named = readings[0].biomarker.get("name") if readings and key not in MARKERS else ""
    label = named or marker_label(key)
    return {
        "key": key,
        "topic": label,
        "patient": answer,
        "documents": _unique(reading.result for reading in readings),
        "evidence": [reading.evidence for reading in readings if reading.biomarker.get("evidence")],
        "outcome": outcome,
    }


def _compare_stage(answer: str, groups: list[str], tnm: list[str]) -> dict:
    stages = _stages(groups, tnm)
    known = answer not in ("", "unknown")
    if not groups and not tnm:
        outcome = ONLY_PATIENT if known else ONLY_RECORDS
    elif not known:
        outcome = ONLY_RECORDS
    elif not stages:
        outcome = CHECK
    else:
        outcome = AGREES if answer in stages else DIFFERS
    return {
        "key": "stage",
        "topic": "Stage",
        "patient": answer if known else "",
        "documents": [*groups, *tnm],
        "evidence": [],
        "outcome": outcome,
    }


def _compare_details(details: dict, groups: list[str], tnm: list[dict], grading: dict[str, list]) -> list[dict]:
    """A row for each stage or grade answer the patient gave, beside what the records state of it."""
    rows = []
    for key, answer in details.items():
        answer = str(answer).strip()
        if not answer:
            continue
        if key in _FROM_GROUPS:
            records, shown = groups, groups
        elif key == "tnm":
            records, shown = tnm, [stage["text"] for stage in tnm]
        else:
            records = grading.get(key, [])
            shown = [str(value) for value in records]
        if not records:
            outcome = ONLY_PATIENT
        elif patient_meaning(answer) == "unknown":
            outcome = ONLY_RECORDS
        else:
            outcome = compare_detail(key, answer, records)
        rows.append(
            {
                "key": key,
                "topic": detail_label(key),
                "patient": answer,
                "documents": shown,
                "evidence": [],
                "outcome": outcome,
            }
        )
    return rows


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
