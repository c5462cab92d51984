"""The admin of 党员发展: the records of a secretary's branches, the rules for administrators.

A record moves forward one stage at a time, each stage with its day and records
(``development_rules.findings``). The rules are judged when the record and its mentors and
introducers are saved together (``SponsorFormSet.clean``). A committee administrator may
save anyway by giving the reason, which the record's history keeps.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin, SuperuserDeletesMixin
from party_building import access, development
from party_building import development_rules as rules
from party_building.admin import ScopedAdmin, ScopedBranchFilter, ScopedInlineMixin
from party_building.models import (
    DevelopmentRecord,
    DevelopmentRule,
    DevelopmentSponsor,
    PartyMember,
)


class DevelopmentRecordForm(forms.ModelForm):
    override_reason = forms.CharField(
        label=_("Reason for going back or skipping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Committee administrators only: saving a record against the order of the stages "
            "needs the reason, which the history keeps."
        ),
    )

    user = None  # set by the admin for the request
    judged_by_inline = False  # whether the sponsors' formset judges the record

    class Meta:
        model = DevelopmentRecord
        fields = [
            "person",
            "branch",
            "stage",
            *rules.DATED_STEPS,
            "talk_by",
            "admission_vote",
            "confirmation_vote",
            "notes",
        ]

    def clean(self):
        cleaned = super().clean()
        # The instance still holds the stage as it was saved; the sponsors' formset, which
        # judges the record as a whole, reads it from here.
        self.instance.previous_stage = self.instance.stage if self.instance.pk else None
        self.instance.override_reason = (cleaned.get("override_reason") or "").strip()
        self.instance.may_override = self.user is not None and access.sees_everything(self.user)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        if not self.judged_by_inline and not self.errors:
            # No sponsors' inline on the page (no permission on it): judge the record here,
            # with the mentors and introducers already saved.
            try:
                judge(self.instance, None, None)
            except forms.ValidationError as error:
                self.add_error(None, error)


class SponsorFormSet(forms.BaseInlineFormSet):
    """Judges the record with the mentors and introducers as they will be saved."""

    def clean(self):
        super().clean()
        record = self.instance
        if any(form.errors for form in self.forms) or not hasattr(record, "previous_stage"):
            return
        roles = [
            form.cleaned_data.get("role")
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("member")
        ]
        judge(
            record,
            roles.count(DevelopmentSponsor.Role.MENTOR),
            roles.count(DevelopmentSponsor.Role.INTRODUCER),
        )


def judge(record, mentors, introducers):
    """Raise the rules' objections to saving ``record``, unless a committee administrator
    gave the reason, which then goes with this save into the history. Sponsors are counted
    from the database when not given."""
    if mentors is None:
        counted = record.as_rule_record()
        mentors, introducers = counted.mentors, counted.introducers
    problems = development.check(record, record.previous_stage, mentors, introducers)
    if record.override_reason and (record.may_override or not problems):
        # simple-history stores it with this save of the record.
        record._change_reason = record.override_reason
    if not problems or (record.may_override and record.override_reason):
        return
    if record.may_override:
        problems.append(str(_("To save anyway, give the reason below.")))
    raise forms.ValidationError(problems)


class SponsorInline(ScopedInlineMixin, admin.TabularInline):
    model = DevelopmentSponsor
    formset = SponsorFormSet
    extra = 0
    fields = ["role", "member"]
    verbose_name = _("mentor or introducer")
    verbose_name_plural = _(
        "mentors (培养联系人) and introducers (入党介绍人): two of each, full members"
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member__person")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "member":
            field.queryset = field.queryset.filter(status=PartyMember.Status.FULL)
        return field


@admin.register(DevelopmentRecord)
class DevelopmentRecordAdmin(ScopedAdmin):
    form = DevelopmentRecordForm
    list_display = ["person", "branch", "stage", "applied_on", "next_deadline"]
    list_filter = [ScopedBranchFilter, "stage"]
    list_select_related = ["person", "branch"]
    search_fields = ["person__name", "branch__name"]
    autocomplete_fields = ["person"]
    date_hierarchy = "applied_on"
    inlines = [SponsorInline]
    fieldsets = [
        (None, {"fields": ["person", "branch", "stage"]}),
        (_("Applicant (入党申请人)"), {"fields": ["applied_on", "talk_on", "talk_by"]}),
        (_("Activist (入党积极分子)"), {"fields": ["activist_on"]}),
        (
            _("Candidate (发展对象)"),
            {"fields": ["candidate_on", "vetted_on", "publicized_from", "publicized_to"]},
        ),
        (_("Probationary member (预备党员)"), {"fields": ["admitted_on", "admission_vote"]}),
        (_("Confirmation (转正)"), {"fields": ["confirmed_on", "confirmation_vote"]}),
        (None, {"fields": ["notes"]}),
    ]
    override_fieldset = (_("Committee administrators"), {"fields": ["override_reason"]})

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if access.sees_everything(request.user):
            fieldsets.append(self.override_fieldset)
        return fieldsets

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.user = request.user
        form.judged_by_inline = any(
            isinstance(inline, SponsorInline) for inline in self.get_inline_instances(request, obj)
        )
        if not access.sees_everything(request.user):
            form.base_fields.pop("override_reason", None)  # a class made for this request
        return form

    def scope(self, queryset, user):
        return queryset.filter(branch__in=access.organizations_for(user))

    def owner(self, obj):
        return obj.branch if obj.branch_id else None

    def get_changelist_instance(self, request):
        # The rules are read once for the page's "next deadline" column.
        self.rule_set = DevelopmentRule.current()
        return super().get_changelist_instance(request)

    @admin.display(description=_("next deadline"))
    def next_deadline(self, record):
        rule_set = getattr(self, "rule_set", None) or DevelopmentRule.current()
        deadlines = rules.open_deadlines(record.as_rule_record(0, 0), rule_set)
        if not deadlines:
            return "—"
        deadline = deadlines[0]
        return f"{development.STEP_LABELS[deadline.step]} {deadline.due:%Y-%m-%d}"


@admin.register(DevelopmentRule)
class DevelopmentRuleAdmin(SuperuserDeletesMixin, HistoryAdmin):
    list_display = ["key", "amount", "unit", "remind_before_days"]
    list_editable = ["amount", "unit", "remind_before_days"]
    list_display_links = ["key"]

    def has_add_permission(self, request):
        return False  # one row per rule, seeded
