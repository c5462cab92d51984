"""覆盖: law firms with three or more full party members and no party branch of their own.

《中国共产党支部工作条例（试行）》第五条: where there are three or more full members (正式党员),
a branch is set up. A firm's members are counted as:

- a ``PartyMember`` with status ``full`` (probationary members do not count),
- whose person is a practising lawyer (``members.Lawyer``) of the firm,
- with a membership valid today: their organisational relationship is kept by the
  bar's party organisations (for instance in a joint branch of several firms, 联合党支部).

A firm has a branch of its own when a party branch names it as its law firm. The board's
tab 覆盖 lists the practising firms that reach the threshold and have none.
"""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.models import LawFirm, Lawyer
from party_building import board, exports
from party_building.models import Membership, PartyMember, PartyOrganization

# 条例第五条: 正式党员3人以上的，应当成立党支部.
BRANCH_THRESHOLD = 3
PAGE_SIZE = 50


def counted_lawyers(ctx):
    """Practising lawyers who are full members with a membership valid today, in scope.

    The committee's administrators (with no parent chosen) count a membership anywhere; a
    secretary, or anyone who chose a parent, counts only memberships in ``ctx.branches``.
    """
    memberships = Membership.objects.valid_on(ctx.today).filter(member__person=OuterRef("person"))
    if not (ctx.sees_everything and ctx.parent is None):
        memberships = memberships.filter(organization__in=ctx.branches.values("pk"))
    return Lawyer.objects.filter(
        firm__isnull=False,
        practice_status=Lawyer.Status.PRACTISING,
        person__party_member__status=PartyMember.Status.FULL,
    ).filter(Exists(memberships))


def uncovered_firms(ctx):
    """Practising firms with BRANCH_THRESHOLD or more counted members and no branch: a
    QuerySet annotated with ``full_members``, most members first."""
    with_branch = PartyOrganization.objects.filter(
        kind=PartyOrganization.Kind.BRANCH, law_firm__isnull=False
    ).values("law_firm")
    return (
        LawFirm.objects.practising()
        .exclude(pk__in=with_branch)
        .annotate(
            full_members=Count(
                "lawyers", filter=Q(lawyers__in=counted_lawyers(ctx).values("pk")), distinct=True
            )
        )
        .filter(full_members__gte=BRANCH_THRESHOLD)
        .order_by("-full_members", "name", "pk")
    )


def registered_in(ctx, firms):
    """{firm id: [(organisation name, members)]}: where the firms' counted members are
    registered today (one query)."""
    rows = (
        Membership.objects.valid_on(ctx.today)
        .filter(member__person__lawyer__in=counted_lawyers(ctx).filter(firm__in=firms))
        .values("member__person__lawyer__firm", "organization__name")
        .annotate(n=Count("pk"))
        .order_by("member__person__lawyer__firm", "organization__name")
    )
    result: dict[int, list[tuple[str, int]]] = {}
    for row in rows:
        result.setdefault(row["member__person__lawyer__firm"], []).append(
            (row["organization__name"], row["n"])
        )
    return result


def coverage_export(ctx):
    firms = list(uncovered_firms(ctx))
    where = registered_in(ctx, [firm.pk for firm in firms])
    headers = [
        _("Law firm"),
        _("Unified social credit code"),
        _("Full members"),
        _("Registered in"),
    ]
    rows = [
        [
            exports.safe_text(firm.name),
            firm.credit_code,
            firm.full_members,
            exports.safe_text("、".join(f"{name}（{n}）" for name, n in where.get(firm.pk, []))),
        ]
        for firm in firms
    ]
    return headers, rows


def coverage_sample(branch, today):
    """Three full members of another firm, registered in this branch (a joint branch)."""
    import datetime

    from members.models import Person

    firm = LawFirm.objects.create(
        name=f"{branch.name}联合所", credit_code=_sample_credit_code(branch.pk)
    )
    for n in range(BRANCH_THRESHOLD):
        person = Person.objects.create(name=f"{branch.pk}覆盖{n}")
        Lawyer.objects.create(
            person=person, firm=firm, license_number=_sample_license(branch.pk * 10 + n)
        )
        member = PartyMember.objects.create(person=person, joined_party=datetime.date(2005, 7, 1))
        Membership.objects.create(
            member=member, organization=branch, start=datetime.date(2015, 1, 1)
        )


def _sample_credit_code(n):
    from members.credentials import credit_code_check_character

    first17 = f"31440300MC{n:07d}"
    return first17 + credit_code_check_character(first17)


def _sample_license(n):
    return f"1440320111{5_000_000 + n:07d}"  # area 14403, 2011, category 1


@board.register_tab(
    "coverage",
    gettext_lazy("Coverage"),
    template="party_building/tabs/coverage.html",
    export=coverage_export,
    order=40,
    sample=coverage_sample,
)
def coverage_tab(ctx):
    """Firms that should set up a branch: three queries (count, page, where registered)."""
    page = ctx.page(uncovered_firms(ctx), PAGE_SIZE)
    where = registered_in(ctx, [firm.pk for firm in page.object_list])
    return {
        "page_obj": page,
        "firms": [(firm, where.get(firm.pk, [])) for firm in page.object_list],
        "threshold": BRANCH_THRESHOLD,
    }
