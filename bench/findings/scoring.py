"""Scoring a reading against a label, as bench/findings_corpus/README.md ("Scoring") describes it.

Pure functions over plain values, so tests/bench/test_findings.py can check the arithmetic.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from bench.findings.labels import GRADING
from uploads.pipeline.summary import reading_key

_SCORE_FIELDS = ("status", "score", "method", "variant")

# Version 1 of the reader says MSI-H or dMMR where the label says deficient.
_V1_STATUSES = {"msi-h": "deficient", "dmmr": "deficient", "mss": "proficient", "pmmr": "proficient"}


def fold(text) -> str:
    """Text compared without case, spaces or punctuation; "deletion" is "del", "insertion" "ins"."""
    text = str(text).lower().replace("deletion", "del").replace("insertion", "ins")
    text = re.sub(r"\bp\.(?=[a-z])", "", text)
    return re.sub(r"[^a-z0-9+]", "", text)


def fold_method(method: str) -> str:
    # FISH, SISH, CISH and DISH are all in situ hybridisation.
    method = fold(method)
    return "ish" if method in {"fish", "sish", "cish", "dish"} else method


_AMINO = {
    "ala": "a", "arg": "r", "asn": "n", "asp": "d", "cys": "c", "gln": "q", "glu": "e", "gly": "g", "his": "h",
    "ile": "i", "leu": "l", "lys": "k", "met": "m", "phe": "f", "pro": "p", "ser": "s", "thr": "t", "trp": "w",
    "tyr": "y", "val": "v", "ter": "*",
}  # fmt: skip
_VARIANT_TOKEN = re.compile(
    r"c\.[\w>+_*-]+|(?<![a-z])(?:[a-z]{3}|[a-z])\d{1,4}(?:[a-z]{3}|[a-z]|\*|fs|del|ins|dup)+(?:\*?\d+)?|exon ?\d+ ?\w+"
)


def variant_tokens(text: str) -> set[str]:
    """The changes a variant names, each written one way: "c.7007G>A p.(Arg2336His)" is {c.7007g>a, r2336h}."""
    text = str(text).lower().replace("deletion", "del").replace("insertion", "ins").replace("(", "").replace(")", "")
    tokens = set()
    for token in _VARIANT_TOKEN.findall(text.replace("p.", " ")):
        for three, one in _AMINO.items():
            token = re.sub(rf"^{three}(?=\d)", one, token)
            token = re.sub(rf"(?<=\d){three}", one, token)
        tokens.add(re.sub(r"fs\*?\d*$", "fs", token.replace(" ", "")))
    return tokens


def same_variant(a: str, b: str) -> bool:
    """Two ways of naming one change agree: a cDNA change, the protein change (three or one letter), the exon."""
    return fold(a) == fold(b) or bool(variant_tokens(a) & variant_tokens(b))


def same_value(a, b) -> bool:
    a, b = float(a), float(b)
    return abs(a - b) <= 1e-6 or abs(a - b) <= 0.01 * max(abs(a), abs(b))


def prediction(row: dict) -> dict:
    """A reader's biomarker or lab row as the scorer compares it: key, folded status, check."""
    status = str(row.get("status") or "").strip().lower()
    return {**row, "key": reading_key(row), "status": _V1_STATUSES.get(status, status), "check": bool(row.get("check"))}


def matches(pred: dict, entry: dict) -> bool:
    """Whether a prediction states this label entry: every field both give agrees, and one is a result."""
    shared_result = False
    for name in (*_SCORE_FIELDS, "value"):
        ours, theirs = pred.get(name), entry.get(name)
        if ours in (None, "") or theirs in (None, ""):
            continue
        if name == "value":
            agrees = same_value(ours, theirs)
        elif name == "method":
            agrees = fold_method(ours) == fold_method(theirs)
        elif name == "variant":
            agrees = same_variant(ours, theirs)
        else:
            agrees = fold(ours) == fold(theirs)
        if not agrees:
            return False
        shared_result |= name in ("status", "score", "value")
    return shared_result


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.support if self.support else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p is not None and r is not None and p + r else None


@dataclass
class MarkerScore:
    by_key: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    false_positives: list[dict] = field(default_factory=list)
    false_negatives: list[dict] = field(default_factory=list)
    checks: int = 0


