"""Chinese full-text search without a Chinese tokenizer in the database.

Plain Python, no Django: the models store what `index_terms` returns, the search view turns
the visitor's input into a database expression with `parse_query` and one of the `to_*`
functions, and the template shows `highlight` segments.

Two columns per item
--------------------
``words``
    jieba's tokens, each followed by the known words inside it (as ``cut_for_search`` does),
    with the bar association's words from ``search_dictionary.txt``; lower-cased, punctuation
    dropped. Used for ranking only. A query for 和服 must find "加强和服务" (it is a
    substring), but only an item with the word 和服 has it in its words, so whole-word hits
    rank first; and 三会一课 is one word there, not 三会/会一/一课. Only the item's title
    and lead are segmented so (``index_terms``'s ``ranked``): that is what says what an
    item is about, and it keeps both the segmenting and the ranking short.
``grams``
    The character stream used for matching. A run is a maximal sequence of Chinese
    characters, Latin letters and digits (7月30日在井冈山召开 is one run); each run
    ``c1 … cn`` becomes its overlapping bigrams followed by its last character alone
    (``c1c2 c2c3 … cn-1cn cn``; a one-character run is just ``c1``), all in text order.
    Stored as ``to_tsvector('simple', grams)`` on PostgreSQL and as an FTS5 column on
    SQLite; both number tokens by their order.

Why bigrams find every substring
--------------------------------
A string ``s`` of length m >= 2 occurs in a run exactly when the run's stream has
``s1s2, s2s3, …, sm-1sm`` at consecutive positions, because consecutive bigrams of a run
overlap by one character and spell the run. So a query term is that chain as a phrase
(PostgreSQL ``<->``, an FTS5 "phrase"), and nothing is missed: recall is 100% against a
substring scan, which is what ``matches`` computes. A word segmenter alone cannot promise
this (jieba does not emit 师协 for 律师协会, nor the bigram across two words), and neither
can whole Latin words (0日 occurs in 7月30日, law in lawyer).

The trailing single character ends each run. It gives one-character queries something to
find (``'律':*`` matches a bigram starting with 律 or a run ending in 律), and, being a token
that no chain of bigrams contains, it stops a chain from running across two runs: for
"…创先争优，优秀…" the stream is ``… 争优 优 优秀 …``, so 争优秀 is not found. No separator
word is needed, so nothing in real text can collide with one.

Punctuation and spaces are never searched for. A term that has them inside (a quoted
"law firm", or 律师，协会 typed as one term) is split into pieces, and each gap must be some
punctuation or space in the text: the first piece ends a run (its chain is followed by its
last character alone), the next starts the following run (adjacency does that), and so on.
``matches`` states the same rule directly on the text, and the tests check that both agree.

Using it
--------
PostgreSQL: ``grams_vector @@ to_tsquery('simple', to_pg_tsquery(q))`` over
``to_tsvector('simple', grams)`` (GIN), ordered by ``ts_rank(words_vector,
to_tsquery('simple', to_pg_rank_tsquery(q)))``. SQLite: an FTS5 table ``fts5(words, grams)``
(the default unicode61 tokenizer keeps every gram whole, as grams hold only letters, digits
and spaces) with ``MATCH to_fts5_match(q, column="grams")``. Check ``if query:`` first: an
empty query yields "".

PostgreSQL limits
-----------------
A tsvector keeps positions only up to 16383 and at most 255 positions per lexeme, so a
phrase can be missed in a very long text. ``index_terms`` therefore appends
``LONG_TEXT_MARKER`` to the grams of such a text, and ``to_pg_tsquery`` accepts, beside the
phrase, all of a term's grams anywhere in a marked text. Recall stays 100%; only those long
texts can match a term whose grams are all present but not adjacent. The marker is a Greek
letter, which the folding below never lets through from real text.

Characters
----------
Text and queries are folded alike: NFKD compatibility forms (full-width Ａ１ → a1), case
folded, accents dropped, so a search is case-insensitive. Chinese characters are the Han
ideographs of Unicode 10 (plus 〇), which every current C library classifies as letters;
later additions would be dropped by PostgreSQL's parser on an older server and shift
positions, so they are treated like punctuation here. Any character that is not Chinese, a
Latin letter or a digit after folding separates runs.
"""

