"""Plain text from stored HTML: for summaries, feeds, search and extraction."""

import html as html_module
import re

import nh3

# Where a block ends, plain text starts a new line.
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|tr|figcaption)>|<br\s*/?>", re.IGNORECASE)


def html_to_text(html: str | None) -> str:
    """Plain text of `html`, paragraphs on separate lines: for summaries, search and extraction."""
    if not html:
        return ""
    text = nh3.clean(
        _BLOCK_END.sub(lambda match: match.group(0) + "\n", html),
        tags=set(),
        clean_content_tags={"script", "style"},
    )
    lines = (html_module.unescape(line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def summarize(text: str, limit: int = 120) -> str:
    """The first `limit` characters of `text` on one line, cut with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[: limit - 1].rstrip() + "…"


def paragraphs_mentioning(text: str, words: list[str], limit: int = 3) -> list[str]:
    """The first `limit` paragraphs of `text` that name any of `words`, in reading order."""
    words = [word for word in words if word]
    found = [line for line in text.splitlines() if any(word in line for word in words)]
    return found[:limit]


# Registers and readers pad a two-character name to line up with three-character ones: 王　伟.
_SPACE_BETWEEN_HAN = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")


def person_name(value: str) -> str:
    """A person's name as it is meant: 王　伟 is 王伟; David  Smith is David Smith."""
    return _SPACE_BETWEEN_HAN.sub("", " ".join(value.split()))
