"""The records reader against the labelled corpus: precision and recall per marker, TNM, stage, speed.

Pure reading, no database. Every pair under bench/findings_corpus/ (or $BENCH_FINDINGS_CORPUS) is read
with `uploads.pipeline.findings.extract_findings` and scored against its label; labels kept in
bench/findings_real/ are scored the same way on the real reports they name, in a block of their own,
when those texts are here (../shared/reports, or $BENCH_FINDINGS_REAL_TEXTS).

Scoring is described in bench/findings_corpus/README.md, section "Scoring". Goals: precision >= 0.98
and recall >= 0.95 for every marker family and overall; TNM categories and stage groups >= 0.95;
reading under 20 ms per page (median). `--verbose` (or BENCH_FINDINGS_VERBOSE=1) lists every false
positive and false negative with its evidence. The exit status is 0 whatever the figures.
"""

import json
import os
import re
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from articles.profiles import MARKERS, PROFILES
from uploads.pipeline.findings import FINDINGS_VERSION, extract_findings
from uploads.pipeline.summary import reading_key

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("BENCH_FINDINGS_CORPUS", ROOT / "bench" / "findings_corpus"))
REAL_LABELS = ROOT / "bench" / "findings_real"
REAL_TEXTS = Path(os.environ.get("BENCH_FINDINGS_REAL_TEXTS", ROOT.parent / "shared" / "reports"))

STYLES = ("synoptic", "narrative", "molecular", "letter", "ocr")
PRECISION_GOAL, RECALL_GOAL, STAGE_GOAL, MS_PER_PAGE_GOAL = 0.98, 0.95, 0.95, 20.0

FAMILIES = {
    "receptors": ("er", "pr"),
    "her2": ("her2",),
    "ki67": ("ki67",),
    "pd_l1": ("pd_l1",),
    "mmr": ("msi_mmr", "mlh1", "msh2", "msh6", "pms2"),
    "genes": (
        *("egfr", "kras", "nras", "braf", "met", "pik3ca", "brca1", "brca2", "palb2", "atm", "chek2"),
        *("pole", "kit", "fgfr3", "idh1", "tp53", "her2_mutation"),
    ),
    "fusions": ("alk", "ros1", "ret", "ntrk", "myc", "bcl2", "bcl6"),
    "ihc other": ("cldn18_2", "fgfr2b", "cd20", "ebv", "p53", "cell_of_origin"),
    "numeric scores": ("tmb", "hrd", "oncotype_dx", "mammaprint"),
    "labs": ("psa", "ca125"),
}
FAMILY_OF = {key: family for family, keys in FAMILIES.items() for key in keys}

# The statuses a label may give each key (bench/findings_corpus/README.md); an empty set: a number only.
_GENE_STATUSES = {"mutated", "wild-type"}
_FUSION_STATUSES = {"rearranged", "not rearranged"}
_IHC_STATUSES = {"positive", "negative"}
STATUSES: dict[str, set[str]] = {
    "er": {"positive", "low", "negative"},
    "pr": {"positive", "low", "negative"},
    "her2": {"positive", "equivocal", "negative", "low", "amplified", "not amplified"},
    "ki67": set(),
    "pd_l1": _IHC_STATUSES,
    "msi_mmr": {"deficient", "proficient", "msi-l"},
    **{key: {"retained", "loss"} for key in ("mlh1", "msh2", "msh6", "pms2")},
    **dict.fromkeys(("cldn18_2", "fgfr2b", "cd20", "ebv"), _IHC_STATUSES),
    "p53": {"aberrant", "wild-type"},
    **dict.fromkeys(FAMILIES["genes"], _GENE_STATUSES),
    **dict.fromkeys(FAMILIES["fusions"], _FUSION_STATUSES),
    "bcl2": _FUSION_STATUSES | _IHC_STATUSES,
    "tmb": {"high", "low"},
    "hrd": _IHC_STATUSES,
    "oncotype_dx": set(),
    "mammaprint": {"high", "low"},
    "cell_of_origin": {"gcb", "non-gcb"},
    "psa": set(),
    "ca125": set(),
}
LABEL_FIELDS = {"cancer", "style", "traps", "markers", "tnm", "stage_group", "grading", "labs"}
ENTRY_FIELDS = {"marker", "status", "method", "score", "measure", "value", "upper", "unit", "comparator", "variant"}
# Each grading key with the types a label may give it; numbers are compared as numbers.
GRADING: dict[str, tuple[type, ...]] = {
    "gleason": (str,),
    "grade_group": (int,),
    "grade": (str,),
    "isup_grade": (int, str),
    "breslow_mm": (int, float),
    "ulceration": (str,),
    "cores": (str,),
}
_TNM_CATEGORY = {
    "t": re.compile(r"^(?:y?[cpr]?|a|u)T(?:X|is|0|[1-4](?:mi|[a-d][1-3]?)?)$"),
    "n": re.compile(r"^(?:y?[cpr]?|a|u)N(?:X|[0-3](?:mi|[a-c])?)$"),
    "m": re.compile(r"^(?:y?[cpr]?|a|u)M(?:X|0|1[a-d]?)$"),
}
_STAGE_GROUP = re.compile(r"^(?:0|I{1,3}|IV)(?:[ABCE]?[1-3]?|S)?$")
_SCORE_FIELDS = ("status", "score", "method", "variant")

