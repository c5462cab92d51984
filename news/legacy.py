"""Reading articles from a legacy site: plain-text copies and saved HTML pages.

Old sites print their metadata in every arrangement: one line with labels in any order
(信息来源:X 时间:2014-05-13 作者:Y), one label a line, glued with no separator
(来源:X发布时间:2016-05-12 10:32作者:Y浏览次数:123), a byline in parentheses under the title, a
news-agency dateline in the first paragraph (本报讯(记者 X), 新华社北京5月13日电). Around the
article sit breadcrumbs, menus, footers and the day the page was rendered.

The rules here read the labelled fields; anything they are not sure of becomes a *doubt* (a
reason in Chinese) instead of a value. A date comes only from a labelled field or a dateline
with a year; a date printed next to the title without a label, a page's render date, a date in
an image name or in the URL, a year-less or relative date is at most a doubt.

Matching runs on a *matching form* of the text: Simplified characters (OpenCC t2s) and
half-width punctuation, character for character the same length as the original, so every
value is cut from the original text as written.

Plain Python: `news.importers` turns a `LegacyArticle` into Article rows.
"""

import datetime
import re
from dataclasses import dataclass, field
from functools import lru_cache

MAX_PAGE_BYTES = 2 * 1024 * 1024
MIN_BODY_CHARS = 30
LEAD_IN = "本网讯"


class LegacyFormatError(ValueError):
    """The file cannot be read at all; the message says why, in Chinese."""


@dataclass(frozen=True)
class LegacyArticle:
    """What a file says, as written; None where the file does not say it for certain."""

    title: str | None
    subtitle_lines: tuple[str, ...]
    source: str | None
    published_on: datetime.date | None
    author: str
    paragraphs: tuple[str, ...]
    doubts: tuple[str, ...] = ()
    # Fields whose value is missing or not certain: title, source, date, body.
    doubtful: frozenset[str] = frozenset()
    legacy_url: str = ""
    published_time: datetime.time | None = None

    @property
    def is_complete(self) -> bool:
        return not self.doubts


# --- Matching form ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s").convert


_WIDTH = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)} | {
    "\u3000": " ",
    "\xa0": " ",
    "【": "[",
    "】": "]",
    "〔": "[",
    "〕": "]",
    "「": "“",
    "」": "”",
}
_WIDTH_TABLE = str.maketrans(_WIDTH)
_WIDE = re.compile("[" + re.escape("".join(_WIDTH)) + "]")


def to_simplified(text: str) -> str:
    """Simplified characters, the same length as `text` (character by character if needed)."""
    converted = _t2s()(text)
    if len(converted) == len(text):
        return converted
    convert = _t2s()
    return "".join(c if len(c := convert(char)) == 1 else char for char in text)


def half_width(text: str) -> str:
    """Full-width punctuation, digits and letters as half-width ones (same length)."""
    return _WIDE.sub(lambda match: _WIDTH[match.group()], text)


def matching_form(text: str) -> str:
    """Simplified, half-width: what the rules match on. Same length as `text`."""
    return half_width(to_simplified(text))


def as_written(value: str, form: str, original: str) -> str:
    """A value found in the matching form of `original`, in the characters `original` uses."""
    at = form.find(value) if value else -1
    if at != -1:
        return original[at : at + len(value)]
    chars = {}
    for f, o in zip(form, original, strict=True):
        chars.setdefault(f, o)
    return "".join(chars.get(c, c) for c in value)


# --- Decoding -----------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.I)
_GB_NAMES = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936"}