import functools
import logging
import re
import struct
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import NamedTuple


def _import_jieba():
    """jieba, reading its bundled dictionary by path rather than through pkg_resources.

    jieba uses pkg_resources when it can import it, and opens the files by path when it
    cannot. pkg_resources is deprecated and costs every process that segments text (each web
    worker) about 7 MB and 130 ms to import, for two file reads: it is hidden while jieba loads.
    """
    hidden = "pkg_resources" not in sys.modules
    if hidden:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import raises ImportError
    try:
        import jieba
    finally:
        if hidden:
            del sys.modules["pkg_resources"]
    return jieba


jieba = _import_jieba()
jieba.setLogLevel(logging.WARNING)

USER_DICTIONARY = Path(__file__).with_name("search_dictionary.txt")

MAX_QUERY_LENGTH = 1000  # characters of raw input looked at
MAX_TERMS = 10
MAX_TERM_LENGTH = 50  # folded characters kept per term
MAX_WORD_LENGTH = 64  # a longer Latin word is cut in the words column (ranking only)
PG_MAX_POSITION = 16383
PG_MAX_POSITIONS_PER_LEXEME = 255
LONG_TEXT_MARKER = "λ"

_HAN_RANGES = (
    "\u3007"
    "\u3400-\u4db5"
    "\u4e00-\u9fea"
    "\uf900-\ufa6d\ufa70-\ufad9"
    "\U00020000-\U0002a6d6"
    "\U0002a700-\U0002b734"
    "\U0002b740-\U0002b81d"
    "\U0002b820-\U0002cea1"
    "\U0002ceb0-\U0002ebe0"
)
_HAN = re.compile(f"[{_HAN_RANGES}]")
_RUN = re.compile(f"[{_HAN_RANGES}a-z0-9]+")
_QUERY_TERM = re.compile(r'"([^"]*)"?|「([^」]*)」?|“([^”]*)”?|『([^』]*)』?|([^\s"「“『]+)')
_FTS5_COLUMN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Gram(NamedTuple):
    """One element of a term's chain: a token, or a token prefix (``'律':*``)."""

    lexeme: str
    prefix: bool = False


@dataclass(frozen=True)
class IndexText:
    """What to store for one item: two space-separated token strings."""

    words: str
    grams: str


@dataclass(frozen=True)
class Term:
    """One term of a query: its folded pieces, its chain over ``grams``, its jieba words."""

    pieces: tuple[str, ...]
    chain: tuple[Gram, ...]
    words: tuple[str, ...]


@dataclass(frozen=True)
class Query:
    """The visitor's input as terms that must all occur. Falsy when nothing is searchable."""

    terms: tuple[Term, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.terms)


class _Run(NamedTuple):
    value: str
    start: int  # offset in the folded text


@functools.cache
def load_user_dictionary() -> None:
    """Teach jieba the bar association's words. Runs once; later calls do nothing."""
    jieba.load_userdict(str(USER_DICTIONARY))


def index_terms(text: str, ranked: str | None = None) -> IndexText:
    """Return the ``words`` and ``grams`` columns for an item's plain text.

    ``grams`` (what a search matches) cover all of ``text``; ``words`` (what ranks the
    matches) cover ``ranked`` if given, the part of the item that says what it is about
    (its title and lead), and the whole text otherwise.
    """
    words, grams = _index_tokens(text, ranked)
    return IndexText(words=" ".join(words), grams=" ".join(grams))


def index_tsvectors(text: str, ranked: str | None = None, *, binary: bool = False) -> "TsVectors":
    """``tsvectors(index_terms(text, ranked))``, without joining the tokens and splitting them.

    With ``binary``, in PostgreSQL's binary form (``tsvector_binary``) rather than literals.
    """
    words, grams = _index_tokens(text, ranked)
    encode = tsvector_binary if binary else tsvector_literal
    return TsVectors(encode(grams), encode(words))


