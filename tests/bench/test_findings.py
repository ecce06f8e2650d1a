"""The findings bench's scorer: its arithmetic on hand-made pairs, and every corpus label's format."""

import json

from bench.findings import CORPUS
from bench.findings.labels import STYLES, corpus_samples, label_problems
from bench.findings.scoring import Counts, fold_tnm, score_markers


def test_a_matching_prediction_is_a_true_positive_and_a_stray_one_a_false_positive():
    labels = [
        {"marker": "her2", "method": "IHC", "score": "2+", "status": "equivocal"},
        {"marker": "her2", "method": "ISH", "status": "not amplified", "value": 1.4},
        {"marker": "msi_mmr", "status": "deficient"},
        {"marker": "egfr", "status": "mutated", "variant": "exon 19 deletion"},
    ]
    predictions = [
        # Two rows for the same entry count once, not as a false positive.
        {"name": "HER2", "status": "equivocal", "method": "IHC", "score": "2+"},
        {"name": "HER-2", "status": "Equivocal", "score": "2+"},
        # FISH is ISH; a ratio within 1% is the same ratio.
        {"name": "HER2", "status": "not amplified", "method": "FISH", "value": 1.41},
        # Version 1 says MSI-H where the label says deficient.
        {"name": "MSI", "status": "MSI-H"},
        # A variant written differently, with "del" for "deletion".
        {"key": "egfr", "name": "EGFR", "status": "mutated", "variant": "Exon-19 del"},
        # A result the label does not hold: a false positive.
        {"key": "kras", "name": "KRAS", "status": "mutated", "variant": "G12C"},
        # "Check by eye" rows count for neither side.
        {"key": "braf", "name": "BRAF", "status": "mutated", "check": True},
    ]

    score = score_markers(labels, predictions)

    assert score.by_key["her2"] == Counts(tp=2, fp=0, fn=0)
    assert score.by_key["msi_mmr"] == Counts(tp=1)
    assert score.by_key["egfr"] == Counts(tp=1)
    assert score.by_key["kras"] == Counts(fp=1)
    assert "braf" not in score.by_key
    assert score.checks == 1


def test_a_disagreeing_field_or_a_row_without_a_result_misses_its_entry():
    labels = [
        {"marker": "er", "status": "positive", "value": 90, "unit": "%"},
        {"marker": "pr", "status": "negative"},
        {"marker": "ki67", "value": 15, "unit": "%"},
    ]
    predictions = [
        # 80 is not 90: a false positive, and the entry is missed.
        {"name": "ER", "status": "positive", "value": 80},
        # A name without a result states nothing.
        {"name": "PR"},
        {"name": "Ki-67", "value": 15.1},
    ]

    score = score_markers(labels, predictions)

    assert score.by_key["er"] == Counts(fp=1, fn=1)
    assert score.by_key["pr"] == Counts(fp=1, fn=1)
    assert score.by_key["ki67"] == Counts(tp=1)
    total = Counts()
    for counts in score.by_key.values():
        total.add(counts)
    assert (total.precision, total.recall) == (1 / 3, 1 / 3)
    assert [entry["marker"] for entry in score.false_negatives] == ["er", "pr"]


def test_tnm_categories_are_folded_before_they_are_compared():
    assert fold_tnm("pNO") == fold_tnm("pN0")
    assert fold_tnm("pN0 (sn)") == fold_tnm("pN0")
    assert fold_tnm("") == fold_tnm("")
    assert fold_tnm("pN1") != fold_tnm("pN1a")
    assert fold_tnm("pMX") != fold_tnm("MX")


def test_a_label_outside_the_readme_table_is_refused():
    label = {
        "cancer": "breast",
        "style": "synoptic",
        "markers": [{"marker": "er", "status": "weakly positive"}, {"marker": "oestrogen", "status": "positive"}],
        "labs": [{"marker": "psa", "value": 4.1, "unit": "ng/mL"}],
        "tnm": {"t": "pT2", "n": "N one", "m": ""},
        "stage_group": "Stage 2",
        "grading": {"grade_group": "3"},
    }

    problems = label_problems(label, cancer="breast", style="synoptic")

    assert len(problems) == 5, problems


def test_every_corpus_label_is_well_formed_and_beside_its_text():
    samples, problems = corpus_samples(CORPUS)

    assert problems == []
    assert all(json.dumps(sample.label) and sample.text.strip() for sample in samples)
    styles = {(sample.name.split("/")[0], sample.label["style"]) for sample in samples}
    for cancer in {sample.name.split("/")[0] for sample in samples}:
        assert {style for folder, style in styles if folder == cancer} == set(STYLES), cancer
