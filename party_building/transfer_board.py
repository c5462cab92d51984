"""The board's 转接 tab: transfers whose letter ran out before the member was received, and
how many transfers of the branches on the board are in progress or were received in the
chosen periods. A fixed number of queries, whatever the number of branches."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from party_building import board, exports
from party_building import transfer_rules as rules
from party_building.models.transfers import Transfer

PAGE_SIZE = 50


def _transfers(ctx):
    """Transfers that leave or reach the branches on the board (already scoped to the user).

    A receiving branch is shown a transfer once it is approved, as on the transfer pages.
    """
    branches = ctx.branches.values("pk")
    return Transfer.objects.filter(
        Q(from_branch__in=branches)
        | Q(to_branch__in=branches)
        & (Q(approved_at__isnull=False) | Q(kind=Transfer.Kind.INCOMING))
    )


def _overdue(ctx):
    return (
        _transfers(ctx)
        .overdue(ctx.today)
        .select_related("member__person", "from_branch", "to_branch")
        .order_by("valid_until", "pk")
    )


def transfers_export(ctx):
    headers = [
        _("Party member"),
        _("Sending organisation"),
        _("Receiving organisation"),
        _("Letter"),
        _("Letter valid until"),
        _("Days overdue"),
    ]
    rows = [
        [
            exports.safe_text(transfer.member.person.name),
            exports.safe_text(transfer.source_name),
            exports.safe_text(transfer.destination_name),
            transfer.letter_number,
            transfer.valid_until,
            (ctx.today - transfer.valid_until).days,
        ]
        for transfer in _overdue(ctx)
    ]
    return [str(header) for header in headers], rows


def transfers_sample(branch, today):
    """One member of ``branch`` leaving the association, the letter run out a week ago."""
    import datetime

    from members.models import Person
    from party_building.models import Membership, PartyMember

    member = PartyMember.objects.create(person=Person.objects.create(name=f"{branch.name}转出党员"))
    Membership.objects.create(member=member, organization=branch, start=datetime.date(2015, 1, 1))
    Transfer.objects.create(
        member=member,
        kind=Transfer.Kind.OUTGOING,
        from_branch=branch,
        external_organization="外省某律师行业党委",
        state=Transfer.State.APPROVED,
        approved_at=datetime.datetime.combine(
            today - datetime.timedelta(days=40), datetime.time(9), tzinfo=datetime.UTC
        ),
        valid_until=today - datetime.timedelta(days=7),
    )


@board.register_tab(
    "transfers",
    gettext_lazy("Transfers"),
    template="party_building/tabs/transfers.html",
    export=transfers_export,
    order=60,
    sample=transfers_sample,
)
def transfers_tab(ctx):
    """Overdue transfers, 50 a page (two queries), and the counts (one query)."""
    counts = _transfers(ctx).aggregate(
        requested=Count("pk", filter=Q(state=rules.State.REQUESTED)),
        approved=Count("pk", filter=Q(state=rules.State.APPROVED)),
        received=Count(
            "pk",
            filter=Q(state=rules.State.RECEIVED, received_on__range=(ctx.first, ctx.last)),
        ),
    )
    return {
        "overdue": ctx.page(_overdue(ctx), PAGE_SIZE),
        "transfer_counts": counts,
        "today": ctx.today,
    }
