"""Reading articles exported from the legacy site as plain text.

The form, as in the seed article::

    <title>

    信息来源:本站原创  时间:2014-05-13  作者:市律协

    <subtitle line>
    <subtitle line>

    本网讯 <first paragraph>

    <paragraph> …

Full-width and half-width colons and any spacing are tolerated. Plain Python: the
`import_articles` command turns the result into Article rows.
"""

import datetime
import re
from dataclasses import dataclass

# One "key: value" pair of the byline; values run until the next key or the end of the line.
_META_KEY = re.compile(r"(信息来源|来源|发布时间|时间|作者)\s*[:：]\s*")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
# A subtitle is a short line; a body paragraph is longer or opens with the lead-in.
_SUBTITLE_MAX_CHARS = 60
LEAD_IN = "本网讯"


class LegacyFormatError(ValueError):
    """The text is not a legacy article; the message says why, in Chinese."""


@dataclass(frozen=True)
class LegacyArticle:
    title: str
    subtitle_lines: tuple[str, ...]
    source: str
    published_on: datetime.date
    author: str
    paragraphs: tuple[str, ...]


def decode(data: bytes) -> str:
    """Legacy exports are UTF-8 (maybe with a BOM) or, from older Windows tools, GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise LegacyFormatError("文件编码无法识别（应为 UTF-8 或 GB18030）。")


def parse(text: str) -> LegacyArticle:
    blocks = _blocks(text)
    if not blocks:
        raise LegacyFormatError("文件为空。")
    title = " ".join(blocks[0])
    meta_index = next((i for i, block in enumerate(blocks) if _META_KEY.search(block[0])), None)
    if meta_index is None:
        raise LegacyFormatError("缺少“信息来源/时间/作者”一行。")
    if meta_index != 1:
        raise LegacyFormatError("标题之后应是“信息来源/时间/作者”一行。")
    meta = _parse_meta(" ".join(blocks[1]))
    rest = blocks[2:]
    subtitle: list[str] = []
    if len(rest) > 1 and _is_subtitle(rest[0]):
        subtitle = rest[0]
        rest = rest[1:]
    paragraphs = tuple(line for block in rest for line in block)
    if not paragraphs:
        raise LegacyFormatError("正文为空。")
    return LegacyArticle(
        title=title,
        subtitle_lines=tuple(subtitle),
        source=meta["source"],
        published_on=meta["date"],
        author=meta["author"],
        paragraphs=paragraphs,
    )


def _blocks(text: str) -> list[list[str]]:
    """Groups of consecutive non-blank lines, each line with its spacing normalised."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _parse_meta(line: str) -> dict:
    keys = list(_META_KEY.finditer(line))
    values: dict[str, str] = {}
    for match, following in zip(keys, [*keys[1:], None], strict=True):
        end = following.start() if following else len(line)
        values[match.group(1)] = line[match.end() : end].strip()
    source = values.get("信息来源") or values.get("来源") or ""
    date_text = values.get("时间") or values.get("发布时间") or ""
    if not source:
        raise LegacyFormatError("“信息来源”为空。")
    date_match = _DATE.fullmatch(date_text)
    if not date_match:
        raise LegacyFormatError(f"无法识别的时间“{date_text}”（应为 2014-05-13 这样的日期）。")
    try:
        published_on = datetime.date(*(int(part) for part in date_match.groups()))
    except ValueError as exc:
        raise LegacyFormatError(f"日期“{date_text}”不存在。") from exc
    return {"source": source, "date": published_on, "author": values.get("作者", "")}


def _is_subtitle(block: list[str]) -> bool:
    return all(len(line) <= _SUBTITLE_MAX_CHARS and not line.startswith(LEAD_IN) for line in block)