def _index_tokens(text: str, ranked: str | None) -> tuple[list[str], list[str]]:
    """The tokens of ``index_terms``'s words and grams (long-text marker included)."""
    folded = _folded(text)
    # Runs and chunks are looked up in their caches and chained in C: no Python-level
    # operation per character or per token on the common path.
    grams = list(chain.from_iterable(map(_run_grams, _RUN.findall(folded))))
    chunks = (folded if ranked is None else _folded(ranked)).split()
    words = list(chain.from_iterable(map(_chunk_words, chunks)))
    return words, marked_if_long(grams)


# Indexing many items: text repeats its clauses (set phrases, names, dates), so a clause's
# grams and words are kept once computed. jieba never joins words across a space (nor a
# gram a run), so a text's terms are its clauses' terms in order; the tests check it.
@functools.lru_cache(maxsize=1 << 16)
def _run_grams(run: str) -> tuple[str, ...]:
    return tuple(_grams(run))


@functools.lru_cache(maxsize=1 << 16)
def _chunk_words(chunk: str) -> tuple[str, ...]:
    return tuple(_words(chunk))


_NOT_KEPT = re.compile(f"([^{_HAN_RANGES}a-z0-9]+)")


def _folded(text: str) -> str:
    """``_fold_by_character(text)[0]``, quicker: Chinese characters, a-z and 0-9 are kept.

    The text is split around what must be folded (punctuation, spaces, capitals, full-width
    forms), each such stretch folded once (cached), and all joined again.
    """
    parts = _NOT_KEPT.split(text)
    parts[1::2] = map(_folded_stretch, parts[1::2])
    return "".join(parts)


@functools.lru_cache(maxsize=1 << 14)
def _folded_stretch(stretch: str) -> str:
    return "".join(map(_fold_char, stretch))


def marked_if_long(grams: list[str]) -> list[str]:
    """``grams``, with ``LONG_TEXT_MARKER`` appended if PostgreSQL would lose positions."""
    if grams and (
        len(grams) > PG_MAX_POSITION or max(Counter(grams).values()) > PG_MAX_POSITIONS_PER_LEXEME
    ):
        grams.append(LONG_TEXT_MARKER)
    return grams


class TsVectors(NamedTuple):
    """The tsvectors of an item's ``grams`` and ``words``, as PostgreSQL stores them.

    Literals (``str``, ``tsvector_literal``) or, for a binary COPY, PostgreSQL's binary form
    (``bytes``, ``tsvector_binary``).
    """

    grams: str | bytes
    words: str | bytes


def tsvectors(terms: IndexText) -> TsVectors:
    """The literals of ``to_tsvector('simple', …)`` of both columns (see ``tsvector_literal``)."""
    return TsVectors(tsvector_literal(terms.grams.split()), tsvector_literal(terms.words.split()))


_POSITIONS = tuple(str(position) for position in range(1, PG_MAX_POSITION + 1))


def tsvector_literal(tokens: Sequence[str]) -> str:
    """``to_tsvector('simple', " ".join(tokens))`` as tsvector text, for ``index_terms``'s tokens.

    Those tokens hold only folded letters, digits and Chinese characters, which PostgreSQL's
    parser takes whole, each at the next position. As to_tsvector does, a position above
    16383 counts as 16383 and a lexeme keeps its first 255 positions. The lexemes come in
    PostgreSQL's order (by code point, as its byte-wise order of UTF-8), which spares it a
    sort. Built in Python, this costs PostgreSQL about half of what its parser costs on
    Chinese text; ``news.search.store_entries`` compares one entry a batch with to_tsvector's.
    """
    positions = _lexeme_positions(tokens, _POSITIONS)
    cap = PG_MAX_POSITIONS_PER_LEXEME
    return " ".join([token + ":" + ",".join(positions[token][:cap]) for token in sorted(positions)])


