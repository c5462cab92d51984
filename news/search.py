"""Full-text search over articles, speeches and events, on PostgreSQL and on SQLite.

`news.segmentation` (plain Python) decides what is indexed and how a query is matched; this
module stores that in the database and asks it. Items are indexed when saved (signals wired
in NewsConfig.ready) and all at once by `manage.py reindex_search`.
"""

import contextlib
import datetime
import io
import struct
import time
from collections import Counter
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import Exists, F, FloatField, OuterRef, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from core import pagecache
from core.text import html_to_text
from news import segmentation
from news.models import Article, Event, SearchEntry, Speech

FTS_TABLE = "news_searchentry_fts"


@dataclass(frozen=True)
class Document:
    """What one item contributes to the index."""

    kind: str
    object_id: int
    title: str
    text: str
    date: datetime.datetime | None
    is_public: bool
    column_id: int | None = None
    source_id: int | None = None
    # What ranks the matches: the title and the lead (see ``ranked_text``).
    ranked: str = ""


# How much of the text, after the title, ranks a match: about an article's lead.
RANKED_CHARACTERS = 200


def ranked_text(title: str, subtitle: str, text: str) -> str:
    """The part of an item that ranks it: its title, subtitle and the opening of its text."""
    return "\n".join([title, subtitle, text[:RANKED_CHARACTERS]])


def document_for(item) -> Document:
    if isinstance(item, Article):
        body = html_to_text(item.body)
        return Document(
            kind=SearchEntry.Kind.ARTICLE,
            object_id=item.pk,
            title=item.title,
            text="\n".join([item.title, item.subtitle, item.author, body]),
            ranked=ranked_text(item.title, item.subtitle, body),
            date=item.published_at,
            is_public=item.status == Article.Status.PUBLISHED,
            column_id=item.column_id,
            source_id=item.source_id,
        )
    if isinstance(item, Speech):
        text = html_to_text(item.text)
        return Document(
            kind=SearchEntry.Kind.SPEECH,
            object_id=item.pk,
            title=item.title,
            text="\n".join([item.title, item.speaker.name, item.speaker_post, text]),
            ranked=ranked_text(item.title, item.speaker.name, text),
            date=_midnight(item.held_on),
            is_public=True,
        )
    if isinstance(item, Event):
        description = html_to_text(item.description)
        return Document(
            kind=SearchEntry.Kind.EVENT,
            object_id=item.pk,
            title=item.name,
            text="\n".join([item.name, item.place, item.theme, description]),
            ranked=ranked_text(item.name, item.theme, description),
            date=_midnight(item.start_date),
            is_public=True,
        )
    raise TypeError(f"not searchable: {item!r}")


def terms_of(document: Document) -> segmentation.IndexText:
    """The index terms of a document: all its text to match, its title and lead to rank."""
    return segmentation.index_terms(document.text, document.ranked)


def encoded_terms(document: Document):
    """What ``store_entries`` takes for a document, worked out ahead (in a worker, say).

    On PostgreSQL the tsvectors in binary form, ready for a binary COPY; on SQLite the index
    terms.
    """
    if connection.vendor == "postgresql":
        return segmentation.index_tsvectors(document.text, document.ranked, binary=True)
    return terms_of(document)


def _midnight(day):
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def index(item) -> None:
    """Write (or rewrite) the search entry of one item."""
    document = document_for(item)
    entry, _ = SearchEntry.objects.update_or_create(
        kind=document.kind,
        object_id=document.object_id,
        defaults={
            "title": document.title[:200],
            "date": document.date,
            "is_public": document.is_public,
            "column_id": document.column_id,
            "source_id": document.source_id,
        },
    )
    write_vectors([(entry.pk, terms_of(document))])


def unindex(kind: str, object_id: int) -> None:
    ids = list(
        SearchEntry.objects.filter(kind=kind, object_id=object_id).values_list("pk", flat=True)
    )
    if connection.vendor == "sqlite" and ids:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(pk,) for pk in ids])  # noqa: S608  # nosec B608 # the constant FTS table name; ids are parameters
    SearchEntry.objects.filter(pk__in=ids).delete()


