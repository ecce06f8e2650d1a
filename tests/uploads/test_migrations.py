"""Data migrations of uploads, run forward on rows written the old way."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("uploads", "0007_intake_case_diagnosis_details")]
AFTER = [("uploads", "0008_intake_biomarker_keys")]


@pytest.fixture(autouse=True)
def latest_schema_afterwards():
    """Leave the database at the latest migrations, whatever state a test migrated it to."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_answers_stored_under_the_old_labels_move_to_the_stable_keys(django_user_model):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    owner = old.get_model("navis", "User").objects.create(email="old@example.org")
    Case = old.get_model("uploads", "Case")
    labelled = Case.objects.create(
        owner_id=owner.pk,
        biomarkers={
            "HER2": "Positive (3+)",
            "PD-L1 (CPS)": "CPS 8",
            "MSI / MMR": "MSS / pMMR (mismatch repair proficient)",
            "Claudin 18.2 (CLDN18.2)": "Negative",
        },
    )
    both = Case.objects.create(owner_id=owner.pk, biomarkers={"her2": "2+", "HER2": "3+", "Ki-67": "20%"})
    empty = Case.objects.create(owner_id=owner.pk, biomarkers={})

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    Case = executor.loader.project_state(AFTER).apps.get_model("uploads", "Case")
    assert Case.objects.get(pk=labelled.pk).biomarkers == {
        "her2": "Positive (3+)",
        "pd_l1": "CPS 8",
        "msi_mmr": "MSS / pMMR (mismatch repair proficient)",
        "cldn18_2": "Negative",
    }
    # An answer already under its stable key wins; a key we never used is kept as it was.
    assert Case.objects.get(pk=both.pk).biomarkers == {"her2": "2+", "Ki-67": "20%"}
    assert Case.objects.get(pk=empty.pk).biomarkers == {}


@pytest.mark.django_db(transaction=True)
def test_older_display_names_end_in_the_extension_of_the_detected_type():
    before, after = [("uploads", "0008_intake_biomarker_keys")], [("uploads", "0009_document_display_names")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    owner = old.get_model("navis", "User").objects.create(email="old@example.org")
    case = old.get_model("uploads", "Case").objects.create(owner_id=owner.pk)
    Document = old.get_model("uploads", "Document")
    named = {
        "lab-results.html": ("application/pdf", "lab-results.pdf"),
        "report.pdf.exe": ("application/pdf", "report.pdf"),
        "photo.pdf": ("image/jpeg", "photo.jpg"),
        "scan.png": ("image/png", "scan.png"),
    }
    for number, (name, (content_type, _)) in enumerate(named.items()):
        Document.objects.create(
            case_id=case.pk, original_name=name, content_type=content_type, size=1, sha256=str(number), file=name
        )

    executor = MigrationExecutor(connection)
    executor.migrate(after)

    Document = executor.loader.project_state(after).apps.get_model("uploads", "Document")
    assert dict(Document.objects.values_list("file", "original_name")) == {
        name: shown for name, (_, shown) in named.items()
    }
