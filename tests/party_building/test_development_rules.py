"""The development rules in plain Python: spans, deadlines and the order of the stages."""

from datetime import date

import pytest

from party_building.development_rules import (
    DeadlineState,
    Problem,
    Record,
    RuleKey,
    Rules,
    Span,
    SpanUnit,
    Stage,
    Step,
    candidate_from,
    counts_by_stage,
    default_rules,
    findings,
    open_deadlines,
    probation_ends,
    talk_due,
)

RULES = default_rules()


def problems(record, previous=None, rules=RULES):
    return {finding.problem for finding in findings(record, rules, previous)}


def full_path(**changes):
    """A record that went through every step by the default rules, changed as told."""
    values = {
        "stage": Stage.FULL,
        "applied_on": date(2022, 3, 1),
        "talk_on": date(2022, 3, 20),
        "activist_on": date(2022, 6, 1),
        "candidate_on": date(2023, 6, 1),
        "vetted_on": date(2023, 8, 1),
        "publicized_from": date(2023, 9, 1),
        "publicized_to": date(2023, 9, 7),
        "admitted_on": date(2023, 9, 15),
        "confirmed_on": date(2024, 9, 20),
        "mentors": 2,
        "introducers": 2,
    }
    return Record(**{**values, **changes})


# --- Spans ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("span", "start", "end"),
    [
        (Span(30, SpanUnit.DAY), date(2024, 1, 15), date(2024, 2, 14)),
        (Span(1, SpanUnit.MONTH), date(2024, 1, 31), date(2024, 2, 29)),
        (Span(1, SpanUnit.MONTH), date(2023, 1, 31), date(2023, 2, 28)),
        (Span(1, SpanUnit.MONTH), date(2024, 12, 15), date(2025, 1, 15)),
        (Span(1, SpanUnit.YEAR), date(2024, 2, 29), date(2025, 2, 28)),
        (Span(1, SpanUnit.YEAR), date(2023, 6, 1), date(2024, 6, 1)),
        (Span(18, SpanUnit.MONTH), date(2023, 8, 31), date(2025, 2, 28)),
    ],
)
def test_a_span_ends_on_the_calendar_day(span, start, end):
    assert span.after(start) == end


def test_the_default_rules_are_the_usual_ones():
    assert RULES.talk_within == Span(30, SpanUnit.DAY)
    assert RULES.activist_at_least == Span(1, SpanUnit.YEAR)
    assert RULES.probation == Span(1, SpanUnit.YEAR)


def test_rules_read_from_rows_keep_the_default_of_a_missing_row():
    rules = Rules.from_rows([("probation", 18, "month", 10)])
    assert rules.probation == Span(18, SpanUnit.MONTH)
    assert rules.remind_before[RuleKey.PROBATION] == 10
    assert rules.talk_within == Span(30, SpanUnit.DAY)


def test_the_deadlines_follow_the_rules():
    record = full_path()
    assert talk_due(record, RULES) == date(2022, 3, 31)
    assert candidate_from(record, RULES) == date(2023, 6, 1)
    assert probation_ends(record, RULES) == date(2024, 9, 15)
    longer = Rules.from_rows([("probation", 2, "year", 30)])
    assert probation_ends(record, longer) == date(2025, 9, 15)


# --- Deadlines to remind of ----------------------------------------------------------------


def test_an_applicant_without_a_talk_has_the_talk_due():
    record = Record(stage=Stage.APPLICANT, applied_on=date(2024, 5, 1))
    [deadline] = open_deadlines(record, RULES)
    assert (deadline.step, deadline.due) == (Step.TALK, date(2024, 5, 31))
    assert deadline.state(date(2024, 5, 23)) is DeadlineState.LATER
    assert deadline.state(date(2024, 5, 24)) is DeadlineState.DUE_SOON  # seven days' notice
    assert deadline.state(date(2024, 5, 31)) is DeadlineState.DUE_SOON
    assert deadline.state(date(2024, 6, 1)) is DeadlineState.OVERDUE


def test_the_talk_recorded_closes_its_deadline():
    record = Record(stage=Stage.APPLICANT, applied_on=date(2024, 5, 1), talk_on=date(2024, 5, 9))
    assert open_deadlines(record, RULES) == []


def test_a_probationary_member_has_the_confirmation_due_until_confirmed():
    record = full_path(stage=Stage.PROBATIONARY, confirmed_on=None)
    [deadline] = open_deadlines(record, RULES)
    assert (deadline.step, deadline.due) == (Step.CONFIRMATION, date(2024, 9, 15))
    assert deadline.remind_from == date(2024, 8, 16)
    assert open_deadlines(full_path(), RULES) == []


