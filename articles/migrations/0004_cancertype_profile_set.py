from django.db import migrations

# Words in a cancer type's slug or name, to the profile it takes. A copy, not an import: a
# migration must keep working when the profiles module changes.
_WORDS = [
    ("stomach", ("stomach", "gastric", "oesophag", "esophag", "gastro-oesophageal")),
    ("breast", ("breast",)),
    ("bowel", ("bowel", "colorectal", "colon", "rectal", "rectum")),
    ("lung", ("lung", "nsclc")),
    ("prostate", ("prostate",)),
    ("pancreas", ("pancrea",)),
    ("ovary", ("ovar",)),
    ("womb", ("womb", "endometri", "uterine", "uterus")),
    ("melanoma", ("melanoma",)),
    ("bladder", ("bladder", "urothelial")),
    ("kidney", ("kidney", "renal")),
    ("lymphoma", ("lymphoma", "dlbcl")),
]


def profile_guess(cancer_type) -> str:
    text = f"{cancer_type.slug} {cancer_type.name}".lower()
    return next((slug for slug, words in _WORDS if any(word in text for word in words)), "generic")


def set_profiles(apps, schema_editor) -> None:
    CancerType = apps.get_model("articles", "CancerType")
    for cancer_type in CancerType.objects.filter(profile="generic"):
        cancer_type.profile = profile_guess(cancer_type)
        cancer_type.save(update_fields=["profile"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_cancertype_profile")]

    operations = [migrations.RunPython(set_profiles, migrations.RunPython.noop)]
