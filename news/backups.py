"""What a backup of the news must prove came back: every article body, and the search index.

Registered with core.backups in NewsConfig.ready. Both read through the DB-API cursor the
backup gives (the live database's, or the SQLite copy's), so they measure the dump itself.
"""

from django.db import connection

from core import backups
from news.models import Article, SearchEntry
from news.search import FTS_TABLE


def article_bodies(cursor, tables: set[str]) -> dict[str, str]:
    """Article id -> SHA-256 of its body."""
    if Article._meta.db_table not in tables:
        return {}
    quote = connection.ops.quote_name
    columns = f"{quote(Article._meta.pk.column)}, {quote(Article._meta.get_field('body').column)}"
    cursor.execute(f"SELECT {columns} FROM {quote(Article._meta.db_table)}")  # noqa: S608  # nosec B608 # the model's own table and column names, quoted
    bodies = {}
    while rows := cursor.fetchmany(500):
        bodies.update((str(pk), backups.sha256_text(body)) for pk, body in rows)
    return bodies


def search_index_rows(cursor, tables: set[str]) -> int:
    """Rows holding search terms: they are not model fields on SQLite (an FTS5 table) and
    never read back as values on PostgreSQL (tsvector columns), so count them."""
    if connection.vendor == "sqlite":
        if FTS_TABLE not in tables:
            return 0
        cursor.execute(f"SELECT COUNT(*) FROM {FTS_TABLE}")  # noqa: S608  # nosec B608 # the constant name of our FTS table
    else:
        if SearchEntry._meta.db_table not in tables:
            return 0
        cursor.execute(
            f"SELECT COUNT(*) FROM {connection.ops.quote_name(SearchEntry._meta.db_table)}"  # noqa: S608  # nosec B608 # the model's own table name, quoted
            " WHERE grams_vector IS NOT NULL"
        )
    return cursor.fetchone()[0]


ARTICLE_BODIES = backups.Check(name="article_body_sha256", label="文章正文", measure=article_bodies)
SEARCH_INDEX = backups.Check(
    name="search_index",
    label="搜索索引",
    measure=search_index_rows,
    hint="可运行 manage.py reindex_search 重建",
)
