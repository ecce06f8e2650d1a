"""Operations the articles migrations share: PostgreSQL-only ones, which SQLite passes over."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class OnPostgreSQLOnly:
    """An operation for PostgreSQL that does nothing on SQLite, a laptop's database, either way."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class TrigramExtensionOnPostgreSQL(OnPostgreSQLOnly, TrigramExtension):
    pass


class AddIndexOnPostgreSQL(OnPostgreSQLOnly, migrations.AddIndex):
    pass
