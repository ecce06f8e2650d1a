"""Whether a patient's answer and the records' readings of one marker or stage answer agree.

Pure functions over plain values. Precision first: "differs" raises a case's priority, so it is
said only when both sides say something comparable and it is not the same; words we cannot map,
or a reading the reader marked for checking, give "check by eye".
"""

import math
import re

AGREES = "agrees"
DIFFERS = "differs"
CHECK = "check by eye"

# A patient's words for a result, to what they mean; the first that matches wins.
_PATIENT_WORDS = [
    ("unknown", r"\b(?:don'?t know|do not know|not sure|unknown|not tested|not done|pending|waiting)\b"),
    ("deficient", r"\b(?:msi-?h|msi[- ]high|dmmr|deficient|unstable)\b"),
    ("proficient", r"\b(?:mss|pmmr|proficient|stable)\b"),
    ("loss", r"\b(?:lost|loss|absent)\b"),
    ("retained", r"\b(?:retained|intact|preserved)\b"),
    ("non-GCB", r"\b(?:non-?gcb|abc|activated b)"),
    ("GCB", r"\b(?:gcb|germinal)"),
    # "2+ and ISH negative" is HER2-low; "2+ and ISH positive" is positive: the ISH decides.
    ("low", r"\b2\+.*\b(?:f?ish|sish|cish)\b.*\b(?:negative|not amplified|non-?amplified)\b"),
    ("positive", r"\b2\+.*\b(?:f?ish|sish|cish)\b.*\b(?:positive|amplified)\b"),
    ("low", r"\blow\b"),
    ("equivocal", r"\b(?:equivocal|borderline)\b|\b2\+"),
    (
        "negative",
        r"\b(?:negative|neg|not detected|not found|wild[- ]?type|none|not amplified|not rearranged|normal)\b"
        r"|\bno (?:\w+ )?(?:mutation|fusion|alteration|change|rearrangement)s?\b|\b[01]\+|^0$|^-$",
    ),
    (
        "positive",
        r"\b(?:positive|pos|detected|found|mutated|mutation|amplified|rearranged|fusion|aberrant|abnormal|high)\b"
        r"|\b3\+|^\+$|\b[A-Z]\d{2,4}[A-Z]\b|\bexon \d+",
    ),
]
_PATIENT_PATTERNS = [(meaning, re.compile(pattern, re.IGNORECASE)) for meaning, pattern in _PATIENT_WORDS]

# A status the reader gives (version 2, and version 1's abbreviations), to the patient's words.
_STATUS_MEANING = {
    "deficient": "deficient",
    "msi-h": "deficient",
    "dmmr": "deficient",
    "proficient": "proficient",
    "mss": "proficient",
    "pmmr": "proficient",
    "msi-l": "proficient",
    "loss": "loss",
    "retained": "retained",
    "positive": "positive",
    "mutated": "positive",
    "amplified": "positive",
    "rearranged": "positive",
    "aberrant": "positive",
    "high": "positive",
    "negative": "negative",
    "wild-type": "negative",
    "not amplified": "negative",
    "not rearranged": "negative",
    "low": "low",
    "equivocal": "equivocal",
    "gcb": "GCB",
    "non-gcb": "non-GCB",
}
# For the overall MSI/MMR result, a protein's loss is a deficiency and all retained is proficiency.
_MMR_MEANING = {"loss": "deficient", "retained": "proficient", "positive": "deficient", "negative": "proficient"}

# Markers whose result is a figure: a patient's "CPS 8" or "under 10%" is compared with it.
NUMERIC = frozenset({"er", "pr", "ki67", "pd_l1", "cldn18_2", "fgfr2b", "tmb", "hrd", "oncotype_dx", "psa", "ca125"})
_MEASURES = re.compile(r"\b(cps|tps|allred|h-?score)\b", re.IGNORECASE)
_FIGURE = r"(\d+(?:\.\d+)?)"
_RANGES = [
    (re.compile(rf"(?:under|below|less than|<|≤)\s*{_FIGURE}", re.IGNORECASE), "below"),
    (re.compile(rf"(?:over|above|more than|greater than|>|≥|at least)\s*{_FIGURE}", re.IGNORECASE), "above"),
    (re.compile(rf"{_FIGURE}\s*%?\s*(?:or more|and above|\+(?!\d))", re.IGNORECASE), "above"),
    (re.compile(rf"{_FIGURE}\s*%?\s*(?:to|-)\s*{_FIGURE}", re.IGNORECASE), "between"),
    (re.compile(rf"{_FIGURE}"), "exactly"),
]
_VARIANT = re.compile(r"\b(?:[A-Z]\d{2,4}(?:[A-Z]|del|ins|fs)|exon\s?\d{1,2}\s?\w+)", re.IGNORECASE)


