"""The one tsvector encoder: what the site's index and the demo data store on PostgreSQL."""

import io
import struct
from pathlib import Path

import pytest
from django.db import connection

from news import segmentation

SEED = Path(__file__).resolve().parents[2] / "demo" / "articles" / "000_jinggangshan_speech.txt"
TEXTS = (
    "律师协会召开会议",
    "2010年7月30日，司法部在井冈山召开全国律师行业党建工作座谈会。",
    "ABC律所（Ｌａｗ Ｆｉｒｍ）于1988年成立，e1 1e5 0x1f v2 2v 3.14 a-b",
    "Café naïve ÀÉÎ ß 〇 𠀀字",
    "律师协会召开会议，2016年ABC律所（Ｌａｗ）" * 1500,  # past 16383 positions and 255 a lexeme
)


def test_a_literal_lists_each_lexeme_once_in_code_point_order_with_its_positions():
    assert segmentation.tsvector_literal(["律师", "协会", "律师", "a1"]) == "a1:4 协会:2 律师:1,3"


def test_positions_past_the_limit_count_as_the_last_one_and_a_lexeme_keeps_255():
    tokens = ["律师"] * 300 + [f"w{n}" for n in range(segmentation.PG_MAX_POSITION)] + ["尾"]
    literal = dict(item.split(":") for item in segmentation.tsvector_literal(tokens).split())

    assert len(literal["律师"].split(",")) == segmentation.PG_MAX_POSITIONS_PER_LEXEME
    assert literal["尾"] == str(segmentation.PG_MAX_POSITION)


def test_tsvectors_encode_both_columns_of_the_index_terms():
    terms = segmentation.index_terms(TEXTS[1])

    assert segmentation.tsvectors(terms) == (
        segmentation.tsvector_literal(terms.grams.split()),
        segmentation.tsvector_literal(terms.words.split()),
    )


@pytest.mark.django_db
@pytest.mark.parametrize("text", [*TEXTS, SEED.read_text(encoding="utf-8")])
def test_literals_equal_what_postgresql_makes_of_the_terms(text):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's to_tsvector is what the literals stand for")
    terms = segmentation.index_terms(text)
    literals = segmentation.tsvectors(terms)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT %s::tsvector = to_tsvector('simple', %s),"
            " %s::tsvector = to_tsvector('simple', %s)",
            [literals.grams, terms.grams, literals.words, terms.words],
        )
        assert cursor.fetchone() == (True, True)


def read_tsvector_binary(data: bytes) -> str:
    """The literal of a binary tsvector, read as PostgreSQL's tsvectorrecv reads it."""
    (count,) = struct.unpack_from(">i", data)
    offset, lexemes = 4, []
    for _ in range(count):
        end = data.index(b"\0", offset)
        lexeme = data[offset:end].decode()
        (npos,) = struct.unpack_from(">H", data, end + 1)
        positions = struct.unpack_from(f">{npos}H", data, end + 3)
        offset = end + 3 + 2 * npos
        lexemes.append(f"{lexeme}:{','.join(map(str, positions))}")
    assert offset == len(data)
    return " ".join(lexemes)


@pytest.mark.parametrize("text", [*TEXTS, SEED.read_text(encoding="utf-8")])
def test_the_binary_form_holds_what_the_literal_holds(text):
    terms = segmentation.index_terms(text, text[:200])
    literals = segmentation.tsvectors(terms)
    binary = segmentation.index_tsvectors(text, text[:200], binary=True)
    assert read_tsvector_binary(binary.grams) == literals.grams
    assert read_tsvector_binary(binary.words) == literals.words


@pytest.mark.django_db
@pytest.mark.parametrize("text", [*TEXTS, SEED.read_text(encoding="utf-8")])
def test_the_binary_form_is_what_postgresql_makes_of_the_terms(text):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's to_tsvector is what the binary form stands for")
    terms = segmentation.index_terms(text)
    binary = segmentation.index_tsvectors(text, binary=True)
    row = struct.pack(">h", 2) + b"".join(struct.pack(">i", len(value)) + value for value in binary)
    data = b"PGCOPY\n\xff\r\n\0" + struct.pack(">ii", 0, 0) + row + struct.pack(">h", -1)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE encoded (grams tsvector, words tsvector)")
        cursor.copy_expert("COPY encoded FROM STDIN WITH (FORMAT binary)", io.BytesIO(data))
        cursor.execute(
            "SELECT grams = to_tsvector('simple', %s), words = to_tsvector('simple', %s)"
            " FROM encoded",
            [terms.grams, terms.words],
        )
        assert cursor.fetchone() == (True, True)
