"""Whether party branches hold the regular meetings their rules require.

The requirements come from 《中国共产党支部工作条例（试行）》, issued by the CPC Central
Committee in 2018, in its provisions on 组织生活 (the organisational life of a branch):

- 三会一课: 党员大会 generally once a quarter, 党支部委员会会议 generally once a month,
  党小组会 generally once a month, and members attend 党课 regularly;
- 主题党日 on a relatively fixed day every month;
- 组织生活会 at least once a year;
- 民主评议党员 generally once a year.

The regulation sets no count for 党课 in a branch; "at least once a quarter" is the common
local rule, which is why ``DEFAULT_REQUIREMENTS`` only seeds an editable table and every
function here takes the requirements as an argument.

This module is plain Python on purpose: no Django imports, only dates and strings, so the
rules are tested in milliseconds and the Django layer stays a thin adapter.

Conventions used throughout:

- A period's ``end`` is **inclusive** (the last day of the month, quarter or year), as a
  date range on a model field is written (``date__range=(start, end)``).
- Only activities dated on or before ``today`` count as held: a meeting recorded with a
  future date is a plan, and must not turn a cell green before it happens.
- A period applies to a branch only if the branch was established on or before the
  period's first day. A branch founded on 15 March is therefore not asked for the first
  quarter's 党员大会, nor for that year's 组织生活会 and 民主评议党员.
"""

from __future__ import annotations

import calendar
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache


class ActivityKind(StrEnum):
    GENERAL_MEETING = "general_meeting"
    COMMITTEE_MEETING = "committee_meeting"
    GROUP_MEETING = "group_meeting"
    PARTY_LECTURE = "party_lecture"
    THEMED_DAY = "themed_day"
    ORGANIZATIONAL_LIFE_MEETING = "organizational_life_meeting"
    MEMBER_APPRAISAL = "member_appraisal"
    OTHER = "other"


