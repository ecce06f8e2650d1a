import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

from articles.migrations._postgresql import AddIndexOnPostgreSQL, TrigramExtensionOnPostgreSQL

# The vector articles.search.revision_search_vector writes on publish. A copy, not an import: a migration
# must keep working when that module changes.
INDEX_LIVE_REVISIONS = """
UPDATE articles_articlerevision revision
SET search_vector = setweight(to_tsvector('english', revision.title), 'A')
    || setweight(to_tsvector('english', cancer_type.name), 'A')
    || setweight(to_tsvector('english', revision.summary), 'B')
    || setweight(to_tsvector('english', revision.body_text), 'C')
FROM articles_cancertype cancer_type, articles_article article
WHERE cancer_type.id = revision.cancer_type_id AND article.live_revision_id = revision.id
"""


def index_live_revisions(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX_LIVE_REVISIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0004_cancertype_profile_set"),
    ]

    operations = [
        # "Did you mean" compares words by their trigrams (pg_trgm).
        TrigramExtensionOnPostgreSQL(),
        migrations.AddField(
            model_name="cancertype",
            name="also_called",
            field=models.CharField(
                blank=True,
                help_text='Other names people search for, separated by commas: for stomach cancer, "gastric cancer".',
                max_length=300,
            ),
        ),
        migrations.AddField(
            model_name="articlerevision",
            name="search_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        AddIndexOnPostgreSQL(
            model_name="articlerevision",
            index=django.contrib.postgres.indexes.GinIndex(fields=["search_vector"], name="article_revision_search"),
        ),
        migrations.RunPython(index_live_revisions, migrations.RunPython.noop, elidable=True),
    ]
