"""The compliance board: three branches and a year (2024) of activities."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from party_building import board, charts
from party_building.compliance import Status
from party_building.models import PartyOrganization
from tests.party_building.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchFactory,
    CommitteeFactory,
    administrator,
    hold_year,
    member_of,
)
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

D = datetime.date
AFTER_2024 = D(2025, 1, 10)
BOARD = reverse("party_building:board")


@pytest.fixture
def branches():
    """甲 held everything; 乙 missed Q2's general meeting and March's committee meeting;
    丙 was established on 15 March and held everything from April."""
    committee = CommitteeFactory(name="律师行业党委")
    complete = BranchFactory(name="甲律师事务所党支部", parent=committee)
    gaps = BranchFactory(name="乙律师事务所党支部", parent=committee)
    late = BranchFactory(name="丙律师事务所党支部", established=D(2024, 3, 15))
    hold_year(complete, 2024)
    hold_year(gaps, 2024, skip={("general_meeting", 5), ("committee_meeting", 3)})
    hold_year(late, 2024, start_month=4)
    return {"complete": complete, "gaps": gaps, "late": late, "committee": committee}


def year_board(unit, today=AFTER_2024, kinds=None, branches=None):
    queryset = branches or PartyOrganization.objects.filter(kind="branch").order_by("name")
    return board.build_board(queryset, unit, D(2024, 1, 1), D(2024, 12, 31), today, kinds)


def statuses(result, branch):
    [row] = [row for row in result.rows if row.branch == branch]
    return [cell.status for cell in row.cells]


def test_a_branch_that_held_everything_is_done_in_every_quarter(branches):
    assert statuses(year_board("quarter"), branches["complete"]) == [Status.DONE] * 4


def test_a_missed_quarterly_meeting_shows_missing_in_that_quarter_only(branches):
    result = year_board("quarter")
    assert statuses(result, branches["gaps"]) == [
        Status.MISSING,  # March's committee meeting
        Status.MISSING,  # Q2's general meeting
        Status.DONE,
        Status.DONE,
    ]
    [row] = [row for row in result.rows if row.branch == branches["gaps"]]
    assert row.cells[1].missing_kinds == ["支部党员大会"]
    assert row.cells[0].missing_kinds == ["支委会"]


def test_by_month_a_missed_monthly_meeting_shows_in_its_month_only(branches):
    gaps = statuses(year_board("month", kinds=["committee_meeting"]), branches["gaps"])
    assert gaps == [Status.DONE] * 2 + [Status.MISSING] + [Status.DONE] * 9


def test_by_month_a_missed_quarterly_meeting_shows_in_each_month_of_its_quarter(branches):
    gaps = statuses(year_board("month", kinds=["general_meeting"]), branches["gaps"])
    assert gaps == [Status.DONE] * 3 + [Status.MISSING] * 3 + [Status.DONE] * 6


def test_a_branch_established_mid_quarter_is_not_asked_for_that_quarter(branches):
    result = year_board("quarter", kinds=["general_meeting", "committee_meeting"])
    assert statuses(result, branches["late"]) == [
        Status.NOT_APPLICABLE,
        Status.DONE,
        Status.DONE,
        Status.DONE,
    ]


def test_branches_missing_periods_come_first(branches):
    rows = year_board("quarter").rows
    assert rows[0].branch == branches["gaps"]
    assert [row.missing for row in rows] == [2, 0, 0]


def test_a_period_not_yet_over_is_upcoming_and_planned_meetings_do_not_count(branches):
    ActivityFactory(branch=branches["complete"], kind="general_meeting", date=D(2025, 2, 20))
    result = board.build_board(
        PartyOrganization.objects.filter(pk=branches["complete"].pk),
        "quarter",
        D(2025, 1, 1),
        D(2025, 3, 31),
        D(2025, 2, 1),
        kinds=["general_meeting"],
    )
    [cell] = result.rows[0].cells
    assert cell.status is Status.UPCOMING
    assert cell.held == 0


def test_filtering_by_kind_judges_that_kind_only(branches):
    result = year_board("quarter", kinds=["committee_meeting"])
    assert statuses(result, branches["gaps"]) == [
        Status.MISSING,
        Status.DONE,
        Status.DONE,
        Status.DONE,
    ]


def test_a_yearly_requirement_shows_its_years_state_in_every_quarter(branches):
    result = year_board("quarter", kinds=["organizational_life_meeting"])
    assert statuses(result, branches["complete"]) == [Status.DONE] * 4


# --- Attendance ------------------------------------------------------------------------------


@pytest.fixture
def transfer():
    """王五 moves from 甲 to 乙 on 1 July 2024, and attends a meeting of each."""
    first, second = BranchFactory(name="甲支部"), BranchFactory(name="乙支部")
    mover = member_of(first, start=D(2020, 1, 1), member__person__name="王五")
    stayer = member_of(first, start=D(2020, 1, 1))
    newcomer_colleague = member_of(second, start=D(2020, 1, 1))
    mover.transfer(second, on=D(2024, 7, 1))
    june = ActivityFactory(branch=first, date=D(2024, 6, 5))
    AttendanceFactory(activity=june, member=mover)
    AttendanceFactory(activity=june, member=stayer, status="absent")
    august_first = ActivityFactory(branch=first, date=D(2024, 8, 5))
    AttendanceFactory(activity=august_first, member=stayer)
    AttendanceFactory(activity=august_first, member=mover)  # as a guest: not counted
    august_second = ActivityFactory(branch=second, date=D(2024, 8, 6))
    AttendanceFactory(activity=august_second, member=mover)
    AttendanceFactory(activity=august_second, member=newcomer_colleague, status="excused")
    return first, second


def attendance(result, branch):
    [row] = [row for row in result.rows if row.branch == branch]
    return [(c.attendance.present, c.attendance.expected) for c in row.cells]


def test_attendance_uses_the_memberships_valid_on_each_activity_date(transfer):
    first, second = transfer
    result = year_board("quarter", branches=PartyOrganization.objects.order_by("name"))
    board.add_attendance(result, result.rows)
    assert attendance(result, first) == [(0, 0), (1, 2), (1, 1), (0, 0)]
    assert attendance(result, second) == [(0, 0), (0, 0), (1, 2), (0, 0)]


def test_attendance_rate_is_shown_as_a_percentage(transfer):
    first, _second = transfer
    result = year_board("quarter", branches=PartyOrganization.objects.filter(pk=first.pk))
    board.add_attendance(result, result.rows)
    assert [c.attendance.percent for c in result.rows[0].cells] == [None, 50, 100, None]


def test_monthly_attendance_for_the_chart_follows_the_same_rule(transfer):
    months = board.monthly_attendance(
        PartyOrganization.objects.all(), D(2024, 6, 1), D(2024, 8, 31), AFTER_2024
    )
    assert [(m.label, f.present, f.expected) for m, f in months] == [
        ("2024年6月", 1, 2),
        ("2024年7月", 0, 0),
        ("2024年8月", 2, 3),
    ]


# --- The page ---------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, db):
    client.force_login(administrator())
    return client


YEAR_2024 = {"unit": "quarter", "start": "2024-01-01", "end": "2024-12-31"}


def test_the_page_shows_each_cell_in_words_not_only_colour(admin_client, branches):
    page = admin_client.get(BOARD, YEAR_2024).content.decode()
    assert "2024年第2季度" in page
    assert '<span class="icon" aria-hidden="true">✗</span> <strong>未完成</strong>' in page
    assert "缺：支部党员大会" in page
    assert "<strong>已完成</strong>" in page


def test_the_page_lists_branches_missing_meetings_first(admin_client, branches):
    page = admin_client.get(BOARD, YEAR_2024).content.decode()
    assert page.index("乙律师事务所党支部") < page.index("甲律师事务所党支部")


def test_the_page_defaults_to_the_last_four_quarters(admin_client, branches):
    periods = admin_client.get(BOARD).context["board"].periods
    assert len(periods) == 4 and periods[0].unit == "quarter"
    assert periods[-1].start <= datetime.date.today() <= periods[-1].end


def test_the_page_filters_by_parent_committee(admin_client, branches):
    response = admin_client.get(BOARD, {**YEAR_2024, "parent": branches["committee"].pk})
    names = [row.branch.name for row in response.context["board"].rows]
    assert sorted(names) == ["乙律师事务所党支部", "甲律师事务所党支部"]


def test_the_page_is_paginated_by_branches(admin_client):
    BranchFactory.create_batch(51)
    response = admin_client.get(BOARD)
    assert len(response.context["page_obj"].object_list) == 50
    assert len(admin_client.get(BOARD, {"page": 2}).context["page_obj"].object_list) == 1


def test_the_page_has_an_svg_chart_with_titles_and_a_table_fallback(admin_client, branches):
    page = admin_client.get(BOARD, YEAR_2024).content.decode()
    assert '<svg viewBox="0 0 720 240" role="img"' in page
    # February: five activities each at 甲 and 乙, none at 丙 (established in March).
    assert "<title>2024年2月：10</title>" in page
    assert '<th scope="row">2024年2月</th><td class="number">10</td>' in page
    assert "<script" not in page


@pytest.mark.parametrize(
    "params",
    [
        {"unit": "week"},
        {"start": "2024-13-45"},
        {"start": "2030-01-01", "end": "2020-01-01"},
        {"unit": "month", "start": "1990-01-01", "end": "2099-12-31"},
        {"start": "0001-01-01"},
        {"parent": "abc"},
        {"kind": "no-such-kind"},
        {"page": "zz"},
    ],
)
def test_bad_choices_show_a_message_and_the_default_board(admin_client, params):
    BranchFactory()
    response = admin_client.get(BOARD, params)
    assert response.status_code == 200
    assert len(response.context["board"].periods) == 4


def count_queries(client, params):
    with CaptureQueriesContext(connection) as context:
        assert client.get(BOARD, params).status_code == 200
    return page_queries(context)


@pytest.mark.parametrize("unit", ["month", "quarter", "year"])
def test_the_board_runs_the_same_queries_for_3_and_12_branches(admin_client, unit):
    params = {"unit": unit, "start": "2024-01-01", "end": "2024-12-31"}

    def add_branches(count):
        for branch in BranchFactory.create_batch(count):
            hold_year(branch, 2024, skip={("themed_day", 6)})
            member = member_of(branch)
            for activity in branch.activities.all()[:3]:
                AttendanceFactory(activity=activity, member=member)

    add_branches(3)
    few = count_queries(admin_client, params)
    add_branches(9)
    assert count_queries(admin_client, params) == few


# --- Charts (plain Python) ----------------------------------------------------------------------


def test_nice_ceiling_rounds_up_to_1_2_or_5_times_a_power_of_ten():
    assert [charts.nice_ceiling(v) for v in (0, 0.3, 1, 3, 7, 11, 180)] == [
        1,
        0.5,
        1,
        5,
        10,
        20,
        200,
    ]


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [(5, ["0", "2", "4", "6"]), (10, ["0", "5", "10"]), (1, ["0", "1"]), (0, ["0", "1"])],
)
def test_a_count_axis_has_whole_round_steps(largest, ticks):
    chart = charts.bar_chart([("1月", largest)])
    assert [tick.label for tick in chart.frame.ticks] == ticks
    assert chart.frame.ticks[-1].y == chart.frame.top


def test_the_rate_axis_runs_from_0_to_100_percent_by_quarters():
    chart = charts.line_chart([("1月", 0.5)])
    assert [tick.label for tick in chart.frame.ticks] == ["0%", "25%", "50%", "75%", "100%"]


def test_bars_stand_on_the_baseline_in_proportion_to_their_value():
    chart = charts.bar_chart([("1月", 10), ("2月", 5), ("3月", 0)])
    full, half, empty = chart.bars
    assert full.y + full.height == chart.frame.bottom == half.y + half.height
    assert half.height == pytest.approx(full.height / 2)
    assert empty.height == 0


def test_a_line_chart_breaks_where_a_month_has_no_data():
    chart = charts.line_chart([("1月", 1.0), ("2月", None), ("3月", 0.5), ("4月", 0.25)])
    assert len(chart.segments) == 2
    assert [p.text for p in chart.points] == ["100%", "", "50%", "25%"]


def test_crowded_axis_labels_are_thinned():
    chart = charts.bar_chart([(f"{m}月", m) for m in range(1, 37)])
    shown = [bar.label for bar in chart.bars if bar.show_label]
    assert 1 < len(shown) < 36 and shown[0] == "1月"
