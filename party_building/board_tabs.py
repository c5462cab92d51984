"""The tabs of the board (/party/board/<key>/): each computes its rows for the chosen periods.

A tab is registered with ``board.register_tab`` (see board.py for ``TabContext`` and
``Tab``). Tabs of other modules are registered by importing their module at the end of
this file, one line each.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from party_building import board, charts, compliance, dues, exports

MEETINGS = "meetings"
PAGE_SIZE = 50


def legend():
    return [
        (status.value, board.STATUS_ICONS[status], compliance.STATUS_LABELS[status])
        for status in compliance.Status
    ]


# --- 三会一课: branches × periods ----------------------------------------------------------


def _meetings_board(ctx):
    return board.build_board(ctx.branches, ctx.unit, ctx.first, ctx.last, ctx.today, ctx.kinds)


def meetings_export(ctx):
    result = _meetings_board(ctx)
    board.add_attendance(result, result.rows, ctx.kinds)
    return exports.board_table(result, result.rows)


def meetings_sample(branch, today):
    from party_building.models import BranchActivity

    BranchActivity.objects.create(
        branch=branch, kind="general_meeting", date=today.replace(day=1), topic="支部党员大会"
    )


@board.register_tab(
    MEETINGS,
    gettext_lazy("Meetings (三会一课)"),
    template="party_building/tabs/meetings.html",
    export=meetings_export,
    order=10,
    uses_kind=True,
    sample=meetings_sample,
)
def meetings(ctx):
    """The compliance board: every branch judged, the page's attendance, monthly charts."""
    result = _meetings_board(ctx)
    page = ctx.page(result.rows, PAGE_SIZE)
    board.add_attendance(result, page.object_list, ctx.kinds)
    activity_counts = board.monthly_activity_counts(
        ctx.branches, ctx.first, ctx.last, ctx.today, ctx.kinds
    )
    attendance = board.monthly_attendance(ctx.branches, ctx.first, ctx.last, ctx.today, ctx.kinds)
    return {
        "board": result,
        "page_obj": page,
        "legend": legend(),
        "activity_chart": charts.bar_chart(
            [(month.label, count) for month, count in activity_counts]
        ),
        "attendance_chart": charts.line_chart(
            [(month.label, figures.rate) for month, figures in attendance]
        ),
        "chart_rows": [
            (month, count, figures)
            for (month, count), (_month, figures) in zip(activity_counts, attendance, strict=True)
        ],
    }


# --- 党费: members owing dues in the chosen periods -----------------------------------------


def _arrears_rows(ctx):
    """[(branch, member, months owed, 分 owed)] for every branch of the tab, branch order."""
    owed = board.dues_arrears_by_branch(ctx.branches, ctx.first, ctx.last, ctx.today)
    if not owed:
        return []
    return [
        (branch, member, months, fen)
        for branch in ctx.branches.filter(pk__in=list(owed))
        for member, months, fen in sorted(
            owed[branch.pk], key=lambda r: (r[0].person.name, r[0].pk)
        )
    ]


def dues_export(ctx):
    headers = [_("Branch"), _("Party member"), _("Months owed"), _("Owed (yuan)")]
    rows = [
        [
            exports.safe_text(branch.name),
            exports.safe_text(member.person.name),
            months,
            exports.Yuan(fen),
        ]
        for branch, member, months, fen in _arrears_rows(ctx)
    ]
    return headers, rows


def dues_sample(branch, today):
    import datetime

    from party_building.models import DuesBase, Membership

    membership = Membership.objects.filter(organization=branch).first()
    if membership is not None:
        DuesBase.objects.get_or_create(
            member=membership.member,
            valid_from=datetime.date(today.year - 1, 1, 1),
            defaults={"base_fen": 800_000},
        )


@board.register_tab(
    "dues",
    gettext_lazy("Party dues"),
    template="party_building/tabs/dues.html",
    export=dues_export,
    order=20,
    sample=dues_sample,
)
def dues_tab(ctx):
    """Members owing 党费 in the months of the chosen periods that have ended (four queries,
    plus one for the branches owing), 50 members a page, and the ten branches owing most."""
    rows = _arrears_rows(ctx)
    totals: dict = {}
    for branch, _member, _months, fen in rows:
        totals[branch] = totals.get(branch, 0) + fen
    top = sorted(totals.items(), key=lambda item: (-item[1], item[0].name))[:10]
    page = ctx.page(
        [(branch, member, months, dues.yuan(fen)) for branch, member, months, fen in rows],
        PAGE_SIZE,
    )
    return {
        "arrears": page,
        "page_obj": page,
        "owing_members": len(rows),
        "owing_branches": len(totals),
        "total_owed": dues.yuan(sum(totals.values())),
        "dues_chart": charts.bar_chart([(b.name, fen / 100) for b, fen in top]) if top else None,
        "dues_top": [(branch, dues.yuan(fen)) for branch, fen in top],
    }


# Tabs of other modules: one import line each, below (in any order).
# ruff: noqa: I001
from party_building import transfer_board  # noqa: E402,F401
from party_building import development_board  # noqa: E402,F401
from party_building import coverage  # noqa: E402,F401
from party_building import assessment_board  # noqa: E402,F401
from party_building import board_terms  # noqa: E402,F401
