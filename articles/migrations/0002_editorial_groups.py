"""The Editor and Medical reviewer groups, with the least permissions each role needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP_PERMISSIONS = {
    "Editor": [
        "add_article", "change_article", "view_article", "submit_article", "publish_article",
        "add_articlequestion", "change_articlequestion", "delete_articlequestion", "view_articlequestion",
        "add_articleresource", "change_articleresource", "delete_articleresource", "view_articleresource",
        "add_articlesource", "change_articlesource", "delete_articlesource", "view_articlesource",
        "add_cancertype", "change_cancertype", "view_cancertype",
        "add_topic", "change_topic", "view_topic",
    ],
    "Medical reviewer": [
        "change_article", "view_article", "review_article", "publish_article",
        "add_articlequestion", "change_articlequestion", "delete_articlequestion", "view_articlequestion",
        "add_articleresource", "change_articleresource", "delete_articleresource", "view_articleresource",
        "add_articlesource", "change_articlesource", "delete_articlesource", "view_articlesource",
        "view_cancertype", "view_topic",
    ],
}  # fmt: skip


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="articles", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Missing permissions for {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