# Each position as PostgreSQL's binary tsvector holds it (uint16, network order, no weight),
# and each count of positions likewise, lexeme's NUL terminator first.
_POSITION_BYTES = tuple(struct.pack(">H", position) for position in range(1, PG_MAX_POSITION + 1))
_COUNT_BYTES = tuple(struct.pack(">xH", count) for count in range(PG_MAX_POSITIONS_PER_LEXEME + 1))


def tsvector_binary(tokens: Sequence[str]) -> bytes:
    """``tsvector_literal(tokens)`` in PostgreSQL's binary form (what ``tsvectorrecv`` reads).

    An int32 count of lexemes, then each lexeme in the literal's order: its UTF-8 bytes, a NUL,
    a uint16 count of positions and the positions as uint16, all in network byte order. The
    server copies it as it is, where it parses a literal character by character.
    """
    positions = _lexeme_positions(tokens, _POSITION_BYTES)
    cap = PG_MAX_POSITIONS_PER_LEXEME
    parts = [struct.pack(">i", len(positions))]
    for token in sorted(positions):
        known = positions[token][:cap]
        parts.append(token.encode() + _COUNT_BYTES[len(known)] + b"".join(known))
    return b"".join(parts)


def _lexeme_positions(tokens: Sequence[str], values: tuple) -> dict[str, list]:
    """Each token's positions as ``values[position - 1]``: as to_tsvector numbers them.

    A position above 16383 counts as 16383, so a later token is recorded there once.
    """
    positions: dict[str, list] = {}
    for token, value in zip(tokens, values, strict=False):  # the rest: just below
        positions.setdefault(token, []).append(value)
    last = values[-1]
    for token in tokens[len(values) :]:
        known = positions.setdefault(token, [])
        if not known or known[-1] != last:
            known.append(last)
    return positions


def parse_query(q: object) -> Query:
    """Parse search input: whitespace separates terms, quotes ("…", 「…」) keep one term.

    Never raises. Input beyond the caps is dropped, which can only widen the result.
    """
    if not isinstance(q, str):
        return Query()
    q = unicodedata.normalize("NFKC", q[:MAX_QUERY_LENGTH])
    terms: list[Term] = []
    for match in _QUERY_TERM.finditer(q):
        term = _term(next(group for group in match.groups() if group is not None))
        if term is not None and term not in terms:
            terms.append(term)
            if len(terms) == MAX_TERMS:
                break
    return Query(tuple(terms))


def to_pg_tsquery(query: Query) -> str:
    """Return text for ``to_tsquery('simple', …)`` against the grams vector ("" if empty)."""
    return " & ".join(_pg_term(term) for term in query.terms)


def to_pg_rank_tsquery(query: Query) -> str:
    """Return text for ``to_tsquery('simple', …)`` to rank by the words vector (any word)."""
    words = dict.fromkeys(word for term in query.terms for word in term.words)
    return " | ".join(_pg_quote(word) for word in words)


def to_fts5_match(query: Query, *, column: str | None = None) -> str:
    """Return an FTS5 MATCH expression over the grams column ("" if empty).

    Give ``column`` when the FTS5 table has other columns (such as words) that must not match.
    """
    expression = " AND ".join(_fts5_phrase(term.chain) for term in query.terms)
    return _fts5_filter(expression, column)


def to_fts5_rank_match(query: Query, *, column: str | None = None) -> str:
    """Return an FTS5 MATCH expression that finds any of the query's words, for ranking."""
    words = dict.fromkeys(word for term in query.terms for word in term.words)
    expression = " OR ".join(_fts5_phrase((Gram(word),)) for word in words)
    return _fts5_filter(expression, column)


def matches(text: str, query: Query) -> bool:
    """Tell whether every term occurs in ``text``: the rule the index implements.

    After folding, a term is a substring of ``text``; a term with punctuation or spaces
    inside matches its pieces around any punctuation or spaces. An empty query matches nothing.
    """
    if not query:
        return False
    runs = _runs(_fold(text)[0])
    return all(next(_term_spans(runs, term), None) is not None for term in query.terms)


