"""The index a search reads in: newest first (date descending, undated last), then id.

Written per database: SQLite sorts NULL first in ascending order, so its descending index
already puts undated entries last, and it refuses NULLS LAST in an index; PostgreSQL needs
it said. Kept out of the model's Meta for that reason (like the search indexes of 0006).
"""

from django.db import migrations

POSTGRESQL = (
    'CREATE INDEX IF NOT EXISTS "search_newest_idx" ON "news_searchentry"'
    ' ("date" DESC NULLS LAST, "id" DESC)'
)
SQLITE = (
    'CREATE INDEX IF NOT EXISTS "search_newest_idx" ON "news_searchentry" ("date" DESC, "id" DESC)'
)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(POSTGRESQL if vendor == "postgresql" else SQLITE)


def drop(apps, schema_editor):
    schema_editor.execute('DROP INDEX IF EXISTS "search_newest_idx"')


class Migration(migrations.Migration):
    dependencies = [
        ("news", "0011_fill_article_leads"),
    ]

    operations = [migrations.RunPython(create, drop)]
