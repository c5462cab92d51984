import random
import re
import sqlite3
from collections import Counter, defaultdict

import pytest

from news.segmentation import (
    LONG_TEXT_MARKER,
    MAX_TERM_LENGTH,
    MAX_TERMS,
    PG_MAX_POSITION,
    PG_MAX_POSITIONS_PER_LEXEME,
    USER_DICTIONARY,
    Gram,
    Query,
    highlight,
    index_terms,
    load_user_dictionary,
    matches,
    parse_query,
    to_fts5_match,
    to_fts5_rank_match,
    to_pg_rank_tsquery,
    to_pg_tsquery,
)

SAMPLE = (
    "全国律师行业党的基层组织和党员创先争优活动座谈会7月30日在井冈山召开。"
    "司法部党组书记、部长吴爱英在会上讲话时强调，各级司法行政机关要认真学习贯彻"
    "中央领导同志重要讲话精神。建立健全\u201c三会一课\u201d制度，完善组织生活会制度。"
)

CORPUS = [
    SAMPLE,
    "市律协召开律师事务所党支部书记座谈会，部署主题党日和组织生活会工作。",
    "加强和服务律师行业；法律援助中心提供公益法律服务。",
    "创先争优，优秀律师代表发言。Law Firm 2010年度考核",
    "他是律师。师协作的事另行通知",
]

HOSTILE = [
    "",
    "   ",
    "\u3000\u3000",
    "\t\n\r",
    "'",
    "''",
    '"',
    '""',
    "\\",
    "\\'",
    "&|!():*<>",
    "'律师' & !'协会' | (",
    "律师 <-> ! :* &",
    '"unterminated phrase 律师',
    "「律师",
    "」」「「",
    "'; DROP TABLE news_article; --",
    "1 OR 1=1",
    "NEAR(律师 协会) AND OR NOT",
    "* ^ + - { } [ ] :",
    "a\x00b\x1f\x7f",
    "\ud800律师\udfff",
    "\U0001f600\u200b\ufeff",
    "律" * 10_000,
    "律师 " * 5_000,
    "x" * 10_000,
]

_HAN_CLASS = "[\u3007\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]"
_SAFE_TSQUERY_OPERAND = rf"'(?:(?:[a-z0-9]|{_HAN_CLASS})+|λ)'(?::\*)?"
_SAFE_TSQUERY = re.compile(rf"(?:{_SAFE_TSQUERY_OPERAND}|<->|&|\||\(|\)|\s)*")


def phrase_occurs(grams: str, chain: tuple[Gram, ...]) -> bool:
    """Evaluate a phrase as PostgreSQL's <-> and FTS5 phrases do: consecutive positions."""
    tokens = grams.split()
    return any(
        all(
            token.startswith(gram.lexeme) if gram.prefix else token == gram.lexeme
            for token, gram in zip(tokens[start : start + len(chain)], chain, strict=True)
        )
        for start in range(len(tokens) - len(chain) + 1)
    )


def index_finds(text: str, query: Query) -> bool:
    grams = index_terms(text).grams
    return bool(query) and all(phrase_occurs(grams, term.chain) for term in query.terms)


def substrings(text: str, length: int) -> set[str]:
    return {text[i : i + length] for i in range(len(text) - length + 1)}


@pytest.fixture
def fts5():
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE VIRTUAL TABLE search USING fts5(words, grams)")
    for rowid, text in enumerate(CORPUS):
        terms = index_terms(text)
        connection.execute(
            "INSERT INTO search (rowid, words, grams) VALUES (?, ?, ?)",
            (rowid, terms.words, terms.grams),
        )
    yield connection
    connection.close()


def fts5_rows(connection: sqlite3.Connection, expression: str) -> set[int]:
    if not expression:
        return set()
    rows = connection.execute("SELECT rowid FROM search WHERE search MATCH ?", (expression,))
    return {rowid for (rowid,) in rows}