def patient_meaning(answer: str) -> str:
    """What a patient's answer means: "positive", "negative", "deficient"... "unknown", or "" if we cannot tell."""
    text = answer.strip()
    for meaning, pattern in _PATIENT_PATTERNS:
        if pattern.search(text):
            return meaning
    return ""


def compare_marker(key: str, answer: str, readings: list[dict]) -> str:
    """Agrees, differs or check by eye: a patient's answer against the records' readings of one marker."""
    clear = [reading for reading in readings if not reading.get("check")]
    outcome = _compare_clear(key, answer, clear) if clear else CHECK
    # A reading the reader could not be sure of is shown for checking, unless the rest already differ.
    if outcome != DIFFERS and len(clear) < len(readings):
        return CHECK
    return outcome


def _compare_clear(key: str, answer: str, readings: list[dict]) -> str:
    if key in NUMERIC and (by_figure := _compare_figures(answer, readings)):
        return by_figure
    if variants := _compare_variants(answer, readings):
        return variants
    patient = patient_meaning(answer)
    records = records_meaning(key, readings)
    if patient in ("", "unknown") or not records:
        return CHECK
    if key == "pd_l1" and patient == "positive" and not _patient_bound(answer):
        # "Positive" for PD-L1 is any figure of 1 or more.
        return AGREES if "positive" in records else DIFFERS
    return AGREES if patient in records else DIFFERS


def records_meaning(key: str, readings: list[dict]) -> set[str]:
    """What the readings mean, in the patient's words (a set: two records can disagree)."""
    if key == "her2":
        return _her2_meaning(readings)
    meanings = set()
    for reading in readings:
        status = reading.get("status", "").lower()
        meaning = _STATUS_MEANING.get(status, "")
        if key == "msi_mmr":
            meaning = _MMR_MEANING.get(meaning, meaning)
        if meaning:
            meanings.add(meaning)
        elif key == "pd_l1" and reading.get("value") is not None:
            meanings.add("positive" if reading["value"] >= 1 else "negative")
    return meanings


def _her2_meaning(readings: list[dict]) -> set[str]:
    scores = {reading["score"] for reading in readings if reading.get("score")}
    ish = {
        reading["status"].lower() for reading in readings if reading.get("method") == "ISH" and reading.get("status")
    }
    stated = {
        reading["status"].lower()
        for reading in readings
        if reading.get("status") and reading.get("method") != "ISH" and not reading.get("score")
    }
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


# --- Figures --------------------------------------------------------------------------------


def _patient_bound(answer: str) -> tuple[float, float] | None:
    """The figures a patient's answer allows: "CPS 8" is [8, 8], "under 10%" [-inf, 10), "1 to 4" [1, 4]."""
    for pattern, kind in _RANGES:
        if match := pattern.search(answer):
            first = float(match.group(1))
            if kind == "below":
                return (-math.inf, first - 1e-9)
            if kind == "above":
                return (first, math.inf)
            if kind == "between":
                return (first, float(match.group(2)))
            return (first, first)
    return None


def _reading_bound(reading: dict) -> tuple[float, float]:
    value = float(reading["value"])
    upper = reading.get("upper")
    comparator = reading.get("comparator", "")
    if upper is not None:
        return (value, float(upper))
    if comparator in (">", ">="):
        return (value, math.inf)
    if comparator in ("<", "<="):
        return (-math.inf, value)
    return (value, value)


