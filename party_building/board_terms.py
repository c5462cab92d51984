"""换届 on the board and in the reminders: each branch committee's term, from its last election.

Two queries whatever the number of branches: the branches, and their elections.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from party_building import board, exports, terms
from party_building.models import CommitteeElection

PAGE_SIZE = 50


def terms_by_branch(branches, today, due_within_months=terms.DUE_WITHIN_MONTHS):
    """[(branch, terms.Term)] for every branch of ``branches``, in their order: two queries."""
    branch_list = list(branches)  # a QuerySet (one query) or a list (none)
    latest = {}
    for organization, elected_on, years in (
        CommitteeElection.objects.filter(organization__in=[b.pk for b in branch_list])
        .order_by("organization", "elected_on")
        .values_list("organization", "elected_on", "term_years")
    ):
        latest[organization] = (elected_on, years)  # the last one wins
    return [
        (branch, terms.term_state(*latest.get(branch.pk, (None, None)), today, due_within_months))
        for branch in branch_list
    ]


def _sorted_terms(ctx):
    order = {state: index for index, state in enumerate(terms.STATE_ORDER)}
    rows = terms_by_branch(ctx.branches, ctx.today)
    # What needs acting on first; within a state, the earliest end first.
    rows.sort(key=lambda row: (order[row[1].state], row[1].ends or ctx.today))
    return rows


def terms_export(ctx):
    headers = [
        _("Branch"),
        _("Under"),
        _("Law firm of the branch"),
        _("Last election"),
        _("Term (years)"),
        _("Term ends"),
        _("Term status"),
    ]
    rows = [
        [
            exports.safe_text(branch.name),
            exports.safe_text(branch.parent.name if branch.parent else ""),
            exports.safe_text(branch.law_firm.name if branch.law_firm else ""),
            term.elected_on or "",
            term.years or "",
            term.ends or "",
            term.label,
        ]
        for branch, term in _sorted_terms(ctx)
    ]
    return headers, rows


def terms_sample(branch, today):
    CommitteeElection.objects.create(
        organization=branch,
        elected_on=terms.add_months(today, -34),
        term_years=terms.DEFAULT_TERM_YEARS,
    )


@board.register_tab(
    "terms",
    gettext_lazy("Committee terms"),
    template="party_building/tabs/terms.html",
    export=terms_export,
    order=50,
    sample=terms_sample,
)
def terms_tab(ctx):
    rows = _sorted_terms(ctx)
    counts = dict.fromkeys(terms.STATE_ORDER, 0)
    for _branch, term in rows:
        counts[term.state] += 1
    ending = sum(1 for _b, term in rows if term.ends and ctx.first <= term.ends <= ctx.last)
    return {
        "page_obj": ctx.page(rows, PAGE_SIZE),
        "term_counts": [
            (state, terms.TERM_STATE_LABELS[state], counts[state]) for state in terms.STATE_ORDER
        ],
        "ending_in_periods": ending,
        "due_within_months": terms.DUE_WITHIN_MONTHS,
    }
