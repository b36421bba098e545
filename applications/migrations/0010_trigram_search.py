"""Trigram indexes for the search of the KITZ work queue (PostgreSQL only; SQLite skips them).

The queue searches with icontains, which PostgreSQL runs as UPPER(col::text) LIKE UPPER('%…%'):
the indexes cover exactly that expression. The index on the organisation name lives here
because only the work queue searches it.
"""

from django.db import migrations

INDEXES = [
    ("application_title_trgm_idx", "applications_application", "title"),
    ("application_reference_trgm_idx", "applications_application", "reference"),
    ("organisation_name_trgm_idx", "accounts_organisation", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("applications", "0009_queue_indexes"),
    ]

    operations = [migrations.RunPython(create, drop)]