def _compare_figures(answer: str, readings: list[dict]) -> str:
    patient = _patient_bound(answer)
    if patient is None:
        return ""
    measures = {word.upper().replace("-", "") for word in _MEASURES.findall(answer)}
    figures = [
        _reading_bound(reading)
        for reading in readings
        if reading.get("value") is not None
        and (not measures or reading.get("measure", "").upper().replace("-", "") in measures)
        # A percentage is not compared with an Allred or H-score the patient did not name.
        and (measures or reading.get("measure", "").lower() not in ("allred", "h-score", "hscore"))
    ]
    if not figures:
        return ""
    low, high = patient
    if any(low <= start and end <= high for start, end in figures):
        return AGREES
    if all(end < low or start > high for start, end in figures):
        return DIFFERS
    return CHECK


def _compare_variants(answer: str, readings: list[dict]) -> str:
    said = {_fold(variant) for variant in _VARIANT.findall(answer)}
    found = {_fold(reading["variant"]) for reading in readings if reading.get("variant")}
    if not said or not found:
        return ""
    return AGREES if said & found else DIFFERS


def _fold(text: str) -> str:
    text = re.sub(r"[^A-Z0-9]", "", text.upper())
    return text.replace("DELETION", "DEL").replace("INSERTION", "INS").replace("SKIPPING", "SKIP")


# --- Stage and grade answers ----------------------------------------------------------------

_GROUP = re.compile(r"\b(IV|I{1,3}|0)([ABC]?\d?)?(?![\w])", re.IGNORECASE)
_TNM_PART = re.compile(r"(?<![A-Za-z])(?:y|r)?[cpa]?([TNM])\s?(is|x|[0-4](?:mi|[a-d]\d?)?)", re.IGNORECASE)
_GLEASON = re.compile(r"([1-5])\s*\+\s*([1-5])")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")


def compare_detail(key: str, answer: str, records: list) -> str:
    """Agrees, differs or check by eye: a stage or grade answer against what the records state."""
    if patient_meaning(answer) == "unknown":
        return CHECK
    if key in ("stage_group", "figo_stage", "ann_arbor_stage"):
        return _compare_groups(answer, [str(group) for group in records])
    if key == "tnm":
        return _compare_tnm(answer, records)
    if key == "gleason":
        return _compare_same(_gleason(answer), {_gleason(str(record)) for record in records})
    if key in ("grade_group", "grade", "isup_grade", "breslow_mm"):
        return _compare_same(_first_number(answer), {_first_number(str(record)) for record in records})
    if key == "ulceration":
        said = "absent" if re.search(r"\b(?:absent|no|not)\b", answer, re.IGNORECASE) else "present"
        return _compare_same(said, {str(record).lower() for record in records})
    if key == "cores":
        return _compare_same(tuple(_NUMBER.findall(answer)), {tuple(_NUMBER.findall(str(r))) for r in records})
    return CHECK


def _compare_same(said, found: set) -> str:
    found.discard(None)
    found.discard("")
    found.discard(())
    if said in (None, "", ()) or not found:
        return CHECK
    return AGREES if said in found else DIFFERS


def _gleason(text: str) -> str | None:
    match = _GLEASON.search(text)
    return f"{match[1]}+{match[2]}" if match else None


def _first_number(text: str) -> float | None:
    match = _NUMBER.search(text)
    return float(match.group()) if match else None


def _group(text: str) -> tuple[str, str] | None:
    text = re.sub(r"(?i)\b(?:stage|figo|ann arbor|lugano|group)\b", " ", text)
    match = _GROUP.search(text.strip())
    return (match[1].upper(), (match[2] or "").upper()) if match else None


def _compare_groups(answer: str, groups: list[str]) -> str:
    said = _group(answer)
    found = [group for group in (_group(text) for text in groups) if group]
    if said is None or not found:
        return CHECK
    # "III" agrees with "IIIA": the patient may know the number only.
    if any(roman == said[0] and (not said[1] or sub.startswith(said[1])) for roman, sub in found):
        return AGREES
    return DIFFERS


def _tnm_parts(text: str) -> dict[str, str]:
    return {letter.upper(): value.lower() for letter, value in _TNM_PART.findall(text)}


def _compare_tnm(answer: str, records: list[dict]) -> str:
    said = _tnm_parts(answer)
    found = [_tnm_parts(record.get("text", "")) for record in records if isinstance(record, dict)]
    if not said or not found:
        return CHECK
    if any(all(parts.get(letter) == value for letter, value in said.items()) for parts in found):
        return AGREES
    # Clinical and pathological TNM differ for good reasons: a reviewer judges, rather than a count.
    return CHECK
