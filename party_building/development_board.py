"""The 党员发展 tab of the board: each branch's pipeline (how many at each stage) and the
steps due soon or overdue, from three queries whatever the number of branches.

The counts are of records in progress, and of confirmations (转正) within the chosen
periods; the deadlines are judged by ``development_rules`` with the editable spans.
"""

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from party_building import board, charts, development, exports
from party_building import development_rules as rules
from party_building.models import DevelopmentRecord, DevelopmentRule

PAGE_SIZE = 50
STEPS_PAGE_SIZE = 30
# The stages counted in the pipeline: those still on the way.
PIPELINE = [
    rules.Stage.APPLICANT,
    rules.Stage.ACTIVIST,
    rules.Stage.CANDIDATE,
    rules.Stage.PROBATIONARY,
]


class PipelineRow:
    def __init__(self, branch):
        self.branch = branch
        self.counts = dict.fromkeys(PIPELINE, 0)
        self.ready = 0  # activists past their observation period
        self.confirmed = 0  # 转正 within the chosen periods
        self.overdue = 0

    @property
    def stage_counts(self):
        return [self.counts[stage] for stage in PIPELINE]


def pipeline(ctx):
    """(rows with a record, sorted overdue first, and every step due soon or overdue)."""
    rule_set = DevelopmentRule.current()
    records = (
        DevelopmentRecord.objects.filter(branch__in=ctx.branches.values("pk"))
        .filter(~Q(stage=rules.Stage.FULL) | Q(confirmed_on__range=(ctx.first, ctx.last)))
        .order_by()
        .values(*development.DEADLINE_FIELDS)
    )
    records = list(records)
    if not records:
        return [], []
    branches = {
        branch.pk: branch for branch in ctx.branches.filter(pk__in={r["branch"] for r in records})
    }
    rows = {pk: PipelineRow(branch) for pk, branch in branches.items()}
    for record in records:
        row = rows[record["branch"]]
        stage = rules.Stage(record["stage"])
        if stage is rules.Stage.FULL:
            row.confirmed += 1
            continue
        row.counts[stage] += 1
        if stage is rules.Stage.ACTIVIST:
            ready_from = rules.candidate_from(development.as_rule_record(record), rule_set)
            row.ready += bool(ready_from and ready_from <= ctx.today)
    steps = development.due_steps(records, rule_set, ctx.today)
    for step in steps:
        rows[step.branch_pk].overdue += step.overdue
    steps = [(branches[step.branch_pk], step) for step in steps]
    ordered = sorted(rows.values(), key=lambda row: (-row.overdue, row.branch.name, row.branch.pk))
    return ordered, steps


def development_export(ctx):
    headers = [
        _("Branch"),
        *(development.stage_label(stage) for stage in PIPELINE),
        _("Activists past the observation period"),
        _("Confirmed in the periods"),
        _("Steps overdue"),
    ]
    rows, _steps = pipeline(ctx)
    table = [
        [
            exports.safe_text(row.branch.name),
            *row.stage_counts,
            row.ready,
            row.confirmed,
            row.overdue,
        ]
        for row in rows
    ]
    return headers, table


def development_sample(branch, today):
    """An applicant still waiting for the talk, and a probationary member of the branch."""
    from members.models import Person

    DevelopmentRecord.objects.create(
        person=Person.objects.create(name="入党申请人"),
        branch=branch,
        applied_on=today.replace(day=1),
    )
    DevelopmentRecord.objects.create(
        person=Person.objects.create(name="预备党员"),
        branch=branch,
        stage=rules.Stage.PROBATIONARY,
        applied_on=today.replace(year=today.year - 3, day=1),
        admitted_on=today.replace(year=today.year - 1, day=1),
    )


@board.register_tab(
    "development",
    gettext_lazy("Member development"),
    template="party_building/tabs/development.html",
    export=development_export,
    order=30,
    sample=development_sample,
)
def development_tab(ctx):
    rows, steps = pipeline(ctx)
    totals = PipelineRow(None)
    for row in rows:
        for stage in PIPELINE:
            totals.counts[stage] += row.counts[stage]
        totals.ready += row.ready
        totals.confirmed += row.confirmed
        totals.overdue += row.overdue
    return {
        "stages": [development.stage_label(stage) for stage in PIPELINE],
        "page_obj": ctx.page(rows, PAGE_SIZE),
        "totals": totals,
        "steps": ctx.page(steps, STEPS_PAGE_SIZE, parameter="steps"),
        "pipeline_chart": charts.bar_chart(
            [(development.stage_label(stage), totals.counts[stage]) for stage in PIPELINE]
        )
        if any(totals.stage_counts)
        else None,
    }
