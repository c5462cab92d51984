"""党员发展 for the web: the rules read from the database, worded in Chinese, and scoped.

The order and the deadlines are decided in ``development_rules`` (plain Python); this
module feeds it the records and the editable spans, words its findings, and answers the
questions the admin, the board, the reminders and a member's own page ask.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from party_building import access
from party_building import development_rules as rules
from party_building.models import DevelopmentRecord, DevelopmentRule

STEP_LABELS = {
    rules.Step.TALK: gettext_lazy("Talk with the applicant"),
    rules.Step.CONFIRMATION: gettext_lazy("General meeting to vote on the confirmation"),
}
NEXT_STEPS = {
    rules.Stage.APPLICANT: gettext_lazy("Talk, then decide whether to make an activist"),
    rules.Stage.ACTIVIST: gettext_lazy("A year of observation with two mentors"),
    rules.Stage.CANDIDATE: gettext_lazy("Vetting, public notice and the general meeting's vote"),
    rules.Stage.PROBATIONARY: gettext_lazy("The confirmation vote when the probation ends"),
    rules.Stage.FULL: "",
}


def field_label(name):
    return str(DevelopmentRecord._meta.get_field(name).verbose_name)


def stage_label(stage):
    return str(DevelopmentRecord.Stage(stage).label)


def message(finding: rules.Finding) -> str:
    """The Chinese sentence for one finding of the rules."""
    problem = finding.problem
    if problem is rules.Problem.BACKWARD:
        return _("The record cannot go back from “%(stage)s”.") % {
            "stage": stage_label(finding.detail)
        }
    if problem is rules.Problem.SKIPPED:
        return _("Stages are recorded in order: “%(stage)s” comes next.") % {
            "stage": stage_label(finding.detail)
        }
    if problem is rules.Problem.MISSING_DATE:
        return _("Give the day: %(field)s.") % {"field": field_label(finding.detail)}
    if problem is rules.Problem.OUT_OF_ORDER:
        return _("%(field)s cannot come before %(earlier)s.") % {
            "field": field_label(finding.field),
            "earlier": field_label(finding.detail),
        }
    if problem is rules.Problem.NO_TALK:
        return _("An applicant becomes an activist after the talk: give its day.")
    if problem is rules.Problem.TOO_EARLY_CANDIDATE:
        return _(
            "A candidate is chosen after the activist's observation period, "
            "on %(day)s at the earliest."
        ) % {"day": finding.detail}
    if problem is rules.Problem.TOO_FEW_MENTORS:
        return _("A candidate has two mentors (full members).")
    if problem is rules.Problem.TOO_FEW_INTRODUCERS:
        return _("A probationary member has two introducers (full members).")
    if problem is rules.Problem.EARLY_CONFIRMATION:
        return _("The probation ends on %(day)s; the confirmation comes after it.") % {
            "day": finding.detail
        }
    raise ValueError(problem)


def check(record: DevelopmentRecord, previous, mentors: int, introducers: int) -> list[str]:
    """The rules' objections to saving ``record`` (from stage ``previous``), in Chinese."""
    found = rules.findings(
        record.as_rule_record(mentors, introducers),
        DevelopmentRule.current(),
        rules.Stage(previous) if previous else None,
    )
    return [message(finding) for finding in found]


def records_for(user):
    """The development records ``user`` may see: those of their branches (access.py)."""
    if access.sees_everything(user):
        return DevelopmentRecord.objects.all()
    return DevelopmentRecord.objects.filter(branch__in=access.organizations_for(user))


@dataclass(frozen=True)
class StageInfo:
    stage: str
    label: str
    since: datetime.date | None
    next_step: str


def stage_of(person) -> StageInfo | None:
    """Where ``person`` is on the path into the party, or None (one query)."""
    record = DevelopmentRecord.objects.filter(person=person).first()
    if record is None:
        return None
    stage = rules.Stage(record.stage)
    return StageInfo(
        stage=stage.value,
        label=stage_label(stage),
        since=getattr(record, rules.STAGE_DAYS[stage]),
        next_step=str(NEXT_STEPS[stage]),
    )


# --- Deadlines, for the board and the reminders ------------------------------------------------

# The fields the deadlines need, read without the rest of the record.
DEADLINE_FIELDS = ["pk", "branch", "stage", "person__name", *rules.DATED_STEPS]


@dataclass(frozen=True)
class DueStep:
    record_pk: int
    branch_pk: int
    person_name: str
    deadline: rules.Deadline
    state: rules.DeadlineState

    @property
    def label(self):
        return STEP_LABELS[self.deadline.step]

    @property
    def overdue(self) -> bool:
        return self.state is rules.DeadlineState.OVERDUE


def as_rule_record(row: dict) -> rules.Record:
    return rules.Record(
        stage=rules.Stage(row["stage"]), **{name: row[name] for name in rules.DATED_STEPS}
    )


def due_steps(rows, rule_set: rules.Rules, today, *, later=False) -> list[DueStep]:
    """The open deadlines of ``rows`` (dicts of DEADLINE_FIELDS) due soon or overdue
    (all of them with ``later``), soonest first."""
    steps = []
    for row in rows:
        for deadline in rules.open_deadlines(as_rule_record(row), rule_set):
            state = deadline.state(today)
            if later or state is not rules.DeadlineState.LATER:
                steps.append(
                    DueStep(row["pk"], row["branch"], row["person__name"], deadline, state)
                )
    steps.sort(key=lambda step: (step.deadline.due, step.person_name))
    return steps


def records_with_deadlines():
    """Records that may have an open deadline: applicants without a talk, probationary
    members not yet confirmed."""
    return DevelopmentRecord.objects.filter(
        Q(stage=rules.Stage.APPLICANT, talk_on__isnull=True)
        | Q(stage=rules.Stage.PROBATIONARY, confirmed_on__isnull=True)
    )
