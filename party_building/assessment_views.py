"""The yearly appraisals' pages: 民主评议党员 per branch, 书记述职评议 / 星级评定 scores, and
the workbook reported upward.

Scoped like every party page (``access``): a secretary sees and records their branches'
member results, sees their branches' scores but cannot score; another branch answers 404.
The committee's administrators see, record and score every branch.
"""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from core import audit
from core.pagination import paginate
from party_building import access, exports, scoring
from party_building.assessment_forms import BranchAppraisalForm, BranchScoreForm, YearForm
from party_building.models import (
    AppraisalCap,
    AssessmentItem,
    AssessmentScore,
    BranchAssessment,
    MemberAppraisal,
    StarThreshold,
    members_to_appraise,
)
from party_building.models.assessments import FIRST_YEAR, LAST_YEAR
from party_building.views import PartyStaffMixin

PAGE_SIZE = 50
RESULTS = MemberAppraisal.Result


def branch_assessments(branches, year):
    """{branch pk: BranchAssessment} of ``year`` for ``branches`` (a QuerySet or pks): one
    query, for the overview and the board."""
    rows = BranchAssessment.objects.filter(year=year, branch__in=branches)
    return {assessment.branch_id: assessment for assessment in rows}


def appraisal_counts(branches, year):
    """{branch pk: {result: members}} of ``year``, every result present: one query."""
    counts = defaultdict(lambda: dict.fromkeys(scoring.RESULTS, 0))
    rows = (
        MemberAppraisal.objects.filter(year=year, branch__in=branches)
        .values_list("branch", "result")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for branch, result, n in rows:
        counts[branch][result] = n
    return counts


def check_year(year):
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Http404(_("No such year."))
    return year


class AppraisalStaffMixin(PartyStaffMixin):
    permission_required = (
        *PartyStaffMixin.permission_required,
        "party_building.view_memberappraisal",
        "party_building.view_branchassessment",
    )

    def get_branch(self):
        """A branch the user may see, or 404 (another branch's secretary)."""
        return get_object_or_404(
            access.branches_for(self.request.user).select_related("parent"), pk=self.kwargs["pk"]
        )


class AppraisalOverviewView(AppraisalStaffMixin, TemplateView):
    """Every branch the user may see: its members' results and its score for one year."""

    template_name = "party_building/appraisal_overview.html"

    def get(self, request, *args, **kwargs):
        form = YearForm(request.GET or {"year": timezone.localdate().year})
        if not form.is_valid():
            return HttpResponseBadRequest(
                _("The filters are not valid: %(errors)s") % {"errors": form.errors.as_text()},
                content_type="text/plain; charset=utf-8",
            )
        self.year = form.cleaned_data["year"]
        return super().get(request, *args, form=form, **kwargs)

    def get_context_data(self, **kwargs):
        user, year = self.request.user, self.year
        branches = access.branches_for(user).select_related("parent").order_by("name", "pk")
        page = paginate(self.request, branches, "page", PAGE_SIZE)
        pks = [branch.pk for branch in page.object_list]
        counts = appraisal_counts(pks, year)
        assessments = branch_assessments(pks, year)
        rows = []
        for branch in page.object_list:
            by_result = counts.get(branch.pk, dict.fromkeys(scoring.RESULTS, 0))
            rows.append(
                {
                    "branch": branch,
                    "counts": [by_result[result] for result in scoring.RESULTS],
                    "appraised": sum(by_result.values()),
                    "assessment": assessments.get(branch.pk),
                }
            )
        return super().get_context_data(
            year=year,
            rows=rows,
            page_obj=page,
            result_labels=RESULTS.labels,
            can_score=user.has_perm("party_building.change_branchassessment"),
            can_record=user.has_perm("party_building.change_memberappraisal"),
            **kwargs,
        )


class BranchAppraisalView(AppraisalStaffMixin, TemplateView):
    """One branch's 民主评议党员 for one year: the whole branch in one form, 合格 by default,
    with its score sheet below (read only)."""

    template_name = "party_building/appraisal_branch.html"

    def setup_page(self):
        self.year = check_year(self.kwargs["year"])
        self.branch = self.get_branch()
        self.members = list(
            members_to_appraise(self.branch, self.year)
            .select_related("person")
            .order_by("person__name", "pk")
        )
        existing = MemberAppraisal.objects.filter(
            year=self.year, member__in=[member.pk for member in self.members]
        )
        self.existing = {appraisal.member_id: appraisal for appraisal in existing}
        self.cap = AppraisalCap.objects.for_year(self.year)
        user = self.request.user
        self.can_record = user.has_perm("party_building.add_memberappraisal") and user.has_perm(
            "party_building.change_memberappraisal"
        )

    def make_form(self, data=None):
        return BranchAppraisalForm(
            data,
            branch=self.branch,
            year=self.year,
            members=self.members,
            existing=self.existing,
            cap=self.cap,
        )

    def get(self, request, *args, **kwargs):
        self.setup_page()
        return self.render_to_response(self.get_context_data(form=self.make_form()))

    def post(self, request, *args, **kwargs):
        self.setup_page()
        if not self.can_record:
            raise PermissionDenied
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        changed = form.save(request.user)
        messages.success(
            request,
            _("The results of %(count)s member(s) are saved; %(changed)s changed.")
            % {"count": len(self.members), "changed": changed},
        )
        return redirect(request.path)

    def get_context_data(self, **kwargs):
        assessment = (
            BranchAssessment.objects.filter(branch=self.branch, year=self.year)
            .prefetch_related(Prefetch("scores", AssessmentScore.objects.select_related("item")))
            .first()
        )
        return super().get_context_data(
            branch=self.branch,
            year=self.year,
            cap=self.cap,
            members_count=len(self.members),
            can_record=self.can_record,
            assessment=assessment,
            can_score=self.request.user.has_perm("party_building.change_branchassessment"),
            **kwargs,
        )


class BranchScoreView(AppraisalStaffMixin, TemplateView):
    """The committee scores one branch's sheet for one year; stars follow from the total."""

    template_name = "party_building/assessment_form.html"
    permission_required = (
        *AppraisalStaffMixin.permission_required,
        "party_building.add_branchassessment",
        "party_building.change_branchassessment",
    )

    def setup_page(self):
        self.year = check_year(self.kwargs["year"])
        self.branch = self.get_branch()
        self.items = list(AssessmentItem.objects.for_year(self.year))
        self.assessment = (
            BranchAssessment.objects.filter(branch=self.branch, year=self.year)
            .prefetch_related("scores")
            .first()
        )

    def make_form(self, data=None):
        return BranchScoreForm(data, items=self.items, assessment=self.assessment)

    def get(self, request, *args, **kwargs):
        self.setup_page()
        return self.render_to_response(self.get_context_data(form=self.make_form()))

    def post(self, request, *args, **kwargs):
        self.setup_page()
        form = self.make_form(request.POST)
        if not self.items or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        assessment = form.save(self.branch, self.year, request.user)
        messages.success(
            request,
            _("%(branch)s scored %(total)s of %(max)s for %(year)s: %(stars)s star(s).")
            % {
                "branch": self.branch.name,
                "total": assessment.total,
                "max": assessment.max_total,
                "year": self.year,
                "stars": assessment.stars,
            },
        )
        return redirect(
            reverse(
                "party_building:appraisal-branch",
                kwargs={"year": self.year, "pk": self.branch.pk},
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            branch=self.branch,
            year=self.year,
            items=self.items,
            max_total=scoring.maximum(item.as_item() for item in self.items),
            thresholds=StarThreshold.objects.all(),
            **kwargs,
        )


# --- The workbook reported upward ---------------------------------------------------------


def appraisal_sheet(branches, year):
    """(headers, rows): per branch the members per result and the share found 优秀."""
    headers = [
        _("Branch"),
        _("Under"),
        _("Members appraised"),
        *[str(label) for label in RESULTS.labels],
        _("Share excellent"),
    ]
    counts = appraisal_counts(branches.values("pk"), year)
    rows, totals = [], dict.fromkeys(scoring.RESULTS, 0)
    for branch in branches:
        by_result = counts.get(branch.pk, dict.fromkeys(scoring.RESULTS, 0))
        appraised = sum(by_result.values())
        for result, n in by_result.items():
            totals[result] += n
        rows.append(
            [
                exports.safe_text(branch.name),
                exports.safe_text(branch.parent.name if branch.parent else ""),
                appraised,
                *[by_result[result] for result in scoring.RESULTS],
                exports.Percent(by_result[scoring.EXCELLENT] / appraised) if appraised else "",
            ]
        )
    appraised = sum(totals.values())
    rows.append(
        [
            _("Total"),
            "",
            appraised,
            *[totals[result] for result in scoring.RESULTS],
            exports.Percent(totals[scoring.EXCELLENT] / appraised) if appraised else "",
        ]
    )
    return headers, rows


def assessment_sheet(branches, year):
    """(headers, rows): per branch the score of each item, the total, the maximum, the stars."""
    assessments = BranchAssessment.objects.filter(year=year, branch__in=branches.values("pk"))
    by_branch = {assessment.branch_id: assessment for assessment in assessments}
    scores = AssessmentScore.objects.filter(assessment__in=list(by_branch.values())).values_list(
        "assessment__branch", "item", "score"
    )
    score_of = {(branch, item): score for branch, item, score in scores}
    scored_items = {item for _branch, item in score_of}
    items = list(
        AssessmentItem.objects.for_year(year) | AssessmentItem.objects.filter(pk__in=scored_items)
    )
    headers = [
        _("Branch"),
        _("Under"),
        *[
            _("%(item)s (of %(max)s)") % {"item": item.name, "max": item.max_score}
            for item in items
        ],
        _("Total score"),
        _("Maximum"),
        _("Stars"),
        _("Comment"),
    ]
    rows = []
    for branch in branches:
        assessment = by_branch.get(branch.pk)
        row = [
            exports.safe_text(branch.name),
            exports.safe_text(branch.parent.name if branch.parent else ""),
        ]
        if assessment is None:
            rows.append(row + [""] * (len(items) + 3) + [_("Not assessed")])
            continue
        rows.append(
            row
            + [score_of.get((branch.pk, item.pk), "") for item in items]
            + [
                assessment.total,
                assessment.max_total,
                assessment.stars,
                exports.safe_text(assessment.comment),
            ]
        )
    return headers, rows


class AppraisalExportView(AppraisalStaffMixin, View):
    """One workbook per year: sheet 1 民主评议党员 per branch, sheet 2 scores and stars."""

    def get(self, request, year):
        year = check_year(year)
        branches = access.branches_for(request.user).select_related("parent").order_by("name", "pk")
        first = appraisal_sheet(branches, year)
        second = assessment_sheet(branches, year)
        audit.record("export", request, what="appraisals", format="xlsx", rows=len(first[1]))
        return exports.xlsx_sheets_response(
            [
                (_("Member appraisal %(year)s") % {"year": year}, *first),
                (_("Branch assessment %(year)s") % {"year": year}, *second),
            ],
            f"party-appraisals-{year}",
        )