# Version 1 of the reader says MSI-H or dMMR where the label says deficient.
_V1_STATUSES = {"msi-h": "deficient", "dmmr": "deficient", "mss": "proficient", "pmmr": "proficient"}


# --- Scoring (pure, so tests/bench/test_findings.py can check the arithmetic) ------------------


def fold(text) -> str:
    """Text compared without case, spaces or punctuation; "deletion" is "del", "insertion" "ins"."""
    text = str(text).lower().replace("deletion", "del").replace("insertion", "ins")
    text = re.sub(r"\bp\.(?=[a-z])", "", text)
    return re.sub(r"[^a-z0-9+]", "", text)


def fold_method(method: str) -> str:
    # FISH, SISH, CISH and DISH are all in situ hybridisation.
    method = fold(method)
    return "ish" if method in {"fish", "sish", "cish", "dish"} else method


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


def grading_agrees(key: str, label, read) -> bool:
    if label is None or read is None:
        return label is None and read is None
    if str not in GRADING.get(key, (str,)):
        try:
            return same_value(label, read)
        except (TypeError, ValueError):
            return False
    return fold(label) == fold(read)


# --- Labels -----------------------------------------------------------------------------------


def label_problems(label: dict, *, cancer: str = "", style: str = "") -> list[str]:
    """What is wrong with a label: unknown fields or keys, statuses outside the README's table, bad TNM."""
    problems = [f"unknown field {name!r}" for name in label.keys() - LABEL_FIELDS]
    if cancer and label.get("cancer") != cancer:
        problems.append(f"cancer {label.get('cancer')!r} is not the folder's {cancer!r}")
    if style and label.get("style") != style:
        problems.append(f"style {label.get('style')!r} is not the file name's {style!r}")
    if (style or "style" in label) and label.get("style") not in STYLES:
        problems.append(f"style {label.get('style')!r} is not one of {', '.join(STYLES)}")
    if not isinstance(label.get("traps", []), list):
        problems.append("traps is not a list")
    for where, entries in (("markers", label.get("markers", [])), ("labs", label.get("labs", []))):
        for entry in entries:
            key = entry.get("marker", "")
            if key not in STATUSES or key not in MARKERS:
                problems.append(f"{where}: unknown marker {key!r}")
                continue
            if (where == "labs") != (key in FAMILIES["labs"]):
                problems.append(f"{key} belongs in {'labs' if where == 'markers' else 'markers'}")
            problems += [f"{key}: unknown field {name!r}" for name in entry.keys() - ENTRY_FIELDS]
            status = entry.get("status")
            if status is not None and status not in STATUSES[key]:
                problems.append(f"{key}: status {status!r} not among {sorted(STATUSES[key]) or 'none'}")
            if status is None and entry.get("value") is None and not entry.get("score"):
                problems.append(f"{key}: no status, value or score")
    tnm = label.get("tnm")
    if tnm is not None:
        if not isinstance(tnm, dict) or set(tnm) != {"t", "n", "m"}:
            problems.append(f"tnm {tnm!r} is not {{t, n, m}}")
        else:
            problems += [
                f"tnm {name}: {tnm[name]!r}"
                for name, pattern in _TNM_CATEGORY.items()
                if tnm[name] and not pattern.match(tnm[name])
            ]
    group = label.get("stage_group")
    if group is not None and not _STAGE_GROUP.match(str(group)):
        problems.append(f"stage_group {group!r}")
    for key, value in (label.get("grading") or {}).items():
        if key not in GRADING:
            problems.append(f"grading: unknown key {key!r}")
        elif isinstance(value, bool) or not isinstance(value, GRADING[key]):
            problems.append(f"grading {key}: {value!r} is not {' or '.join(t.__name__ for t in GRADING[key])}")
    return problems


@dataclass(frozen=True)
class Sample:
    name: str
    text: str
    label: dict


