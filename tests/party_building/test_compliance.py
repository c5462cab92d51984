from datetime import date

import pytest

from party_building.compliance import (
    DEFAULT_REQUIREMENTS,
    KIND_LABELS,
    UNIT_LABELS,
    ActivityKind,
    DueState,
    Period,
    Requirement,
    Status,
    Unit,
    attendance_rate,
    board_cell,
    due_items,
    evaluate,
    period_containing,
    periods_between,
)

MONTHLY_COMMITTEE = Requirement("committee_meeting", "month", 1)
QUARTERLY_GENERAL = Requirement("general_meeting", "quarter", 1)
YEARLY_LIFE_MEETING = Requirement("organizational_life_meeting", "year", 1)
QUARTERLY_LECTURE_TWICE = Requirement("party_lecture", "quarter", 2)

Q1_2024 = period_containing("quarter", date(2024, 2, 1))


def one_cell(requirement, activities, period, today, established=None):
    [cell] = evaluate([requirement], activities, [period], today, established)
    return cell


# --- Periods ---------------------------------------------------------------------------------


def test_month_period_runs_from_first_to_last_day_inclusive():
    period = period_containing("month", date(2024, 4, 17))
    assert (period.start, period.end) == (date(2024, 4, 1), date(2024, 4, 30))


def test_february_of_a_leap_year_ends_on_the_29th():
    assert period_containing("month", date(2024, 2, 10)).end == date(2024, 2, 29)


def test_february_of_a_common_year_ends_on_the_28th():
    assert period_containing("month", date(2023, 2, 10)).end == date(2023, 2, 28)


def test_december_is_followed_by_january_of_the_next_year():
    december = period_containing("month", date(2023, 12, 31))
    assert december.next() == period_containing("month", date(2024, 1, 1))
    assert december.next().label == "2024年1月"


def test_january_is_preceded_by_december_of_the_previous_year():
    january = period_containing("month", date(2024, 1, 1))
    assert january.previous().label == "2023年12月"


def test_31_march_is_in_the_first_quarter():
    period = period_containing("quarter", date(2024, 3, 31))
    assert (period.start, period.end) == (date(2024, 1, 1), date(2024, 3, 31))
    assert period.label == "2024年第1季度"


def test_1_april_is_in_the_second_quarter():
    period = period_containing("quarter", date(2024, 4, 1))
    assert (period.start, period.end) == (date(2024, 4, 1), date(2024, 6, 30))
    assert period.label == "2024年第2季度"


def test_fourth_quarter_ends_on_31_december():
    assert period_containing("quarter", date(2024, 11, 5)).end == date(2024, 12, 31)


def test_year_period_covers_the_calendar_year():
    period = period_containing("year", date(2024, 7, 1))
    assert (period.start, period.end, period.label) == (
        date(2024, 1, 1),
        date(2024, 12, 31),
        "2024年",
    )


def test_month_label_has_no_leading_zero():
    assert period_containing("month", date(2024, 3, 5)).label == "2024年3月"


def test_periods_between_includes_partial_periods_at_both_ends():
    months = periods_between("month", date(2023, 11, 15), date(2024, 2, 2))
    assert [m.label for m in months] == ["2023年11月", "2023年12月", "2024年1月", "2024年2月"]


def test_periods_between_crosses_a_year_by_quarter():
    quarters = periods_between("quarter", date(2023, 12, 1), date(2024, 4, 1))
    assert [q.label for q in quarters] == ["2023年第4季度", "2024年第1季度", "2024年第2季度"]


def test_periods_between_is_empty_when_first_is_after_last():
    assert periods_between("year", date(2024, 5, 1), date(2024, 4, 1)) == []


def test_a_period_contains_its_first_and_last_day_only():
    assert date(2024, 1, 1) in Q1_2024
    assert date(2024, 3, 31) in Q1_2024
    assert date(2024, 4, 1) not in Q1_2024
    assert date(2023, 12, 31) not in Q1_2024