class Unit(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Status(StrEnum):
    DONE = "done"
    UPCOMING = "upcoming"
    MISSING = "missing"
    NOT_APPLICABLE = "not_applicable"


class DueState(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"


# Plain-string keys: the Django layer turns these into field choices, and migrations should
# record "general_meeting", not a reference to an enum in this module.
KIND_LABELS: dict[str, str] = {
    "general_meeting": "支部党员大会",
    "committee_meeting": "支委会",
    "group_meeting": "党小组会",
    "party_lecture": "党课",
    "themed_day": "主题党日",
    "organizational_life_meeting": "组织生活会",
    "member_appraisal": "民主评议党员",
    "other": "其他",
}

UNIT_LABELS: dict[str, str] = {
    "month": "月",
    "quarter": "季度",
    "year": "年",
}

STATUS_LABELS: dict[str, str] = {
    "done": "已完成",
    "upcoming": "未到期",
    "missing": "未完成",
    "not_applicable": "不适用",
}

# One says 召开 a meeting but 开展 a themed day, a lecture or an appraisal; reminders read
# wrong to a branch secretary otherwise.
_MEETING_KINDS = frozenset(
    {
        ActivityKind.GENERAL_MEETING,
        ActivityKind.COMMITTEE_MEETING,
        ActivityKind.GROUP_MEETING,
        ActivityKind.ORGANIZATIONAL_LIFE_MEETING,
    }
)

# Finer units sort first; the board compares a requirement's unit with the display unit.
_UNIT_RANK = {Unit.MONTH: 0, Unit.QUARTER: 1, Unit.YEAR: 2}


def _verb(kind: str) -> str:
    return "召开" if kind in _MEETING_KINDS else "开展"


# --- Periods -------------------------------------------------------------------------------


def _bounds(unit: Unit, day: date) -> tuple[date, date]:
    if unit is Unit.MONTH:
        first_month, last_month = day.month, day.month
    elif unit is Unit.QUARTER:
        first_month = (day.month - 1) // 3 * 3 + 1
        last_month = first_month + 2
    else:
        first_month, last_month = 1, 12
    last_day = calendar.monthrange(day.year, last_month)[1]
    return date(day.year, first_month, 1), date(day.year, last_month, last_day)


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, quarter or year; ``end`` is the period's last day (inclusive)."""

    unit: Unit
    start: date
    end: date

    def __post_init__(self) -> None:
        unit = Unit(self.unit)
        object.__setattr__(self, "unit", unit)
        # Reject ranges such as 5 March–4 April: every rule below assumes calendar periods.
        if _bounds(unit, self.start) != (self.start, self.end):
            raise ValueError(f"{self.start}–{self.end} is not a calendar {unit}")

    @property
    def label(self) -> str:
        if self.unit is Unit.MONTH:
            return f"{self.start.year}年{self.start.month}月"
        if self.unit is Unit.QUARTER:
            return f"{self.start.year}年第{self.quarter}季度"
        return f"{self.start.year}年"

    @property
    def quarter(self) -> int:
        return (self.start.month - 1) // 3 + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def previous(self) -> Period:
        return period_containing(self.unit, self.start - timedelta(days=1))

    def next(self) -> Period:
        return period_containing(self.unit, self.end + timedelta(days=1))

    def __str__(self) -> str:
        return self.label


def period_containing(unit: str, day: date) -> Period:
    unit = Unit(unit)
    start, end = _bounds(unit, day)
    return Period(unit, start, end)


def periods_between(unit: str, first: date, last: date) -> list[Period]:
    """Every period of ``unit`` that touches the days ``first``..``last``, in order.

    Partial periods at either end are included whole, so a board from 15 March to 2 May
    by month shows March, April and May.
    """
    periods: list[Period] = []
    if first > last:
        return periods
    period = period_containing(unit, first)
    while period.start <= last:
        periods.append(period)
        period = period.next()
    return periods


# --- Requirements --------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    """A branch must hold ``times`` activities of ``kind`` in every period of ``unit``."""

    kind: ActivityKind
    unit: Unit
    times: int = 1

    def __post_init__(self) -> None:
        # Accept plain strings from the database and normalise them, so comparisons and
        # dictionary look-ups behave the same whichever form the caller used.
        object.__setattr__(self, "kind", ActivityKind(self.kind))
        object.__setattr__(self, "unit", Unit(self.unit))
        if self.times < 1:
            raise ValueError("a requirement needs at least one activity per period")

    @property
    def label(self) -> str:
        return f"{KIND_LABELS[self.kind]} 每{UNIT_LABELS[self.unit]}{self.times}次"


DEFAULT_REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement(ActivityKind.GENERAL_MEETING, Unit.QUARTER, 1),
    Requirement(ActivityKind.COMMITTEE_MEETING, Unit.MONTH, 1),
    Requirement(ActivityKind.GROUP_MEETING, Unit.MONTH, 1),
    Requirement(ActivityKind.PARTY_LECTURE, Unit.QUARTER, 1),
    Requirement(ActivityKind.THEMED_DAY, Unit.MONTH, 1),
    Requirement(ActivityKind.ORGANIZATIONAL_LIFE_MEETING, Unit.YEAR, 1),
    Requirement(ActivityKind.MEMBER_APPRAISAL, Unit.YEAR, 1),
)


# --- Cells: one requirement in one period of its own unit ----------------------------------


@dataclass(frozen=True)
class Cell:
    requirement: Requirement
    period: Period
    held: int
    status: Status

    @property
    def kind(self) -> ActivityKind:
        return self.requirement.kind

    @property
    def required(self) -> int:
        return self.requirement.times


def applies(period: Period, established: date | None) -> bool:
    """Whether the branch existed for the whole period (unknown founding date: assume so)."""
    return established is None or established <= period.start


def count_held(dates: Iterable[date], period: Period, today: date) -> int:
    return sum(1 for day in dates if day in period and day <= today)


def cell_status(
    held: int, times: int, period: Period, today: date, established: date | None
) -> Status:
    """The status of one requirement in one period.

    - ``done``: enough activities were held (even in a period before the branch was
      founded: a branch that met anyway deserves to see it);
    - ``not_applicable``: the branch did not exist on the period's first day;
    - ``upcoming``: the period has not ended yet (``today <= end``), so there is still time;
    - ``missing``: the period has ended without enough activities.
    """
    if held >= times:
        return Status.DONE
    if not applies(period, established):
        return Status.NOT_APPLICABLE
    if today <= period.end:
        return Status.UPCOMING
    return Status.MISSING


def dates_by_kind(activities: Iterable[tuple[str, date]]) -> dict[ActivityKind, list[date]]:
    grouped: dict[ActivityKind, list[date]] = defaultdict(list)
    for kind, day in activities:
        grouped[ActivityKind(kind)].append(day)
    return dict(grouped)


def _cell(
    requirement: Requirement,
    activity_dates_by_kind: Mapping[ActivityKind, Iterable[date]],
    period: Period,
    today: date,
    established: date | None,
) -> Cell:
    held = count_held(activity_dates_by_kind.get(requirement.kind, ()), period, today)
    status = cell_status(held, requirement.times, period, today, established)
    return Cell(requirement=requirement, period=period, held=held, status=status)


def evaluate(
    requirements: Iterable[Requirement],
    activities: Iterable[tuple[str, date]],
    periods: Iterable[Period],
    today: date,
    established: date | None,
) -> list[Cell]:
    """One branch's cells: each requirement in each given period of the requirement's unit.

    Periods of other units are skipped for that requirement (a monthly rule has nothing to
    say about a quarter as a whole; ``board_cell`` does that aggregation). Cells come out
    requirement by requirement, periods in the order given.
    """
    by_kind = dates_by_kind(activities)
    # Read once: the periods are walked again for every requirement.
    period_list = list(periods)
    return [
        _cell(requirement, by_kind, period, today, established)
        for requirement in requirements
        for period in period_list
        if period.unit is requirement.unit
    ]


# --- The board: every requirement summarised for one displayed period ----------------------


def combine(statuses: Iterable[Status]) -> Status:
    """Fold several statuses into one, the worst news first.

    Anything missing makes the whole missing; otherwise anything still open makes it
    upcoming; otherwise it is done if anything applied, and not applicable if nothing did.
    """
    found = set(statuses)
    for status in (Status.MISSING, Status.UPCOMING, Status.DONE):
        if status in found:
            return status
    return Status.NOT_APPLICABLE


@dataclass(frozen=True)
class RequirementSummary:
    """One requirement as seen on a board cell.

    ``cells`` are the periods of the requirement's own unit behind the figure: the months
    of a displayed quarter for a monthly rule, or the one year containing a displayed
    quarter for a yearly rule. ``required`` and ``held`` add up over those cells, except
    that periods before the branch was founded require nothing.
    """

    requirement: Requirement
    cells: tuple[Cell, ...]
    required: int
    held: int
    status: Status

    @property
    def kind(self) -> ActivityKind:
        return self.requirement.kind


@dataclass(frozen=True)
class CellSummary:
    period: Period
    status: Status
    details: tuple[RequirementSummary, ...]


@lru_cache(maxsize=4096)
def _periods_for(unit: Unit, display_period: Period) -> tuple[Period, ...]:
    """The periods of ``unit`` behind a displayed period (the same for every branch, so
    kept: a board of 500 branches asks for the same few thousand times)."""
    if _UNIT_RANK[unit] <= _UNIT_RANK[display_period.unit]:
        # Same or finer unit: all of its periods inside the displayed one.
        return tuple(periods_between(unit, display_period.start, display_period.end))
    # Coarser unit: the single period that contains the displayed one, since a yearly
    # meeting cannot be judged by quarter; it shows the state of the year in every quarter.
    return (period_containing(unit, display_period.start),)


def _count_sorted(days: list[date], period: Period, today: date) -> int:
    """count_held for days sorted in order: two binary searches instead of a scan."""
    last = min(period.end, today)
    if last < period.start:
        return 0
    return bisect_right(days, last) - bisect_left(days, period.start)


def board_cell(
    requirements: Iterable[Requirement],
    activity_dates_by_kind: Mapping[str, Iterable[date]],
    display_period: Period,
    today: date,
    established: date | None,
) -> CellSummary:
    """Summarise one branch's requirements for a period shown on the board.

    Each requirement is judged in periods of its own unit (see ``_periods_for``) and the
    results are folded with ``combine``: a quarter is done for a monthly rule when all three
    months are done, missing when any ended month is missing, upcoming otherwise. The
    board cell's own status folds the requirements the same way.
    """
    # Materialise once: callers may pass generators, and each requirement reads its dates.
    dates = {ActivityKind(kind): sorted(days) for kind, days in activity_dates_by_kind.items()}
    details = []
    for requirement in requirements:
        days = dates.get(requirement.kind, [])
        cells = []
        for period in _periods_for(requirement.unit, display_period):
            held = _count_sorted(days, period, today)
            status = cell_status(held, requirement.times, period, today, established)
            cells.append(Cell(requirement=requirement, period=period, held=held, status=status))
        details.append(
            RequirementSummary(
                requirement=requirement,
                cells=tuple(cells),
                required=sum(c.required for c in cells if applies(c.period, established)),
                held=sum(c.held for c in cells),
                status=combine(c.status for c in cells),
            )
        )
    return CellSummary(
        period=display_period,
        status=combine(d.status for d in details),
        details=tuple(details),
    )


def board_statuses(
    requirements: Iterable[Requirement],
    activity_dates_by_kind: Mapping[str, Iterable[date]],
    display_periods: Iterable[Period],
    today: date,
    established: date | None,
) -> list[Status]:
    """``board_cell(...).status`` for each displayed period, without the details.

    The same judgement, for sorting a whole board before its rows are shown: each
    requirement's own period is judged once (a quarter shown by month is not judged three
    times), and statuses fold the same way (``combine`` of ``combine`` is ``combine`` of
    the union).
    """
    requirements = list(requirements)
    dates = {ActivityKind(kind): sorted(days) for kind, days in activity_dates_by_kind.items()}
    days_of = [dates.get(requirement.kind, []) for requirement in requirements]
    memo: dict[tuple[int, date], Status] = {}
    result = []
    for display in display_periods:
        found = set()
        for index, requirement in enumerate(requirements):
            for period in _periods_for(requirement.unit, display):
                key = (index, period.start)
                status = memo.get(key)
                if status is None:
                    held = _count_sorted(days_of[index], period, today)
                    status = cell_status(held, requirement.times, period, today, established)
                    memo[key] = status
                found.add(status)
        result.append(combine(found))
    return result


# --- Reminders -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    """A requirement a branch secretary should act on, with the last day to do it."""

    state: DueState
    requirement: Requirement
    period: Period
    held: int

    @property
    def deadline(self) -> date:
        return self.period.end

    @property
    def required(self) -> int:
        return self.requirement.times

    @property
    def description(self) -> str:
        verb = _verb(self.requirement.kind)
        return (
            f"{self.period.label} {KIND_LABELS[self.requirement.kind]} "
            f"应{verb}{self.required}次，已{verb}{self.held}次"
        )


def due_items(
    requirements: Iterable[Requirement],
    activity_dates_by_kind: Mapping[str, Iterable[date]],
    today: date,
    established: date | None,
    horizon_days: int = 14,
) -> list[DueItem]:
    """What needs doing: overdue items first, then items due soon, each by deadline.

    - overdue: the most recent ended period of the requirement's unit was missed and no
      activity of that kind has been held since it ended (a make-up meeting, recorded with
      its own date, ends the reminder; the board keeps the miss). Older misses are history
      for the board, not something a reminder can still fix;
    - due soon: the current period ends within ``horizon_days`` days (its last day
      included, so on the last day itself it is still due soon) and is not yet satisfied.
    """
    dates = {ActivityKind(kind): list(days) for kind, days in activity_dates_by_kind.items()}
    items: list[DueItem] = []
    for requirement in requirements:
        current = period_containing(requirement.unit, today)
        previous = _cell(requirement, dates, current.previous(), today, established)
        made_up = count_held(dates.get(requirement.kind, ()), current, today) > 0
        if previous.status is Status.MISSING and not made_up:
            items.append(DueItem(DueState.OVERDUE, requirement, previous.period, previous.held))
        now = _cell(requirement, dates, current, today, established)
        if now.status is Status.UPCOMING and (current.end - today).days <= horizon_days:
            items.append(DueItem(DueState.DUE_SOON, requirement, current, now.held))
    # A stable sort keeps the requirements' own order among items with the same deadline.
    return sorted(items, key=lambda item: (item.state is not DueState.OVERDUE, item.deadline))


# --- Attendance ----------------------------------------------------------------------------


def attendance_rate(present: int, expected: int) -> float | None:
    """实到 / 应到 as a fraction between 0 and 1, or None when nobody was expected.

    Branch records write 应到 X 人，实到 Y 人，请假 Z 人: members excused (请假) are still
    应到, so they stay in ``expected`` and lower the rate. Guests attending without a vote
    (列席) are not members and belong in neither number.
    """
    if present < 0 or expected < 0:
        raise ValueError("attendance counts cannot be negative")
    if present > expected:
        raise ValueError("more members present (实到) than expected (应到)")
    if expected == 0:
        return None
    return present / expected