def decode(data: bytes) -> str:
    """UTF-8 (maybe with a BOM), the page's declared charset, GB18030 or Big5."""
    if not data.strip():
        raise LegacyFormatError("文件为空。")
    if len(data) > MAX_PAGE_BYTES:
        raise LegacyFormatError(
            f"文件过大（{len(data) // 1024} KB，每篇上限 {MAX_PAGE_BYTES // 1024 // 1024} MB）。"
        )
    if b"\x00" in data[:8192]:
        raise LegacyFormatError("不是文本文件（含二进制内容）。")
    candidates = ["utf-8-sig"]
    if declared := _META_CHARSET.search(data[:4096]):
        name = declared.group(1).decode("ascii").lower()
        candidates.append("gb18030" if name in _GB_NAMES else name)
    candidates += ["gb18030", "big5"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_like_text(text):
            return text
    raise LegacyFormatError("文件编码无法识别（应为 UTF-8、GBK/GB18030 或 Big5），或不是文本文件。")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _looks_like_text(text: str) -> bool:
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) <= len(sample) // 100


# --- Vocabulary ---------------------------------------------------------------------------

_SOURCE_LABELS = (
    "信息来源",
    "本文转载自",
    "转载自",
    "文章来源",
    "稿件来源",
    "新闻来源",
    "来源于",
    "发布单位",
    "发布机构",
    "来源",
    "出处",
)
_DATE_LABELS = (
    "发布时间", "发布日期", "发表时间", "发表日期", "发稿时间", "更新时间", "更新日期",
    "录入时间", "添加时间", "上传时间", "时间", "日期",
)  # fmt: skip
# Author labels, most telling first: the first one found wins.
_AUTHOR_LABELS = (
    "作者",
    "撰稿人",
    "撰稿",
    "撰文",
    "记者",
    "文",
    "供稿",
    "通讯员",
    "责任编辑",
    "编辑",
    "审核",
)
_COUNT_LABELS = (
    "浏览次数",
    "点击次数",
    "阅读次数",
    "点击数",
    "浏览量",
    "阅读量",
    "点击",
    "浏览",
    "阅读",
    "访问量",
)
_OTHER_LABELS = ("字号", "字体", "摄影", "图片", "审稿", "校对", "分享到")
_LABEL = re.compile(
    "(?P<label>"
    + "|".join(
        sorted(
            (*_SOURCE_LABELS, *_DATE_LABELS, *_AUTHOR_LABELS, *_COUNT_LABELS, *_OTHER_LABELS),
            key=len,
            reverse=True,
        )
    )
    + r")\s*[:]\s*"
)
_EMPTY_VALUES = {"", "佚名", "未知", "admin", "管理员", "无", "不详", "-", "本站"}

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "O": 0}
_CN_NUM = r"[〇零○一二三四五六七八九十]"
_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*(?:(?P<sep>[-/.])|年)\s*(?P<m>\d{1,2})\s*(?(sep)(?P=sep)|月)\s*"
    r"(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:\s*(?P<hh>[0-2]?\d)[:时](?P<mm>[0-5]\d))?"
)
_CN_DATE = re.compile(
    rf"(?P<y>[一二][〇零○九一二三四五六七八九]{{3}})年(?P<m>元|{_CN_NUM}{{1,2}})月(?P<d>{_CN_NUM}{{1,3}})日"
)
_YEARLESS_DATE = re.compile(
    rf"(?<![\d年])(?:(?:\d{{1,2}}|元|{_CN_NUM}{{1,2}})月)?(?:\d{{1,2}}|{_CN_NUM}{{1,3}})日"
)
_RELATIVE = re.compile(r"昨日|昨天|今日|今天|近日|日前|前不久|不久前|近期|最近|本周|上周")
# A date line as a CMS prints it next to the title: optional count, a date, optional time.
_BARE_DATE_LINE = re.compile(
    r"^[\[(]?\s*(?:\d{1,7}\s+)?(?P<date>(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
    r"(?:\s*[0-2]?\d:[0-5]\d(?::[0-5]\d)?)?)\s*[\])]?$"
)
_TITLE_WITH_DATE = re.compile(
    r"^(?P<title>.{4,}?)\s*(?:\(\s*(?P<d1>(?:19|20)\d{2}-\d{1,2}-\d{1,2})\s*\)|"
    r"(?P<d2>(?:19|20)\d{2}年\d{1,2}月\d{1,2}日(?:\s*[0-2]?\d:[0-5]\d)?))\s*$"
)
# Render dates and other page furniture: 今天是2026年12月2日 星期三.
_CHROME_DATE = re.compile(r"今天是|今日是|星期[一二三四五六日天]|GMT|Processed in|Powered by")

