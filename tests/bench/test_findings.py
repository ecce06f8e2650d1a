"""The findings bench's scorer: its arithmetic on hand-made pairs, and every corpus label's format."""

import json

from articles.profiles import PROFILES
from bench.findings import CORPUS
from bench.findings.labels import STYLES, corpus_samples, label_problems
from bench.findings.scoring import Counts, Result, fold_tnm, score_markers, score_reading


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


def test_a_version_2_reading_is_scored_on_its_keys_labs_tnm_stage_and_grading():
    label = {
        "markers": [{"marker": "brca2", "status": "wild-type"}],
        "labs": [{"marker": "psa", "value": 9.6, "unit": "ng/mL"}],
        "tnm": {"t": "pT3a", "n": "pN0", "m": ""},
        "stage_group": None,
        "grading": {"gleason": "4+3=7", "grade_group": 3},
    }
    reading = {
        "version": 2,
        "biomarkers": [
            {"key": "brca2", "name": "BRCA2", "status": "wild-type", "check": False},
            # Asserted by no one: a reviewer checks it by eye.
            {"key": "atm", "name": "ATM", "status": "mutated", "check": True},
        ],
        "labs": [{"key": "psa", "name": "PSA", "value": 9.6, "unit": "ng/mL", "check": False}],
        # The reader's first row is the patient's final TNM; the biopsy's clinical one follows.
        "tnm": [
            {"text": "pT3a pNO", "t": "pT3a", "n": "pNO", "m": ""},
            {"text": "cT2 N0", "t": "cT2", "n": "N0", "m": ""},
        ],
        "stage_groups": ["IIIB"],
        "grading": {"gleason": "4 + 3 = 7", "grade_group": 2},
    }
    result = Result()

    score_reading(result, "prostate/x", label, reading)

    assert result.markers["brca2"] == Counts(tp=1)
    assert result.markers["psa"] == Counts(tp=1)
    assert "atm" not in result.markers
    assert result.checks == 1
    assert {name: tuple(right) for name, right in result.fields.items()} == {
        "tnm t": (1, 1),
        "tnm n": (1, 1),
        "tnm m": (1, 1),
        # The label states no stage group; the reader's is wrong.
        "stage group": (0, 1),
        "grading gleason": (1, 1),
        "grading grade_group": (0, 1),
    }
    assert len(result.errors) == 2


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


def test_the_corpus_covers_every_marker_of_each_profile_it_has_a_folder_for():
    samples, _ = corpus_samples(CORPUS)
    labelled: dict[str, set[str]] = {}
    for sample in samples:
        keys = {entry["marker"] for entry in [*sample.label.get("markers", []), *sample.label.get("labs", [])]}
        labelled.setdefault(sample.name.split("/")[0], set()).update(keys)

    missing = {
        folder: sorted({marker.key for marker in PROFILES[folder].markers} - keys) for folder, keys in labelled.items()
    }

    assert {folder: keys for folder, keys in missing.items() if keys} == {}
