import re

import django.contrib.postgres.indexes
from django.db import migrations, models

from articles.migrations._postgresql import AddIndexOnPostgreSQL

# What articles.search.vocabulary_words keeps of a text. A copy, not an import: a migration must keep
# working when that module changes.
WORD = re.compile(r"[^\W_]+(?:['\u2019-][^\W_]+)*")


def fill_search_words(apps, schema_editor) -> None:
    CancerType = apps.get_model("articles", "CancerType")
    Topic = apps.get_model("articles", "Topic")
    Article = apps.get_model("articles", "Article")
    SearchWord = apps.get_model("articles", "SearchWord")
    texts = [
        *(text for pair in CancerType.objects.values_list("name", "also_called") for text in pair),
        *Topic.objects.values_list("name", flat=True),
        *Article.objects.filter(live_revision__isnull=False).values_list("live_revision__title", flat=True),
    ]
    words = {word for text in texts for word in WORD.findall(text.lower()) if len(word) > 2}
    SearchWord.objects.bulk_create([SearchWord(word=word) for word in sorted(words)], batch_size=1000)


def unindex_past_revisions(apps, schema_editor) -> None:
    # From now on only a live revision has a search vector (articles.services).
    ArticleRevision = apps.get_model("articles", "ArticleRevision")
    Article = apps.get_model("articles", "Article")
    live = Article.objects.filter(live_revision__isnull=False).values("live_revision_id")
    ArticleRevision.objects.filter(search_vector__isnull=False).exclude(pk__in=live).update(search_vector=None)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0008_listing_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("word", models.TextField(primary_key=True, serialize=False)),
            ],
            options={
                "ordering": ["word"],
            },
        ),
        migrations.RunPython(fill_search_words, migrations.RunPython.noop, elidable=True),
        # "Did you mean" finds the words like a typed one through their trigrams (pg_trgm, 0005). Built once the
        # list is filled: in one go, not a word at a time.
        AddIndexOnPostgreSQL(
            model_name="searchword",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["word"], fastupdate=False, name="search_word_trigrams", opclasses=["gin_trgm_ops"]
            ),
        ),
        migrations.RunPython(unindex_past_revisions, migrations.RunPython.noop, elidable=True),
    ]
