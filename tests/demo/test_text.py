import datetime
import random
import re

import pytest

from demo import text as demo_text
from demo.newsroom import index_terms, tsvectors
from demo.text import Meeting, Participant
from news import search, segmentation

ALLOWED = re.compile(f"[\u4e00-\u9fff0-9{demo_text.PUNCTUATION}]+")
DAY = datetime.date(2016, 5, 3)
PEOPLE = (Participant("王建国", "市司法局局长"), Participant("李芳", "市律师协会会长"))
MEETING = Meeting(
    name="2016年全市律师工作会议",
    day=DAY,
    place="市民中心",
    host=PEOPLE[1],
    speakers=(PEOPLE[0],),
    attendees=(Participant("赵红", "市律师协会副会长"),),
    presenters=("福田区司法局", "天地人律师事务所党支部"),
)
ARTICLES = {
    "meeting report": lambda rng: demo_text.meeting_report(rng, MEETING),
    "association news": lambda rng: demo_text.association_news(rng, DAY, PEOPLE),
    "industry news": lambda rng: demo_text.industry_news(rng, DAY),
    "notice": lambda rng: demo_text.notice(rng, DAY, "张三"),
    "speech": lambda rng: demo_text.speech(rng, PEOPLE[0], MEETING),
    "party news": lambda rng: demo_text.party_news(rng, DAY, "市律师行业党委"),
    "activity report": lambda rng: demo_text.activity_report(
        rng,
        branch="天地人律师事务所党支部",
        kind="themed_day",
        topic="重温入党誓词",
        day=DAY,
        venue="天地人律师事务所会议室",
        presider="赵红",
        present=12,
    ),
}


def texts(make, seeds=range(40)):
    return [make(random.Random(seed)) for seed in seeds]


@pytest.mark.parametrize("kind", ARTICLES)
def test_bodies_are_one_to_three_thousand_characters(kind):
    lengths = [text.length for text in texts(ARTICLES[kind])]
    assert all(demo_text.MIN_BODY <= length <= demo_text.MAX_BODY for length in lengths)
    assert max(lengths) - min(lengths) > 500  # spread over the range, not one size


@pytest.mark.parametrize("kind", ARTICLES)
def test_text_has_only_chinese_digits_and_chinese_punctuation(kind):
    for text in texts(ARTICLES[kind]):
        for line in (text.title, *text.subtitle, *text.paragraphs):
            assert ALLOWED.fullmatch(line), line


def test_the_same_random_state_writes_the_same_text_and_another_does_not():
    first, again, other = (ARTICLES["meeting report"](random.Random(seed)) for seed in (1, 1, 2))
    assert first == again
    assert first.paragraphs != other.paragraphs


def test_titles_read_like_the_genre():
    notices = texts(ARTICLES["notice"])
    assert all(re.fullmatch(r"关于.+的(通知|公告|公示)", text.title) for text in notices)
    assert texts(ARTICLES["meeting report"], [1])[0].title == "2016年全市律师工作会议召开"
    speech = texts(ARTICLES["speech"], [1])[0]
    assert re.fullmatch(r"王建国在2016年全市律师工作会议上的(讲话|致辞)", speech.title)
    assert speech.paragraphs[0] == "同志们："


def test_a_report_names_the_speakers_with_their_posts_and_the_host():
    body = "".join(texts(ARTICLES["meeting report"], [3])[0].paragraphs)
    assert body.startswith("本网讯　5月3日，2016年全市律师工作会议在市民中心召开。")
    assert "市司法局局长王建国出席会议并讲话" in body
    assert "会议由市律师协会会长李芳主持" in body
    assert "福田区司法局、天地人律师事务所党支部介绍了" in body


def test_topics_belong_to_their_years():
    assert demo_text.era_topic(random.Random(1), 2011) == "创先争优活动"
    assert demo_text.era_topic(random.Random(1), 1990) == ""
    topics = {demo_text.party_topic(random.Random(seed), 2021) for seed in range(200)}
    assert "党史学习教育" in topics
    assert not any("二十大" in topic for topic in topics)


def test_no_adverb_is_doubled():
    body = "".join(p for text in texts(ARTICLES["association news"]) for p in text.paragraphs)
    assert not re.search(r"(认真|积极|切实|不断|继续|坚持|主动)\1", body)


@pytest.mark.parametrize("kind", ARTICLES)
def test_cached_index_terms_equal_segmenting_the_whole_text(kind):
    for text in texts(ARTICLES[kind], range(5)):
        assert index_terms(plain(text)) == segmentation.index_terms(plain(text))


@pytest.mark.parametrize("kind", ARTICLES)
def test_cached_index_terms_with_a_ranked_lead_equal_segmenting_it(kind):
    for text in texts(ARTICLES[kind], range(5)):
        ranked = search.ranked_text(text.title, "", "\n".join(text.paragraphs))
        expected = segmentation.index_terms(plain(text), ranked)
        assert index_terms(plain(text), ranked) == expected
        assert tsvectors(plain(text), ranked) == segmentation.tsvectors(expected)


def test_cached_index_terms_mark_a_long_text_as_segmentation_does():
    long_text = "律师协会召开会议，" * 300  # 律师 more often than a tsvector keeps
    expected = segmentation.index_terms(long_text)
    assert expected.grams.endswith(segmentation.LONG_TEXT_MARKER)
    assert index_terms(long_text) == expected


def test_cached_tsvectors_are_the_sites_encoding_of_the_index_terms():
    long_text = "律师协会召开会议，2016年ABC律所（Ｌａｗ）" * 1500  # past 16383 and 255
    for text in [*(plain(text) for text in all_texts()), long_text]:
        assert tsvectors(text) == segmentation.tsvectors(segmentation.index_terms(text))


def all_texts():
    return [text for make in ARTICLES.values() for text in texts(make, range(2))]


def plain(text):
    return "\n".join([text.title, *text.subtitle, "市律协", *text.paragraphs])