def highlight(text: str, query: Query, *, width: int = 120) -> list[tuple[str, bool]]:
    """Cut a snippet of about ``width`` characters around the first match.

    Returns ``(text, is_match)`` segments for a template to escape and wrap in <mark>;
    an ellipsis marks each cut end. Without a match the snippet is the start of the text.
    """
    width = max(width, 1)
    folded, origins = _fold(text)
    runs = _runs(folded)
    spans = sorted(
        (origins[start], origins[end - 1] + 1)
        for term in query.terms
        for start, end in _term_spans(runs, term)
    )
    start = max(0, spans[0][0] - width // 4) if spans else 0
    end = min(len(text), start + width)
    start = max(0, end - width)

    segments: list[tuple[str, bool]] = []
    position = start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, position), min(span_end, end)
        if span_start < span_end:
            _append(segments, text[position:span_start], False)
            _append(segments, text[span_start:span_end], True)
            position = span_end
    _append(segments, text[position:end], False)
    if start > 0:
        segments.insert(0, ("…", False))
    if end < len(text):
        segments.append(("…", False))
    return _merged(segments)


@functools.lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    if char.isascii():
        return char.lower() if char.isalnum() else " "
    if _HAN.match(char):
        return char
    decomposed = unicodedata.normalize("NFKD", char.casefold())
    return "".join(
        c if (c.isascii() and c.isalnum()) or _HAN.match(c) else " "
        for c in decomposed
        if not unicodedata.combining(c)
    )


def _fold(text: str) -> tuple[str, Sequence[int]]:
    """Fold ``text``; return it with the offset in ``text`` of each folded character.

    Quick: only the stretches that need folding (punctuation, spaces, capitals, full-width
    forms; ``_folded``'s) are folded, each once (cached). When each of them folds character
    for character, the offsets are the text's own; a stretch with a character that folds to
    none or to several (…, ﬁ, a lone accent) brings its own offsets.
    """
    parts = _NOT_KEPT.split(text)
    stretches = parts[1::2]
    if all(map(_folds_one_to_one, stretches)):
        parts[1::2] = map(_folded_stretch, stretches)
        return "".join(parts), range(len(text))
    folded: list[str] = []
    origins: list[int] = []
    offset = 0
    for index, part in enumerate(parts):
        if index % 2 and not _folds_one_to_one(part):
            piece, relative = _folded_with_origins(part)
            origins.extend([offset + origin for origin in relative])
        else:
            piece = _folded_stretch(part) if index % 2 else part
            origins.extend(range(offset, offset + len(part)))
        folded.append(piece)
        offset += len(part)
    return "".join(folded), origins


@functools.lru_cache(maxsize=1 << 14)
def _folds_one_to_one(stretch: str) -> bool:
    return all(len(_fold_char(char)) == 1 for char in stretch)


@functools.lru_cache(maxsize=1 << 12)
def _folded_with_origins(stretch: str) -> tuple[str, tuple[int, ...]]:
    folded, origins = _fold_by_character(stretch)
    return folded, tuple(origins)


def _fold_by_character(text: str) -> tuple[str, list[int]]:
    """``_fold``, the rule itself: each character folded, with the offset it came from."""
    parts: list[str] = []
    origins: list[int] = []
    for offset, char in enumerate(text):
        folded = _fold_char(char)
        parts.append(folded)
        origins.extend([offset] * len(folded))
    return "".join(parts), origins


def _runs(folded: str) -> list[_Run]:
    return [_Run(m.group(), m.start()) for m in _RUN.finditer(folded)]


def _grams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def _words(folded: str) -> list[str]:
    return [
        run[:MAX_WORD_LENGTH] for token in _cut_for_search(folded) for run in _RUN.findall(token)
    ]


