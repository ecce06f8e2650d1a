"""Cancer profiles: every supported cancer names its markers under the corpus's canonical keys."""

import importlib
import re
from pathlib import Path

import pytest
from django.urls import reverse

from articles.models import CancerType
from articles.profiles import GENERIC, MARKERS, PROFILES, Reported, marker_key, profile_for
from tests.admin_forms import admin_form_data
from tests.factories import CancerTypeFactory

CORPUS_README = Path(__file__).resolve().parents[2] / "bench" / "findings_corpus" / "README.md"


def corpus_keys() -> set[str]:
    table = CORPUS_README.read_text().split("## Marker keys")[1]
    return {
        key
        for line in table.splitlines()
        if line.startswith("| `")
        for key in re.findall(r"`(\w+)`", line.split("|")[1])
    }


def test_every_marker_key_is_a_canonical_key_of_the_corpus():
    assert set(MARKERS) == corpus_keys()
    for profile in PROFILES.values():
        assert {marker.key for marker in profile.markers} <= corpus_keys(), profile.slug


def test_every_profile_the_issue_names_exists_with_its_markers():
    expected = {
        "breast": {"er", "pr", "her2", "ki67", "oncotype_dx", "mammaprint", "brca1", "brca2", "pik3ca", "pd_l1"},
        "lung": {"egfr", "alk", "ros1", "kras", "braf", "met", "ret", "ntrk", "her2_mutation", "pd_l1"},
        "bowel": {"msi_mmr", "mlh1", "msh2", "msh6", "pms2", "kras", "nras", "braf", "her2"},
        "stomach": {"her2", "pd_l1", "msi_mmr", "cldn18_2", "fgfr2b", "ebv"},
        "prostate": {"psa", "brca1", "brca2", "atm", "chek2", "palb2"},
        "pancreas": {"brca1", "brca2", "palb2", "kras", "msi_mmr", "ntrk"},
        "ovary": {"brca1", "brca2", "hrd", "ca125"},
        "womb": {"msi_mmr", "p53", "pole"},
        "melanoma": {"braf", "nras", "kit"},
        "bladder": {"fgfr3", "pd_l1"},
        "kidney": set(),
        "lymphoma": {"cd20", "cell_of_origin", "myc", "bcl2", "bcl6"},
        "generic": set(),
    }
    assert {slug: {marker.key for marker in profile.markers} for slug, profile in PROFILES.items()} == expected


@pytest.mark.parametrize(
    ("slug", "details"),
    [
        ("breast", {"stage_group", "tnm", "grade"}),
        ("prostate", {"gleason", "grade_group", "cores", "stage_group", "tnm"}),
        ("ovary", {"figo_stage"}),
        ("womb", {"figo_stage"}),
        ("melanoma", {"breslow_mm", "ulceration", "stage_group", "tnm"}),
        ("kidney", {"histology", "isup_grade", "stage_group", "tnm"}),
        ("lymphoma", {"ann_arbor_stage"}),
        ("bowel", {"stage_group", "tnm", "tumour_side"}),
    ],
)
def test_the_stage_questions_fit_the_cancer(slug, details):
    assert {detail.key for detail in profile_for(slug).details} == details


def test_each_profile_says_how_results_are_reported_and_where_they_are_found():
    assert Reported.PERCENT in profile_for("breast").marker("er").reported
    assert Reported.IHC_SCORE in profile_for("breast").marker("her2").reported
    assert Reported.VARIANT in profile_for("lung").marker("egfr").reported
    assert profile_for("prostate").marker("psa").unit == "ng/mL"
    for profile in PROFILES.values():
        assert profile.records, profile.slug
        for marker in profile.markers:
            assert marker.hint and marker.reported, (profile.slug, marker.key)


def test_key_results_say_why_they_matter_for_the_missing_check():
    assert [marker.key for marker in profile_for("breast").key_markers] == ["er", "pr", "her2", "ki67"]
    assert [marker.key for marker in profile_for("stomach").key_markers] == ["her2", "pd_l1", "msi_mmr", "cldn18_2"]
    assert profile_for("stomach").marker("her2").why_it_matters == "It matters for treatment choices in stomach cancer."
    for profile in PROFILES.values():
        for result in (*profile.key_markers, *profile.key_details):
            assert result.label and result.why_it_matters.endswith("."), (profile.slug, result.key)


def test_a_type_without_a_profile_gets_the_generic_one():
    assert profile_for("") is GENERIC
    assert profile_for(None) is GENERIC
    assert profile_for("no-such-profile") is GENERIC
    assert profile_for("breast").slug == "breast"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("HER2", "her2"),
        ("her-2/neu", "her2"),
        ("ERBB2", "her2"),
        ("PD-L1 (CPS)", "pd_l1"),
        ("PD-L1", "pd_l1"),
        ("CPS", "pd_l1"),
        ("pd_l1_cps", "pd_l1"),
        ("MSI / MMR", "msi_mmr"),
        ("dMMR", "msi_mmr"),
        ("Claudin 18.2 (CLDN18.2)", "cldn18_2"),
        ("CLDN18.2", "cldn18_2"),
        ("Ki-67", "ki67"),
        ("Oestrogen receptor (ER)", "er"),
        ("PgR", "pr"),
        ("MLH1", "mlh1"),
        ("EML4-ALK", "alk"),
        ("p53", "p53"),
        ("TP53", "tp53"),
        ("CK7", ""),
    ],
)
def test_marker_names_fold_to_their_canonical_key(name, key):
    assert marker_key(name) == key


def test_every_key_and_label_folds_to_itself():
    for key, marker in MARKERS.items():
        assert marker_key(key) == key
        assert marker_key(marker.label) == key


def test_the_data_migration_guesses_the_profile_of_existing_types():
    migration = importlib.import_module("articles.migrations.0004_cancertype_profile_set")
    guesses = {
        slug: migration.profile_guess(CancerType(name=name, slug=slug))
        for name, slug in [
            ("Stomach cancer", "stomach-cancer"),
            ("Oesophageal cancer", "oesophageal-cancer"),
            ("Breast cancer", "breast-cancer"),
            ("Bowel cancer", "bowel-cancer"),
            ("Non-small cell lung cancer", "nsclc"),
            ("Endometrial cancer", "endometrial-cancer"),
            ("Diffuse large B-cell lymphoma", "dlbcl"),
            ("Sarcoma", "sarcoma"),
        ]
    }
    assert guesses == {
        "stomach-cancer": "stomach",
        "oesophageal-cancer": "stomach",
        "breast-cancer": "breast",
        "bowel-cancer": "bowel",
        "nsclc": "lung",
        "endometrial-cancer": "womb",
        "dlbcl": "lymphoma",
        "sarcoma": "generic",
    }


@pytest.mark.django_db
def test_staff_point_a_cancer_type_at_a_profile_in_the_admin(admin_client):
    cancer_type = CancerTypeFactory(name="Melanoma", slug="melanoma")
    url = reverse("admin:articles_cancertype_change", args=[cancer_type.pk])
    page = admin_client.get(url)
    assert 'name="profile"' in page.content.decode()
    response = admin_client.post(url, admin_form_data(page, profile="melanoma"))
    assert response.status_code == 302
    cancer_type.refresh_from_db()
    assert cancer_type.profile == "melanoma"
    assert cancer_type.cancer_profile.marker("braf")
