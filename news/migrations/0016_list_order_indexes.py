"""Indexes in the order of the event and speech lists, on PostgreSQL.

A list page then reads its 20 newest rows from the index and checks each against the
publication rule, instead of joining every published article's events or speeches and
sorting them all (20 ms and more at 100,000 articles). SQLite cannot index ``NULLS LAST``:
there the small site's lists are sorted as before.
"""

from django.db import migrations

INDEXES = {
    "event_newest_idx": "news_event (start_date DESC NULLS LAST, id DESC)",
    "speech_newest_idx": "news_speech (date DESC NULLS LAST, id DESC)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX {name} ON {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX {name}")


class Migration(migrations.Migration):
    dependencies = [("news", "0015_article_pinned_index")]

    operations = [migrations.RunPython(create, drop)]
