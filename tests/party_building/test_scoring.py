"""The appraisal arithmetic in plain Python: the cap on 优秀, a sheet's total, its stars."""

from decimal import Decimal as D

import pytest

from party_building import scoring
from party_building.scoring import (
    BASICALLY_QUALIFIED,
    EXCELLENT,
    QUALIFIED,
    UNQUALIFIED,
    Item,
    ScoringError,
)

THRESHOLDS = [(5, 90), (4, 80), (3, 70), (2, 60), (1, 0)]


@pytest.mark.parametrize(
    ("members", "allowed"), [(0, 0), (2, 0), (3, 1), (5, 1), (6, 2), (10, 3), (30, 10), (31, 10)]
)
def test_a_third_of_the_members_rounded_down_may_be_excellent(members, allowed):
    assert scoring.excellent_allowed(members, 1, 3) == allowed


def test_the_cap_is_counted_in_whole_numbers_not_rounded_percentages():
    # 33 % of 3 would allow none; a third of 3 is exactly one.
    assert scoring.excellent_allowed(3, 1, 3) == 1
    assert scoring.excellent_allowed(3, 33, 100) == 0


def test_a_cap_without_a_positive_denominator_is_refused():
    with pytest.raises(ScoringError):
        scoring.excellent_allowed(10, 1, 0)


def test_excellent_beyond_the_cap_is_counted():
    within = [EXCELLENT, QUALIFIED, QUALIFIED]
    assert scoring.excellent_over_cap(within, 1, 3) == 0
    beyond = [EXCELLENT, EXCELLENT, QUALIFIED, BASICALLY_QUALIFIED]
    assert scoring.excellent_over_cap(beyond, 1, 3) == 1
    assert scoring.excellent_over_cap(beyond, 1, 2) == 0


def test_results_are_counted_with_every_result_present():
    assert scoring.count_results([EXCELLENT, QUALIFIED, QUALIFIED]) == {
        EXCELLENT: 1,
        QUALIFIED: 2,
        BASICALLY_QUALIFIED: 0,
        UNQUALIFIED: 0,
    }
    with pytest.raises(ScoringError):
        scoring.count_results(["outstanding"])


SHEET = [Item("组织建设", D(20)), Item("三会一课", D(25)), Item("党员教育", D(20))]


def test_the_total_is_the_sum_of_the_scores():
    assert scoring.total(zip(SHEET, [D("18.5"), D(25), D(0)], strict=True)) == D("43.5")
    assert scoring.maximum(SHEET) == D(65)


@pytest.mark.parametrize("score", [D("-0.5"), D("25.5")])
def test_a_score_outside_its_item_is_refused(score):
    with pytest.raises(ScoringError, match="三会一课"):
        scoring.total([(SHEET[1], score)])


@pytest.mark.parametrize(
    ("total", "stars"),
    [(D(100), 5), (D(90), 5), (D("89.9"), 4), (D(80), 4), (D(70), 3), (D(60), 2), (D(59), 1)],
)
def test_the_stars_are_those_of_the_highest_threshold_reached(total, stars):
    assert scoring.stars(total, D(100), THRESHOLDS) == stars


def test_thresholds_are_shares_of_the_sheets_maximum():
    # 108 of 120 is 90 %.
    assert scoring.stars(D(108), D(120), THRESHOLDS) == 5
    assert scoring.stars(D(107), D(120), THRESHOLDS) == 4


def test_below_every_threshold_or_with_no_sheet_there_are_no_stars():
    assert scoring.stars(D(50), D(100), [(5, 90), (3, 60)]) == 0
    assert scoring.stars(D(0), D(0), THRESHOLDS) == 0
    assert scoring.stars(D(95), D(100), []) == 0