def corpus_samples(folder: Path) -> tuple[list[Sample], list[str]]:
    """Every pair under the corpus folder, and what is wrong with the labels that cannot be scored."""
    samples, problems = [], []
    for label_path in sorted(folder.glob("*/*.json")):
        name = f"{label_path.parent.name}/{label_path.stem}"
        text_path = label_path.with_suffix(".txt")
        if not text_path.exists():
            problems.append(f"{name}: no .txt beside the label")
            continue
        label = json.loads(label_path.read_text())
        style = label_path.stem.partition("_")[2]
        cancer = label_path.parent.name if label_path.parent.name in PROFILES else ""
        found = label_problems(label, cancer=cancer, style=style)
        if found:
            problems += [f"{name}: {problem}" for problem in found]
            continue
        samples.append(Sample(name, text_path.read_text(), label))
    return samples, problems


def real_samples(labels: Path, texts: Path) -> tuple[list[Sample], list[str]]:
    """The real reports whose labels the project keeps, when their texts are on this machine."""
    samples, problems = [], []
    for label_path in sorted(labels.glob("*.json")):
        label = json.loads(label_path.read_text())
        source = texts / Path(label.get("source", "")).name
        if not source.is_file():
            problems.append(f"{label_path.name}: {source} is not here")
            continue
        label = {key: value for key, value in label.items() if key != "source"}
        found = label_problems(label)
        if found:
            problems += [f"{label_path.name}: {problem}" for problem in found]
            continue
        samples.append(Sample(label_path.stem, source.read_text(errors="replace"), label))
    return samples, problems


# --- Reading and printing ---------------------------------------------------------------------


@dataclass
class Result:
    markers: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    errors: list[str] = field(default_factory=list)
    checks: int = 0
    # Per field ("tnm t", "stage group", "grading gleason"): [right, compared].
    fields: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    ms_per_report: list[float] = field(default_factory=list)
    ms_per_page: list[float] = field(default_factory=list)


def _read(text: str) -> tuple[dict, float]:
    start = time.perf_counter()
    findings = extract_findings(text).to_dict()
    return findings, (time.perf_counter() - start) * 1000


def _shown(row: dict) -> str:
    return str({name: value for name, value in row.items() if value not in (None, "", False) and name != "evidence"})


def _agree(result: Result, name: str, right: bool, sample: str, label, read) -> None:
    result.fields[name][0] += right
    result.fields[name][1] += 1
    if not right:
        result.errors.append(f"{sample}: {name}: label {label!r}, read {read!r}")


def score(samples: list[Sample]) -> Result:
    """Read every sample and score it."""
    result = Result()
    if samples:
        _read(samples[0].text)  # Compile the patterns before timing.
    for sample in samples:
        findings, ms = min((_read(sample.text) for _ in range(3)), key=lambda pair: pair[1])
        result.ms_per_report.append(ms)
        result.ms_per_page.append(ms / (sample.text.count("\f") + 1))
        label = sample.label
        entries = [*label.get("markers", []), *label.get("labs", [])]
        rows = [*findings.get("biomarkers", []), *findings.get("labs", [])]
        marker_score = score_markers(entries, rows)
        result.checks += marker_score.checks
        for key, counts in marker_score.by_key.items():
            result.markers[key].add(counts)
        for pred in marker_score.false_positives:
            result.errors.append(f"{sample.name}: FP {_shown(pred)}\n      evidence: {pred.get('evidence', '')!r}")
        for entry in marker_score.false_negatives:
            same_key = [row for row in map(prediction, rows) if row["key"] == entry["marker"]]
            read = "; ".join(f"{_shown(row)} ({row.get('evidence', '')!r})" for row in same_key)
            result.errors.append(f"{sample.name}: FN {entry}\n      read for this key: {read or 'nothing'}")

        tnm = label.get("tnm")
        first = (findings.get("tnm") or [None])[0]
        if tnm is not None or first:
            for category in "tnm":
                want, got = (tnm or {}).get(category, ""), (first or {}).get(category, "")
                _agree(result, f"tnm {category}", fold_tnm(want) == fold_tnm(got), sample.name, want, got)
        group = label.get("stage_group")
        read_group = (findings.get("stage_groups") or [None])[0]
        if group is not None or read_group:
            right = fold(group or "") == fold(re.sub(r"(?i)^stage\s*", "", read_group or ""))
            _agree(result, "stage group", right, sample.name, group, read_group)
        grading, read_grading = label.get("grading") or {}, findings.get("grading") or {}
        for key in sorted((grading.keys() | read_grading.keys()) & GRADING.keys()):
            want, got = grading.get(key), read_grading.get(key)
            _agree(result, f"grading {key}", grading_agrees(key, want, got), sample.name, want, got)
    return result