def test_a_word_is_found_inside_a_longer_word():
    assert matches("市律师协会召开会议", parse_query("律师"))
    assert index_finds("市律师协会召开会议", parse_query("律师"))


def test_every_two_character_substring_of_the_sample_is_found_in_the_grams():
    for bigram in substrings(SAMPLE, 2):
        query = parse_query(bigram)
        if query:
            assert matches(SAMPLE, query), bigram
            assert index_finds(SAMPLE, query), bigram


def test_every_substring_of_the_sample_up_to_eight_characters_is_found_in_the_grams():
    for length in range(1, 9):
        for substring in substrings(SAMPLE, length):
            query = parse_query(substring)
            if query:
                assert index_finds(SAMPLE, query), substring


def test_a_chain_does_not_run_across_punctuation_between_two_runs():
    text = "创先争优，优秀律师"
    assert index_finds(text, parse_query("争优"))
    assert index_finds(text, parse_query("优秀"))
    assert not matches(text, parse_query("争优秀"))
    assert not index_finds(text, parse_query("争优秀"))


def test_a_bigram_made_of_the_ends_of_two_runs_is_not_found():
    assert not index_finds("召开座谈会。议程如下", parse_query("会议"))


def test_the_index_agrees_with_matches_on_random_queries():
    generator = random.Random(20100730)
    alphabet = "律师协会党员优秀争创先 ，。7ab"
    for _ in range(3000):
        text = "".join(generator.choices(alphabet, k=generator.randint(0, 30)))
        source = text if text and generator.random() < 0.7 else alphabet
        start = generator.randrange(len(source))
        query = parse_query(source[start : start + generator.randint(1, 6)])
        assert index_finds(text, query) == matches(text, query), (text, query)


def test_chinese_only_terms_match_exactly_as_substrings():
    generator = random.Random(30)
    for _ in range(2000):
        text = "".join(generator.choices("律师协会党员，。", k=generator.randint(0, 20)))
        needle = "".join(generator.choices("律师协会党员", k=generator.randint(1, 4)))
        assert matches(text, parse_query(needle)) == (needle in text), (text, needle)


def test_digits_and_chinese_characters_form_one_run():
    assert index_terms("7月30日召开").grams == "7月 月3 30 0日 日召 召开 开"
    assert index_finds(SAMPLE, parse_query("0日在井冈山"))
    assert not index_finds(SAMPLE, parse_query("7月31日"))


def test_latin_text_is_folded_to_lower_case_and_matched_as_a_substring():
    assert index_terms("Law Ｆｉｒｍ").grams == "la aw w fi ir rm m"
    assert index_finds("Lawyer", parse_query("LAW"))
    assert index_finds("Ｌａｗｙｅｒ", parse_query("wye"))


def test_punctuation_inside_a_term_matches_any_punctuation_between_runs():
    query = parse_query("律师，协会")
    assert index_finds("大律师 协会成员", query)
    assert not index_finds("律师协会", query)
    assert not index_finds("律师，大协会", query)


def test_all_terms_must_occur():
    assert matches(SAMPLE, parse_query("司法部 井冈山"))
    assert not matches(SAMPLE, parse_query("司法部 律师事务所"))


def test_an_empty_query_matches_nothing():
    assert not parse_query("  ，。 ")
    assert not matches(SAMPLE, parse_query(""))


def test_quotes_keep_a_phrase_with_spaces_as_one_term():
    query = parse_query('"law firm" 「党 支部」 考核')
    assert [term.pieces for term in query.terms] == [("law", "firm"), ("党", "支部"), ("考核",)]


def test_full_width_space_separates_terms():
    assert [term.pieces for term in parse_query("律师\u3000协会").terms] == [("律师",), ("协会",)]


def test_terms_and_their_length_are_capped():
    query = parse_query(" ".join(f"词{i}" for i in range(30)) + " " + "律" * 200)
    assert len(query.terms) == MAX_TERMS
    assert len(parse_query("律" * 200).terms[0].pieces[0]) == MAX_TERM_LENGTH


