"""Geometry for small SVG charts drawn by templates on the server: no JavaScript, no CDN.

Plain Python on purpose: functions from labelled values to coordinates, tested without
Django. A template turns the result into <rect>, <polyline> and <text> elements, each
with a <title>, beside a data table that says the same in words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

# The drawing area inside the SVG's viewBox, leaving room for the axes' labels.
WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 36


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float
    text: str  # the value as shown, e.g. "12"
    label_x: float
    show_label: bool


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str
    value: float
    text: str
    show_label: bool


@dataclass(frozen=True)
class Frame:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    ticks: tuple[Tick, ...]

    @property
    def label_y(self) -> float:
        return self.bottom + 20


@dataclass(frozen=True)
class BarChart:
    frame: Frame
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class LineChart:
    frame: Frame
    points: tuple[Point, ...]
    # Runs of consecutive points with a value, as SVG "x,y x,y" strings: a month without
    # data breaks the line instead of drawing it down to zero.
    segments: tuple[str, ...]


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 5 × 10ⁿ that is at least ``value`` (1 for nothing)."""
    if value <= 0:
        return 1
    exponent = math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        candidate = step * 10**exponent
        if candidate >= value:
            return candidate
    return 10 ** (exponent + 1)  # pragma: no cover - the loop always returns


def label_every(count: int, room: float, min_gap: float = 72) -> int:
    """Show every n-th label so that labels (about 2024年10月 wide) do not overlap."""
    if count <= 0:
        return 1
    return max(1, math.ceil(min_gap / (room / count)))


def axis(largest: float, *, integer: bool = False, ticks: int = 4) -> tuple[float, float]:
    """(top, step) of a value axis from 0: about ``ticks`` round steps covering ``largest``.

    Counts get whole-number steps: 0, 2, 4, 6 rather than 0, 1.25, 2.5 …
    """
    step = nice_ceiling(largest / ticks) if largest > 0 else 1
    if integer:
        step = max(1, step)
    return step * max(1, math.ceil(largest / step)), step


def _frame(top_value: float, step: float, format_tick, width: int, height: int) -> Frame:
    left, right, top, bottom = LEFT, width - RIGHT, TOP, height - BOTTOM
    count = round(top_value / step)
    ticks = tuple(
        Tick(y=round(bottom - (bottom - top) * i / count, 1), label=format_tick(step * i))
        for i in range(count + 1)
    )
    return Frame(width, height, left, right, top, bottom, ticks)


def _number(value: float) -> str:
    return f"{value:g}"


def bar_chart(
    values: Sequence[tuple[str, float]], width: int = WIDTH, height: int = HEIGHT
) -> BarChart:
    """Vertical bars, one per (label, value) of counts, on an axis from 0 in round steps."""
    top_value, step = axis(max((value for _, value in values), default=0), integer=True)
    frame = _frame(top_value, step, _number, width, height)
    slot = (frame.right - frame.left) / max(len(values), 1)
    every = label_every(len(values), frame.right - frame.left)
    bars = []
    for index, (label, value) in enumerate(values):
        bar_height = (frame.bottom - frame.top) * value / top_value
        x = frame.left + slot * index + slot * 0.15
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(frame.bottom - bar_height, 1),
                width=round(slot * 0.7, 1),
                height=round(bar_height, 1),
                label=label,
                value=value,
                text=_number(value),
                label_x=round(frame.left + slot * (index + 0.5), 1),
                show_label=index % every == 0,
            )
        )
    return BarChart(frame, tuple(bars))


def percent(value: float) -> str:
    return f"{round(value * 100)}%"


def line_chart(
    values: Sequence[tuple[str, float | None]], width: int = WIDTH, height: int = HEIGHT
) -> LineChart:
    """A line of fractions from 0 to 1 (e.g. attendance rates); None leaves a gap."""
    frame = _frame(1, 0.25, percent, width, height)
    slot = (frame.right - frame.left) / max(len(values), 1)
    every = label_every(len(values), frame.right - frame.left)
    points, segments, run = [], [], []
    for index, (label, value) in enumerate(values):
        x = round(frame.left + slot * (index + 0.5), 1)
        if value is None:
            if run:
                segments.append(" ".join(run))
            run = []
            points.append(Point(x, frame.bottom, label, None, "", index % every == 0))
            continue
        clamped = min(max(value, 0.0), 1.0)
        y = round(frame.bottom - (frame.bottom - frame.top) * clamped, 1)
        run.append(f"{x},{y}")
        points.append(Point(x, y, label, value, percent(value), index % every == 0))
    if run:
        segments.append(" ".join(run))
    return LineChart(frame, tuple(points), tuple(segments))