# Lines that belong to the page, not the article.
_CHROME = re.compile(
    r"当前位置|本页位置|您现在的位置|您的位置|现在位置|所在位置|所处的位置|^首页\s*[>›→»/]"
    r"|[>›→»]\s*正文$|^位置\s*:|版权所有|copyright|ICP备|公网安备|技术支持|技术服务|主办单位|承办单位"
    r"|联系电话|电话\s*:|传真\s*:|地址\s*:|邮编|打印本页|关闭窗口|打印此页|分享到|字号\s*:?\s*\[?\s*大|^\[?\s*字号"
    r"|上一篇|下一篇|相关阅读|相关新闻|相关链接|返回顶部|返回首页|打开网易新闻|查看精彩图片|^阅读下一篇"
    r"|设为首页|加入收藏|^评论|发布留言|^登[录陆]\s*\|?\s*注册$|^(?:登[录陆]|注册)$|^\s*\|\s*$|^!\[|\.(?:png|jpe?g|gif)\s*$|\([^)]*摄\)",
    re.I,
)
_SENTENCE_END = "。!?;"
# A repost names where it comes from and its title there: 本文转载自X / 原标题:Y.
_REPRINTED_FROM = re.compile(r"^(?:本文|本文章)?转载自\s*(?P<source>[^\s,。:]{2,30})$")
_ORIGINAL_TITLE = re.compile(r"^原标题\s*:\s*(?P<title>.{4,90})$")
# A date line beside the title with the site's or writer's name before it and the read count
# glued after it: 法律人2023-06-15 03:18:540.
_NAMED_DATE_LINE = re.compile(
    r"^[^\d\s:]{1,10}\s*(?P<date>(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:\s+[0-2]?\d:[0-5]\d(?::[0-5]\d)?)?)\d{0,7}$"
)
_NAVIGATION_AFTER = re.compile(r"(?:\s*\|?\s*(?:上一篇|下一篇|打印本页|关闭窗口|返回))+\s*$")
# Agency datelines: 新华社北京5月13日电, 本报讯(记者 X 通讯员 Y), 中新网成都8月14日电(A B).
_DATELINE = re.compile(
    r"^(?P<head>[^,。]{0,24}?(?:\d{1,2}月\d{1,2}日|\d{1,2}日)?\s*(?:电|讯|消息))\s*"
    r"(?:[\[(](?P<byline>[^)\]]{2,30})[\])])?"
)
_REPORTER = re.compile(
    r"记者\s*(?P<name>[^\s,、)\]]{2,3}?)(?=\s|,|、|\)|\]|$|[^\s]{2}(?:报导|报道))"
)
# A byline on a line of its own: 法治日报全媒体记者 张淑秋.
_REPORTER_LINE = re.compile(
    r"^[^\s,。]{0,14}记者\s*(?P<name>[\u4e00-\u9fff]{2,3}(?:[\s、]+[\u4e00-\u9fff]{2,3})*)$"
)
_BYLINE_LINE = re.compile(r"^[\[(](?P<byline>(?:[^)\]]*(?:记者|通讯员|作者)[^)\]]*))[\])]$")
_PERSON_TOKEN = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")


# --- Helpers ------------------------------------------------------------------------------


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text == "元":
        return 1
    if "十" not in text:
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


@dataclass
class _Date:
    value: datetime.date | None
    time: datetime.time | None
    problem: str = ""


