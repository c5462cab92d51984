"""Search entries keep their vectors out of the table's rows, so the rows stay narrow.

A search's candidates (the entries holding every gram of a phrase, tens of thousands for a
common one) are filtered by column, source and date and sorted newest first, which reads
each candidate's row. The grams vector (about 9 KB) is always stored aside (TOAST), but the
words vector (title and lead, about 1.4 KB) stayed in the row: five rows to an 8 KB page,
180 MB for 113,000 entries, more than PostgreSQL's default shared buffers. With
toast_tuple_target at its minimum, every vector is stored aside and a row is its ids, title
and date: the table is 18 MB, and a phrase's 21,674 candidates are read from 1,725 pages
instead of 14,205. The vectors are read only where they are needed: the grams to test a
match, the words to rank at most a page of matches.

It applies to rows written from now on: `manage.py reindex_search` rewrites them all.
Nothing on SQLite.
"""

from django.db import migrations

TABLE = "news_searchentry"


def narrow(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 128)")


def widen(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [("news", "0016_list_order_indexes")]

    operations = [migrations.RunPython(narrow, widen, elidable=False)]
