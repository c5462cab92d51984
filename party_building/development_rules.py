"""党员发展: the stages into the party, their order and their deadlines, as plain Python.

The path is 入党申请人 (applicant) → 入党积极分子 (activist) → 发展对象 (candidate) →
预备党员 (probationary) → 正式党员 (full), as in 《中国共产党发展党员工作细则》 (2014):

- the branch talks with an applicant within a month of the application (第六条);
- an activist is followed by two 培养联系人 (full members) and observed for at least a year
  before becoming a 发展对象 (第十三条);
- a 发展对象 is vetted (政审), the branch announces them (公示), and the branch's general
  meeting (支部大会) votes them in, with two 入党介绍人 (full members), as a probationary
  member; the probation lasts a year (第三十条), after which the general meeting votes on
  their confirmation (转正).

The spans are data (``Rules``; the Django layer reads them from an editable table seeded
with ``DEFAULT_RULES``). Nothing here imports Django: dates in, dates and problem codes
out, so the rules are tested in milliseconds. Messages are the Django layer's business.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum


class Stage(StrEnum):
    APPLICANT = "applicant"
    ACTIVIST = "activist"
    CANDIDATE = "candidate"
    PROBATIONARY = "probationary"
    FULL = "full"


STAGES = list(Stage)


def stage_index(stage: str) -> int:
    return STAGES.index(Stage(stage))


class SpanUnit(StrEnum):
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class Span:
    """A length of time in days, calendar months or years."""

    amount: int
    unit: SpanUnit

    def after(self, day: date) -> date:
        """The day ``amount`` units after ``day``: 31 January + 1 month is 28 (29) February,
        29 February + 1 year is 28 February, as a calendar is read."""
        if self.unit is SpanUnit.DAY:
            return day + timedelta(days=self.amount)
        months = self.amount * (12 if self.unit is SpanUnit.YEAR else 1)
        year, month = divmod(day.month - 1 + months, 12)
        year += day.year
        month += 1
        return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class RuleKey(StrEnum):
    TALK_WITHIN = "talk_within"
    ACTIVIST_AT_LEAST = "activist_at_least"
    PROBATION = "probation"


@dataclass(frozen=True)
class Rules:
    talk_within: Span
    activist_at_least: Span
    probation: Span
    # How many days before a deadline the branch is reminded, per rule.
    remind_before: dict[RuleKey, int]

    @classmethod
    def from_rows(cls, rows) -> Rules:
        """From (key, amount, unit, remind_before_days) rows; a missing row keeps its default."""
        spans = {key: (span, days) for key, span, days in DEFAULT_RULES}
        for key, amount, unit, days in rows:
            spans[RuleKey(key)] = (Span(amount, SpanUnit(unit)), days)
        return cls(
            talk_within=spans[RuleKey.TALK_WITHIN][0],
            activist_at_least=spans[RuleKey.ACTIVIST_AT_LEAST][0],
            probation=spans[RuleKey.PROBATION][0],
            remind_before={key: days for key, (_span, days) in spans.items()},
        )


# (rule, span, days of notice before the deadline)
DEFAULT_RULES = [
    (RuleKey.TALK_WITHIN, Span(30, SpanUnit.DAY), 7),
    (RuleKey.ACTIVIST_AT_LEAST, Span(1, SpanUnit.YEAR), 30),
    (RuleKey.PROBATION, Span(1, SpanUnit.YEAR), 30),
]


def default_rules() -> Rules:
    return Rules.from_rows((key, span.amount, span.unit, days) for key, span, days in DEFAULT_RULES)


@dataclass(frozen=True)
class Record:
    """What a development record holds, as far as the rules are concerned."""

    stage: Stage
    applied_on: date | None
    talk_on: date | None = None
    activist_on: date | None = None
    candidate_on: date | None = None
    vetted_on: date | None = None
    publicized_from: date | None = None
    publicized_to: date | None = None
    admitted_on: date | None = None
    confirmed_on: date | None = None
    mentors: int = 0
    introducers: int = 0


# --- Deadlines -------------------------------------------------------------------------------


def talk_due(record: Record, rules: Rules) -> date | None:
    return rules.talk_within.after(record.applied_on) if record.applied_on else None


def candidate_from(record: Record, rules: Rules) -> date | None:
    """The first day an activist may become a 发展对象."""
    return rules.activist_at_least.after(record.activist_on) if record.activist_on else None


def probation_ends(record: Record, rules: Rules) -> date | None:
    """The day the probation is complete and the 转正 vote is due."""
    return rules.probation.after(record.admitted_on) if record.admitted_on else None


class Step(StrEnum):
    """A step with a deadline that the branch is reminded of."""

    TALK = "talk"
    CONFIRMATION = "confirmation"


class DeadlineState(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    LATER = "later"


@dataclass(frozen=True)
class Deadline:
    step: Step
    due: date
    remind_from: date

    def state(self, today: date) -> DeadlineState:
        if today > self.due:
            return DeadlineState.OVERDUE
        if today >= self.remind_from:
            return DeadlineState.DUE_SOON
        return DeadlineState.LATER


def open_deadlines(record: Record, rules: Rules) -> list[Deadline]:
    """The deadlines of steps not yet recorded: the talk while there is none, the 转正 vote
    while a probationary member has not been confirmed."""
    deadlines: list[Deadline] = []
    if record.stage is Stage.APPLICANT and record.talk_on is None and record.applied_on:
        due = rules.talk_within.after(record.applied_on)
        notice = rules.remind_before[RuleKey.TALK_WITHIN]
        deadlines.append(Deadline(Step.TALK, due, due - timedelta(days=notice)))
    if record.stage is Stage.PROBATIONARY and record.confirmed_on is None and record.admitted_on:
        due = rules.probation.after(record.admitted_on)
        notice = rules.remind_before[RuleKey.PROBATION]
        deadlines.append(Deadline(Step.CONFIRMATION, due, due - timedelta(days=notice)))
    return deadlines


# --- Order -----------------------------------------------------------------------------------


class Problem(StrEnum):
    """Why a record may not be saved as it stands (the Django layer words each)."""

    BACKWARD = "backward"  # the stage goes back
    SKIPPED = "skipped"  # a stage is skipped
    MISSING_DATE = "missing_date"  # a stage reached without its day
    OUT_OF_ORDER = "out_of_order"  # a day before the one of the step it follows
    NO_TALK = "no_talk"  # an activist without the talk
    TOO_EARLY_CANDIDATE = "too_early_candidate"  # 发展对象 before the activist year is over
    TOO_FEW_MENTORS = "too_few_mentors"
    TOO_FEW_INTRODUCERS = "too_few_introducers"
    EARLY_CONFIRMATION = "early_confirmation"  # 转正 before the probation ended


@dataclass(frozen=True)
class Finding:
    problem: Problem
    field: str | None = None
    detail: str = ""  # a field name, a date: for the message


# The day each stage is reached, in order of the path; the steps between are checked too.
STAGE_DAYS = {
    Stage.APPLICANT: "applied_on",
    Stage.ACTIVIST: "activist_on",
    Stage.CANDIDATE: "candidate_on",
    Stage.PROBATIONARY: "admitted_on",
    Stage.FULL: "confirmed_on",
}
# Every dated step in order: each on or after the one before it (when both are given).
DATED_STEPS = [
    "applied_on",
    "talk_on",
    "activist_on",
    "candidate_on",
    "vetted_on",
    "publicized_from",
    "publicized_to",
    "admitted_on",
    "confirmed_on",
]
# The days a stage needs (besides its own), e.g. a probationary member's vetting and notice.
REQUIRED_DAYS = {
    Stage.ACTIVIST: ["talk_on"],
    Stage.PROBATIONARY: ["vetted_on", "publicized_from", "publicized_to"],
}
REQUIRED_SPONSORS = 2  # 培养联系人 and 入党介绍人: two full members each


def findings(record: Record, rules: Rules, previous: Stage | None = None) -> list[Finding]:
    """What is wrong with ``record`` (just saved from ``previous``, None for a new record).

    A record moves forward one stage at a time (a new one may start at any stage, e.g. an
    activist followed before the site existed, if the earlier steps are all recorded); each
    stage reached has its day and the records the step needs; days follow the order of the
    steps. An administrator may save anyway, giving the reason, which the history keeps.
    """
    found = []
    reached = stage_index(record.stage)
    if previous is not None:
        before = stage_index(previous)
        if reached < before:
            found.append(Finding(Problem.BACKWARD, "stage", previous))
        elif reached > before + 1:
            found.append(Finding(Problem.SKIPPED, "stage", STAGES[before + 1]))
    for stage in STAGES[: reached + 1]:
        field = STAGE_DAYS[stage]
        if getattr(record, field) is None:
            found.append(Finding(Problem.MISSING_DATE, field, field))
        for extra in REQUIRED_DAYS.get(stage, []):
            if getattr(record, extra) is None:
                code = Problem.NO_TALK if extra == "talk_on" else Problem.MISSING_DATE
                found.append(Finding(code, extra, extra))
    given = [(name, getattr(record, name)) for name in DATED_STEPS if getattr(record, name)]
    latest_name, latest = "", None
    for name, day in given:
        if latest is not None and day < latest:
            found.append(Finding(Problem.OUT_OF_ORDER, name, latest_name))
        if latest is None or day >= latest:
            latest_name, latest = name, day
    if reached >= stage_index(Stage.CANDIDATE):
        earliest = candidate_from(record, rules)
        if earliest and record.candidate_on and record.candidate_on < earliest:
            found.append(Finding(Problem.TOO_EARLY_CANDIDATE, "candidate_on", earliest.isoformat()))
        if record.mentors < REQUIRED_SPONSORS:
            found.append(Finding(Problem.TOO_FEW_MENTORS))
    if reached >= stage_index(Stage.PROBATIONARY) and record.introducers < REQUIRED_SPONSORS:
        found.append(Finding(Problem.TOO_FEW_INTRODUCERS))
    if reached >= stage_index(Stage.FULL):
        ends = probation_ends(record, rules)
        if ends and record.confirmed_on and record.confirmed_on < ends:
            found.append(Finding(Problem.EARLY_CONFIRMATION, "confirmed_on", ends.isoformat()))
    return found


def counts_by_stage(stages) -> dict[Stage, int]:
    """How many records are at each stage, every stage present (zero if none)."""
    counts = dict.fromkeys(STAGES, 0)
    for stage in stages:
        counts[Stage(stage)] += 1
    return counts
