"""The full-text indexes, which differ by database.

PostgreSQL: GIN indexes on the two tsvector columns. SQLite: an FTS5 table whose rowid is the
search entry's id (the tsvector columns stay empty there).
"""

from django.db import migrations

POSTGRESQL = [
    "CREATE INDEX search_grams_gin ON news_searchentry USING gin (grams_vector)",
    "CREATE INDEX search_words_gin ON news_searchentry USING gin (words_vector)",
]
POSTGRESQL_REVERSE = ["DROP INDEX search_grams_gin", "DROP INDEX search_words_gin"]
SQLITE = ["CREATE VIRTUAL TABLE news_searchentry_fts USING fts5(words, grams)"]
SQLITE_REVERSE = ["DROP TABLE news_searchentry_fts"]


def run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("news", "0005_search_entries")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL, "sqlite": SQLITE}),
            run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        )
    ]
