"""换届: when a party organisation's committee must be elected again. Plain Python, no Django.

《中国共产党支部工作条例（试行）》第八条: 党支部委员会……每届任期3年 (the party constitution
gives 总支部委员会 the same). A term ends on the same day of the month ``years`` after the
election (29 February falls back to 28 February); the committee is due for election
(换届) from then on. It is *due soon* within ``DUE_WITHIN_MONTHS`` months before that
day, *overdue* from the day after it, and an organisation whose election is not recorded
is shown as such, since the committee cannot tell.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_TERM_YEARS = 3  # 支部委员会 and 总支部委员会
DUE_WITHIN_MONTHS = 6


class TermState(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    NO_RECORD = "no_record"
    CURRENT = "current"


TERM_STATE_LABELS: dict[str, str] = {
    TermState.OVERDUE: "已到期未换届",
    TermState.DUE_SOON: "即将到期",
    TermState.NO_RECORD: "未登记换届",
    TermState.CURRENT: "任期内",
}

# Shown first on the board: what needs acting on.
STATE_ORDER = [TermState.OVERDUE, TermState.DUE_SOON, TermState.NO_RECORD, TermState.CURRENT]


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Term:
    """The standing of one organisation's committee on ``today``."""

    state: TermState
    elected_on: datetime.date | None = None
    years: int | None = None
    ends: datetime.date | None = None

    @property
    def label(self) -> str:
        return TERM_STATE_LABELS[self.state]

    @property
    def description(self) -> str:
        if self.ends is None or self.elected_on is None:
            return "未登记支部委员会选举日期，请登记最近一次换届选举"
        return (
            f"{self.elected_on:%Y-%m-%d} 选举，任期{self.years}年，"
            f"{self.ends:%Y-%m-%d} 届满（{self.label}）"
        )


def term_state(
    elected_on: datetime.date | None,
    years: int | None,
    today: datetime.date,
    due_within_months: int = DUE_WITHIN_MONTHS,
) -> Term:
    if elected_on is None:
        return Term(TermState.NO_RECORD)
    years = years or DEFAULT_TERM_YEARS
    ends = add_years(elected_on, years)
    if today > ends:
        state = TermState.OVERDUE
    elif today >= add_months(ends, -due_within_months):
        state = TermState.DUE_SOON
    else:
        state = TermState.CURRENT
    return Term(state, elected_on, years, ends)