def write_vectors(rows) -> None:
    """Store the index terms of entries: rows of (entry id, IndexText)."""
    rows = list(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            vectors = [(segmentation.tsvectors(terms), pk) for pk, terms in rows]
            cursor.executemany(
                "UPDATE news_searchentry SET grams_vector = %s::tsvector,"
                " words_vector = %s::tsvector WHERE id = %s",
                [(literals.grams, literals.words, pk) for literals, pk in vectors],
            )
        else:
            cursor.executemany(
                f"DELETE FROM {FTS_TABLE} WHERE rowid = %s",  # noqa: S608  # nosec B608 # the constant FTS table name; ids are parameters
                [(pk,) for pk, _ in rows],
            )
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, words, grams) VALUES (%s, %s, %s)",  # noqa: S608  # nosec B608 # the constant FTS table name; values are parameters
                [(pk, terms.words, terms.grams) for pk, terms in rows],
            )


def public_entries():
    """Entries a visitor may find, by the publication rule itself, asked at query time.

    An entry's `is_public` is written on save and goes stale when an article is withdrawn
    through `QuerySet.update()` (no signals), so it decides nothing here: the items' own
    `published()` and `public()` do, with scheduled articles waiting for their time.
    """
    rules = {
        SearchEntry.Kind.ARTICLE: Article.objects.published(),
        SearchEntry.Kind.SPEECH: Speech.objects.public(),
        SearchEntry.Kind.EVENT: Event.objects.public(),
    }
    # EXISTS per entry: a rare word's few matches are looked up one by one (milliseconds)
    # where an IN would hash every published article for each search.
    allowed = Q()
    for kind, items in rules.items():
        allowed |= Q(Exists(items.filter(pk=OuterRef("object_id"))), kind=kind)
    return SearchEntry.objects.filter(allowed)


def search(entries, query: segmentation.Query, *, order: str = "relevance"):
    """`entries` matching every term of `query`, ranked by relevance or by date."""
    if not query:
        return entries.none()
    if connection.vendor == "postgresql":
        matched = entries.filter(
            grams_vector=SearchQuery(
                segmentation.to_pg_tsquery(query), search_type="raw", config="simple"
            )
        ).annotate(rank=_postgresql_rank(query))
    else:
        matched = entries.filter(
            # The visitor's words travel as a parameter; only our table name is formatted in.
            pk__in=RawSQL(  # noqa: S611  # nosec B611 # the visitor's words are a parameter
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608  # nosec B608 # the constant FTS table name; the words are a parameter
                [segmentation.to_fts5_match(query, column="grams")],
            )
        ).annotate(rank=_sqlite_rank(query))
    if order == "date":
        return matched.order_by(F("date").desc(nulls_last=True), "-pk")
    return matched.order_by("-rank", F("date").desc(nulls_last=True), "-pk")


def _postgresql_rank(query):
    rank_query = segmentation.to_pg_rank_tsquery(query)
    if not rank_query:
        return Value(0.0, output_field=FloatField())
    return SearchRank(
        F("words_vector"), SearchQuery(rank_query, search_type="raw", config="simple")
    )


def _sqlite_rank(query):
    rank_match = segmentation.to_fts5_rank_match(query, column="words")
    if not rank_match:
        return Value(0.0, output_field=FloatField())
    # bm25 is lower for better matches; negated so that higher ranks first, as on PostgreSQL.
    return Coalesce(
        RawSQL(  # noqa: S611  # nosec B611 # the visitor's words are a parameter
            f"SELECT -bm25({FTS_TABLE}) FROM {FTS_TABLE} "  # noqa: S608  # nosec B608 # the constant FTS table name; the words are a parameter
            f"WHERE {FTS_TABLE} MATCH %s AND rowid = news_searchentry.id",
            [rank_match],
            output_field=FloatField(),
        ),
        Value(0.0),
        output_field=FloatField(),
    )


# What reindexing reads of an article: enough for ``document_for``, nothing else.
_ARTICLE_FIELDS = ("pk", "title", "subtitle", "author", "body", "published_at", "status",
                   "column_id", "source_id")  # fmt: skip