def test_a_period_that_is_not_a_calendar_period_is_rejected():
    with pytest.raises(ValueError):
        Period("month", date(2024, 3, 5), date(2024, 4, 4))


def test_an_unknown_unit_is_rejected():
    with pytest.raises(ValueError):
        period_containing("week", date(2024, 3, 5))


# --- Requirements and labels -----------------------------------------------------------------


def test_requirement_accepts_plain_strings_from_the_database():
    requirement = Requirement("general_meeting", "quarter", 1)
    assert requirement.kind is ActivityKind.GENERAL_MEETING
    assert requirement.unit is Unit.QUARTER


def test_requirement_needs_at_least_one_activity():
    with pytest.raises(ValueError):
        Requirement("general_meeting", "quarter", 0)


def test_requirement_label_reads_as_a_rule():
    assert QUARTERLY_GENERAL.label == "支部党员大会 每季度1次"


def test_default_requirements_follow_the_branch_work_regulation():
    rules = {(r.kind, r.unit, r.times) for r in DEFAULT_REQUIREMENTS}
    assert rules == {
        ("general_meeting", "quarter", 1),
        ("committee_meeting", "month", 1),
        ("group_meeting", "month", 1),
        ("party_lecture", "quarter", 1),
        ("themed_day", "month", 1),
        ("organizational_life_meeting", "year", 1),
        ("member_appraisal", "year", 1),
    }


def test_every_kind_and_unit_has_a_chinese_label():
    assert set(KIND_LABELS) == {kind.value for kind in ActivityKind}
    assert set(UNIT_LABELS) == {unit.value for unit in Unit}


def test_label_keys_are_plain_strings_for_django_choices():
    assert all(type(key) is str for key in [*KIND_LABELS, *UNIT_LABELS])


# --- One cell ---------------------------------------------------------------------------------


def test_period_with_enough_activities_is_done():
    cell = one_cell(
        QUARTERLY_GENERAL, [("general_meeting", date(2024, 2, 20))], Q1_2024, today=date(2024, 5, 1)
    )
    assert (cell.held, cell.status) == (1, Status.DONE)


def test_ended_period_without_enough_activities_is_missing():
    cell = one_cell(QUARTERLY_GENERAL, [], Q1_2024, today=date(2024, 4, 1))
    assert cell.status is Status.MISSING


def test_period_is_upcoming_on_its_last_day():
    cell = one_cell(QUARTERLY_GENERAL, [], Q1_2024, today=date(2024, 3, 31))
    assert cell.status is Status.UPCOMING


def test_period_entirely_in_the_future_is_upcoming():
    cell = one_cell(QUARTERLY_GENERAL, [], Q1_2024, today=date(2023, 12, 1))
    assert cell.status is Status.UPCOMING


def test_activities_of_another_kind_do_not_count():
    cell = one_cell(
        QUARTERLY_GENERAL,
        [("committee_meeting", date(2024, 2, 20))],
        Q1_2024,
        today=date(2024, 4, 1),
    )
    assert (cell.held, cell.status) == (0, Status.MISSING)


def test_activities_outside_the_period_do_not_count():
    activities = [("general_meeting", date(2023, 12, 31)), ("general_meeting", date(2024, 4, 1))]
    cell = one_cell(QUARTERLY_GENERAL, activities, Q1_2024, today=date(2024, 4, 2))
    assert (cell.held, cell.status) == (0, Status.MISSING)


def test_activity_dated_after_today_is_a_plan_not_a_meeting_held():
    cell = one_cell(
        QUARTERLY_GENERAL,
        [("general_meeting", date(2024, 3, 20))],
        Q1_2024,
        today=date(2024, 3, 10),
    )
    assert (cell.held, cell.status) == (0, Status.UPCOMING)


def test_one_activity_is_not_enough_when_two_are_required():
    cell = one_cell(
        QUARTERLY_LECTURE_TWICE,
        [("party_lecture", date(2024, 1, 9))],
        Q1_2024,
        today=date(2024, 4, 1),
    )
    assert (cell.held, cell.status) == (1, Status.MISSING)


