"""Pages for the committee's administrators and branch secretaries, and the public branch page.

Every staff view starts from ``access`` (what this user may see), so a secretary asking
for another branch's record gets a 404, and every list is paginated.
"""

from django.contrib.auth.mixins import UserPassesTestMixin
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponseBadRequest
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView
from django_filters.views import FilterView

from core import audit
from core.pagecache import cache_public_page
from core.pagination import paginate
from core.private_files import private_file_response
from core.twofactor import VerifiedPermissionRequiredMixin, verified_permission_required
from news.models import public_organizations
from party_building import access, board, board_tabs, compliance, exports
from party_building.board_terms import terms_by_branch
from party_building.filters import ActivityFilter
from party_building.forms import BoardForm, default_window
from party_building.models import (
    ActivityAttachment,
    ActivityPhoto,
    BranchActivity,
    Membership,
    Officer,
    PartyOrganization,
)

BOARD_PAGE_SIZE = 50
PAGE_SIZE = 20
OFFICERS_SHOWN = 30


class PartyStaffMixin(VerifiedPermissionRequiredMixin, UserPassesTestMixin):
    """Staff who may read party records and see at least one party organisation; others get
    403 (or the login page). Who must use a second factor has typed it in this session."""

    permission_required = (
        "party_building.view_partyorganization",
        "party_building.view_branchactivity",
    )

    def test_func(self):
        user = self.request.user
        return user.is_staff and access.has_access(user)

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # Party records and their exports are kept by no browser and no proxy.
        add_never_cache_headers(response)
        return response


# --- The compliance board -----------------------------------------------------------------


class BoardMixin(PartyStaffMixin):
    def get_tab(self):
        tab = board.get_tab(self.kwargs.get("tab", board_tabs.MEETINGS))
        if tab is None:
            raise Http404
        return tab

    def get_tab_context(self, *, exporting=False):
        """(form, TabContext) for the query string: the shared choices, already scoped."""
        user = self.request.user
        today = timezone.localdate()
        form = BoardForm(self.request.GET or None, user=user, today=today)
        unit, start, end, parent, kinds = form.choices()
        branches = access.branches_for(user).select_related("parent", "law_firm")
        if parent is not None:
            branches = branches.filter(Q(parent=parent) | Q(parent__parent=parent))
        branches = branches.order_by("name", "pk")
        ctx = board.TabContext(
            request=self.request,
            user=user,
            today=today,
            unit=unit,
            periods=compliance.periods_between(unit, start, end),
            branches=branches,
            parent=parent,
            kinds=kinds,
            exporting=exporting,
        )
        return form, ctx


class BoardView(BoardMixin, TemplateView):
    """The board: the shared choices, the tabs, and the chosen tab's rows."""

    template_name = "party_building/board.html"

    def get_context_data(self, **kwargs):
        tab = self.get_tab()
        form, ctx = self.get_tab_context()
        query = self.request.GET.copy()
        query.pop("page", None)
        context = {
            "form": form,
            "tab": tab,
            "tabs": board.tabs(),
            "tab_query": query.urlencode(),
            "periods": ctx.periods,
            **tab.compute(ctx),
        }
        kwargs.pop("tab", None)  # the key from the address; the Tab is in the context
        return super().get_context_data(**context, **kwargs)


def legend():
    return board_tabs.legend()


class BoardExportView(BoardMixin, View):
    format = "xlsx"

    def get(self, request, **kwargs):
        tab = self.get_tab()
        if tab.export is None:
            raise Http404
        form, ctx = self.get_tab_context(exporting=True)
        if form.is_bound and not form.is_valid():
            return HttpResponseBadRequest(
                _("The filters are not valid: %(errors)s") % {"errors": form.errors.as_text()},
                content_type="text/plain; charset=utf-8",
            )
        headers, rows = tab.export(ctx)
        prefix = "party-board" if tab.key == board_tabs.MEETINGS else f"party-board-{tab.key}"
        filename = f"{prefix}-{ctx.unit}-{ctx.first:%Y%m%d}"
        audit.record(
            "export",
            request,
            what="board" if tab.key == board_tabs.MEETINGS else f"board-{tab.key}",
            format=self.format,
            rows=len(rows),
        )
        if self.format == "csv":
            return exports.csv_response(headers, rows, filename)
        title = _("Compliance board") if tab.key == board_tabs.MEETINGS else str(tab.label)
        return exports.xlsx_response(title, headers, rows, filename)


# --- Branches and activities ---------------------------------------------------------------


