"""The admin for party building, scoped by access.py.

The committee's administrators see everything. A branch secretary sees the rows of their
own organisations only: the lists are filtered, another branch's record answers 404, the
branch and member choices offer only theirs, and every save checks the rule again.
Nothing is deleted except by a superuser: records are ended (a membership's end date, an
officer's term), not removed.
"""

import itertools

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Sum
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from core.admin import HistoryAdmin, StampedAdminMixin, SuperuserDeletesMixin
from core.widgets import SafeAutocompleteMixin
from news.models import Article
from party_building import access, dues, exports
from party_building.forms import PartyMemberForm
from party_building.models import (
    PARTY_BUILDING_COLUMN,
    ActivityAttachment,
    ActivityPhoto,
    AppraisalCap,
    AssessmentItem,
    AssessmentScore,
    Attendance,
    BranchActivity,
    BranchAssessment,
    Campaign,
    Commitment,
    DuesBand,
    DuesBase,
    DuesPayment,
    MemberAppraisal,
    Membership,
    Officer,
    OrganizationManager,
    PartyMember,
    PartyOrganization,
    ReminderLog,
    Requirement,
    StarThreshold,
)
from party_building.models.transfers import TransferPolicy


class ScopedAdmin(SuperuserDeletesMixin, HistoryAdmin):
    """Rows the user may see (``scope``), with the owning organisation of each (``owner``)."""

    def scope(self, queryset, user):
        raise NotImplementedError

    def owner(self, obj):
        """The party organisation whose data ``obj`` is."""
        raise NotImplementedError

    def in_scope(self, request, obj, *, changing=False):
        return access.can_manage(request.user, self.owner(obj))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if access.sees_everything(request.user):
            return queryset
        return self.scope(queryset, request.user)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or self.in_scope(request, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or self.in_scope(request, obj, changing=True)
        )

    def save_model(self, request, obj, form, change):
        # The choices were limited already; this catches anything that slipped past a form.
        if not self.in_scope(request, obj, changing=True):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def _visible(self, request, object_id):
        """Another organisation's record is simply not there: 404, not a redirect."""
        if object_id is not None and self.get_object(request, unquote(object_id)) is None:
            raise Http404(_("No such record."))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._visible(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._visible(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._visible(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        limited = limited_choices(db_field, request.user)
        if limited is not None:
            kwargs["queryset"] = limited
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def limited_choices(db_field, user):
    """The choices a user may pick for a foreign key, by the model it points to."""
    model = db_field.related_model
    if model is PartyOrganization:
        organizations = access.organizations_for(user)
        if db_field.name == "parent":
            organizations = organizations.exclude(kind=PartyOrganization.Kind.BRANCH)
        return organizations
    if model is PartyMember:
        return access.members_for(user, current_only=True).select_related("person")
    if model is Article:
        reports = Article.objects.filter(column__slug=PARTY_BUILDING_COLUMN)
        # Drafts' titles are for those who may read drafts in the news admin.
        if not (user.has_perm("news.view_article") or user.has_perm("news.change_article")):
            reports = reports.published()
        return reports
    return None


class ScopedInlineMixin(SuperuserDeletesMixin, SafeAutocompleteMixin):
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        limited = limited_choices(db_field, request.user)
        if limited is not None:
            kwargs["queryset"] = limited
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedBranchFilter(admin.SimpleListFilter):
    """Filter by branch, offering only the branches the user may see."""

    title = _("branch")
    parameter_name = "branch"
    field = "branch"

    def lookups(self, request, model_admin):
        return [(str(b.pk), b.name) for b in access.branches_for(request.user).only("name")]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(**{f"{self.field}__pk": self.value()})
        return queryset


class ScopedOrganizationFilter(ScopedBranchFilter):
    title = _("party organisation")
    parameter_name = "organization"
    field = "organization"

    def lookups(self, request, model_admin):
        organizations = access.organizations_for(request.user).only("name")
        return [(str(o.pk), o.name) for o in organizations]


# --- Organisations --------------------------------------------------------------------------


class OfficerInline(ScopedInlineMixin, admin.TabularInline):
    model = Officer
    extra = 0
    fields = ["role", "person", "term_start", "term_end"]
    autocomplete_fields = ["person"]


class ManagerInline(ScopedInlineMixin, admin.TabularInline):
    model = OrganizationManager
    extra = 0
    autocomplete_fields = ["user"]
    verbose_name = _("account that records this organisation's data")
    verbose_name_plural = _("accounts that record this organisation's data")


@admin.register(PartyOrganization)
class PartyOrganizationAdmin(ScopedAdmin):
    change_list_template = "admin/party_building/change_list_with_board.html"
    list_display = ["name", "kind", "parent", "law_firm", "established"]
    list_filter = ["kind"]
    list_select_related = ["parent", "law_firm"]
    search_fields = ["name", "law_firm__name"]
    # The law firm: one of a city's thousands, found by its name as one types; the firms'
    # names are public (the firm lookup), and the committee's administrators have no right in
    # the register, so the form's own choices answer (core.autocomplete).
    autocomplete_fields = ["organization", "law_firm"]
    form_choice_autocomplete_fields = ["law_firm"]
    inlines = [OfficerInline, ManagerInline]
    fields = ["kind", "name", "parent", "law_firm", "established", "organization"]

    def scope(self, queryset, user):
        return queryset.filter(pk__in=access.organizations_for(user).values("pk"))

    def owner(self, obj):
        return obj

    def in_scope(self, request, obj, *, changing=False):
        if obj.pk is None:  # a new organisation: the committee's administrators only
            return access.sees_everything(request.user)
        return super().in_scope(request, obj)


# --- Members --------------------------------------------------------------------------------


class MembershipFormSet(forms.BaseInlineFormSet):
    """One member's memberships may not overlap, judged on the rows as they will be saved.

    The rows of the form are read with their submitted dates, so ending the old membership
    and adding the new one in the same save is a transfer, not an overlap. Rows the form
    does not show (another branch's, for a secretary) are read from the database.
    """

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        form.instance.overlap_checked_by_formset = True
        return form

    def clean(self):
        super().clean()
        rows = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("start")
        ]
        if self.instance.pk is not None:
            shown = [form.instance.pk for form in self.forms if form.instance.pk]
            rows += list(
                Membership.objects.filter(member=self.instance)
                .exclude(pk__in=shown)
                .values("start", "end")
            )
        if sum(1 for row in rows if row.get("end") is None) > 1:
            raise forms.ValidationError(_("Only one membership can be open (without an end)."))
        rows.sort(key=lambda row: row["start"])
        for earlier, later in itertools.pairwise(rows):
            if earlier.get("end") is None or earlier["end"] >= later["start"]:
                raise forms.ValidationError(
                    _("A member belongs to one organisation at a time; the dates overlap.")
                )


class MembershipInline(ScopedInlineMixin, admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    fields = ["organization", "start", "end", "role"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("organization")
        if access.sees_everything(request.user):
            return queryset
        return queryset.filter(organization__in=access.organizations_for(request.user))

    def get_min_num(self, request, obj=None, **kwargs):
        # A secretary who adds a member adds them to a branch, or would never see them again.
        if obj is None and not access.sees_everything(request.user):
            return 1
        return 0

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("validate_min", True)
        return super().get_formset(request, obj, **kwargs)


class CommitmentForm(forms.ModelForm):
    """Only the committee's administrators publish a commitment, or change a published one:
    what the public reads is what they chose."""

    user = None  # set per request by the admin

    def clean(self):
        cleaned = super().clean()
        if {"member", "branch"} <= set(self.fields) and not (
            cleaned.get("member") or cleaned.get("branch")
        ):
            raise forms.ValidationError(
                _("A commitment is made either by a party member or by a branch.")
            )
        if self.user is None or access.sees_everything(self.user):
            return cleaned
        published_before = self.instance.pk is not None and (
            Commitment.objects.filter(pk=self.instance.pk, is_public=True).exists()
        )
        if published_before and self.has_changed():
            raise forms.ValidationError(
                _("This commitment is published; only the party committee may change it.")
            )
        return cleaned


class CommitmentInline(ScopedInlineMixin, admin.StackedInline):
    model = Commitment
    form = CommitmentForm
    extra = 0
    fields = ["campaign", "made_on", "text", "reviewed_on", "result", "review", "is_public"]

    def get_queryset(self, request):
        # A branch the member has left does not see what they commit to afterwards.
        return super().get_queryset(request) & access.commitments_for(request.user)

    def get_readonly_fields(self, request, obj=None):
        if access.sees_everything(request.user):
            return super().get_readonly_fields(request, obj)
        return [*super().get_readonly_fields(request, obj), "is_public"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.user = request.user
        return formset


class TransferForm(forms.Form):
    """The target branch and day of the 转移 action, shown beside the action list."""

    organization = forms.ModelChoiceField(
        label=_("Transfer to"),
        queryset=PartyOrganization.objects.filter(kind=PartyOrganization.Kind.BRANCH),
        required=False,
    )
    day = forms.DateField(
        label=_("First day there"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class TransferActionForm(ActionForm, TransferForm):
    pass


@admin.register(PartyMember)
class PartyMemberAdmin(ScopedAdmin):
    action_form = TransferActionForm
    actions = ["transfer_selected"]
    list_display = ["name", "status", "joined_party", "current_organization"]
    list_filter = ["status"]
    search_fields = ["person__name"]
    autocomplete_fields = ["person", "user"]
    fields = ["person", "status", "joined_party", "user"]
    inlines = [MembershipInline, CommitmentInline]
    form = PartyMemberForm

    def get_readonly_fields(self, request, obj=None):
        # Which account is a member's is the committee's to say, as for secretaries' accounts.
        readonly = list(super().get_readonly_fields(request, obj))
        if not access.sees_everything(request.user):
            readonly.append("user")
        return readonly

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_queryset(self, request):
        current = Membership.objects.current().select_related("organization")
        if not access.sees_everything(request.user):
            # Where a former member went is another branch's business.
            current = current.filter(organization__in=access.organizations_for(request.user))
        return (
            super()
            .get_queryset(request)
            .select_related("person")
            .prefetch_related(Prefetch("memberships", current, to_attr="current_memberships"))
        )

    def scope(self, queryset, user):
        return queryset.filter(pk__in=access.members_for(user).values("pk"))

    def in_scope(self, request, obj, *, changing=False):
        if obj.pk is None:
            return True  # the membership inline (at least one, in their branches) decides
        if changing:
            return access.can_manage_member(request.user, obj)
        return access.members_for(request.user).filter(pk=obj.pk).exists()

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Moving a member between branches (组织关系转接) is the committee's work.
        if not access.sees_everything(request.user):
            actions.pop("transfer_selected", None)
        return actions

    @admin.action(description=_("Transfer to another branch"), permissions=["change"])
    def transfer_selected(self, request, queryset):
        """End each member's open membership the day before and open one in the new branch,
        all members in one transaction: either every transfer is saved or none."""
        form = TransferForm(request.POST)
        if not form.is_valid() or not (
            form.cleaned_data["organization"] and form.cleaned_data["day"]
        ):
            self.message_user(
                request, _("Choose the new branch and the first day there."), messages.ERROR
            )
            return
        to, day = form.cleaned_data["organization"], form.cleaned_data["day"]
        try:
            with transaction.atomic():
                for member in queryset.select_related("person"):
                    member.transfer(to, on=day)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(
            request,
            _("%(count)s member(s) transferred to %(branch)s from %(day)s.")
            % {"count": queryset.count(), "branch": to, "day": day},
            messages.SUCCESS,
        )

    @admin.display(description=_("current organisation"))
    def current_organization(self, member):
        return ", ".join(m.organization.name for m in member.current_memberships) or "—"


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["member", "organization", "start", "end", "role"]
    list_filter = [ScopedOrganizationFilter, "role"]
    list_select_related = ["member__person", "organization"]
    search_fields = ["member__person__name", "organization__name"]
    autocomplete_fields = ["member"]
    date_hierarchy = "start"

    def scope(self, queryset, user):
        return queryset.filter(organization__in=access.organizations_for(user))

    def owner(self, obj):
        return obj.organization if obj.organization_id else None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "member" and not access.sees_everything(request.user):
            # Receiving a member from another branch is the committee's work (组织关系转接).
            kwargs["queryset"] = access.members_for(request.user)
            return admin.ModelAdmin.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# --- Activities -----------------------------------------------------------------------------


class AttendanceInline(ScopedInlineMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    fields = ["member", "status", "reason"]
    autocomplete_fields = ["member"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member__person")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "member" and not access.sees_everything(request.user):
            # Past members too: an old activity's attendance must stay valid when re-saved.
            kwargs["queryset"] = access.members_for(request.user).select_related("person")
            return admin.TabularInline.formfield_for_foreignkey(self, db_field, request, **kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AttachmentInline(ScopedInlineMixin, admin.TabularInline):
    model = ActivityAttachment
    extra = 0
    fields = ["title", "file"]


class PhotoInline(ScopedInlineMixin, admin.TabularInline):
    model = ActivityPhoto
    extra = 0
    fields = ["image", "caption"]


@admin.register(BranchActivity)
class BranchActivityAdmin(StampedAdminMixin, ScopedAdmin):
    change_list_template = "admin/party_building/change_list_with_board.html"
    list_display = ["date", "branch", "kind", "topic", "attendance_summary", "is_published"]
    list_filter = [ScopedBranchFilter, "kind"]
    list_select_related = ["branch", "article"]
    search_fields = ["topic", "branch__name", "place"]
    date_hierarchy = "date"
    # The report: thousands of party-building articles, found by their title as one types,
    # among those the field accepts (limited_choices), for secretaries too (core.autocomplete).
    autocomplete_fields = ["presided_by", "article"]
    form_choice_autocomplete_fields = ["article"]
    readonly_fields = ["created_by", "created_at", "updated_by", "updated_at"]
    inlines = [AttendanceInline, AttachmentInline, PhotoInline]
    fieldsets = [
        (None, {"fields": ["branch", "kind", "date", "place", "presided_by", "topic"]}),
        (_("Minutes"), {"fields": ["minutes"]}),
        (_("Publicity"), {"fields": ["article"]}),
        (
            _("Record"),
            {
                "classes": ["collapse"],
                "fields": ["created_by", "created_at", "updated_by", "updated_at"],
            },
        ),
    ]

    actions = ["mark_whole_branch_present"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_attendance()

    @admin.action(
        description=_("Start attendance: every member of the branch present"),
        permissions=["change"],
    )
    def mark_whole_branch_present(self, request, queryset):
        """Record each member of the branch on the activity's day as present, where nobody
        recorded them yet; the secretary then corrects the ones excused or absent."""
        added = 0
        with transaction.atomic():
            for activity in queryset.select_related("branch"):
                recorded = activity.attendance.values("member")
                members = (
                    Membership.objects.valid_on(activity.date)
                    .filter(organization=activity.branch)
                    .exclude(member__in=recorded)
                    .values_list("member", flat=True)
                    .distinct()
                )
                rows = [
                    Attendance(
                        activity=activity, member_id=member, status=Attendance.Status.PRESENT
                    )
                    for member in members
                ]
                # Kept in the history like a row saved one by one, with who added it.
                bulk_create_with_history(rows, Attendance, default_user=request.user)
                added += len(rows)
        self.message_user(
            request,
            _("%(count)s member(s) recorded as present; correct those excused or absent.")
            % {"count": added},
            messages.SUCCESS,
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        field = form.base_fields.get("article")
        if field is not None and obj is not None and obj.article_id:
            # The report already linked stays valid when the activity is saved again.
            field.queryset = field.queryset | Article.objects.filter(pk=obj.article_id)
        return form

    def scope(self, queryset, user):
        return queryset.filter(branch__in=access.organizations_for(user))

    def owner(self, obj):
        return obj.branch if obj.branch_id else None

    @admin.display(description=_("present / expected"))
    def attendance_summary(self, activity):
        return f"{activity.present_count} / {activity.expected_count}"


# --- Campaigns and rules ---------------------------------------------------------------------


@admin.register(Campaign)
class CampaignAdmin(SuperuserDeletesMixin, HistoryAdmin):
    list_display = ["name", "start", "end"]
    search_fields = ["name"]
    date_hierarchy = "start"


@admin.register(Commitment)
class CommitmentAdmin(ScopedAdmin):
    form = CommitmentForm
    list_display = [
        "member",
        "branch",
        "campaign",
        "made_on",
        "result",
        "reviewed_on",
        "is_published",
    ]
    list_filter = ["campaign", "result", "is_public"]
    list_select_related = ["member__person", "branch", "campaign"]
    search_fields = ["member__person__name", "branch__name", "text"]
    autocomplete_fields = ["member", "branch"]
    actions = ["publish", "unpublish"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        if access.sees_everything(request.user):
            return super().get_readonly_fields(request, obj)
        return [*super().get_readonly_fields(request, obj), "is_public"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not access.sees_everything(request.user):
            actions.pop("publish", None)
            actions.pop("unpublish", None)
        return actions

    def _set_public(self, request, queryset, value):
        # One save per row, so that the history keeps who published each and when.
        count = 0
        for commitment in queryset.filter(is_public=not value):
            commitment.is_public = value
            commitment.save(update_fields=["is_public"])
            count += 1
        return count

    @admin.action(description=_("Publish on the campaign's public page"), permissions=["change"])
    def publish(self, request, queryset):
        if not access.sees_everything(request.user):
            raise PermissionDenied
        count = self._set_public(request, queryset, True)
        self.message_user(
            request, _("%(count)s commitment(s) published.") % {"count": count}, messages.SUCCESS
        )

    @admin.action(description=_("Withdraw from the public page"), permissions=["change"])
    def unpublish(self, request, queryset):
        if not access.sees_everything(request.user):
            raise PermissionDenied
        count = self._set_public(request, queryset, False)
        self.message_user(
            request, _("%(count)s commitment(s) withdrawn.") % {"count": count}, messages.SUCCESS
        )

    def scope(self, queryset, user):
        return queryset.filter(pk__in=access.commitments_for(user).values("pk"))

    def in_scope(self, request, obj, *, changing=False):
        if obj.branch_id:  # the branch's own commitment
            return access.can_manage(request.user, obj.branch)
        if not obj.member_id:
            return access.sees_everything(request.user)
        if changing:
            return access.can_manage_member(request.user, obj.member)
        if obj.pk is None:
            return access.members_for(request.user).filter(pk=obj.member_id).exists()
        return access.commitments_for(request.user).filter(pk=obj.pk).exists()


@admin.register(Requirement)
class RequirementAdmin(SuperuserDeletesMixin, HistoryAdmin):
    list_display = ["kind", "unit", "times"]
    list_editable = ["unit", "times"]
    list_display_links = ["kind"]


# --- 党费 (dues) --------------------------------------------------------------------------


@admin.register(DuesBand)
class DuesBandAdmin(SuperuserDeletesMixin, HistoryAdmin):
    list_display = ["category", "up_to_fen", "rate_bp"]
    list_filter = ["category"]


@admin.register(DuesBase)
class DuesBaseAdmin(ScopedAdmin):
    """A member's base is their branch's business, like their commitments."""

    list_display = ["member", "valid_from", "base_fen", "category", "monthly_dues"]
    list_filter = ["category"]
    list_select_related = ["member__person"]
    search_fields = ["member__person__name"]
    autocomplete_fields = ["member"]

    def scope(self, queryset, user):
        return queryset.filter(member__in=access.members_for(user, current_only=True))

    def in_scope(self, request, obj, *, changing=False):
        if not obj.member_id:
            return access.sees_everything(request.user)
        return access.can_manage_member(request.user, obj.member)

    @admin.display(description=_("monthly dues (yuan)"))
    def monthly_dues(self, base):
        return dues.yuan(base.monthly_dues_fen())


@admin.register(DuesPayment)
class DuesPaymentAdmin(ScopedAdmin):
    list_display = ["month", "branch", "member", "amount_yuan", "paid_on"]
    list_filter = [ScopedBranchFilter]
    list_select_related = ["branch", "member__person"]
    search_fields = ["member__person__name", "branch__name"]
    autocomplete_fields = ["member"]
    date_hierarchy = "month"

    actions = ["export_yearly_totals"]

    def scope(self, queryset, user):
        return queryset.filter(branch__in=access.organizations_for(user))

    def owner(self, obj):
        return obj.branch if obj.branch_id else None

    @admin.action(description=_("Export yearly totals per branch (xlsx)"), permissions=["view"])
    def export_yearly_totals(self, request, queryset):
        """The selected payments summed per branch and year, in 元 as numbers: one query."""
        rows = (
            queryset.annotate(year=ExtractYear("month"))
            .values("branch__name", "year")
            .annotate(
                total=Sum("amount_fen"),
                payments=Count("pk"),
                members=Count("member", distinct=True),
            )
            .order_by("branch__name", "year")
        )
        headers = [_("Branch"), _("Year"), _("Payments"), _("Members who paid"), _("Total (yuan)")]
        table = [
            [
                exports.safe_text(row["branch__name"]),
                row["year"],
                row["payments"],
                row["members"],
                exports.Yuan(row["total"]),
            ]
            for row in rows
        ]
        return exports.xlsx_response(str(_("Dues")), [str(h) for h in headers], table, "party-dues")

    @admin.display(description=_("amount (yuan)"), ordering="amount_fen")
    def amount_yuan(self, payment):
        return dues.yuan(payment.amount_fen)


@admin.register(OrganizationManager)
class OrganizationManagerAdmin(SuperuserDeletesMixin, HistoryAdmin):
    list_display = ["user", "organization"]
    list_select_related = ["user", "organization"]
    search_fields = ["user__username", "user__email", "organization__name"]
    autocomplete_fields = ["user", "organization"]


@admin.register(ReminderLog)
class ReminderLogAdmin(SuperuserDeletesMixin, admin.ModelAdmin):
    list_display = ["sent_on", "kind", "user", "sent_at"]
    list_filter = ["kind"]
    list_select_related = ["user"]
    date_hierarchy = "sent_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- 民主评议党员 and 书记述职评议 / 星级评定 -------------------------------------------------
# The policy is edited here by the committee's administrators. Results and scores are recorded
# on the appraisal pages (/party/appraisals/), which judge a branch's results together (the cap
# on 优秀) and derive the stars; here they are read, with their history.


@admin.register(AppraisalCap)
class AppraisalCapAdmin(SuperuserDeletesMixin, HistoryAdmin):
    list_display = ["from_year", "numerator", "denominator"]


@admin.register(AssessmentItem)
class AssessmentItemAdmin(SuperuserDeletesMixin, HistoryAdmin):
    list_display = ["name", "max_score", "order", "from_year", "until_year"]
    list_editable = ["order"]
    search_fields = ["name"]


@admin.register(StarThreshold)
class StarThresholdAdmin(SuperuserDeletesMixin, HistoryAdmin):
    list_display = ["stars", "min_percent"]


class RecordedOnTheirPageMixin:
    """Read here, recorded on the appraisal pages."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MemberAppraisal)
class MemberAppraisalAdmin(RecordedOnTheirPageMixin, StampedAdminMixin, ScopedAdmin):
    list_display = ["year", "branch", "member", "result", "note"]
    list_filter = ["year", ScopedBranchFilter, "result"]
    list_select_related = ["branch", "member__person"]
    search_fields = ["member__person__name", "branch__name"]

    def scope(self, queryset, user):
        return queryset.filter(branch__in=access.organizations_for(user))

    def owner(self, obj):
        return obj.branch if obj.branch_id else None


class AssessmentScoreInline(RecordedOnTheirPageMixin, ScopedInlineMixin, admin.TabularInline):
    model = AssessmentScore
    extra = 0
    fields = ["item", "score"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item")


@admin.register(BranchAssessment)
class BranchAssessmentAdmin(RecordedOnTheirPageMixin, StampedAdminMixin, ScopedAdmin):
    list_display = ["year", "branch", "total", "max_total", "stars"]
    list_filter = ["year", ScopedBranchFilter, "stars"]
    list_select_related = ["branch"]
    search_fields = ["branch__name"]
    inlines = [AssessmentScoreInline]

    def scope(self, queryset, user):
        return queryset.filter(branch__in=access.organizations_for(user))

    def owner(self, obj):
        return obj.branch if obj.branch_id else None


# --- 组织关系转接 (transfers) ------------------------------------------------------------------
# The transfers themselves are handled on their own pages (/party/transfers/); the admin
# keeps the one rule the committee edits: how long a letter stays valid.


@admin.register(TransferPolicy)
class TransferPolicyAdmin(SuperuserDeletesMixin, HistoryAdmin):
    list_display = ["__str__", "letter_valid_days"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not TransferPolicy.objects.exists()


# 党员发展 and 换届选举 keep their admin in modules of their own.
from party_building import admin_terms, development_admin  # noqa: E402, F401
