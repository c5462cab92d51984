"""Comparing two texts paragraph by paragraph, for history a person can read.

Plain Python over difflib: paragraphs are matched first, then a changed paragraph is compared
character by character (Chinese has no spaces to split words on), so an editor sees exactly
which characters were inserted or deleted.
"""

import difflib
from dataclasses import dataclass

SAME, INSERT, DELETE, CHANGE = "same", "insert", "delete", "change"


@dataclass(frozen=True)
class Segment:
    kind: str  # SAME, INSERT or DELETE
    text: str


@dataclass(frozen=True)
class ParagraphChange:
    kind: str  # INSERT, DELETE or CHANGE
    number: int  # the paragraph's place (1-based) in the newer text, or the older if deleted
    segments: tuple[Segment, ...]


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def compare(old: str, new: str) -> list[ParagraphChange]:
    """The paragraphs that differ between `old` and `new`, in reading order."""
    before, after = paragraphs(old), paragraphs(new)
    changes = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        olds, news = before[i1:i2], after[j1:j2]
        paired = min(len(olds), len(news)) if tag == "replace" else 0
        for offset in range(paired):
            changes.append(
                ParagraphChange(CHANGE, j1 + offset + 1, _characters(olds[offset], news[offset]))
            )
        for offset, text in enumerate(olds[paired:], start=i1 + paired):
            changes.append(ParagraphChange(DELETE, offset + 1, (Segment(DELETE, text),)))
        for offset, text in enumerate(news[paired:], start=j1 + paired):
            changes.append(ParagraphChange(INSERT, offset + 1, (Segment(INSERT, text),)))
    return changes


def _characters(old: str, new: str) -> tuple[Segment, ...]:
    segments = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment(SAME, old[i1:i2]))
            continue
        if tag in ("delete", "replace"):
            segments.append(Segment(DELETE, old[i1:i2]))
        if tag in ("insert", "replace"):
            segments.append(Segment(INSERT, new[j1:j2]))
    return tuple(segments)
