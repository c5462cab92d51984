"""The compliance board: branches × periods, computed from a few aggregated queries.

The database counts activities per branch, kind and month (one query for every branch on
the board, whatever their number); ``compliance.board_cell`` judges each cell from those
counts. Attendance is counted per branch and displayed period in one more query, for the
branches on the page only. No query runs per branch or per cell.

Feeding month counts to the plain-Python core is exact: months nest in quarters and
years, so an activity and the first day of its month fall in the same period of every
unit, and only activities held by ``today`` are counted (the core's own rule).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, Func, IntegerField, OuterRef, Q

from party_building import compliance, dues
from party_building.models import (
    Attendance,
    BranchActivity,
    DuesBand,
    DuesBase,
    DuesPayment,
    Membership,
    PartyMember,
    Requirement,
)

STATUS_ICONS = {
    compliance.Status.DONE: "✓",
    compliance.Status.MISSING: "✗",
    compliance.Status.UPCOMING: "…",
    compliance.Status.NOT_APPLICABLE: "–",
}


@dataclass(frozen=True)
class AttendanceFigures:
    present: int
    expected: int

    @property
    def rate(self) -> float | None:
        return compliance.attendance_rate(self.present, self.expected)

    @property
    def percent(self) -> int | None:
        rate = self.rate
        return None if rate is None else round(rate * 100)


NO_ATTENDANCE = AttendanceFigures(0, 0)


@dataclass
class BoardCell:
    summary: compliance.CellSummary
    attendance: AttendanceFigures = NO_ATTENDANCE

    @property
    def period(self) -> compliance.Period:
        return self.summary.period

    @property
    def status(self) -> compliance.Status:
        return self.summary.status

    @property
    def status_label(self) -> str:
        return compliance.STATUS_LABELS[self.status]

    @property
    def icon(self) -> str:
        return STATUS_ICONS[self.status]

    @property
    def missing_kinds(self) -> list[str]:
        return [
            compliance.KIND_LABELS[detail.kind]
            for detail in self.summary.details
            if detail.status is compliance.Status.MISSING
        ]

    @property
    def held(self) -> int:
        return sum(detail.held for detail in self.summary.details)

    @property
    def required(self) -> int:
        return sum(detail.required for detail in self.summary.details)


@dataclass
class BoardRow:
    """One branch: the status of each period, and its cells (with the requirements'
    details) built when first asked for, so that a board sorts 500 branches but details
    only the page it shows."""

    branch: Any  # a PartyOrganization
    statuses: list[compliance.Status]
    board: "Board"
    dates_by_kind: dict

    @property
    def missing(self) -> int:
        return sum(status is compliance.Status.MISSING for status in self.statuses)

    @cached_property
    def cells(self) -> list[BoardCell]:
        board = self.board
        return [
            BoardCell(
                compliance.board_cell(
                    board.requirements,
                    self.dates_by_kind,
                    period,
                    board.today,
                    self.branch.established,
                )
            )
            for period in board.periods
        ]


@dataclass
class Board:
    unit: compliance.Unit
    periods: list[compliance.Period]
    requirements: list[compliance.Requirement]
    today: datetime.date
    rows: list[BoardRow] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        return sum(1 for row in self.rows if row.missing)


def evaluation_window(requirements, periods) -> tuple[datetime.date, datetime.date]:
    """The days whose activities the cells of ``periods`` depend on.

    A yearly requirement shown by quarter is judged on its whole year, so the window
    widens to the coarsest requirement's periods.
    """
    first, last = periods[0].start, periods[-1].end
    for requirement in requirements:
        first = min(first, compliance.period_containing(requirement.unit, first).start)
        last = max(last, compliance.period_containing(requirement.unit, last).end)
    return first, last


class YearMonth(Func):
    """A date's year and month as one number, 202403 for March 2024.

    Grouping by it is what the board does most. On SQLite Django's own date functions are
    Python called for every row; a date there is text (2024-03-15), cut by SQLite itself.
    """

    template = (
        "CAST(EXTRACT(YEAR FROM %(expressions)s) * 100 "
        "+ EXTRACT(MONTH FROM %(expressions)s) AS INTEGER)"
    )
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template=(
                "(CAST(substr(%(expressions)s, 1, 4) AS INTEGER) * 100 "
                "+ CAST(substr(%(expressions)s, 6, 2) AS INTEGER))"
            ),
            **extra_context,
        )


_MONTH_STARTS: dict[int, datetime.date] = {}


def month_start(year_month: int) -> datetime.date:
    """202403 → 1 March 2024."""
    day = _MONTH_STARTS.get(year_month)
    if day is None:
        day = _MONTH_STARTS[year_month] = datetime.date(year_month // 100, year_month % 100, 1)
    return day


def held_dates(branches, first, last, today, kinds=None):
    """{branch id: {kind: [first day of month, once per activity]}} for activities held.

    One query: activities counted per branch, kind and month.
    """
    activities = (
        BranchActivity.objects.filter(branch__in=branches.values("pk"))
        .in_period(first, min(last, today))
        .held_by(today)
    )
    if kinds:
        activities = activities.filter(kind__in=kinds)
    # Year and month as one number: cheaper to compute and read back than a truncated date.
    rows = (
        activities.annotate(month=YearMonth("date"))
        .values_list("branch", "kind", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    dates: dict[int, dict[str, list[datetime.date]]] = defaultdict(lambda: defaultdict(list))
    for branch, kind, month, n in rows:
        dates[branch][kind].extend([month_start(month)] * n)
    return dates


def counted_attendance():
    """Attendance of members who belonged to the activity's branch on the activity's date.

    Guests and members recorded after a transfer count in neither 应到 nor 实到.
    """
    valid = Membership.objects.valid_on(OuterRef("activity__date")).filter(
        member=OuterRef("member"), organization=OuterRef("activity__branch")
    )
    return Attendance.objects.filter(Exists(valid))


def attendance_by_period(branch_ids, unit, first, last, today, kinds=None):
    """{(branch id, period start): AttendanceFigures}: one query."""
    rows = counted_attendance().filter(
        activity__branch__in=branch_ids,
        activity__date__range=(first, min(last, today)),
    )
    if kinds:
        rows = rows.filter(activity__kind__in=kinds)
    rows = (
        rows.annotate(month=YearMonth("activity__date"))
        .values_list("activity__branch", "month")
        .annotate(
            expected=Count("pk"),
            present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        )
        .order_by()
    )
    # Months folded into the periods shown (months nest in quarters and years).
    totals: dict[tuple[int, datetime.date], list[int]] = defaultdict(lambda: [0, 0])
    for branch, month, expected, present in rows:
        period = compliance.period_containing(unit, month_start(month))
        figures = totals[(branch, period.start)]
        figures[0] += present
        figures[1] += expected
    return {key: AttendanceFigures(*figures) for key, figures in totals.items()}


def build_board(branches, unit, first, last, today, kinds=None) -> Board:
    """Every branch of ``branches`` judged in each period of ``unit`` from first to last.

    Rows come out with the branches missing the most periods first, then in the
    QuerySet's order. Attendance is left empty: ``add_attendance`` fills in one page.
    """
    periods = compliance.periods_between(unit, first, last)
    requirements = Requirement.objects.rules(kinds)
    board = Board(
        unit=compliance.Unit(unit), periods=periods, requirements=requirements, today=today
    )
    if not periods:
        return board
    window_first, window_last = evaluation_window(requirements, periods)
    # Only the kinds some requirement names are judged: the others need not be read.
    dates = held_dates(
        branches,
        window_first,
        window_last,
        today,
        kinds or sorted({str(requirement.kind) for requirement in requirements}),
    )
    for branch in branches:
        by_kind = dates.get(branch.pk, {})
        statuses = compliance.board_statuses(
            requirements, by_kind, periods, today, branch.established
        )
        board.rows.append(
            BoardRow(branch=branch, statuses=statuses, board=board, dates_by_kind=by_kind)
        )
    board.rows.sort(key=lambda row: -row.missing)  # stable: keeps the QuerySet's order
    return board


def add_attendance(board: Board, rows, kinds=None) -> None:
    """Fill in the attendance of ``rows`` (a page of the board's rows): one query."""
    if not rows or not board.periods:
        return
    figures = attendance_by_period(
        [row.branch.pk for row in rows],
        board.unit,
        board.periods[0].start,
        board.periods[-1].end,
        board.today,
        kinds,
    )
    for row in rows:
        for cell in row.cells:
            cell.attendance = figures.get((row.branch.pk, cell.period.start), NO_ATTENDANCE)


# --- Charts: the same branches, month by month ----------------------------------------------


def monthly_activity_counts(branches, first, last, today, kinds=None):
    """[(month, activities held)] for every month from first to last: one query."""
    months = compliance.periods_between("month", first, last)
    activities = BranchActivity.objects.filter(branch__in=branches.values("pk")).in_period(
        first, min(last, today)
    )
    if kinds:
        activities = activities.filter(kind__in=kinds)
    counts = {
        month_start(month): n
        for month, n in activities.annotate(month=YearMonth("date"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .order_by()
    }
    return [(month, counts.get(month.start, 0)) for month in months]


def monthly_attendance(branches, first, last, today, kinds=None):
    """[(month, AttendanceFigures)] over all ``branches``, for every month: one query."""
    months = compliance.periods_between("month", first, last)
    rows = counted_attendance().filter(
        activity__branch__in=branches.values("pk"),
        activity__date__range=(first, min(last, today)),
    )
    if kinds:
        rows = rows.filter(activity__kind__in=kinds)
    figures = {
        month_start(month): AttendanceFigures(present, expected)
        for month, expected, present in rows.annotate(month=YearMonth("activity__date"))
        .values_list("month")
        .annotate(
            expected=Count("pk"),
            present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        )
        .order_by()
    }
    return [(month, figures.get(month.start, NO_ATTENDANCE)) for month in months]


# --- Reminders ----------------------------------------------------------------------------


def due_items_by_branch(branches, today, horizon_days=14):
    """{branch: [compliance.DueItem]} for every branch of ``branches``: two queries."""
    requirements = Requirement.objects.rules()
    branch_list = list(branches)
    if not requirements or not branch_list:
        return {branch: [] for branch in branch_list}
    first = min(compliance.period_containing(r.unit, today).previous().start for r in requirements)
    dates = held_dates(branches, first, today, today)
    return {
        branch: compliance.due_items(
            requirements, dates.get(branch.pk, {}), today, branch.established, horizon_days
        )
        for branch in branch_list
    }


# --- 党费 arrears ---------------------------------------------------------------------------


def dues_arrears_by_branch(branches, first, last, today):
    """{branch id: [(member, months owed, 分 owed)]} for months from ``first`` to ``last``
        that have ended by ``today``: five queries whatever the number of branches (four when
    nobody owes).

        A month is the branch's if the member belonged to it on the month's first day.
    """
    months = [
        period.start
        for period in compliance.periods_between("month", first, last)
        if period.end < today
    ]
    if not months:
        return {}
    # Plain values, not model instances: thousands of memberships are read, few owe.
    in_window = Membership.objects.filter(
        organization__in=branches.values("pk"), start__lte=months[-1]
    ).filter(Q(end__isnull=True) | Q(end__gte=months[0]))
    memberships = list(in_window.values_list("member", "organization", "start", "end"))
    members = in_window.values("member")
    bases = defaultdict(list)
    for row in DuesBase.objects.filter(member__in=members).values_list(
        "member", "valid_from", "base_fen", "category"
    ):
        bases[row[0]].append(row[1:])
    paid: defaultdict[int, defaultdict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for member, month, fen in DuesPayment.objects.filter(
        member__in=members, month__range=(months[0], months[-1])
    ).values_list("member", "month", "amount_fen"):
        paid[member][month] += fen
    bands = defaultdict(list)
    for category, up_to, rate in DuesBand.objects.values_list("category", "up_to_fen", "rate_bp"):
        bands[category].append((up_to, rate))
    owing = []
    for member, organization, start, end in memberships:
        if member not in bases:
            continue  # months before any base owe nothing
        in_branch = [month for month in months if start <= month and (end is None or month <= end)]
        owed = dues.arrears(in_branch, bases[member], paid[member], bands)
        if owed:
            owing.append((organization, member, len(owed), sum(fen for _month, fen in owed)))
    if not owing:
        return {}
    by_pk = PartyMember.objects.select_related("person").in_bulk({row[1] for row in owing})
    result = defaultdict(list)
    for organization, member, count, fen in owing:
        result[organization].append((by_pk[member], count, fen))
    return dict(result)


# --- Tabs: one period selector, several boards ----------------------------------------------
#
# The board page (/party/board/<key>/) shows one tab at a time under the shared choices of
# ``forms.BoardForm`` (unit, first and last day, parent organisation). A tab is registered
# with ``register_tab``; its function receives a ``TabContext`` whose ``branches`` are
# already limited to what the user may see (access.branches_for) and to the chosen parent,
# and returns the context its template needs. See party_building/board_tabs.py.


@dataclass
class TabContext:
    """What every tab's function receives: the request's choices, already scoped."""

    request: object
    user: object
    today: datetime.date
    unit: str
    periods: list[compliance.Period]
    # PartyOrganization branches the user may see, under the chosen parent, ordered by
    # name then pk, select_related("parent", "law_firm"). Build every query on these (as a
    # subquery: ``filter(branch__in=ctx.branches.values("pk"))``), never on all rows.
    branches: object
    parent: object = None  # the chosen committee or general branch, or None
    kinds: list[str] | None = None  # the activity kinds chosen (the 三会一课 tab's filter)
    exporting: bool = False  # True when called for the export (every row, no page)

    @property
    def first(self) -> datetime.date:
        return self.periods[0].start

    @property
    def last(self) -> datetime.date:
        return self.periods[-1].end

    @property
    def sees_everything(self) -> bool:
        from party_building import access

        return access.sees_everything(self.user)

    def page(self, items, per_page=50, parameter="page"):
        """One page of ``items`` (a list or a QuerySet), its number read from ``parameter``."""
        from core.pagination import paginate

        return paginate(self.request, items, parameter, per_page)


@dataclass(frozen=True)
class Tab:
    key: str  # the address: /party/board/<key>/
    label: object  # gettext_lazy, translated in the .po file
    compute: object  # (TabContext) -> dict for the template
    template: str  # included in board.html under the shared choices
    export: object = None  # (TabContext) -> (headers, rows), every row; None: no export
    order: int = 100  # tabs are shown by order, then key
    uses_kind: bool = False  # whether the form's "kind of activity" applies to this tab
    # (branch, today) -> None: a few records of this tab's kind for one branch, which the
    # query-count test of every tab and bench/compliance_board.py create; None: nothing.
    sample: object = None

    def get_absolute_url(self):
        from django.urls import reverse

        if self.key == "meetings":
            return reverse("party_building:board")
        return reverse("party_building:board-tab", kwargs={"tab": self.key})

    def export_url(self, format):
        from django.urls import reverse

        if self.key == "meetings":
            return reverse(f"party_building:board-{format}")
        return reverse(f"party_building:board-tab-{format}", kwargs={"tab": self.key})

    @property
    def has_export(self) -> bool:
        """For templates, which would call ``export`` if asked for it."""
        return self.export is not None

    @property
    def xlsx_url(self):
        return self.export_url("xlsx") if self.export else ""

    @property
    def csv_url(self):
        return self.export_url("csv") if self.export else ""


TABS: dict[str, Tab] = {}


def register_tab(key, label, *, template, export=None, order=100, uses_kind=False, sample=None):
    """Decorator: ``@register_tab("coverage", _("Coverage"), template=...)`` on the function
    that computes the tab. Registering a key twice is an error."""

    def decorate(compute):
        if key in TABS:
            raise ValueError(f"board tab {key!r} is registered twice")
        TABS[key] = Tab(
            key=key,
            label=label,
            compute=compute,
            template=template,
            export=export,
            order=order,
            uses_kind=uses_kind,
            sample=sample,
        )
        return compute

    return decorate


def tabs() -> list[Tab]:
    """The registered tabs in the order they are shown."""
    from party_building import board_tabs  # noqa: F401  (registers the tabs)

    return sorted(TABS.values(), key=lambda tab: (tab.order, tab.key))


def get_tab(key) -> Tab | None:
    tabs()
    return TABS.get(key)
