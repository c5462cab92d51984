"""党费: the monthly dues of a member from their monthly base and the bands, in 分.

Plain Python, no Django: the bands are data (``DuesBand`` rows, editable in the admin),
passed in as (upper limit in 分 or None, rate in basis points) pairs. Money is integer 分
throughout; a rate of 50 basis points is 0.5 %.
"""

from collections.abc import Iterable, Mapping
from datetime import date

BASIS_POINTS = 10_000


def monthly_dues(base_fen: int, bands: Iterable[tuple[int | None, int]]) -> int:
    """The dues for a month's base: the rate of the first band whose upper limit the base
    does not exceed (None: no limit), applied to the whole base, rounded half up to 1 分."""
    if base_fen < 0:
        raise ValueError("a monthly base cannot be negative")
    ordered = sorted(bands, key=lambda band: (band[0] is None, band[0] or 0))
    for up_to, rate in ordered:
        if up_to is None or base_fen <= up_to:
            return (base_fen * rate + BASIS_POINTS // 2) // BASIS_POINTS
    raise ValueError("no band covers this base; add one without an upper limit")


def yuan(fen: int) -> str:
    """分 as 元 with two decimals, for people to read: 12345 → '123.45'."""
    sign = "-" if fen < 0 else ""
    return f"{sign}{abs(fen) // 100}.{abs(fen) % 100:02d}"


def arrears(
    months: Iterable[date],
    bases: Iterable[tuple[date, int, str]],
    paid: Mapping[date, int],
    bands: Mapping[str, list[tuple[int | None, int]]],
) -> list[tuple[date, int]]:
    """[(month, 分 owed)] for the ``months`` (first days) a member owes dues for.

    The base in force on a month's first day decides its dues (a month before any base
    owes nothing: nobody knows what is due); what was paid for the month is subtracted.
    """
    ordered = sorted(bases)
    owed = []
    for month in sorted(months):
        in_force = [base for base in ordered if base[0] <= month]
        if not in_force:
            continue
        _valid_from, base_fen, category = in_force[-1]
        due = monthly_dues(base_fen, bands.get(category, ()))
        if due > paid.get(month, 0):
            owed.append((month, due - paid.get(month, 0)))
    return owed