def parse_date(text: str) -> _Date | None:
    """The first full date in `text`: 2014-05-13, 2014/5/13, 2014年5月13日, 二〇一四年五月十三日."""
    form = matching_form(text)
    match = _DATE.search(form)
    cn = _CN_DATE.search(form)
    if cn and (match is None or cn.start() < match.start()):
        year = int("".join(str(_CN_DIGIT[c]) for c in cn["y"]))
        parts, hh, mm = (year, _number(cn["m"]), _number(cn["d"])), None, None
    elif match:
        parts = (int(match["y"]), int(match["m"]), int(match["d"]))
        hh, mm = match["hh"], match["mm"]
    else:
        return None
    try:
        day = datetime.date(*parts)
    except ValueError:
        return _Date(None, None, f"日期“{text.strip()[:20]}”不存在")
    moment = None
    if hh is not None and int(hh) < 24:
        moment = datetime.time(int(hh), int(mm))
    return _Date(day, moment)


# Separators around a value, and the "?" left where a page's encoding lost a character.
_VALUE_EDGES = set(" \t|/[](),;:·-—_?")


def _clean_value(value: str) -> str:
    """The value without separators around it (judged on the matching form), nor a piece of
    page furniture cut off after it (福州新闻网 【字号)."""
    if (bracket := value.rfind("【")) > 0 and "】" not in value[bracket:]:
        value = value[:bracket]
    form = matching_form(value)
    start, end = 0, len(value)
    while start < end and form[start] in _VALUE_EDGES:
        start += 1
    while end > start and form[end - 1] in _VALUE_EDGES:
        end -= 1
    return " ".join(value[start:end].split())


def _is_chrome(form_line: str) -> bool:
    return bool(_CHROME.search(form_line))


@dataclass
class _Fields:
    source: str | None = None
    date: _Date | None = None
    date_origin: str = ""  # "label", "bare", "dateline"
    authors: dict = field(default_factory=dict)  # label -> value
    doubts: list = field(default_factory=list)


def _read_label_line(line: str, form: str, fields: _Fields) -> bool:
    """Read the labelled fields of one line; True if it is a metadata line."""
    matches = list(_LABEL.finditer(form))
    if not matches:
        return False
    # A metadata line is short, and starts with a label (or the CMS's date: 2021-06-15
    # 15:45 来源:…) or holds several.
    lead = form[: matches[0].start()].strip(" |[]()【】")
    lead_date = _BARE_DATE_LINE.match(lead) if lead else None
    is_meta = len(form) <= 160 and (not lead or lead_date or _is_chrome(lead) or len(matches) >= 2)
    if not is_meta or any(c in form[: matches[-1].start()] for c in "。"):
        return False
    no_date = fields.date is None or fields.date.value is None
    if lead_date and no_date and (found := parse_date(lead_date["date"])):
        fields.date, fields.date_origin = found, "label"
    for match, following in zip(matches, [*matches[1:], None], strict=True):
        end = following.start() if following else len(line)
        raw = line[match.end() : end]
        label = match["label"]
        if label in _DATE_LABELS:
            if fields.date is None or fields.date.value is None:
                found = parse_date(raw)
                if found is not None:
                    fields.date, fields.date_origin = found, "label"
                elif raw.strip():
                    fields.doubts.append(_doubt_for_undated(raw))
        elif label in _SOURCE_LABELS:
            value = _clean_value(_strip_date(raw))
            if fields.source is None and value and value not in _EMPTY_VALUES:
                fields.source = value
        elif label in _AUTHOR_LABELS:
            value = _clean_value(_strip_date(raw))
            if value and value not in _EMPTY_VALUES:
                fields.authors.setdefault(matching_form(label), value)
            # A date printed at the end of the byline (编辑:X 2018-06-06 08:36) is the CMS's.
            if (fields.date is None or fields.date.value is None) and (found := parse_date(raw)):
                fields.date, fields.date_origin = found, "label"
    return True


def _strip_date(raw: str) -> str:
    form = matching_form(raw)
    match = _DATE.search(form)
    return raw[: match.start()] if match else raw


