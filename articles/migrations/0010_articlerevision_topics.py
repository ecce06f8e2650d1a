from django.db import migrations, models


def topics_from_content(apps, schema_editor):
    ArticleRevision = apps.get_model("articles", "ArticleRevision")
    Topic = apps.get_model("articles", "Topic")
    Membership = ArticleRevision.topics.through
    existing = set(Topic.objects.values_list("pk", flat=True))
    rows = (
        Membership(articlerevision_id=pk, topic_id=topic_id)
        for pk, content in ArticleRevision.objects.values_list("pk", "content").iterator()
        for topic_id in content.get("topic_ids") or ()
        if topic_id in existing
    )
    Membership.objects.bulk_create(rows, batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_search_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="articlerevision",
            name="topics",
            field=models.ManyToManyField(blank=True, related_name="revisions", to="articles.topic"),
        ),
        migrations.RunPython(topics_from_content, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["live_revision"], include=["id", "published_at", "slug"], name="article_live_card"),
        ),
    ]
