"""A search read newest first, only as far as the page asked for needs.

A common word (律师 is in almost every article) matches most of the index, and ranking or
sorting every match costs seconds. A reader sees twenty. So a search reads the entries
newest first and stops once the page is full:

1. **The walk.** The newest ``WALK`` entries that pass the filters are read one by one and
   kept if they match (PostgreSQL: the ``@@`` test on each entry's grams, in date order
   through the ``search_newest_idx`` index; SQLite: the FTS5 table). A word in more than
   about one entry in 140 fills a page here, after reading a few dozen entries; a word
   whose matches in the first ``PROBE`` entries say it will not goes to step 2 from there.
2. **The index.** If the walk did not fill the page, the rest come from the full-text index
   (GIN on PostgreSQL), for the entries older than the walk only: the *candidates*, entries
   holding every gram of the words, newest first, found from the index alone (a phrase's
   grams in order are not checked there: that would read every candidate's vector, the
   cost of a rare word's search). The candidates are then checked in order (the phrase on
   their vectors, the publication rule by id) only as far as the page needs, or all of
   them when they are few (``CHECK_ALL``).

Counts: when the walk read every entry, or the index's candidates were all checked, the
count is exact. Otherwise it is estimated and shown as "about": from the share of matches
among the entries the walk read times the entries that pass the filters, or from the share
of matches among the candidates checked times the unchecked ones that were public when
indexed; ``exact_count`` counts them all on request (cached until the content changes).

Relevance: the newest ``RANKED`` matches are ranked by how well their title and lead match
(``ts_rank`` / FTS5 ``bm25`` over the words column, which holds only the title and lead);
the older matches follow, newest first. A word with at most ``RANKED`` matches is thus
ranked over all of them; a common word lists its most relevant recent items first.

Every step keeps recall: an entry is left out only because a page does not reach it.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from core import pagecache
from core.pagination import _without_now as without_now
from news import segmentation
from news.models import Article, Event, SearchEntry, Speech
from news.search import FTS_TABLE, _postgresql_rank, _sqlite_rank, public_entries

# Newest first: the order of a search by date, and the order of the walk.
NEWEST = (F("date").desc(nulls_last=True), F("pk").desc())
# Entries the walk reads before asking the index. About where reading every entry's grams
# (≈10 µs each) costs what the index costs for a word too rare to fill 50 results in them.
WALK = 3000
# The walk's first stretch, after which a word too rare to fill the page goes to the index.
PROBE = 500
# The newest matches ranked by relevance; older matches follow newest first.
RANKED = 50
# Candidates from the index (entries holding every gram) read at once, newest first; and at
# most how many are all checked (a phrase ≈ 20 µs each, reading the vector) to count them.
CANDIDATES = 5000
CHECK_ALL = 300
# A search lists at most this many results (and says so).
LIMIT = 1000

Key = tuple[datetime.datetime | None, int]


@dataclass
class Walk:
    """The matches of a search found so far, newest first, and what is known of the rest."""

    # The walk's matches kept (newest first), and the matches older than the walk kept.
    recent: list[int] = field(default_factory=list)
    older: list[int] = field(default_factory=list)
    dates: dict[int, datetime.datetime | None] = field(default_factory=dict)
    # Matches among the entries the walk read (public or not), and how many it read.
    hits: int = 0
    read: int = 0
    # Where the window ends (None: it holds every entry that passes the filters).
    boundary: Key | None = None
    # Exact number of public matches, once known.
    total: int | None = None
    # Whether the walk read its whole window; and the upcoming matches before it.
    exhausted: bool = False
    upcoming: int = 0
    # After the walk: the index's candidates (id, date, kind, item id, marked public) read
    # so far, newest first; whether they are all read; how many are checked, and matched.
    candidates: list[tuple] | None = None
    all_candidates: bool = False
    checked: int = 0
    matched: int = 0
    # An estimated number of public matches, when the index's candidates are not all checked.
    estimated: int | None = None

    @property
    def ids(self) -> list[int]:
        return self.recent + self.older


class Search:
    """One search over ``entries`` (search entries, filtered), read as far as needed.

    ``entries`` should not carry the publication rule: it is applied to the matches only.
    """

    def __init__(self, entries, query: segmentation.Query, order: str = "relevance"):
        self.entries = entries.order_by()
        self.query = query
        self.order = order
        self._walk: Walk | None = None
        self._ranks: dict[int, float] = {}
        self._scope: int | None = None

    # --- What the page shows ---------------------------------------------------------------

    def ids(self, stop: int) -> list[int]:
        """The ids of the first ``stop`` results in the order asked for (fewer at the end)."""
        stop = min(stop, LIMIT)
        if not self.query:
            return []
        if self.order == "date":
            return self._read(stop).ids[:stop]
        walk = self._read(max(stop, RANKED))
        pool = walk.ids[:RANKED]
        ranks = self._ranks_of(pool)
        ranked = sorted(pool, key=lambda pk: (-ranks.get(pk, 0.0), _newest_key(walk, pk)))
        return (ranked + walk.ids[RANKED:])[:stop]

    @staticmethod
    def entries_of(ids: list[int]) -> list[SearchEntry]:
        """The entries of ``ids``, in that order (one query, without the vectors)."""
        rows = SearchEntry.objects.only("id", "kind", "object_id", "title", "date").in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]

    @property
    def total(self) -> int | None:
        """The exact number of matches, if reading told it (None: see ``estimate``)."""
        return self._read(1).total if self.query else 0

    @property
    def estimate(self) -> int:
        """The number of matches: exact if known, else estimated from the walk."""
        if not self.query:
            return 0
        walk = self._read(1)
        if walk.total is not None:
            return walk.total
        if walk.estimated is not None:
            return max(len(walk.ids), walk.estimated)
        if self._scope is None:
            self._scope = _cached(self.entries, "search-scope", _count)
        share = walk.hits / max(walk.read, 1)
        estimate = walk.upcoming + round(share * self._scope)
        return max(len(walk.ids), estimate)

    def exact_count(self) -> int:
        """Count every match (cached until the content changes)."""
        if not self.query:
            return 0
        known = self._read(1).total
        if known is not None:
            return known
        return _cached(self._public_matches(), "search-count", _count_by_index)

    # --- Reading -----------------------------------------------------------------------------

    def _read(self, need: int) -> Walk:
        walk = self._walk
        if walk is None:
            walk = self._walk = self._start()
        if not walk.exhausted and len(walk.recent) < need:
            self._walk_on(walk, need)
        short = walk.boundary is not None and walk.exhausted
        short = short and len(walk.older) < need - len(walk.recent)
        if short and not (walk.all_candidates and walk.checked == len(walk.candidates or ())):
            self._from_index(walk, need)
        return walk

    def _start(self) -> Walk:
        """A walk not begun: the upcoming matches, and the window of the newest entries.

        Entries dated after now come first: those are scheduled articles (never public yet)
        and upcoming events, few; they are looked up by the publication rule first and only
        the public ones tested, so that the walk reads entries a visitor may find.
        """
        now = timezone.now()
        upcoming = self._upcoming(now)
        walk = Walk(recent=[pk for pk, _ in upcoming], dates=dict(upcoming))
        walk.upcoming = len(upcoming)
        self._current = self.entries.filter(Q(date__lte=now) | Q(date__isnull=True))
        return walk

    def _walk_on(self, walk: Walk, need: int) -> None:
        """Read on through the newest ``WALK`` entries until ``need`` public matches are kept.

        The database tests each entry in date order and stops at the matches asked for (a
        common word: a few dozen entries read); the LIMIT inside keeps it from reaching for
        the full-text index. Row numbers say how far it read, for the estimate.
        """
        window = self._current.order_by(*NEWEST).values(
            "id", "date", "kind", "object_id", "grams_vector"
        )[:WALK]
        sql, params = window.query.sql_with_params()
        text_sql, text_params = self._text_condition("w")
        walk_sql = (
            "SELECT w.id, w.date, w.kind, w.object_id, w.n FROM (SELECT v.*, row_number() OVER"  # noqa: S608  # nosec B608 # our compiled SQL; the words are parameters
            f" (ORDER BY v.date DESC NULLS LAST, v.id DESC) AS n FROM ({sql}) v) w"
            f" WHERE w.n > %s AND w.n <= %s AND {text_sql} LIMIT %s"
        )
        # No ORDER BY outside: a sort would read the whole window before the LIMIT. The plan
        # is one pipeline (index scan, row numbers, test), so rows come in window order.
        share = 0.2  # of the matches, the public ones: drafts are among the newest entries
        while not walk.exhausted and len(walk.recent) < need:
            keep = round((need - len(walk.recent)) / share * 1.2) + 20
            # First a probe: if the word is too rare to fill the page in the window, the
            # index is asked from there instead of testing the rest of the window.
            upto = WALK if walk.read else min(PROBE, WALK)
            with connection.cursor() as cursor:
                cursor.execute(walk_sql, (*params, walk.read, upto, *text_params, keep))
                rows = sorted(cursor.fetchall(), key=lambda row: row[4])
            public = _public([(row[0], row[2], row[3]) for row in rows])
            walk.recent += [row[0] for row in rows if row[0] in public]
            walk.dates.update((row[0], row[1]) for row in rows)
            walk.hits += len(rows)
            share = max(0.05, len(public) / max(len(rows), 1))
            if len(rows) == keep:
                walk.read = rows[-1][4]
                continue
            boundary = self._key_at(upto)
            if (
                upto == WALK
                or not boundary
                or (len(walk.recent) - walk.upcoming) * WALK < need * upto
            ):
                # The window is read (or there are no more entries), or it would not fill
                # the page: the index answers for the older entries.
                walk.exhausted = True
                self._end_of_window(walk, upto, boundary)
            else:
                walk.read = upto

    def _key_at(self, position: int) -> list[Key]:
        """The key of the entry at ``position`` in the walk's order (empty if fewer)."""
        return list(
            self._current.order_by(*NEWEST).values_list("date", "pk")[position - 1 : position]
        )

    def _end_of_window(self, walk: Walk, position: int, boundary: list[Key]) -> None:
        """The walk stops after ``position`` entries: the index answers for the older ones."""
        if boundary:
            walk.boundary = boundary[0]
            walk.read = position
        else:  # the walk read every entry, and kept its public matches
            walk.total = len(walk.recent)
            walk.read = max(walk.hits, 1)

    def _upcoming(self, now) -> list[tuple[int, datetime.datetime]]:
        """Public matches dated after ``now``: upcoming events and speeches, newest first.

        An article's entry is dated by its publication, so one dated later is not public yet
        (scheduled); it comes into the walk when its time comes. (An article whose date was
        moved through ``QuerySet.update()``, bypassing its entry, waits for that entry's
        date, or for ``reindex_search``.)
        """
        later = list(
            self.entries.filter(date__gt=now)
            .exclude(kind=SearchEntry.Kind.ARTICLE)
            .values_list("pk", "kind", "object_id")
        )
        public = _public(later)
        if not public:
            return []
        return list(
            self._text_filter(SearchEntry.objects.filter(pk__in=public))
            .order_by(*NEWEST)
            .values_list("pk", "date")
        )

    def _from_index(self, walk: Walk, need: int) -> None:
        """The public matches older than the walk, from the full-text index, newest first.

        Only called once the walk kept all its public matches (it had fewer than ``need``).
        The index gives the candidates without reading their vectors. They are checked in
        order (a phrase on their vectors, the publication rule by id) until ``need`` results
        are kept, or all of them when they are few, which counts the matches exactly.
        """
        assert walk.boundary is not None  # noqa: S101  # nosec B101 # called only with one
        if walk.candidates is None:
            walk.candidates = []
            self._more_candidates(walk)
        if walk.all_candidates and len(walk.candidates) <= CHECK_ALL:
            need = len(walk.recent) + len(walk.candidates)  # check them all: an exact count
        phrase = self._has_phrase()
        while len(walk.older) < need - len(walk.recent):
            if walk.checked == len(walk.candidates):
                if walk.all_candidates:
                    break
                self._more_candidates(walk)
                continue
            missing = need - len(walk.recent) - len(walk.older)
            share = max(0.05, len(walk.older) / walk.checked) if walk.checked else 0.5
            chunk = walk.candidates[walk.checked : walk.checked + round(missing / share) + 5]
            matching = self._matching([row[0] for row in chunk]) if phrase else None
            rows = [row for row in chunk if matching is None or row[0] in matching]
            public = _public([(pk, kind, item) for pk, _, kind, item, _ in rows])
            walk.older += [row[0] for row in rows if row[0] in public]
            walk.dates.update((row[0], row[1]) for row in rows)
            walk.checked += len(chunk)
            walk.matched += len(rows)
        if walk.all_candidates and walk.checked == len(walk.candidates):
            walk.total = len(walk.recent) + len(walk.older)
            walk.estimated = None
        else:
            # The candidates not checked yet: those marked public when indexed (a hint, good
            # enough to estimate), times the share of the checked ones that matched.
            rest = sum(1 for row in walk.candidates[walk.checked :] if row[4])
            share = walk.matched / max(walk.checked, 1)
            walk.estimated = len(walk.recent) + len(walk.older) + round(share * rest)

    def _more_candidates(self, walk: Walk) -> None:
        """Read the next ``CANDIDATES`` entries older than the walk that hold every gram."""
        assert walk.boundary is not None and walk.candidates is not None  # noqa: S101  # nosec B101
        older = self.entries.filter(_older_than(walk.boundary))
        if walk.candidates:
            older = older.filter(_older_than((walk.candidates[-1][1], walk.candidates[-1][0])))
        rows = _by_index(
            self._candidate_filter(older)
            .order_by(*NEWEST)
            .values_list("pk", "date", "kind", "object_id", "is_public")[:CANDIDATES]
        )
        walk.candidates += rows
        walk.all_candidates = len(rows) < CANDIDATES

    def _has_phrase(self) -> bool:
        """Whether the index's candidates may not match: the words hold a phrase (PostgreSQL)."""
        return connection.vendor == "postgresql" and any(
            len(term.chain) > 1 for term in self.query.terms
        )

    def _candidate_filter(self, entries):
        """Entries holding every gram of the words, as the index alone tells (a superset)."""
        if connection.vendor != "postgresql":
            return self._text_filter(entries)  # FTS5 checks phrases in the index
        grams = dict.fromkeys(gram for term in self.query.terms for gram in term.chain)
        every = " & ".join(segmentation._pg_quote(g.lexeme, prefix=g.prefix) for g in grams)
        return entries.filter(grams_vector=SearchQuery(every, search_type="raw", config="simple"))

    def _matching(self, ids: list[int]) -> set[int]:
        """The entries among ``ids`` that match the words, each vector read by its id."""
        text_sql, text_params = self._text_condition("c")
        sql = (
            "WITH c AS MATERIALIZED (SELECT id, grams_vector FROM news_searchentry"  # noqa: S608  # nosec B608 # constant names; the words are a parameter
            f" WHERE id = ANY(%s)) SELECT c.id FROM c WHERE {text_sql}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(ids), *text_params])
            return {row[0] for row in cursor.fetchall()}

    def _public_matches(self):
        """The public entries among ``entries`` that hold every term of the query."""
        return public_entries().filter(pk__in=self._text_filter(self.entries).values("pk"))

    def _text_filter(self, entries):
        if connection.vendor == "postgresql":
            return entries.filter(
                grams_vector=SearchQuery(
                    segmentation.to_pg_tsquery(self.query), search_type="raw", config="simple"
                )
            )
        return entries.filter(
            pk__in=RawSQL(  # noqa: S611  # nosec B611 # the words are parameters
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608  # nosec B608 # the constant FTS table name
                [segmentation.to_fts5_match(self.query, column="grams")],
            )
        )

    def _text_condition(self, alias: str) -> tuple[str, list[str]]:
        if connection.vendor == "postgresql":
            return (
                f"{alias}.grams_vector @@ to_tsquery('simple', %s)",
                [segmentation.to_pg_tsquery(self.query)],
            )
        return (
            f"{alias}.id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",  # noqa: S608  # nosec B608 # constant names; the words are a parameter
            [segmentation.to_fts5_match(self.query, column="grams")],
        )

    def _ranks_of(self, ids: list[int]) -> dict[int, float]:
        missing = [pk for pk in ids if pk not in self._ranks]
        if missing:
            rank = (
                _postgresql_rank(self.query)
                if connection.vendor == "postgresql"
                else _sqlite_rank(self.query)
            )
            self._ranks.update(
                SearchEntry.objects.filter(pk__in=missing)
                .annotate(rank=rank)
                .values_list("pk", "rank")
            )
        return self._ranks


def _public(rows) -> set[int]:
    """The ids among ``rows`` (entry id, kind, item id) whose items a visitor may see now.

    By the items' own rules, asked per kind by id: a query that reaches for a few hundred
    items by their keys, where the entries' rule (``public_entries``) may read them all.
    """
    rules = {
        SearchEntry.Kind.ARTICLE: Article.objects.published(),
        SearchEntry.Kind.SPEECH: Speech.objects.public(),
        SearchEntry.Kind.EVENT: Event.objects.public(),
    }
    public: set[int] = set()
    for kind, items in rules.items():
        wanted = {object_id: pk for pk, row_kind, object_id in rows if row_kind == kind}
        if wanted:
            allowed = items.filter(pk__in=list(wanted)).values_list("pk", flat=True)
            public.update(wanted[object_id] for object_id in allowed)
    return public


def _newest_key(walk: Walk, pk: int):
    """Sort key for newest first (undated last), then the higher id first."""
    date = walk.dates.get(pk)
    return (date is None, -(date.timestamp() if date else 0), -pk)


def _older_than(key: Key) -> Q:
    """Entries after ``key`` in the order NEWEST."""
    date, pk = key
    if date is None:
        return Q(date__isnull=True, pk__lt=pk)
    return Q(date__lt=date) | Q(date=date, pk__lt=pk) | Q(date__isnull=True)


def _by_index(queryset) -> list:
    """Run ``queryset`` letting PostgreSQL use only the full-text index to find matches.

    The planner may walk the date index from the boundary instead, hoping for matches soon,
    which reads every entry for a word that is frequent only in older years.
    """
    if connection.vendor != "postgresql":
        return list(queryset)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        return list(queryset)


def _count_by_index(queryset) -> int:
    if connection.vendor != "postgresql":
        return queryset.count()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.count()


def _count(queryset) -> int:
    return queryset.count()


def _cached(queryset, prefix: str, compute) -> int:
    """``compute(queryset)``, cached under the query's SQL until the content changes."""
    sql, params = queryset.query.sql_with_params()
    # "now" (the publication rule's cutoff) left out, as the list pages' counts do.
    digest = hashlib.sha256(f"{sql}|{without_now(params)!r}".encode()).hexdigest()
    key = f"{prefix}:{pagecache.generation()}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute(queryset)
        timeout = min(pagecache.settings.PAGE_CACHE_SECONDS, pagecache.seconds_until_due())
        if timeout > 0:
            cache.set(key, value, timeout)
    return value