def _doubt_for_undated(raw: str) -> str:
    form = matching_form(raw)
    if _RELATIVE.search(form):
        return f"日期为相对日期（“{raw.strip()}”）"
    if _YEARLESS_DATE.search(form):
        return f"日期无年份（“{raw.strip()}”）"
    return f"无法识别的日期（“{raw.strip()[:20]}”）"


def _looks_like_title(form_line: str) -> bool:
    if not 4 <= len(form_line) <= 90 or _is_chrome(form_line) or _LABEL.search(form_line):
        return False
    # A headline may end with "!" or "?" (…挂牌成立!), never with "。", ";", "," or ":".
    if _BARE_DATE_LINE.match(form_line) or form_line[-1] in "。;,:":
        return False
    if not re.search(r"[^\W\d_]", form_line):  # a count or a number alone (19595)
        return False
    return "。" not in form_line[:-1]


def _dateline(form: str, original: str, fields: _Fields) -> None:
    """News-agency datelines and bylines in the first paragraph."""
    match = _DATELINE.match(form)
    if not match:
        return
    head = match["head"]
    if "日" in head:
        year_date = parse_date(original[: match.end("head")])
        if year_date and year_date.value:
            if fields.date is None:
                fields.date, fields.date_origin = year_date, "dateline"
        elif fields.date is None:
            fields.doubts.append(f"日期无年份（电头“{original[: match.end('head')].strip()}”）")
    if match["byline"]:
        byline = original[match.start("byline") : match.end("byline")]
        _read_byline(byline, matching_form(byline), fields)
    elif reporter := _REPORTER.search(form[: match.end() + 12]):
        fields.authors.setdefault("记者", original[reporter.start("name") : reporter.end("name")])


def _read_byline(byline: str, form: str, fields: _Fields) -> None:
    if reporter := _REPORTER.search(form):
        fields.authors.setdefault("记者", byline[reporter.start("name") : reporter.end("name")])
        return
    if "通讯员" in form or "作者" in form:
        return
    tokens = byline.split()
    if (
        (tokens and all(_PERSON_TOKEN.match(t) for t in tokens))
        or "报导组" in form
        or "报道组" in form
    ):
        fields.authors.setdefault("记者", " ".join(tokens))


# --- Reading ------------------------------------------------------------------------------


def _forms(lines: list[str]) -> list[str]:
    """The matching forms of many lines in one conversion (the form keeps every newline)."""
    return matching_form("\n".join(lines)).split("\n") if lines else []


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def read_text(text: str, legacy_url: str = "") -> LegacyArticle:
    """Read a plain-text copy of a page (or the text lines of an HTML page)."""
    return _read_lines(_lines(text), legacy_url=legacy_url)