def test_a_term_cut_to_its_length_cap_keeps_its_start():
    query = parse_query("律" * (MAX_TERM_LENGTH - 2) + "，abcdef")
    assert query.terms[0].pieces == ("律" * (MAX_TERM_LENGTH - 2), "ab")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_input_gives_an_empty_or_well_formed_tsquery(hostile):
    query = parse_query(hostile)
    for expression in (to_pg_tsquery(query), to_pg_rank_tsquery(query)):
        assert _SAFE_TSQUERY.fullmatch(expression), expression
        assert expression.count("(") == expression.count(")")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_input_gives_an_fts5_expression_sqlite_accepts(fts5, hostile):
    query = parse_query(hostile)
    fts5_rows(fts5, to_fts5_match(query, column="grams"))
    fts5_rows(fts5, to_fts5_rank_match(query, column="words"))


def test_non_text_input_gives_an_empty_query():
    assert parse_query(None) == Query()


def test_tsquery_joins_bigrams_as_a_phrase_with_a_long_text_fallback():
    assert to_pg_tsquery(parse_query("律师协会 律")) == (
        "('律师' <-> '师协' <-> '协会' | 'λ' & '律师' & '师协' & '协会') & '律':*"
    )


def test_a_two_character_tsquery_is_a_single_lexeme():
    assert to_pg_tsquery(parse_query("律师")) == "'律师'"


def test_fts5_expression_quotes_each_term_as_a_phrase():
    query = parse_query("律师协会 律")
    assert to_fts5_match(query) == '"律师 师协 协会" AND "律"*'
    assert to_fts5_match(query, column="grams") == 'grams : ("律师 师协 协会" AND "律"*)'


def test_fts5_finds_every_two_character_substring_of_the_sample(fts5):
    for bigram in substrings(SAMPLE, 2):
        query = parse_query(bigram)
        if query:
            assert 0 in fts5_rows(fts5, to_fts5_match(query, column="grams")), bigram


def test_fts5_returns_exactly_the_rows_that_match(fts5):
    queries = ["律师", "律", "争优秀", "会议", "师协", "座谈会", "law firm", "2010年", "党 会"]
    queries += [substring for text in CORPUS for substring in substrings(text, 3)]
    for text in queries:
        query = parse_query(text)
        expected = {rowid for rowid, item in enumerate(CORPUS) if matches(item, query)}
        assert fts5_rows(fts5, to_fts5_match(query, column="grams")) == expected, text


def test_fts5_rank_expression_finds_items_by_whole_words(fts5):
    query = parse_query("公益法律服务")
    assert fts5_rows(fts5, to_fts5_rank_match(query, column="words")) == {2}


def test_an_invalid_fts5_column_name_is_refused():
    with pytest.raises(ValueError):
        to_fts5_match(parse_query("律师"), column="grams) OR (x")


def test_a_long_text_carries_the_marker():
    assert index_terms("律师" * (PG_MAX_POSITIONS_PER_LEXEME + 1)).grams.endswith(
        " " + LONG_TEXT_MARKER
    )
    assert LONG_TEXT_MARKER not in index_terms(SAMPLE).grams.split()


def test_a_phrase_beyond_postgresql_position_limits_is_found_through_the_marker():
    text = "律师，" * 300 + "律师协会"
    grams = index_terms(text).grams
    assert not pg_phrase_occurs(grams, parse_query("律师协会").terms[0].chain)
    assert pg_finds(grams, parse_query("律师协会"))


def test_marker_is_never_produced_from_text_or_queries():
    assert LONG_TEXT_MARKER not in index_terms(f"{LONG_TEXT_MARKER} Λ λόγος").grams
    assert not parse_query(LONG_TEXT_MARKER)


def test_user_dictionary_words_come_out_whole():
    words = index_terms(SAMPLE).words.split()
    for word in ("三会一课", "创先争优", "组织生活会", "司法行政", "党组书记", "座谈会"):
        assert word in words


