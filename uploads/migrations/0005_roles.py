"""The staff roles that work with patients' cases, with the least permissions each needs.

Editors and medical reviewers (articles/migrations/0002) get nothing of cases.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    "Case reviewer": {
        "uploads": [
            "view_case", "review_case", "sign_off_guidance",
            "view_document", "view_consent", "view_caseevent",
            "view_casenote", "add_casenote",
            "view_guidance", "add_guidance", "change_guidance",
            "view_guidancetemplate", "view_followupquestion",
        ],
    },
    "Administrator": {
        "uploads": [
            "view_lead", "view_consenttext", "add_consenttext", "change_consenttext",
            "view_guidancetemplate", "add_guidancetemplate", "change_guidancetemplate", "delete_guidancetemplate",
            "view_accesslog",
        ],
        "navis": ["view_user", "add_user", "change_user"],
        "auth": ["view_group"],
    },
}  # fmt: skip


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; these roles need them now.
    for label in ("uploads", "navis", "auth"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, by_app in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codenames in by_app.items():
            permissions = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
            missing = set(codenames) - set(permissions.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"Missing permissions for {name}: {sorted(missing)}")
            group.permissions.add(*permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("uploads", "0004_review"),
        ("navis", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