def _read_lines(
    lines: list[str],
    *,
    legacy_url: str = "",
    known_title: str | None = None,
    body_lines: list[str] | None = None,
    page_date: str | None = None,
) -> LegacyArticle:
    if not lines:
        raise LegacyFormatError("文件为空。")
    lines, forms = _labels_with_their_values(lines)
    fields = _Fields()
    meta_rows: set[int] = set()
    original_title = None
    for index, (line, form) in enumerate(zip(lines, forms, strict=True)):
        if _read_label_line(line, form, fields):
            meta_rows.add(index)
        elif (byline := _BYLINE_LINE.match(form)) and len(form) < 40:
            _read_byline(
                line[byline.start("byline") : byline.end("byline")], byline["byline"], fields
            )
            meta_rows.add(index)
        elif reporter := _REPORTER_LINE.match(form):
            fields.authors.setdefault("记者", line[reporter.start("name") : reporter.end("name")])
            meta_rows.add(index)
        elif reprint := _REPRINTED_FROM.match(form):
            if fields.source is None:
                fields.source = line[reprint.start("source") : reprint.end("source")]
            meta_rows.add(index)
        elif original := _ORIGINAL_TITLE.match(form):
            original_title = line[original.start("title") : original.end("title")]
            meta_rows.add(index)

    # The title: the HTML's own, or the nearest title-like line before the metadata.
    title_index = None
    continued = False  # a bare page's headline wrapped onto its second line
    if known_title is not None:
        known_form = matching_form(known_title)
        title_index = next((i for i, f in enumerate(forms) if f == known_form), None)
        if title_index is None:
            title_index = next((i for i, f in enumerate(forms) if f.startswith(known_form)), None)
    else:
        first_meta = min(meta_rows) if meta_rows else None
        bare = next(
            (i for i, f in enumerate(forms[:8]) if _date_line(f) and i > 0),
            None,
        )
        anchor = first_meta if first_meta is not None else bare
        if anchor is not None and (bare is None or anchor <= bare + 1):
            title_index = next(
                (
                    i
                    for i in range(anchor - 1, max(-1, anchor - 4), -1)
                    if _looks_like_title(forms[i])
                ),
                None,
            )
        if title_index is None:
            first = next((i for i, f in enumerate(forms) if not _is_chrome(f) and len(f) > 3), None)
            if (
                first is not None
                and first not in meta_rows
                and _looks_like_title(forms[first])
                and first + 1 < len(forms)
            ):
                title_index = first
                # A section's name above the title (社会责任 / 协会动态): the next line is it.
                following = first + 1
                if (
                    len(forms[first]) <= 6
                    and following < len(forms)
                    and following not in meta_rows
                    and len(forms[following]) > len(forms[first]) + 4
                    and _looks_like_title(forms[following])
                ):
                    title_index = following
                else:
                    continued = _title_continues(forms, meta_rows, first)
    title = known_title
    if title is None and original_title is not None:
        title, title_index = original_title, None
    if title is None and title_index is not None:
        title = lines[title_index]
        if continued:
            title += lines[title_index + 1]
            meta_rows.add(title_index + 1)
        if glued := _TITLE_WITH_DATE.match(matching_form(title)):
            date_text = glued["d1"] or glued["d2"]
            title = title[: glued.end("title")].strip()
            if fields.date is None:
                fields.date, fields.date_origin = parse_date(date_text), "bare"

    # A date printed alone next to the title, without a label (the page's links to the
    # previous and next articles may be glued to it: 2020-10-14 11:40上一篇 |下一篇).
    if fields.date is None and title_index is not None:
        for index in range(title_index + 1, min(title_index + 3, len(forms))):
            form = _NAVIGATION_AFTER.sub("", forms[index])
            if bare := _date_line(form):
                fields.date, fields.date_origin = parse_date(bare["date"]), "bare"
                meta_rows.add(index)
                break

    # The body: what follows the title and its metadata, less the page furniture.
    start = title_index + 1 if title_index is not None else 0
    while start < len(forms) and (
        start in meta_rows or _is_chrome(forms[start]) or _BARE_DATE_LINE.match(forms[start])
    ):
        start += 1
    if body_lines is None:
        candidate = [
            (lines[i], forms[i])
            for i in range(start, len(lines))
            if i not in meta_rows and not _is_chrome(forms[i]) and not _CHROME_DATE.search(forms[i])
        ]
    else:
        candidate = [
            (line, form)
            for line, form in zip(body_lines, _forms(body_lines), strict=True)
            if not _LABEL.search(form[:12]) and not _is_chrome(form)
        ]
        if title:
            candidate = [(line, form) for line, form in candidate if form != matching_form(title)]
    paragraphs = [line for line, form in candidate if len(form) > 4 or form[-1:] in _SENTENCE_END]
    # Subtitle lines: short lines between the metadata and the first paragraph (seed form).
    subtitles: list[str] = []
    if title and meta_rows and body_lines is None:
        while len(paragraphs) > len(subtitles) + 1 and _is_subtitle(paragraphs[len(subtitles)]):
            subtitles.append(paragraphs[len(subtitles)])
        paragraphs = paragraphs[len(subtitles) :]
    if first := next((line for line in paragraphs if len(line) > 20), None):
        _dateline(matching_form(first), first, fields)
        for line in paragraphs[-3:]:
            form = matching_form(line)
            if body_lines is not None and len(form) < 40:
                _read_label_line(line, form, fields)
            if (byline := _BYLINE_LINE.match(form)) or (
                byline := re.search(r"[\[(]((?:全媒体)?记者[^)\]]*)[\])]$", form)
            ):
                _read_byline(line[byline.start(1) : byline.end(1)], byline.group(1), fields)
    return _finish(title, fields, paragraphs, legacy_url, page_date, tuple(subtitles))