def test_two_activities_satisfy_a_requirement_of_two():
    activities = [("party_lecture", date(2024, 1, 9)), ("party_lecture", date(2024, 3, 9))]
    cell = one_cell(QUARTERLY_LECTURE_TWICE, activities, Q1_2024, today=date(2024, 4, 1))
    assert (cell.held, cell.status) == (2, Status.DONE)


def test_branch_established_mid_period_is_not_asked_for_that_period():
    cell = one_cell(
        QUARTERLY_GENERAL, [], Q1_2024, today=date(2024, 5, 1), established=date(2024, 3, 15)
    )
    assert cell.status is Status.NOT_APPLICABLE


def test_branch_established_on_the_first_day_is_asked_for_that_period():
    cell = one_cell(
        QUARTERLY_GENERAL, [], Q1_2024, today=date(2024, 5, 1), established=date(2024, 1, 1)
    )
    assert cell.status is Status.MISSING


def test_branch_that_met_before_its_first_full_period_still_shows_done():
    cell = one_cell(
        QUARTERLY_GENERAL,
        [("general_meeting", date(2024, 3, 20))],
        Q1_2024,
        today=date(2024, 5, 1),
        established=date(2024, 3, 15),
    )
    assert cell.status is Status.DONE


def test_evaluate_judges_each_requirement_only_in_periods_of_its_own_unit():
    months = periods_between("month", date(2024, 1, 1), date(2024, 3, 31))
    cells = evaluate(
        [MONTHLY_COMMITTEE, QUARTERLY_GENERAL],
        [],
        [*months, Q1_2024],
        today=date(2024, 4, 1),
        established=None,
    )
    assert [(c.kind, c.period.label) for c in cells] == [
        ("committee_meeting", "2024年1月"),
        ("committee_meeting", "2024年2月"),
        ("committee_meeting", "2024年3月"),
        ("general_meeting", "2024年第1季度"),
    ]


# --- The board ------------------------------------------------------------------------------


def committee_in(*months):
    return {"committee_meeting": [date(2024, month, 10) for month in months]}


def test_board_by_month_shows_a_monthly_requirement_as_is():
    march = period_containing("month", date(2024, 3, 1))
    summary = board_cell([MONTHLY_COMMITTEE], committee_in(3), march, date(2024, 4, 1), None)
    [detail] = summary.details
    assert (detail.required, detail.held, detail.status) == (1, 1, Status.DONE)
    assert summary.status is Status.DONE


def test_board_by_quarter_is_done_when_all_three_months_are_done():
    summary = board_cell(
        [MONTHLY_COMMITTEE], committee_in(1, 2, 3), Q1_2024, date(2024, 4, 1), None
    )
    [detail] = summary.details
    assert (detail.required, detail.held, detail.status) == (3, 3, Status.DONE)
    assert [c.period.label for c in detail.cells] == ["2024年1月", "2024年2月", "2024年3月"]


def test_board_by_quarter_is_missing_when_an_ended_month_is_missing():
    summary = board_cell([MONTHLY_COMMITTEE], committee_in(2), Q1_2024, date(2024, 2, 15), None)
    assert summary.details[0].status is Status.MISSING


def test_board_by_quarter_is_upcoming_while_months_remain_and_none_was_missed():
    summary = board_cell([MONTHLY_COMMITTEE], committee_in(1), Q1_2024, date(2024, 2, 15), None)
    assert summary.details[0].status is Status.UPCOMING


def test_board_by_quarter_is_missing_even_if_another_month_held_two():
    activities = {"committee_meeting": [date(2024, 1, 5), date(2024, 1, 25), date(2024, 3, 5)]}
    summary = board_cell([MONTHLY_COMMITTEE], activities, Q1_2024, date(2024, 4, 1), None)
    [detail] = summary.details
    assert (detail.required, detail.held, detail.status) == (3, 3, Status.MISSING)


