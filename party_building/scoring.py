"""The yearly appraisals as plain Python: the cap on 优秀, a branch's score sheet, its stars.

- 民主评议党员: each member of a branch is found 优秀, 合格, 基本合格 or 不合格. The share
  found 优秀 is capped (a fraction, 1/3 by default): with ``n`` members appraised, at most
  ``floor(n × numerator / denominator)`` may be 优秀, counted in whole numbers so that 1/3 of
  3 members is exactly 1.
- 书记述职评议 / 星级评定: a sheet of items, each with a maximum score; the total is the sum of
  the scores, and the stars are those of the highest threshold the total reaches, as a
  percentage of the sheet's maximum (with a sheet of 100 points, the points themselves).

No Django here: the models feed values in, the tests call these functions directly.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

EXCELLENT = "excellent"
QUALIFIED = "qualified"
BASICALLY_QUALIFIED = "basically_qualified"
UNQUALIFIED = "unqualified"
RESULTS = (EXCELLENT, QUALIFIED, BASICALLY_QUALIFIED, UNQUALIFIED)


class ScoringError(ValueError):
    """Input the rules refuse; the message names what is wrong."""


def excellent_allowed(members: int, numerator: int, denominator: int) -> int:
    """How many of ``members`` may be found 优秀 under a cap of numerator/denominator."""
    if denominator <= 0 or numerator < 0:
        raise ScoringError("the cap must be a fraction with a positive denominator")
    return members * numerator // denominator


def excellent_over_cap(results: Iterable[str], numerator: int, denominator: int) -> int:
    """How many 优秀 there are beyond the cap (0 when within it)."""
    results = list(results)
    excellent = sum(1 for result in results if result == EXCELLENT)
    return max(0, excellent - excellent_allowed(len(results), numerator, denominator))


def count_results(results: Iterable[str]) -> dict[str, int]:
    """Members per result, every result present (0 where none)."""
    counts = dict.fromkeys(RESULTS, 0)
    for result in results:
        if result not in counts:
            raise ScoringError(f"unknown result {result!r}")
        counts[result] += 1
    return counts


@dataclass(frozen=True)
class Item:
    name: str
    max_score: Decimal


def check_score(item: Item, score: Decimal) -> None:
    if score < 0 or score > item.max_score:
        raise ScoringError(f"{item.name}: {score} is not between 0 and {item.max_score}")


def total(sheet: Iterable[tuple[Item, Decimal]]) -> Decimal:
    """The sum of the scores, each checked against its item's maximum."""
    result = Decimal(0)
    for item, score in sheet:
        check_score(item, score)
        result += score
    return result


def maximum(items: Iterable[Item]) -> Decimal:
    return sum((item.max_score for item in items), Decimal(0))


def stars(total_score: Decimal, max_total: Decimal, thresholds: Iterable[tuple[int, int]]) -> int:
    """The stars of the highest threshold (stars, minimum % of ``max_total``) reached; 0 if none.

    Compared exactly: 90 % of 100 points is reached by 90, not by 89.9.
    """
    if max_total <= 0:
        return 0
    reached = [
        count for count, percent in thresholds if total_score * 100 >= Decimal(percent) * max_total
    ]
    return max(reached, default=0)
