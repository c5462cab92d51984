"""Reading legacy pages: the label forms, dates, bylines, encodings and the doubts raised."""

import datetime
from pathlib import Path

import pytest

from news.legacy import LegacyFormatError, decode, matching_form, read, read_html, read_text

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "demo" / "articles" / "000_jinggangshan_speech.txt"
CORPUS = ROOT / "tests" / "data" / "legacy"
BODY = "本网讯 市律师协会召开会长办公会议，会长张三主持会议，副会长李四、王五出席。"


def page(meta: str, title: str = "市律协召开会长办公会议") -> str:
    return f"{title}\n\n{meta}\n\n{BODY}\n"


def test_the_seed_article_is_read_with_its_byline_and_subtitles():
    article = read_text(decode(SEED.read_bytes()))
    assert article.title == "吴爱英在全国律师行业党的基层组织和党员创先争优活动座谈会上讲话"
    assert (article.source, article.published_on, article.author) == (
        "本站原创",
        datetime.date(2014, 5, 13),
        "市律协",
    )
    assert article.subtitle_lines == (
        "扎实开展律师行业创先争优活动",
        "更好地为经济社会发展提供优质高效法律服务",
    )
    assert article.paragraphs[0].startswith("本网讯 全国律师行业党的基层组织")
    assert len(article.paragraphs) == 11
    assert article.is_complete


@pytest.mark.parametrize(
    "meta",
    [
        "信息来源：司法部网站　时间：2014年5月13日　作者：市律协",
        "作者:市律协 时间:2014/05/13 信息来源:司法部网站",
        "来源:司法部网站发布时间:2014-05-13 10:32作者:市律协浏览次数:123",
        "文章来源:司法部网站 | 发布日期:2014.5.13 | 撰稿:市律协 | 点击:88次",
        "来源:司法部网站\n日期:2014-05-13\n作者:市律协\n阅读:2,491次",
        "【字号 大 中 小】来源:司法部网站 发布时间:二〇一四年五月十三日 作者:市律协",
    ],
)
def test_labels_in_any_order_arrangement_and_width_are_read(meta):
    article = read_text(page(meta))
    assert (article.title, article.source, article.published_on, article.author) == (
        "市律协召开会长办公会议",
        "司法部网站",
        datetime.date(2014, 5, 13),
        "市律协",
    )


def test_an_empty_or_anonymous_author_is_left_empty():
    article = read_text(page("来源:本站 发布时间:2014-05-13 作者:佚名"))
    assert article.author == ""


def test_a_time_after_the_date_is_kept():
    article = read_text(page("来源:本站原创 发布时间:2016-05-12 10:32"))
    assert article.published_time == datetime.time(10, 32)


def test_january_written_as_yuanyue_is_read():
    article = read_text(page("来源:本站原创 时间:二〇一四年元月十三日"))
    assert article.published_on == datetime.date(2014, 1, 13)


def test_a_missing_source_is_a_doubt_not_a_refusal():
    article = read_text(page("发布时间:2014-05-13 作者:市律协"))
    assert article.source is None
    assert "来源缺失" in article.doubts
    assert not article.is_complete


def test_a_year_less_date_stays_year_less_and_is_a_doubt():
    article = read_text(page("来源:本站原创 时间:7月30日"))
    assert article.published_on is None
    assert any(doubt.startswith("日期无年份") for doubt in article.doubts)


def test_a_relative_date_is_a_doubt():
    article = read_text(page("来源:本站原创 时间:昨日"))
    assert article.published_on is None
    assert any(doubt.startswith("日期为相对日期") for doubt in article.doubts)


def test_an_impossible_date_is_a_doubt():
    article = read_text(page("来源:本站原创 时间:2014-02-30"))
    assert article.published_on is None
    assert any("不存在" in doubt for doubt in article.doubts)


def test_a_year_less_dateline_gives_no_date():
    text = (
        "律师论坛开幕\n\n中新网成都8月14日电(万独伊 杨杰)第八届中国律师论坛14日上午在此间开幕。\n"
    )
    article = read_text(text)
    assert article.published_on is None
    assert article.author == "万独伊 杨杰"
    assert any("电头" in doubt for doubt in article.doubts)


def test_a_dateline_with_a_year_gives_the_date():
    text = (
        "律师论坛开幕\n\n"
        "新华社北京2014年5月13日电（记者 李豪）第八届中国律师论坛今天开幕，来自全国的律师参加。\n"
    )
    article = read_text(text)
    assert article.published_on == datetime.date(2014, 5, 13)
    assert article.author == "李豪"


def test_an_unlabelled_date_beside_the_title_is_kept_as_a_doubt():
    article = read_text("律师协作会在包头召开\n\n236 2007-10-29 00:00\n\n" + BODY)
    assert article.published_on == datetime.date(2007, 10, 29)
    assert "date" in article.doubtful
    assert not article.is_complete


def test_a_render_date_in_the_page_header_is_never_the_publication_date():
    text = "今天是:2026年12月2日 星期三\n首页 > 协会动态\n\n市律协召开会议\n\n" + BODY
    article = read_text(text)
    assert article.published_on is None
    assert "未找到发布日期" in article.doubts


def test_breadcrumbs_and_footers_are_not_the_title_or_the_body():
    text = (
        "当前位置: 首页 >> 行业资讯 >> 业内动态\n\n市律协召开会议\n\n"
        "日期:2007-12-02 作者:中山商报 阅读:1,853次\n"
        + BODY
        + "\n版权所有 ©2017-2024 沪ICP备17030485号-1\n"
    )
    article = read_text(text)
    assert article.title == "市律协召开会议"
    assert article.paragraphs == (BODY,)


