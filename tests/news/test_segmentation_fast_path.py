"""The quick encoder (cached stretches and runs, chained in C) against a plain reference.

The reference folds character by character (``_fold_by_character``), segments each clause
and builds the tsvector literal position by position, as the module's docstring states the
rules; the index's encoder must give the very same columns and literals on any text, and
the quick folding with offsets (``_fold``, which the snippets use) the reference's.
"""

import random
from collections import Counter, defaultdict

import pytest

from news import segmentation
from news.segmentation import (
    LONG_TEXT_MARKER,
    PG_MAX_POSITION,
    PG_MAX_POSITIONS_PER_LEXEME,
    index_terms,
    index_tsvectors,
    tsvector_literal,
    tsvectors,
)

PIECES = [
    "律师协会",
    "创先争优活动",
    "三会一课",
    "党支部书记",
    "7月30日在井冈山召开",
    "Law Firm",
    "ＡＢＣ１２３",
    "ｌａｗ",
    "Ｌｅｇａｌ",
    "café",
    "ﬁnance",
    "Ⅻ",
    "①②",
    "〇",
    "㐀㐁",
    "\U00020000",
    "\U0002ebf0",
    "，",
    "。",
    "、",
    "“",
    "”",
    "《",
    "》",
    "（",
    "）",
    "——",
    "…",
    "\u3000",
    " ",
    "\n",
    "\t",
    "!?",
    "&amp;",
    "'",
    '"',
    "\\",
    "😀",
    "x" * 70,
    "2010",
    "λ",
    "Ω",
]


def reference_terms(text: str, ranked: str | None = None) -> tuple[list[str], list[str]]:
    folded = segmentation._fold_by_character(text)[0]
    grams = [gram for run in segmentation._RUN.findall(folded) for gram in segmentation._grams(run)]
    source = folded if ranked is None else segmentation._fold_by_character(ranked)[0]
    words = [word for chunk in source.split() for word in segmentation._words(chunk)]
    if grams and (
        len(grams) > PG_MAX_POSITION or max(Counter(grams).values()) > PG_MAX_POSITIONS_PER_LEXEME
    ):
        grams.append(LONG_TEXT_MARKER)
    return words, grams


def reference_literal(tokens: list[str]) -> str:
    positions: dict[str, list[int]] = defaultdict(list)
    for index, token in enumerate(tokens, start=1):
        position = min(index, PG_MAX_POSITION)
        if position not in positions[token]:
            positions[token].append(position)
    return " ".join(
        f"{token}:{','.join(map(str, known[:PG_MAX_POSITIONS_PER_LEXEME]))}"
        for token, known in sorted(positions.items())
    )


def varied_texts(seed: int, count: int, length: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randrange(length))) for _ in range(count)]


TEXTS = [
    "",
    "，。",
    "律",
    "Ａ",
    "律师" * 300,  # 律师 more often than a lexeme keeps positions
    "律师协会召开会议，" * 3000,  # more grams than PostgreSQL numbers
    "".join(chr(code) for code in range(0x20, 0x3000, 7)),
    *varied_texts(1, 60, 200),
    *varied_texts(2, 4, 6000),
]


@pytest.mark.parametrize("text", TEXTS)
def test_index_terms_are_the_reference_terms(text):
    ranked = text[:200]
    words, grams = reference_terms(text, ranked)
    terms = index_terms(text, ranked)
    assert terms.grams.split() == grams
    assert terms.words.split() == words
    assert index_terms(text).words.split() == reference_terms(text)[0]


@pytest.mark.parametrize("text", TEXTS)
def test_index_tsvectors_are_the_reference_literals(text):
    ranked = text[:200]
    words, grams = reference_terms(text, ranked)
    expected = (reference_literal(grams), reference_literal(words))
    assert tuple(index_tsvectors(text, ranked)) == expected
    assert tuple(tsvectors(index_terms(text, ranked))) == expected


@pytest.mark.parametrize("text", TEXTS)
def test_folding_with_offsets_is_the_reference_folding(text):
    folded, origins = segmentation._fold(text)
    expected_folded, expected_origins = segmentation._fold_by_character(text)
    assert folded == expected_folded
    assert list(origins) == expected_origins


def test_long_texts_are_marked_and_capped_as_postgresql_does():
    text = "律师协会召开会议，" * 3000 + "井冈山"
    _, grams = reference_terms(text)
    assert grams[-1] == LONG_TEXT_MARKER
    literal = dict(item.split(":") for item in tsvector_literal(grams).split())
    assert literal["律师"].split(",")[:2] == ["1", "9"]
    assert len(literal["律师"].split(",")) == PG_MAX_POSITIONS_PER_LEXEME
    assert literal["井冈"] == literal[LONG_TEXT_MARKER] == str(PG_MAX_POSITION)
    assert tsvector_literal(grams) == reference_literal(grams)