def _date_line(form: str) -> re.Match | None:
    """A date printed on a line of its own, bare or after a name (法律人2023-06-15 03:18)."""
    return _BARE_DATE_LINE.match(form) or _NAMED_DATE_LINE.match(form)


def _title_continues(forms: list[str], meta_rows: set[int], index: int) -> bool:
    """Whether a page with no metadata wraps its title onto a second short line.

    榆林市律协…赴县域律师事务所 / 进行交流指导工作, then the report: the second line is short,
    reads as part of a headline (no "——" of a subtitle), and the report follows it.
    """
    following, after = index + 1, index + 2
    return (
        after < len(forms)
        and not meta_rows
        and following not in meta_rows
        and len(forms[following]) <= 30
        and not forms[following].startswith(("—", "-", "("))
        and _looks_like_title(forms[following])
        and len(forms[index]) + len(forms[following]) <= 90
        and (len(forms[after]) >= 40 or forms[after].endswith("。"))
    )


def _labels_with_their_values(lines: list[str]) -> tuple[list[str], list[str]]:
    """Lines and their matching forms, a label left without its value joined to the short
    line that holds it.

    Pages whose metadata sat in table cells put each label and its value on lines of their
    own (时间: / 2009-09-27); a label followed by another label keeps its empty value.
    """
    forms = _forms(lines)
    joined_lines: list[str] = []
    joined_forms: list[str] = []
    index = 0
    while index < len(lines):
        line, form = lines[index], forms[index]
        ends = [match.end() for match in _LABEL.finditer(form)]
        following = forms[index + 1] if index + 1 < len(forms) else ""
        if (
            ends
            and ends[-1] == len(form)
            and following
            and len(following) <= 40
            and re.search(r"\w", following)
            and not _LABEL.search(following)
            and not _is_chrome(following)
        ):
            # The matching form keeps one character for one, so the forms join as the lines.
            line, form = line + lines[index + 1], form + following
            index += 1
        joined_lines.append(line)
        joined_forms.append(form)
        index += 1
    return joined_lines, joined_forms


def _is_subtitle(line: str) -> bool:
    form = matching_form(line)
    return len(form) <= 60 and form[-1] not in _SENTENCE_END + ",:" and not form.startswith(LEAD_IN)


def _finish(
    title, fields: _Fields, paragraphs, legacy_url, page_date, subtitles=()
) -> LegacyArticle:
    doubts: list[str] = []
    doubtful: set[str] = set()
    if not title:
        doubts.append("标题缺失")
        doubtful.add("title")
    if not fields.source:
        doubts.append("来源缺失")
        doubtful.add("source")
    date = fields.date
    published_on = published_time = None
    if date is not None and date.problem:
        doubts.append(date.problem)
        doubtful.add("date")
    elif date is not None and date.value is not None:
        published_on, published_time = date.value, date.time
        if date.value > datetime.date.today():
            doubts.append("日期晚于今天")
            doubtful.add("date")
        elif fields.date_origin == "bare":
            doubts.append("日期未加标注（取自标题旁的日期）")
            doubtful.add("date")
    else:
        doubtful.add("date")
        if page_date:
            doubts.append(f"日期来自页面而非正文标注（页面上为 {page_date}，未采用）")
        reasons = [d for d in fields.doubts if d.startswith(("日期", "无法识别"))]
        doubts.extend(reasons or ["未找到发布日期"])
    body_chars = sum(len(p) for p in paragraphs)
    if not paragraphs:
        doubts.append("正文为空")
        doubtful.add("body")
    elif body_chars < MIN_BODY_CHARS:
        doubts.append("正文过短")
        doubtful.add("body")
    author = next(
        (fields.authors[label] for label in _AUTHOR_LABELS if label in fields.authors), ""
    )
    return LegacyArticle(
        title=title,
        subtitle_lines=subtitles,
        source=fields.source,
        published_on=published_on,
        author=author[:100],
        paragraphs=tuple(paragraphs),
        doubts=tuple(dict.fromkeys(doubts)),
        doubtful=frozenset(doubtful),
        legacy_url=legacy_url,
        published_time=published_time,
    )