def test_traditional_pages_are_matched_but_kept_as_written():
    text = "金山區律師工作會議召開\n日期:2010-02-01\n作者:金山區律師工作委員會\n來源:本會\n" + BODY
    article = read_text(text)
    assert article.author == "金山區律師工作委員會"
    assert article.published_on == datetime.date(2010, 2, 1)


def test_the_matching_form_has_the_length_of_the_original():
    original = "會議由金山區律師工作委員會副主任汪灝主持（二〇一〇年）："
    assert len(matching_form(original)) == len(original)
    assert matching_form(original).startswith("会议由金山区律师工作委员会")


def test_gb18030_files_are_decoded():
    assert decode("信息来源".encode("gb18030")) == "信息来源"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "文件为空"),
        (b"  \n\n", "文件为空"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "二进制"),
        (b"x" * (2 * 1024 * 1024 + 1), "文件过大"),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(data, reason):
    with pytest.raises(LegacyFormatError, match=reason):
        read(data, "page.txt")


def test_an_html_page_gives_its_canonical_address_title_and_labelled_date():
    html = (CORPUS / "html" / "shsfj-songjiang.html").read_bytes()
    article = read(html, "page.html")
    assert article.legacy_url.startswith("https://sfj.sh.gov.cn/zwyw_dwjs/")
    assert article.title.startswith("上海司法行政“法治先锋”巡回宣讲松江专场报告会")
    assert article.published_on == datetime.date(2024, 10, 17)
    assert article.source == "市司法局"
    assert not any("打印本页" in paragraph for paragraph in article.paragraphs)


def test_an_html_page_with_only_page_dates_has_no_date_and_says_why():
    html = (CORPUS / "html" / "sichuan-press-conference.html").read_text(encoding="utf-8")
    article = read_html(html)
    assert article.published_on is None
    assert "date" in article.doubtful


def test_a_gbk_html_page_is_decoded_from_its_declared_charset():
    article = read((CORPUS / "html" / "foshan-nanhai-visit.html").read_bytes(), "page.htm")
    assert article.title == "市律协领导到南海区看守所实地考察"
    assert article.published_on == datetime.date(2015, 11, 17)


def test_labels_and_their_values_on_lines_of_their_own_are_read():
    meta = "编辑:\n时间:\n2014-05-13\n作者:\n来源:\n司法部网站\n浏览:\n1158"
    article = read_text(page(meta))
    assert (article.title, article.source, article.published_on, article.author) == (
        "市律协召开会长办公会议",
        "司法部网站",
        datetime.date(2014, 5, 13),
        "",
    )
    assert article.paragraphs[0] == BODY


def test_a_label_followed_by_a_stray_mark_keeps_its_empty_value():
    article = read_text(page("发布时间:2014年05月13日21:42 来源:\n\n."))
    assert article.source is None
    assert article.published_on == datetime.date(2014, 5, 13)


def test_the_cms_date_at_the_head_of_the_metadata_line_is_the_publication_date():
    article = read_text(
        "中国周刊\n\n市律协召开会长办公会议\n\n2021-06-15 15:45:11 来源:司法部网站??\n\n" + BODY
    )
    assert (article.title, article.source, article.published_on) == (
        "市律协召开会长办公会议",
        "司法部网站",
        datetime.date(2021, 6, 15),
    )
    assert "date" not in article.doubtful


def test_a_byline_of_several_reporters_is_the_author_and_not_the_title():
    article = read_text("法治日报全媒体记者 邢东伟 翟小功\n" + BODY + "\n编辑:丁月茹")
    assert article.title is None
    assert article.author == "邢东伟 翟小功"


def test_furniture_glued_to_a_value_or_to_the_cms_date_is_left_out():
    article = read_text(page("2011-12-09 17:43:59  来源于:司法部网站  【字号"))
    assert (article.source, article.published_on) == ("司法部网站", datetime.date(2011, 12, 9))
    article = read_text("市律协召开会长办公会议\n\n2020-10-14 11:40上一篇 |下一篇\n\n" + BODY)
    assert article.published_on == datetime.date(2020, 10, 14)
    assert list(article.paragraphs) == [BODY]


def test_a_repost_gives_its_source_and_original_title():
    article = read_text("本文转载自苏州市律师协会官网\n原标题:常熟市成立律师行业妇联\n" + BODY)
    assert (article.title, article.source) == ("常熟市成立律师行业妇联", "苏州市律师协会官网")
    assert list(article.paragraphs) == [BODY]


def test_a_section_name_above_the_title_is_not_the_title():
    article = read_text("社会责任\n金茂所与上海科创集团开展党支部联建共建活动\n\n" + BODY)
    assert article.title == "金茂所与上海科创集团开展党支部联建共建活动"


def test_a_headline_may_end_with_an_exclamation_and_a_count_is_never_a_title():
    text = (
        "登陆注册\n19595\n\n律师宣传日当天,首家律师调解工作室在广州挂牌成立!\n\n"
        "法律人2023-06-15 03:18:540\n\n" + BODY
    )
    article = read_text(text)
    assert article.title == "律师宣传日当天,首家律师调解工作室在广州挂牌成立!"
    assert article.published_on == datetime.date(2023, 6, 15)
    assert "date" in article.doubtful  # beside the title, not labelled


def test_a_headline_wrapped_onto_a_second_line_is_one_title():
    article = read_text("市司法局欢送律师\n参加法律援助志愿者行动\n" + BODY)
    assert article.title == "市司法局欢送律师参加法律援助志愿者行动"
    assert list(article.paragraphs) == [BODY]
    subtitled = read_text("市司法局欢送律师\n——记法律援助志愿者行动\n" + BODY)
    assert subtitled.title == "市司法局欢送律师"