class BranchView(PartyStaffMixin, DetailView):
    template_name = "party_building/branch_detail.html"
    context_object_name = "branch"

    def get_queryset(self):
        return access.organizations_for(self.request.user).select_related(
            "parent", "law_firm", "organization"
        )

    def get_context_data(self, **kwargs):
        branch = self.object
        today = timezone.localdate()
        memberships = (
            Membership.objects.current()
            .filter(organization=branch)
            .select_related("member__person__lawyer")
            .order_by("member__person__name", "pk")
        )
        officers = (
            Officer.objects.serving_on(today)
            .filter(organization=branch)
            .select_related("person")
            .order_by("role", "person__name")[:OFFICERS_SHOWN]
        )
        activities = (
            BranchActivity.objects.filter(branch=branch)
            .with_attendance()
            .select_related("presided_by", "article")
        )
        context = {
            "memberships": paginate(self.request, memberships, "members_page"),
            "officers": officers,
            "activities": paginate(self.request, activities, "activities_page"),
            "children": paginate(
                self.request,
                access.organizations_for(self.request.user).filter(parent=branch),
                "children_page",
            ),
        }
        if branch.kind == PartyOrganization.Kind.BRANCH:
            one = PartyOrganization.objects.filter(pk=branch.pk)
            start, end = default_window("quarter", today)
            result = board.build_board(one, "quarter", start, end, today)
            board.add_attendance(result, result.rows)
            row = result.rows[0]
            context.update(
                board=result,
                row=row,
                requirement_rows=[
                    (requirement, [cell.summary.details[index] for cell in row.cells])
                    for index, requirement in enumerate(result.requirements)
                ],
                due_items=board.due_items_by_branch(one, today).get(branch, []),
                term=terms_by_branch([branch], today)[0][1],
                legend=legend(),
            )
        return super().get_context_data(**context, **kwargs)


class ActivityScopeMixin(PartyStaffMixin):
    def get_queryset(self):
        return (
            access.activities_for(self.request.user)
            .with_attendance()
            .select_related("branch", "presided_by", "article")
        )


class ActivityListView(ActivityScopeMixin, FilterView):
    filterset_class = ActivityFilter
    paginate_by = BOARD_PAGE_SIZE
    template_name = "party_building/activity_list.html"

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}


class ActivityExportView(ActivityScopeMixin, View):
    format = "xlsx"

    def get(self, request):
        filterset = ActivityFilter(
            request.GET or None, queryset=self.get_queryset(), user=request.user
        )
        if filterset.is_bound and not filterset.is_valid():
            return HttpResponseBadRequest(
                _("The filters are not valid: %(errors)s")
                % {"errors": filterset.form.errors.as_text()},
                content_type="text/plain; charset=utf-8",
            )
        activities = filterset.qs.iterator(chunk_size=2000)
        headers, rows = exports.activity_table(activities, request.build_absolute_uri)
        filename = f"party-activities-{timezone.localdate():%Y%m%d}"
        audit.record("export", request, what="activities", format=self.format, rows=len(rows))
        if self.format == "csv":
            return exports.csv_response(headers, rows, filename)
        return exports.xlsx_response(_("Branch activities"), headers, rows, filename)


class ActivityDetailView(ActivityScopeMixin, DetailView):
    template_name = "party_building/activity_detail.html"
    context_object_name = "activity"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch("attachments", queryset=ActivityAttachment.objects.all()),
                Prefetch("photos", queryset=ActivityPhoto.objects.all()),
            )
        )

    def get_context_data(self, **kwargs):
        attendance = self.object.attendance.select_related("member__person").order_by(
            "status", "member__person__name", "pk"
        )
        return super().get_context_data(
            attendance=paginate(self.request, attendance, "attendance_page", 100), **kwargs
        )


# --- Files of the party records -----------------------------------------------------------


@verified_permission_required("party_building.view_branchactivity")
@require_safe
def activity_file(request, name):
    """A photo or attachment of an activity the user may see; any other name is a 404.

    The files are in the private storage (never under /media/); their links lead here.
    """
    activities = access.activities_for(request.user)
    attachment = ActivityAttachment.objects.filter(file=name, activity__in=activities).first()
    if attachment is not None:
        extension = name.rsplit(".", 1)[-1]
        return private_file_response(
            name, filename=f"{attachment.title}.{extension}", as_attachment=True
        )
    if ActivityPhoto.objects.filter(image=name, activity__in=activities).exists():
        return private_file_response(name, filename=name.rsplit("/", 1)[-1], as_attachment=False)
    raise Http404


# --- Public ---------------------------------------------------------------------------------


@cache_public_page
class PublicBranchListView(ListView):
    """Branches with at least one published activity, for the public."""

    template_name = "party_building/public_branch_list.html"
    paginate_by = PAGE_SIZE
    context_object_name = "branches"

    def get_queryset(self):
        published = BranchActivity.objects.published()
        return (
            PartyOrganization.objects.filter(
                kind=PartyOrganization.Kind.BRANCH, pk__in=published.values("branch")
            )
            .select_related("law_firm")
            .annotate(published_count=Count("activities", filter=Q(activities__in=published)))
            .order_by("name", "pk")
        )


@cache_public_page
class PublicBranchView(DetailView):
    """A branch's name, law firm and published activities: never members or attendance."""

    template_name = "party_building/public_branch_detail.html"
    context_object_name = "branch"

    def get_queryset(self):
        return (
            PartyOrganization.objects.filter(kind=PartyOrganization.Kind.BRANCH)
            .select_related("law_firm", "organization")
            .annotate(
                # Its page among the news is there only while a published report names it.
                organization_is_public=Exists(
                    public_organizations().filter(pk=OuterRef("organization_id"))
                )
            )
        )

    def get_context_data(self, **kwargs):
        activities = (
            BranchActivity.objects.published()
            .filter(branch=self.object)
            .select_related("article")
            .only("date", "kind", "topic", "article", "article__title", "article__published_at")
        )
        return super().get_context_data(
            activities=paginate(self.request, activities, "page"), **kwargs
        )
