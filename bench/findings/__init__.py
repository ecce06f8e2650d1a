"""The records reader against the labelled corpus: precision and recall per marker, TNM, stage, speed.

Pure reading, no database. Every pair under bench/findings_corpus/ (or $BENCH_FINDINGS_CORPUS) is read
with `uploads.pipeline.findings.extract_findings` and scored against its label; labels kept in
bench/findings_real/ are scored the same way on the real reports they name, in a block of their own,
when those texts are here (../shared/reports, or $BENCH_FINDINGS_REAL_TEXTS).

Scoring is described in bench/findings_corpus/README.md, section "Scoring". Goals: precision >= 0.98
and recall >= 0.95 for every marker family and overall; TNM categories and stage groups >= 0.95;
reading under 20 ms per page (median). `--verbose` (or BENCH_FINDINGS_VERBOSE=1) lists every false
positive and false negative with its evidence. `--halves` (or BENCH_FINDINGS_HALVES=1) also scores
the real reports in two fixed halves (by the CRC-32 of each label's name), so that a rule written
while studying one half can be checked on the other. The exit status is 0 whatever the figures.
"""

import os
import statistics
import sys
import time
import zlib
from pathlib import Path

from bench.findings.labels import FAMILIES, FAMILY_OF, Sample, corpus_samples, real_samples
from bench.findings.scoring import Counts, Result, score_reading
from uploads.pipeline.findings import FINDINGS_VERSION, extract_findings

ROOT = Path(__file__).resolve().parent.parent.parent
CORPUS = Path(os.environ.get("BENCH_FINDINGS_CORPUS", ROOT / "bench" / "findings_corpus"))
REAL_LABELS = ROOT / "bench" / "findings_real"
REAL_TEXTS = Path(os.environ.get("BENCH_FINDINGS_REAL_TEXTS", ROOT.parent / "shared" / "reports"))

PRECISION_GOAL, RECALL_GOAL, STAGE_GOAL, MS_PER_PAGE_GOAL = 0.98, 0.95, 0.95, 20.0


def _read(text: str) -> tuple[dict, float]:
    start = time.perf_counter()
    findings = extract_findings(text).to_dict()
    return findings, (time.perf_counter() - start) * 1000


def score(samples: list[Sample]) -> Result:
    """Read every sample and score it."""
    result = Result()
    for sample in samples:
        try:
            # The first reading compiles what the reader compiles; the best of three is timed.
            _read(sample.text)
            findings, ms = min((_read(sample.text) for _ in range(3)), key=lambda pair: pair[1])
        except Exception as error:  # noqa: BLE001 - a reader that fails on one text is a figure, not a stop
            result.errors.append(f"{sample.name}: the reader raised {error!r}")
            findings = {}
        else:
            result.ms_per_report.append(ms)
            result.ms_per_page.append(ms / (sample.text.count("\f") + 1))
        score_reading(result, sample.name, sample.label, findings)
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


def half_of(sample: Sample) -> str:
    """The fixed half, "a" or "b", a real report belongs to: by its name, never by what it holds."""
    return "ab"[zlib.crc32(sample.name.encode()) % 2]


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    verbose = "--verbose" in argv or os.environ.get("BENCH_FINDINGS_VERBOSE", "") not in ("", "0")
    halves = "--halves" in argv or os.environ.get("BENCH_FINDINGS_HALVES", "") not in ("", "0")
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
        for half in ("a", "b") if halves else ():
            part = [sample for sample in real if half_of(sample) == half]
            report(f"real reports, half {half}", part, score(part), verbose=verbose)


if __name__ == "__main__":
    main()
