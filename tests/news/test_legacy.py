import datetime
from pathlib import Path

import pytest

from news.legacy import LegacyFormatError, decode, parse

SEED = Path(__file__).resolve().parents[2] / "demo" / "articles" / "000_jinggangshan_speech.txt"


def test_the_seed_article_is_read_with_its_byline_and_subtitles():
    article = parse(decode(SEED.read_bytes()))
    assert article.title == "吴爱英在全国律师行业党的基层组织和党员创先争优活动座谈会上讲话"
    assert article.source == "本站原创"
    assert article.published_on == datetime.date(2014, 5, 13)
    assert article.author == "市律协"
    assert article.subtitle_lines == (
        "扎实开展律师行业创先争优活动",
        "更好地为经济社会发展提供优质高效法律服务",
    )
    assert article.paragraphs[0].startswith("本网讯 全国律师行业党的基层组织")
    assert article.paragraphs[-1].endswith("部分律师事务所党支部书记参加会议。")
    assert len(article.paragraphs) == 11


@pytest.mark.parametrize(
    "byline",
    [
        "信息来源：司法部网站　时间：2014年5月13日　作者：市律协",
        "信息来源 : 司法部网站 时间 : 2014/05/13 作者 : 市律协",
        "来源:司法部网站 发布时间:2014.5.13 作者:市律协",
    ],
)
def test_full_width_and_half_width_bylines_are_tolerated(byline):
    article = parse(f"标题\n\n{byline}\n\n本网讯 正文。\n")
    assert (article.source, article.published_on, article.author) == (
        "司法部网站",
        datetime.date(2014, 5, 13),
        "市律协",
    )


def test_an_article_without_subtitle_keeps_its_first_paragraph_as_body():
    article = parse("标题\n\n信息来源:本站原创 时间:2020-01-02 作者:市律协\n\n本网讯 只有一段。\n")
    assert article.subtitle_lines == ()
    assert article.paragraphs == ("本网讯 只有一段。",)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "文件为空"),
        ("标题\n\n正文没有署名行。\n", "缺少"),
        ("标题\n\n信息来源:本站原创 时间:昨天 作者:市律协\n\n正文\n", "无法识别的时间"),
        ("标题\n\n信息来源:本站原创 时间:2014-02-30 作者:市律协\n\n正文\n", "不存在"),
        ("标题\n\n信息来源: 时间:2014-02-03 作者:市律协\n\n正文\n", "信息来源"),
        ("标题\n\n信息来源:本站原创 时间:2014-02-03 作者:市律协\n", "正文为空"),
    ],
)
def test_malformed_files_are_refused_with_the_reason(text, reason):
    with pytest.raises(LegacyFormatError, match=reason):
        parse(text)


def test_gb18030_files_are_decoded():
    assert decode("信息来源".encode("gb18030")) == "信息来源"


def test_undecodable_bytes_are_refused():
    with pytest.raises(LegacyFormatError, match="编码"):
        decode(b"\xff\xfe\xfa\x00\x81")
