"""What a party member sees of their own record when signed in (我的党员档案).

A member reaches only their own rows: every query here starts from the ``PartyMember``
linked to the signed-in account (``PartyMember.user``), never from an id in the request.
"""

import datetime
from collections import defaultdict

from django.db.models import Q

from party_building import compliance, development, dues
from party_building.models import DuesBand, DuesBase, DuesPayment, Membership, PartyMember

DUES_MONTHS = 12


def member_for(user):
    """The party member whose account ``user`` is, or None."""
    if not (user.is_authenticated and user.is_active):
        return None
    return PartyMember.objects.filter(user=user).select_related("person").first()


def last_months(today: datetime.date, count: int = DUES_MONTHS) -> list[datetime.date]:
    """The first days of the ``count`` months that have ended by ``today``, oldest first."""
    first_of_this_month = today.replace(day=1)
    start = first_of_this_month
    for _ in range(count):
        start = (start - datetime.timedelta(days=1)).replace(day=1)
    return [
        period.start
        for period in compliance.periods_between(
            "month", start, first_of_this_month - datetime.timedelta(days=1)
        )
    ]


def own_dues(member, today: datetime.date):
    """The member's 党费 over the last twelve ended months: (payments, owed, paid 分, owed 分).

    payments: [(month, 分, paid on)] newest first; owed: [(month, 分)] as in the branches'
    arrears (``dues.arrears``): only months in which the member belonged to a branch on the
    first day. Four queries.
    """
    months = last_months(today)
    memberships = list(
        Membership.objects.filter(member=member, start__lte=months[-1])
        .filter(Q(end__isnull=True) | Q(end__gte=months[0]))
        .values_list("start", "end")
    )
    in_a_branch = [
        month
        for month in months
        if any(start <= month and (end is None or month <= end) for start, end in memberships)
    ]
    payments = list(
        DuesPayment.objects.filter(member=member, month__range=(months[0], months[-1]))
        .order_by("-month")
        .values_list("month", "amount_fen", "paid_on")
    )
    paid: defaultdict[datetime.date, int] = defaultdict(int)
    for month, fen, _paid_on in payments:
        paid[month] += fen
    bases = DuesBase.objects.filter(member=member).values_list("valid_from", "base_fen", "category")
    bands = defaultdict(list)
    for category, up_to, rate in DuesBand.objects.values_list("category", "up_to_fen", "rate_bp"):
        bands[category].append((up_to, rate))
    owed = dues.arrears(in_a_branch, list(bases), paid, bands)
    return (
        payments,
        owed,
        sum(fen for _month, fen, _day in payments),
        sum(fen for _month, fen in owed),
    )


def stage_of(member):
    """The member's development stage (入党申请人 … 正式党员: ``.label``, ``.since``), or None
    for a member with no development record. One query."""
    return development.stage_of(member.person)