def test_board_by_quarter_shows_a_yearly_requirement_by_its_year():
    activities = {"organizational_life_meeting": [date(2024, 11, 20)]}
    summary = board_cell([YEARLY_LIFE_MEETING], activities, Q1_2024, date(2025, 1, 5), None)
    [detail] = summary.details
    assert [c.period.label for c in detail.cells] == ["2024年"]
    assert (detail.required, detail.held, detail.status) == (1, 1, Status.DONE)


def test_board_by_month_shows_a_quarterly_requirement_by_its_quarter():
    february = period_containing("month", date(2024, 2, 1))
    summary = board_cell([QUARTERLY_GENERAL], {}, february, date(2024, 4, 1), None)
    [detail] = summary.details
    assert [c.period.label for c in detail.cells] == ["2024年第1季度"]
    assert detail.status is Status.MISSING


def test_board_by_year_counts_twelve_months_for_a_monthly_requirement():
    year = period_containing("year", date(2024, 1, 1))
    summary = board_cell(
        [MONTHLY_COMMITTEE], committee_in(*range(1, 13)), year, date(2025, 1, 1), None
    )
    [detail] = summary.details
    assert (detail.required, detail.held, detail.status) == (12, 12, Status.DONE)


def test_board_by_year_counts_four_quarters_for_a_quarterly_requirement():
    year = period_containing("year", date(2024, 1, 1))
    activities = {"general_meeting": [date(2024, 2, 1), date(2024, 5, 1), date(2024, 8, 1)]}
    summary = board_cell([QUARTERLY_GENERAL], activities, year, date(2025, 1, 1), None)
    [detail] = summary.details
    assert (detail.required, detail.held, detail.status) == (4, 3, Status.MISSING)


def test_board_does_not_require_months_before_the_branch_was_established():
    summary = board_cell(
        [MONTHLY_COMMITTEE],
        committee_in(3),
        Q1_2024,
        date(2024, 4, 1),
        established=date(2024, 2, 1),
    )
    [detail] = summary.details
    assert [c.status for c in detail.cells] == [
        Status.NOT_APPLICABLE,
        Status.MISSING,
        Status.DONE,
    ]
    assert (detail.required, detail.held, detail.status) == (2, 1, Status.MISSING)


def test_board_cell_is_not_applicable_for_a_quarter_before_the_branch_existed():
    summary = board_cell(
        [MONTHLY_COMMITTEE, QUARTERLY_GENERAL],
        {},
        Q1_2024,
        date(2024, 5, 1),
        established=date(2024, 4, 1),
    )
    assert summary.status is Status.NOT_APPLICABLE
    assert all(d.required == 0 for d in summary.details)


def test_board_cell_is_missing_if_any_requirement_is_missing():
    summary = board_cell(
        [MONTHLY_COMMITTEE, QUARTERLY_GENERAL],
        committee_in(1, 2, 3),
        Q1_2024,
        date(2024, 4, 1),
        None,
    )
    assert [d.status for d in summary.details] == [Status.DONE, Status.MISSING]
    assert summary.status is Status.MISSING


def test_board_cell_is_upcoming_if_nothing_is_missing_but_something_is_open():
    summary = board_cell(
        [MONTHLY_COMMITTEE, YEARLY_LIFE_MEETING],
        committee_in(1, 2, 3),
        Q1_2024,
        date(2024, 4, 1),
        None,
    )
    assert summary.status is Status.UPCOMING


def test_board_cell_accepts_generators_of_dates():
    activities = {"committee_meeting": (date(2024, m, 10) for m in (1, 2, 3))}
    summary = board_cell(
        [MONTHLY_COMMITTEE, MONTHLY_COMMITTEE], activities, Q1_2024, date(2024, 4, 1), None
    )
    assert [d.held for d in summary.details] == [3, 3]


# --- Reminders ------------------------------------------------------------------------------


def test_unsatisfied_current_period_ending_within_the_horizon_is_due_soon():
    [item] = due_items([QUARTERLY_GENERAL], {}, date(2024, 3, 20), date(2024, 1, 1))
    assert (item.state, item.deadline) == (DueState.DUE_SOON, date(2024, 3, 31))
    assert item.description == "2024年第1季度 支部党员大会 应召开1次，已召开0次"