def _cut_for_search(text: str) -> Iterator[str]:
    """Like ``jieba.cut_for_search``, but yield known words of every length inside a word.

    jieba looks only for two- and three-character words inside a longer one, so 创先争优
    would not come out of 创先争优活动.
    """
    load_user_dictionary()
    for word in jieba.cut(text):
        for length in range(2, len(word)):
            for start in range(len(word) - length + 1):
                if jieba.get_FREQ(word[start : start + length]):
                    yield word[start : start + length]
        yield word


def _term(raw: str) -> Term | None:
    pieces: list[str] = []
    budget = MAX_TERM_LENGTH
    for run in _runs(_fold(raw)[0]):
        if budget:
            # A cut piece is the start of a match, so cutting only widens the result.
            pieces.append(run.value[:budget])
            budget -= len(pieces[-1])
    if not pieces:
        return None
    return Term(tuple(pieces), _chain(pieces), tuple(_words(" ".join(pieces))))


def _chain(pieces: list[str]) -> tuple[Gram, ...]:
    chain: list[Gram] = []
    for index, piece in enumerate(pieces):
        chain.extend(Gram(piece[i : i + 2]) for i in range(len(piece) - 1))
        if index < len(pieces) - 1:  # another piece follows, so the run must end here
            chain.append(Gram(piece[-1]))
        elif len(piece) == 1:  # a bigram starting with it, or a run ending in it
            chain.append(Gram(piece, prefix=True))
    return tuple(chain)


def _term_spans(runs: list[_Run], term: Term) -> Iterator[tuple[int, int]]:
    """Yield the folded-text spans where ``term`` occurs, by the rule of ``matches``."""
    pieces = term.pieces
    if len(pieces) == 1:
        for run in runs:
            found = run.value.find(pieces[0])
            while found != -1:
                yield run.start + found, run.start + found + len(pieces[0])
                found = run.value.find(pieces[0], found + 1)
        return
    for first in range(len(runs) - len(pieces) + 1):
        window = runs[first : first + len(pieces)]
        if (
            window[0].value.endswith(pieces[0])
            and window[-1].value.startswith(pieces[-1])
            and all(
                run.value == piece for run, piece in zip(window[1:-1], pieces[1:-1], strict=True)
            )
        ):
            start = window[0].start + len(window[0].value) - len(pieces[0])
            yield start, window[-1].start + len(pieces[-1])


def _pg_quote(lexeme: str, *, prefix: bool = False) -> str:
    quoted = lexeme.replace("\\", "\\\\").replace("'", "''")
    return f"'{quoted}'" + (":*" if prefix else "")


def _pg_term(term: Term) -> str:
    phrase = " <-> ".join(_pg_quote(gram.lexeme, prefix=gram.prefix) for gram in term.chain)
    if len(term.chain) == 1:
        return phrase
    anywhere = " & ".join(
        _pg_quote(gram.lexeme, prefix=gram.prefix) for gram in dict.fromkeys(term.chain)
    )
    return f"({phrase} | {_pg_quote(LONG_TEXT_MARKER)} & {anywhere})"


def _fts5_phrase(chain: tuple[Gram, ...]) -> str:
    # Only a term's last gram can be a prefix, which is what FTS5's "…"* expresses.
    tokens = " ".join(gram.lexeme for gram in chain).replace('"', '""')
    return f'"{tokens}"' + ("*" if chain[-1].prefix else "")


def _fts5_filter(expression: str, column: str | None) -> str:
    if not expression or column is None:
        return expression
    if not _FTS5_COLUMN.fullmatch(column):
        raise ValueError(f"not an FTS5 column name: {column!r}")
    return f"{column} : ({expression})"


def _append(segments: list[tuple[str, bool]], text: str, is_match: bool) -> None:
    if text:
        segments.append((text, is_match))


def _merged(segments: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Collapse whitespace (snippets are one line) and join neighbours of the same kind."""
    result: list[tuple[str, bool]] = []
    for text, is_match in segments:
        text = re.sub(r"\s+", " ", text)
        if result and result[-1][1] == is_match:
            result[-1] = (result[-1][0] + text, is_match)
        else:
            result.append((text, is_match))
    return result
