"""The board's 评议 tab: for each branch and each year of the chosen periods, the members'
民主评议 results and the branch's score and stars. Four queries, whatever the number of
branches (the page's branches, their count, the results, the scores)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from party_building import board, exports, scoring
from party_building.models import BranchAssessment, MemberAppraisal

PAGE_SIZE = 50
# A board over many years shows the last few; the yearly workbook has the rest.
MOST_YEARS = 5


def years_of(ctx) -> list[int]:
    first = max(ctx.first.year, ctx.last.year - MOST_YEARS + 1)
    return list(range(first, ctx.last.year + 1))


def _by_year(branch_pks, years):
    """{(branch pk, year): (counts by result, BranchAssessment or None)}, two queries."""
    rows = (
        MemberAppraisal.objects.filter(year__in=years, branch__in=branch_pks)
        .values_list("branch", "year", "result")
        .order_by()
    )
    counts = {}
    for branch, year, result in rows:
        counts.setdefault((branch, year), dict.fromkeys(scoring.RESULTS, 0))[result] += 1
    assessments = {
        (assessment.branch_id, assessment.year): assessment
        for assessment in BranchAssessment.objects.filter(year__in=years, branch__in=branch_pks)
    }
    return counts, assessments


def _rows(branches, years):
    branches = list(branches)
    counts, assessments = _by_year([branch.pk for branch in branches], years)
    empty = dict.fromkeys(scoring.RESULTS, 0)
    return [
        (
            branch,
            [
                {
                    "year": year,
                    "counts": counts.get((branch.pk, year), empty),
                    "appraised": sum(counts.get((branch.pk, year), empty).values()),
                    "assessment": assessments.get((branch.pk, year)),
                }
                for year in years
            ],
        )
        for branch in branches
    ]


def appraisals_export(ctx):
    years = years_of(ctx)
    headers = [_("Branch"), _("Under")]
    for year in years:
        headers += [
            _("%(year)s total score") % {"year": year},
            _("%(year)s stars") % {"year": year},
            _("%(year)s members appraised") % {"year": year},
            _("%(year)s excellent") % {"year": year},
            _("%(year)s unqualified") % {"year": year},
        ]
    table = []
    for branch, cells in _rows(ctx.branches, years):
        row = [
            exports.safe_text(branch.name),
            exports.safe_text(branch.parent.name if branch.parent else ""),
        ]
        for cell in cells:
            assessment = cell["assessment"]
            row += [
                assessment.total if assessment else "",
                assessment.stars if assessment else "",
                cell["appraised"],
                cell["counts"][scoring.EXCELLENT],
                cell["counts"][scoring.UNQUALIFIED],
            ]
        table.append(row)
    return [str(header) for header in headers], table


def appraisals_sample(branch, today):
    from party_building.models import Membership

    BranchAssessment.objects.get_or_create(
        branch=branch, year=today.year, defaults={"total": 91, "max_total": 100, "stars": 5}
    )
    membership = Membership.objects.filter(organization=branch).first()
    if membership is not None:
        MemberAppraisal.objects.get_or_create(
            member=membership.member, year=today.year, defaults={"branch": branch}
        )


@board.register_tab(
    "appraisals",
    gettext_lazy("Appraisals (评议)"),
    template="party_building/tabs/appraisals.html",
    export=appraisals_export,
    order=70,
    sample=appraisals_sample,
)
def appraisals_tab(ctx):
    years = years_of(ctx)
    page = ctx.page(ctx.branches, PAGE_SIZE)
    return {
        "years": years,
        "appraisal_rows": _rows(page.object_list, years),
        "page_obj": page,
    }
