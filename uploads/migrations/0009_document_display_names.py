import re
import unicodedata

from django.db import migrations, models

# A copy of uploads.validators.display_name as it is now, not an import: a migration must keep
# working when that changes. Names were already cleaned on the way in; what older rows may lack is
# the ending of their detected type (a PDF uploaded as "lab-results.html" kept ".html").
_EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/tiff": (".tif", ".tiff"),
    "image/heic": (".heic", ".heif"),
}
_EXTENSION = re.compile(r"\.(?=[0-9]*[a-z])[0-9a-z]{1,10}", re.IGNORECASE)
_MAX_LENGTH = 200


def _split(name: str) -> tuple[str, str]:
    stem, dot, ending = name.rpartition(".")
    if dot and stem and _EXTENSION.fullmatch(dot + ending):
        return stem.rstrip(" ."), dot + ending
    return name, ""


def _typed_display_name(raw: str, content_type: str) -> str:
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if not unicodedata.category(ch).startswith("C"))
    name = " ".join(name.split()).strip(" .")
    allowed = _EXTENSIONS.get(content_type, (".bin",))
    stem, suffix = _split(name)
    if suffix.lower() not in allowed:
        inner_stem, inner_suffix = _split(stem)
        stem, suffix = (inner_stem, inner_suffix) if inner_suffix.lower() in allowed else (stem, allowed[0])
    stem, suffix = stem or "document", suffix.lower()
    if len(stem) + len(suffix) > _MAX_LENGTH:
        stem = stem[: _MAX_LENGTH - len(suffix) - 1].rstrip() + "…"
    return stem + suffix


def clean_display_names(apps, schema_editor) -> None:
    Document = apps.get_model("uploads", "Document")
    changed = []
    for document in Document.objects.only("pk", "original_name", "content_type").iterator(chunk_size=2000):
        cleaned = _typed_display_name(document.original_name, document.content_type)
        if cleaned != document.original_name:
            document.original_name = cleaned
            changed.append(document)
    Document.objects.bulk_update(changed, ["original_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("uploads", "0008_intake_biomarker_keys")]

    operations = [
        migrations.AlterField(
            model_name="document",
            name="original_name",
            field=models.CharField(
                help_text="The patient's name for the file, made safe to show; it ends in the detected type.",
                max_length=255,
            ),
        ),
        # The patient's own earlier name is not kept anywhere: going back leaves the cleaned one.
        migrations.RunPython(clean_display_names, migrations.RunPython.noop),
    ]
