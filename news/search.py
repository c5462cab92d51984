"""Full-text search over articles, speeches and events, on PostgreSQL and on SQLite.

`news.segmentation` (plain Python) decides what is indexed and how a query is matched; this
module stores that in the database and asks it. Items are indexed when saved (signals wired
in NewsConfig.ready) and all at once by `manage.py reindex_search`.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, FloatField, Q, Value
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
    date: object
    is_public: bool
    column_id: int | None = None
    source_id: int | None = None


def document_for(item) -> Document:
    if isinstance(item, Article):
        return Document(
            kind=SearchEntry.Kind.ARTICLE,
            object_id=item.pk,
            title=item.title,
            text="\n".join([item.title, item.subtitle, item.author, html_to_text(item.body)]),
            date=item.published_at,
            is_public=item.status == Article.Status.PUBLISHED,
            column_id=item.column_id,
            source_id=item.source_id,
        )
    if isinstance(item, Speech):
        return Document(
            kind=SearchEntry.Kind.SPEECH,
            object_id=item.pk,
            title=item.title,
            text="\n".join(
                [item.title, item.speaker.name, item.speaker_post, html_to_text(item.text)]
            ),
            date=_midnight(item.held_on),
            is_public=True,
        )
    if isinstance(item, Event):
        return Document(
            kind=SearchEntry.Kind.EVENT,
            object_id=item.pk,
            title=item.name,
            text="\n".join([item.name, item.place, item.theme, html_to_text(item.description)]),
            date=_midnight(item.start_date),
            is_public=True,
        )
    raise TypeError(f"not searchable: {item!r}")


def _midnight(day):
    if day is None:
        return None
    return timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time()))


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
    write_vectors([(entry.pk, segmentation.index_terms(document.text))])


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
            cursor.executemany(
                "UPDATE news_searchentry SET grams_vector = to_tsvector('simple', %s),"
                " words_vector = to_tsvector('simple', %s) WHERE id = %s",
                [(terms.grams, terms.words, pk) for pk, terms in rows],
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
    return SearchEntry.objects.filter(
        Q(
            kind=SearchEntry.Kind.ARTICLE,
            object_id__in=Article.objects.published().values("pk"),
        )
        | Q(kind=SearchEntry.Kind.SPEECH, object_id__in=Speech.objects.public().values("pk"))
        | Q(kind=SearchEntry.Kind.EVENT, object_id__in=Event.objects.public().values("pk"))
    )


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


def reindex_all(batch_size: int = 500, progress=None) -> int:
    """Rebuild every entry from the articles, speeches and events; return how many."""
    SearchEntry.objects.all().delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608  # nosec B608 # the constant FTS table name
    sources = [
        Article.objects.all(),
        Speech.objects.select_related("speaker", "event"),
        Event.objects.all(),
    ]
    total = sum(queryset.count() for queryset in sources)
    done = 0
    for queryset in sources:
        batch = []
        for item in queryset.order_by("pk").iterator(chunk_size=batch_size):
            batch.append(document_for(item))
            if len(batch) == batch_size:
                done += _store(batch)
                batch = []
                if progress:
                    progress(done, total)
        done += _store(batch)
        if progress:
            progress(done, total)
    pagecache.content_changed()
    return done


def _store(documents: list[Document]) -> int:
    if not documents:
        return 0
    entries = SearchEntry.objects.bulk_create(
        [
            SearchEntry(
                kind=d.kind,
                object_id=d.object_id,
                title=d.title[:200],
                date=d.date,
                is_public=d.is_public,
                column_id=d.column_id,
                source_id=d.source_id,
            )
            for d in documents
        ]
    )
    write_vectors(
        (entry.pk, segmentation.index_terms(d.text))
        for entry, d in zip(entries, documents, strict=True)
    )
    return len(documents)