def score_markers(entries: list[dict], rows: list[dict]) -> MarkerScore:
    """TP: label entries some prediction matches; FP: predictions matching none; FN: entries unmatched."""
    score = MarkerScore()
    predictions = [prediction(row) for row in rows]
    score.checks = sum(pred["check"] for pred in predictions)
    asserted = [pred for pred in predictions if not pred["check"]]
    matched = [False] * len(entries)
    for pred in asserted:
        hits = [i for i, entry in enumerate(entries) if entry["marker"] == pred["key"] and matches(pred, entry)]
        for i in hits:
            matched[i] = True
        if not hits:
            score.by_key[pred["key"]].fp += 1
            score.false_positives.append(pred)
    for entry, hit in zip(entries, matched, strict=True):
        if hit:
            score.by_key[entry["marker"]].tp += 1
        else:
            score.by_key[entry["marker"]].fn += 1
            score.false_negatives.append(entry)
    return score


def fold_tnm(category: str) -> str:
    # "pN0 (sn)" is pN0, "pNO" is pN0: the label folds OCR swaps, so the reader's output is folded too.
    category = re.sub(r"\([^)]*\)|\s", "", category or "")
    category = re.sub(r"(?<=[TNM])[Oo](?![a-z])", "0", category)
    return category.lower()


def same_tnm(want: str, got: str) -> bool:
    """One category agrees with another; a prefix only one side writes ("N0" beside "pN0") is not held against it."""
    want, got = fold_tnm(want), fold_tnm(got)
    if want == got:
        return True
    bare = re.compile(r"^[cpyrau]+(?=[tnm])")
    if not bare.match(want) or not bare.match(got):
        return bare.sub("", want) == bare.sub("", got)
    return False


def grading_agrees(key: str, label, read) -> bool:
    if label is None or read is None:
        return label is None and read is None
    if str not in GRADING.get(key, (str,)):
        try:
            return same_value(label, read)
        except (TypeError, ValueError):
            return False
    return fold(label) == fold(read)


@dataclass
class Result:
    markers: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    errors: list[str] = field(default_factory=list)
    checks: int = 0
    # Per field ("tnm t", "stage group", "grading gleason"): [right, compared].
    fields: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    ms_per_report: list[float] = field(default_factory=list)
    ms_per_page: list[float] = field(default_factory=list)


def _shown(row: dict) -> str:
    return str({name: value for name, value in row.items() if value not in (None, "", False) and name != "evidence"})


def _agree(result: Result, name: str, right: bool, sample: str, label, read) -> None:
    result.fields[name][0] += right
    result.fields[name][1] += 1
    if not right:
        result.errors.append(f"{sample}: {name}: label {label!r}, read {read!r}")


def score_reading(result: Result, name: str, label: dict, findings: dict) -> None:
    """Score one reading (`Findings.to_dict()`, version 1 or 2) against its label, into `result`."""
    entries = [*label.get("markers", []), *label.get("labs", [])]
    rows = [*findings.get("biomarkers", []), *findings.get("labs", [])]
    marker_score = score_markers(entries, rows)
    result.checks += marker_score.checks
    for key, counts in marker_score.by_key.items():
        result.markers[key].add(counts)
    for pred in marker_score.false_positives:
        result.errors.append(f"{name}: FP {_shown(pred)}\n      evidence: {pred.get('evidence', '')!r}")
    for entry in marker_score.false_negatives:
        same_key = [row for row in map(prediction, rows) if row["key"] == entry["marker"]]
        read = "; ".join(f"{_shown(row)} ({row.get('evidence', '')!r})" for row in same_key)
        result.errors.append(f"{name}: FN {entry}\n      read for this key: {read or 'nothing'}")

    tnm = label.get("tnm")
    first = (findings.get("tnm") or [None])[0]
    if tnm is not None or first:
        for category in "tnm":
            want, got = (tnm or {}).get(category, ""), (first or {}).get(category, "")
            _agree(result, f"tnm {category}", same_tnm(want, got), name, want, got)
    group = label.get("stage_group")
    read_group = (findings.get("stage_groups") or [None])[0]
    if group is not None or read_group:
        right = fold(group or "") == fold(re.sub(r"(?i)^stage\s*", "", read_group or ""))
        _agree(result, "stage group", right, name, group, read_group)
    grading, read_grading = label.get("grading") or {}, findings.get("grading") or {}
    for key in sorted((grading.keys() | read_grading.keys()) & GRADING.keys()):
        want, got = grading.get(key), read_grading.get(key)
        _agree(result, f"grading {key}", grading_agrees(key, want, got), name, want, got)
