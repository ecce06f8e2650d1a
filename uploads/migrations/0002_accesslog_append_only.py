"""On PostgreSQL the access log refuses UPDATE and DELETE: what was seen stays recorded."""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION uploads_accesslog_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'uploads_accesslog is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER uploads_accesslog_append_only
    BEFORE UPDATE OR DELETE ON uploads_accesslog
    FOR EACH ROW EXECUTE FUNCTION uploads_accesslog_append_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS uploads_accesslog_append_only ON uploads_accesslog;
DROP FUNCTION IF EXISTS uploads_accesslog_append_only();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("uploads", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