def reindex_all(batch_size: int = 500, progress=None, pool=None) -> int:
    """Rebuild every entry from the articles, speeches and events; return how many.

    Run it in a transaction. The articles are read as plain rows and turned into index terms
    in ``pool`` (a multiprocessing pool of forked processes that never use the database) if
    given, a few batches ahead of this process, which stores each batch (one COPY on
    PostgreSQL). On PostgreSQL the GIN indexes are built again once at the end
    (``indexes_rebuilt_after``), which costs a seventh of keeping them up to date row by row.
    """
    total = Article.objects.count() + Speech.objects.count() + Event.objects.count()
    _clear_entries()
    done = 0
    with indexes_rebuilt_after(total):
        rows = Article.objects.order_by("pk").values_list(*_ARTICLE_FIELDS)
        batches = _batches(rows.iterator(chunk_size=2000), batch_size)
        for encoded in _map(pool, _encode_articles, batches):
            store_entries([document for document, _ in encoded], [terms for _, terms in encoded])
            done += len(encoded)
            if progress:
                progress(done, total)
        others = [Speech.objects.select_related("speaker", "event"), Event.objects.all()]
        for queryset in others:
            for items in _batches(queryset.order_by("pk").iterator(chunk_size=batch_size),
                                  batch_size):  # fmt: skip
                done += _store([document_for(item) for item in items])
                if progress:
                    progress(done, total)
    pagecache.content_changed()
    return done


def _clear_entries() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Deferred foreign-key checks of this transaction must run before a TRUNCATE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {connection.ops.quote_name(SearchEntry._meta.db_table)}")
        return
    SearchEntry.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608  # nosec B608 # the constant FTS table name


def _batches(items, size: int):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _map(pool, function, batches):
    """``function`` of each batch in order: in ``pool`` (a few batches ahead) if given."""
    if pool is None:
        return map(function, batches)
    return pool.imap(function, batches)


def _encode_articles(rows) -> list[tuple[Document, object]]:
    """Documents and index terms of article rows (in a worker process: no database here).

    PostgreSQL gets the tsvector literals, ready for COPY; SQLite the index terms.
    """
    encoded = []
    for row in rows:
        document = document_for(Article(**dict(zip(_ARTICLE_FIELDS, row, strict=True))))
        encoded.append((document, encoded_terms(document)))
    return encoded


# Adding a row to a GIN index costs about seven times what building the index costs per row,
# so a large load drops the GIN indexes and builds them again at the end.
REBUILD_GIN_FROM = 10_000  # new entries, and at least as many as there are already
GIN_BUILD_MEMORY = "256MB"


@contextlib.contextmanager
def indexes_rebuilt_after(new_entries: int, timings: Counter | None = None):
    """Wrap adding ``new_entries`` search entries; on PostgreSQL, rebuild the GIN indexes after.

    When it pays, the GIN indexes of the search entries are dropped first and created again
    from their own definitions at the end, all in one transaction: if the load fails, is
    killed or the server restarts, the DROP is rolled back with the rows, and the site never
    lacks its search indexes. Inside, the per-batch transactions become savepoints. The
    table is locked for the duration, so searches on this database wait until it ends.
    ``timings["index build"]`` adds up the seconds the build takes.
    """
    if connection.vendor != "postgresql" or new_entries < max(
        REBUILD_GIN_FROM, SearchEntry.objects.count()
    ):
        yield
        return
    table = SearchEntry._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = current_schema() AND tablename = %s AND indexdef LIKE %s",
            [table, "% USING gin %"],
        )
        indexes = cursor.fetchall()
        # Deferred foreign-key checks would still be queued when the index is built, which
        # PostgreSQL refuses; checking each statement as it runs costs the same.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        yield
        started = time.perf_counter()
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{GIN_BUILD_MEMORY}'")
        for _, definition in indexes:
            cursor.execute(definition)
        if timings is not None:
            timings["index build"] += time.perf_counter() - started


def _store(documents: list[Document]) -> int:
    store_entries(documents, [terms_of(d) for d in documents])
    return len(documents)


def store_entries(documents, terms) -> None:
    """Create the entries of new ``documents`` whose index terms are known, in bulk.

    ``terms`` holds, for each document, its ``segmentation.IndexText``, or on PostgreSQL its
    ``segmentation.TsVectors`` if they were encoded ahead (in other processes, say). On
    PostgreSQL the entries arrive in one COPY, vectors as literals, and the first is compared
    with what ``to_tsvector`` makes of its text, so that the encoder can never drift from the
    database's parser unnoticed.
    """
    documents, terms = list(documents), list(terms)
    if not documents:
        return
    if connection.vendor == "postgresql":
        # Binary COPY unless literals were encoded ahead (the demo data's cached clauses).
        binary = not any(
            isinstance(item, segmentation.TsVectors) and isinstance(item.grams, str)
            for item in terms
        )
        _copy_entries(documents, [_encoded(item, binary) for item in terms], binary)
        return
    entries = SearchEntry.objects.bulk_create([_entry(d) for d in documents])
    write_vectors((entry.pk, item) for entry, item in zip(entries, terms, strict=True))