def test_every_user_dictionary_word_is_one_word_on_its_own():
    entries = USER_DICTIONARY.read_text(encoding="utf-8").split("\n")
    words = [line.split()[0] for line in entries if line.strip()]
    assert len(words) >= 60
    for word in words:
        assert word in index_terms(word).words.split(), word


def test_words_leave_out_punctuation():
    words = index_terms("建立健全“三会一课”制度，完善。").words.split()
    assert words and all(re.fullmatch(r"\w+", word) for word in words)


def test_loading_the_user_dictionary_twice_is_harmless():
    load_user_dictionary()
    load_user_dictionary()
    assert "三会一课" in index_terms("三会一课").words.split()


def test_highlight_marks_the_match_and_cuts_with_ellipses():
    segments = highlight(SAMPLE, parse_query("司法部"), width=40)
    assert ("司法部", True) in segments
    assert segments[0][0].startswith("…")
    assert segments[-1][0].endswith("…")
    assert sum(len(text) for text, _ in segments) <= 40 + 2


def test_highlight_marks_every_term_in_the_window():
    segments = highlight(SAMPLE, parse_query("律师 党员"), width=200)
    assert [text for text, is_match in segments if is_match] == ["律师", "党员"]


def test_highlight_marks_the_original_characters_of_a_folded_match():
    segments = highlight("Ｌａｗ Firm 年会", parse_query("law"))
    assert segments == [("Ｌａｗ", True), (" Firm 年会", False)]


def test_highlight_without_a_match_shows_the_start_of_the_text():
    assert highlight(SAMPLE, parse_query("律师事务所"), width=10) == [
        ("全国律师行业党的基层…", False)
    ]


def test_highlight_of_empty_text_is_empty():
    assert highlight("", parse_query("律师")) == []


def test_highlight_collapses_line_breaks():
    assert highlight("律师\n\n协会", parse_query("协会")) == [("律师 ", False), ("协会", True)]


def pg_positions(grams: str) -> dict[str, list[int]]:
    """Positions as a tsvector keeps them: capped at 16383, at most 255 per lexeme."""
    positions: dict[str, list[int]] = defaultdict(list)
    for position, token in enumerate(grams.split(), start=1):
        if len(positions[token]) < PG_MAX_POSITIONS_PER_LEXEME:
            positions[token].append(min(position, PG_MAX_POSITION))
    return positions


def pg_phrase_occurs(grams: str, chain: tuple[Gram, ...]) -> bool:
    positions = pg_positions(grams)

    def at(gram: Gram) -> set[int]:
        lexemes = (
            [k for k in positions if k.startswith(gram.lexeme)] if gram.prefix else [gram.lexeme]
        )
        return {p for lexeme in lexemes for p in positions.get(lexeme, [])}

    starts = at(chain[0])
    for offset, gram in enumerate(chain[1:], start=1):
        starts &= {p - offset for p in at(gram)}
    return bool(starts)


def pg_finds(grams: str, query: Query) -> bool:
    """Evaluate to_pg_tsquery's meaning: phrase, or every gram anywhere in a marked text."""
    present = Counter(grams.split())
    return all(
        pg_phrase_occurs(grams, term.chain)
        or (
            LONG_TEXT_MARKER in present
            and all(
                any(k.startswith(g.lexeme) for k in present) if g.prefix else g.lexeme in present
                for g in term.chain
            )
        )
        for term in query.terms
    )


def test_only_the_ranked_text_is_segmented_into_words():
    text = "市律师协会召开理事会。" + "会议通过了工作报告。" * 30 + "井冈山"
    terms = index_terms(text, "市律师协会召开理事会")
    assert "井冈" in terms.grams.split()  # matching covers all of the text
    assert "井冈山" not in terms.words.split()  # ranking only the title and lead
    assert "律师" in terms.words.split()
    assert index_terms(text).words.split()[-1] == "井冈山"  # without it, the whole text