# --- HTML ---------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table",
    "ul", "ol", "section", "article", "header", "footer", "nav", "dd", "dt", "dl", "span",
    "title", "center", "font", "strong",
}  # fmt: skip


def _page_lines(tree) -> list[str]:
    """The visible text of a page, a line per block (scripts and styles left out)."""
    chunks: list[str] = []
    for element in tree.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in ("script", "style", "noscript", "head"):
            if element.tail:
                chunks.append(element.tail)
            continue
        if tag in _BLOCK_TAGS and tag not in ("span", "font", "strong"):
            chunks.append("\n")
        if element.text and not _inside(element, ("script", "style", "noscript", "head")):
            chunks.append(element.text)
        if element.tail and not _inside(
            element.getparent(), ("script", "style", "noscript", "head")
        ):
            chunks.append(element.tail)
    return _lines("".join(chunks))


def _inside(element, tags) -> bool:
    while element is not None:
        if isinstance(element.tag, str) and element.tag in tags:
            return True
        element = element.getparent()
    return False


def read_html(html: str, legacy_url: str = "") -> LegacyArticle:
    """Read a saved HTML page: trafilatura finds the article, our label rules its fields."""
    import lxml.html
    from trafilatura import bare_extraction

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError) as exc:
        raise LegacyFormatError("HTML 无法解析。") from exc
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    if canonical and canonical[0].strip():
        legacy_url = canonical[0].strip()
    from htmldate import find_date

    page_date = find_date(tree, extensive_search=False, original_date=True)
    document = bare_extraction(
        tree,
        with_metadata=False,
        fast=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
    )
    body_lines = _lines(document.text or "") if document else []
    headings = [" ".join(h.text_content().split()) for h in tree.xpath("//h1")]
    title = next((h for h in headings if len(h) >= 4), None)
    page_title = " ".join(" ".join(tree.xpath("//title//text()")).split())
    if title is None and page_title:
        title = re.split(r"\s*[_|]\s*|\s+-\s+", page_title)[0] or None
    lines = _page_lines(tree)
    # Metadata is read near the title, not in sidebars and headers: the title and what follows.
    if title is not None:
        form = matching_form(title)
        at = next((i for i, line in enumerate(lines) if matching_form(line) == form), None)
        lines = [title] if at is None else lines[at : at + 8]
    return _read_lines(
        lines,
        legacy_url=legacy_url,
        known_title=title,
        body_lines=body_lines,
        page_date=page_date,
    )


def read(data: bytes, name: str, legacy_url: str = "") -> LegacyArticle:
    """Read one file: HTML by its extension or its opening, plain text otherwise."""
    text = decode(data)
    head = text[:1000].lstrip().lower()
    if name.lower().endswith((".html", ".htm")) or head.startswith(("<!doctype html", "<html")):
        return read_html(text, legacy_url)
    return read_text(text, legacy_url)


def parse(text: str) -> LegacyArticle:
    """Read a plain-text article (kept for callers of the first importer)."""
    return read_text(text)