def _entry(document: Document) -> SearchEntry:
    return SearchEntry(
        kind=document.kind,
        object_id=document.object_id,
        title=document.title[:200],
        date=document.date,
        is_public=document.is_public,
        column_id=document.column_id,
        source_id=document.source_id,
    )


def _encoded(terms, binary: bool) -> segmentation.TsVectors:
    if isinstance(terms, segmentation.TsVectors):
        return terms
    if binary:
        encode = segmentation.tsvector_binary
        return segmentation.TsVectors(encode(terms.grams.split()), encode(terms.words.split()))
    return segmentation.tsvectors(terms)


_COPY_COLUMNS = ("kind", "object_id", "title", "date", "is_public", "column_id", "source_id",
                 "grams_vector", "words_vector")  # fmt: skip
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_entries(
    documents: list[Document], vectors: list[segmentation.TsVectors], binary: bool
) -> None:
    if binary:
        data, options = _binary_copy_data(documents, vectors), " WITH (FORMAT binary)"
    else:
        data, options = _text_copy_data(documents, vectors), ""
    table = connection.ops.quote_name(SearchEntry._meta.db_table)
    first = documents[0]
    terms = terms_of(first)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN{options}", data)
        cursor.execute(
            f"SELECT grams_vector = to_tsvector('simple', %s)"  # noqa: S608  # nosec B608 # the model's own table name; the values are parameters
            f" AND words_vector = to_tsvector('simple', %s) FROM {table}"
            " WHERE kind = %s AND object_id = %s",
            [terms.grams, terms.words, first.kind, first.object_id],
        )
        if not cursor.fetchone()[0]:
            raise RuntimeError(f"tsvector encoding differs from to_tsvector for {first.title!r}")


# PostgreSQL's binary COPY: a signature, flags and header extension; per row the number of
# fields, then each field's length (-1: NULL) and bytes; -1 to end.
_BINARY_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_BINARY_COPY_TRAILER = struct.pack(">h", -1)
_BINARY_NULL = struct.pack(">i", -1)
_POSTGRES_EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
_MICROSECOND = datetime.timedelta(microseconds=1)


def _binary_field(value: bytes) -> bytes:
    return struct.pack(">i", len(value)) + value


def _binary_bigint(value: int | None) -> bytes:
    return _BINARY_NULL if value is None else struct.pack(">iq", 8, value)


def _binary_copy_data(documents: list[Document], vectors: list[segmentation.TsVectors]):
    parts = [_BINARY_COPY_HEADER]
    for document, encoded in zip(documents, vectors, strict=True):
        date = document.date
        parts += (
            struct.pack(">h", len(_COPY_COLUMNS)),
            _binary_field(document.kind.encode()),
            _binary_bigint(document.object_id),
            _binary_field(document.title[:200].encode()),
            _binary_bigint(None if date is None else (date - _POSTGRES_EPOCH) // _MICROSECOND),
            _binary_field(b"\x01" if document.is_public else b"\x00"),
            _binary_bigint(document.column_id),
            _binary_bigint(document.source_id),
            _binary_field(encoded.grams),
            _binary_field(encoded.words),
        )
    parts.append(_BINARY_COPY_TRAILER)
    return io.BytesIO(b"".join(parts))


def _text_copy_data(documents: list[Document], vectors: list[segmentation.TsVectors]):
    lines = io.StringIO()
    for document, literals in zip(documents, vectors, strict=True):
        # Only the title can hold what COPY must escape: the literals are tokens, ":" and ",".
        values = (
            document.kind,
            str(document.object_id),
            document.title[:200].translate(_COPY_ESCAPES),
            document.date.isoformat() if document.date else "\\N",
            "t" if document.is_public else "f",
            "\\N" if document.column_id is None else str(document.column_id),
            "\\N" if document.source_id is None else str(document.source_id),
            literals.grams,
            literals.words,
        )
        lines.write("\t".join(values))
        lines.write("\n")
    lines.seek(0)
    return lines