def _figure(value: float | None) -> str:
    return "    -" if value is None else f"{value:5.3f}"


def _verdict(counts: Counts) -> str:
    if counts.precision is None and counts.recall is None:
        return "n/a"
    p_ok = counts.precision is None or counts.precision >= PRECISION_GOAL
    r_ok = counts.recall is None or counts.recall >= RECALL_GOAL
    return "PASS" if p_ok and r_ok else "FAIL"


def _row(name: str, counts: Counts, verdict: str = "") -> str:
    figures = f"{_figure(counts.precision)}  {_figure(counts.recall)}  {_figure(counts.f1)}"
    return f"  {name:<16} {figures}  {counts.support:>7}  {counts.tp:>4} {counts.fp:>4} {counts.fn:>4}  {verdict}"


def report(title: str, samples: list[Sample], result: Result, *, verbose: bool) -> None:
    pages = sum(sample.text.count("\f") + 1 for sample in samples)
    print(f"\n-- {title}: {len(samples)} reports, {pages} pages --")
    print(f"  {'marker':<16}     P      R     F1  support    TP   FP   FN")
    families = [*FAMILIES, "other"]
    for key in sorted(result.markers, key=lambda k: (families.index(FAMILY_OF.get(k, "other")), k)):
        print(_row(key, result.markers[key]))
    goals = f"(goal P >= {PRECISION_GOAL}, R >= {RECALL_GOAL})"
    print(f"\n  {'family':<16}     P      R     F1  support    TP   FP   FN  {goals}")
    overall = Counts()
    for family in families:
        counts = Counts()
        for key, key_counts in result.markers.items():
            if FAMILY_OF.get(key, "other") == family:
                counts.add(key_counts)
        overall.add(counts)
        if counts.tp or counts.fp or counts.fn or family != "other":
            print(_row(family, counts, _verdict(counts)))
    print(_row("overall", overall, _verdict(overall)))
    print(f"  check by eye: {result.checks}")
    print(f"\n  {'field':<20} accuracy  right/compared  (goal TNM and stage >= {STAGE_GOAL})")
    order = ["tnm t", "tnm n", "tnm m", "stage group"]
    for name in sorted(result.fields, key=lambda n: (order.index(n) if n in order else len(order), n)):
        right, compared = result.fields[name]
        goal = "" if name.startswith("grading") else ("PASS" if right >= STAGE_GOAL * compared else "FAIL")
        print(f"  {name:<20}    {right / compared:5.3f}  {right:>5}/{compared:<8}  {goal}")
    if result.ms_per_report:
        per_report, per_page = statistics.median(result.ms_per_report), statistics.median(result.ms_per_page)
        print(
            f"\n  ms per report: median {per_report:.2f}, p95 {_p95(result.ms_per_report):.2f}"
            f"\n  ms per page:   median {per_page:.2f}, p95 {_p95(result.ms_per_page):.2f}"
            f"  (goal median < {MS_PER_PAGE_GOAL:.0f})  {'PASS' if per_page < MS_PER_PAGE_GOAL else 'FAIL'}"
        )
    if verbose and result.errors:
        print(f"\n  what is wrong ({len(result.errors)}):")
        for error in result.errors:
            print(f"    {error}")
    elif result.errors:
        print(f"\n  {len(result.errors)} errors; --verbose (or BENCH_FINDINGS_VERBOSE=1) lists them")


def _p95(values: list[float]) -> float:
    return sorted(values)[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    verbose = "--verbose" in argv or os.environ.get("BENCH_FINDINGS_VERBOSE", "") not in ("", "0")
    samples, problems = corpus_samples(CORPUS)
    print(f"reader version {FINDINGS_VERSION}; corpus {CORPUS}")
    for problem in problems:
        print(f"  label skipped: {problem}")
    report("corpus", samples, score(samples), verbose=verbose)

    if not any(REAL_LABELS.glob("*.json")):
        print(f"\n-- real reports: no labels in {REAL_LABELS} --")
    elif not REAL_TEXTS.is_dir():
        print(f"\n-- real reports: skipped, {REAL_TEXTS} is not here (set BENCH_FINDINGS_REAL_TEXTS) --")
    else:
        real, problems = real_samples(REAL_LABELS, REAL_TEXTS)
        for problem in problems:
            print(f"  real report skipped: {problem}")
        report("real reports", real, score(real), verbose=verbose)


if __name__ == "__main__":
    main()