def test_activists_and_candidates_have_no_deadline_to_remind_of():
    assert open_deadlines(full_path(stage=Stage.ACTIVIST), RULES) == []
    assert open_deadlines(full_path(stage=Stage.CANDIDATE), RULES) == []


# --- Order ---------------------------------------------------------------------------------


def test_a_complete_path_has_no_problem():
    assert problems(full_path(), previous=Stage.PROBATIONARY) == set()


def test_each_stage_may_follow_the_one_before():
    for before, after in zip(list(Stage), list(Stage)[1:], strict=False):
        assert problems(full_path(stage=after), previous=before) == set(), after


def test_a_record_cannot_go_back():
    assert Problem.BACKWARD in problems(full_path(stage=Stage.ACTIVIST), previous=Stage.CANDIDATE)


def test_a_record_cannot_skip_a_stage():
    found = findings(full_path(stage=Stage.CANDIDATE), RULES, previous=Stage.APPLICANT)
    assert [(f.problem, f.detail) for f in found] == [(Problem.SKIPPED, Stage.ACTIVIST)]


def test_a_new_record_may_start_later_on_the_path_if_the_earlier_steps_are_recorded():
    assert problems(full_path(stage=Stage.ACTIVIST)) == set()
    assert Problem.MISSING_DATE in problems(full_path(stage=Stage.ACTIVIST, applied_on=None))


def test_a_stage_needs_its_day():
    record = full_path(stage=Stage.ACTIVIST, activist_on=None)
    found = findings(record, RULES, previous=Stage.APPLICANT)
    assert [(f.problem, f.field) for f in found] == [(Problem.MISSING_DATE, "activist_on")]


def test_an_activist_needs_the_talk_first():
    record = full_path(stage=Stage.ACTIVIST, talk_on=None)
    assert problems(record, previous=Stage.APPLICANT) == {Problem.NO_TALK}


def test_a_candidate_needs_a_year_as_activist():
    early = full_path(stage=Stage.CANDIDATE, candidate_on=date(2023, 5, 31))
    assert problems(early, previous=Stage.ACTIVIST) == {Problem.TOO_EARLY_CANDIDATE}
    on_the_day = full_path(stage=Stage.CANDIDATE, candidate_on=date(2023, 6, 1))
    assert problems(on_the_day, previous=Stage.ACTIVIST) == set()


def test_a_shorter_rule_lets_a_candidate_come_sooner():
    rules = Rules.from_rows([("activist_at_least", 6, "month", 30)])
    early = full_path(stage=Stage.CANDIDATE, candidate_on=date(2022, 12, 1))
    assert problems(early, previous=Stage.ACTIVIST, rules=rules) == set()


def test_a_candidate_needs_two_mentors_and_a_probationary_member_two_introducers():
    assert problems(full_path(stage=Stage.CANDIDATE, mentors=1), Stage.ACTIVIST) == {
        Problem.TOO_FEW_MENTORS
    }
    assert problems(full_path(stage=Stage.PROBATIONARY, introducers=1), Stage.CANDIDATE) == {
        Problem.TOO_FEW_INTRODUCERS
    }


def test_a_probationary_member_needs_vetting_and_the_public_notice():
    record = full_path(stage=Stage.PROBATIONARY, vetted_on=None, publicized_to=None)
    found = findings(record, RULES, previous=Stage.CANDIDATE)
    assert {(f.problem, f.field) for f in found} == {
        (Problem.MISSING_DATE, "vetted_on"),
        (Problem.MISSING_DATE, "publicized_to"),
    }


def test_the_steps_are_dated_in_order():
    record = full_path(stage=Stage.PROBATIONARY, admitted_on=date(2023, 9, 5))  # during notice
    found = findings(record, RULES, previous=Stage.CANDIDATE)
    assert [(f.problem, f.field, f.detail) for f in found] == [
        (Problem.OUT_OF_ORDER, "admitted_on", "publicized_to")
    ]


def test_confirmation_comes_after_the_probation():
    early = full_path(confirmed_on=date(2024, 9, 14))
    assert problems(early, previous=Stage.PROBATIONARY) == {Problem.EARLY_CONFIRMATION}


def test_counts_by_stage_names_every_stage():
    counts = counts_by_stage(["applicant", "applicant", "full"])
    assert counts == {
        Stage.APPLICANT: 2,
        Stage.ACTIVIST: 0,
        Stage.CANDIDATE: 0,
        Stage.PROBATIONARY: 0,
        Stage.FULL: 1,
    }
