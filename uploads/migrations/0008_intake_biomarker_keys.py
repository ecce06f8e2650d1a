from django.db import migrations

# The labels the diagnosis step used to store answers under, to the stable marker keys
# (articles/profiles.py). A copy, not an import: a migration must keep working when that changes.
_OLD_KEYS = {
    "HER2": "her2",
    "PD-L1 (CPS)": "pd_l1",
    "PD-L1": "pd_l1",
    "pd_l1_cps": "pd_l1",
    "MSI / MMR": "msi_mmr",
    "Claudin 18.2 (CLDN18.2)": "cldn18_2",
}


def _moved(answers: dict, keys: dict) -> dict:
    moved = {}
    for key, answer in answers.items():
        new = keys.get(key, key)
        # An answer already under the stable key is the newer one.
        if new not in moved or new == key:
            moved[new] = answer
    return moved


def to_stable_keys(apps, schema_editor) -> None:
    Case = apps.get_model("uploads", "Case")
    for case in Case.objects.exclude(biomarkers={}).only("pk", "biomarkers").iterator():
        if isinstance(case.biomarkers, dict) and set(case.biomarkers) & set(_OLD_KEYS):
            case.biomarkers = _moved(case.biomarkers, _OLD_KEYS)
            case.save(update_fields=["biomarkers"])


def to_labels(apps, schema_editor) -> None:
    Case = apps.get_model("uploads", "Case")
    labels = {"her2": "HER2", "pd_l1": "PD-L1 (CPS)", "msi_mmr": "MSI / MMR", "cldn18_2": "Claudin 18.2 (CLDN18.2)"}
    for case in Case.objects.exclude(biomarkers={}).only("pk", "biomarkers").iterator():
        if isinstance(case.biomarkers, dict) and set(case.biomarkers) & set(labels):
            case.biomarkers = _moved(case.biomarkers, labels)
            case.save(update_fields=["biomarkers"])


class Migration(migrations.Migration):
    dependencies = [("uploads", "0007_intake_case_diagnosis_details")]

    operations = [migrations.RunPython(to_stable_keys, to_labels)]