def test_current_period_ending_after_the_horizon_is_not_due_yet():
    assert due_items([QUARTERLY_GENERAL], {}, date(2024, 3, 1), date(2024, 1, 1)) == []


def test_current_period_ending_exactly_at_the_horizon_is_due_soon():
    [item] = due_items([QUARTERLY_GENERAL], {}, date(2024, 3, 17), date(2024, 1, 1))
    assert item.state is DueState.DUE_SOON


def test_satisfied_current_period_is_not_due():
    activities = {"general_meeting": [date(2024, 3, 2)]}
    assert due_items([QUARTERLY_GENERAL], activities, date(2024, 3, 20), date(2024, 1, 1)) == []


def test_missed_previous_period_is_overdue_with_its_last_day_as_deadline():
    [item] = due_items([QUARTERLY_GENERAL], {}, date(2024, 4, 2), date(2024, 1, 1))
    assert (item.state, item.deadline, item.period.label) == (
        DueState.OVERDUE,
        date(2024, 3, 31),
        "2024年第1季度",
    )


def test_only_the_most_recent_missed_period_is_overdue():
    items = due_items([MONTHLY_COMMITTEE], {}, date(2024, 5, 2), date(2023, 1, 1))
    assert [(i.state, i.period.label) for i in items] == [(DueState.OVERDUE, "2024年4月")]


def test_previous_period_before_the_branch_existed_is_not_overdue():
    assert due_items([QUARTERLY_GENERAL], {}, date(2024, 4, 2), date(2024, 2, 1)) == []


def test_overdue_and_due_soon_for_the_same_requirement_are_both_listed_overdue_first():
    items = due_items([MONTHLY_COMMITTEE], {}, date(2024, 5, 25), date(2023, 1, 1))
    assert [(i.state, i.period.label) for i in items] == [
        (DueState.OVERDUE, "2024年4月"),
        (DueState.DUE_SOON, "2024年5月"),
    ]


def test_due_soon_counts_what_was_already_held_towards_two_required():
    activities = {"party_lecture": [date(2024, 2, 1)]}
    [item] = due_items([QUARTERLY_LECTURE_TWICE], activities, date(2024, 3, 25), date(2024, 1, 1))
    assert item.description == "2024年第1季度 党课 应开展2次，已开展1次"


def test_horizon_can_be_widened():
    items = due_items([QUARTERLY_GENERAL], {}, date(2024, 3, 1), date(2024, 1, 1), horizon_days=31)
    assert [i.state for i in items] == [DueState.DUE_SOON]


# --- Attendance -----------------------------------------------------------------------------


def test_attendance_rate_is_present_over_expected():
    assert attendance_rate(9, 12) == 0.75


def test_attendance_rate_is_none_when_nobody_was_expected():
    assert attendance_rate(0, 0) is None


def test_excused_members_still_count_as_expected():
    # 应到 12 人，实到 9 人，请假 2 人，缺席 1 人: the two excused lower the rate.
    present, excused, absent = 9, 2, 1
    assert attendance_rate(present, present + excused + absent) == 0.75


def test_attendance_rate_rejects_more_present_than_expected():
    with pytest.raises(ValueError):
        attendance_rate(13, 12)


def test_attendance_rate_rejects_negative_counts():
    with pytest.raises(ValueError):
        attendance_rate(-1, 12)


def test_a_missed_meeting_made_up_after_the_period_is_no_longer_overdue():
    activities = {"general_meeting": [date(2024, 4, 3)]}
    assert due_items([QUARTERLY_GENERAL], activities, date(2024, 4, 4), date(2024, 1, 1)) == []


def test_a_make_up_planned_for_a_later_day_does_not_end_the_overdue_reminder_yet():
    activities = {"general_meeting": [date(2024, 4, 20)]}
    [item] = due_items([QUARTERLY_GENERAL], activities, date(2024, 4, 4), date(2024, 1, 1))
    assert item.state is DueState.OVERDUE
