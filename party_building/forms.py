import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from party_building import access, compliance
from party_building.models import (
    KIND_CHOICES,
    UNIT_CHOICES,
    PartyMember,
    PartyOrganization,
    Requirement,
)

# Periods shown when the user names none: a year by month or quarter, three years by year.
DEFAULT_PERIODS = {"month": 12, "quarter": 4, "year": 3}
MAX_PERIODS = 60
DEFAULT_UNIT = "quarter"
FIRST_YEAR, LAST_YEAR = 1990, 2100


def default_window(unit: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The current period of ``unit`` and the ones before it, DEFAULT_PERIODS in all."""
    last = compliance.period_containing(unit, today)
    first = last
    for _step in range(DEFAULT_PERIODS[unit] - 1):
        first = first.previous()
    return first.start, last.end


class BoardForm(forms.Form):
    """The board's choices, read from the query string; bad values fall back to defaults."""

    # The unit shown when none is asked for, so that 显示 keeps the board as it is.
    unit = forms.ChoiceField(
        label=_("By"), choices=UNIT_CHOICES, required=False, initial=DEFAULT_UNIT
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    parent = forms.ModelChoiceField(
        label=_("Under"),
        queryset=PartyOrganization.objects.none(),
        required=False,
        empty_label=_("All organisations"),
    )
    kind = forms.ChoiceField(label=_("Kind of activity"), required=False)

    def __init__(self, data, *, user, today, **kwargs):
        kwargs.setdefault("label_suffix", "")  # the labels stand above their fields
        super().__init__(data, **kwargs)
        self.today = today
        self.fields["parent"].queryset = access.organizations_for(user).exclude(
            kind=PartyOrganization.Kind.BRANCH
        )
        required_kinds = set(Requirement.objects.values_list("kind", flat=True))
        self.fields["kind"].choices = [("", _("All required kinds"))] + [
            (kind, label) for kind, label in KIND_CHOICES if kind in required_kinds
        ]

    def clean(self):
        data = super().clean()
        unit = data.get("unit") or DEFAULT_UNIT
        start, end = data.get("start"), data.get("end")
        default_start, default_end = default_window(unit, self.today)
        start, end = start or default_start, end or default_end
        if not (FIRST_YEAR <= start.year <= LAST_YEAR and FIRST_YEAR <= end.year <= LAST_YEAR):
            raise forms.ValidationError(
                _("Choose dates from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR}
            )
        if start > end:
            raise forms.ValidationError(_("The first day must come before the last."))
        if len(compliance.periods_between(unit, start, end)) > MAX_PERIODS:
            raise forms.ValidationError(
                _("Choose at most %(count)s periods; try a larger unit.") % {"count": MAX_PERIODS}
            )
        data.update(unit=unit, start=start, end=end)
        return data

    def choices(self):
        """(unit, start, end, parent, kinds) from valid data, or the defaults."""
        if self.is_valid():
            data = self.cleaned_data
            kinds = [data["kind"]] if data.get("kind") else None
            return data["unit"], data["start"], data["end"], data.get("parent"), kinds
        start, end = default_window(DEFAULT_UNIT, self.today)
        return DEFAULT_UNIT, start, end, None, None


class PartyMemberForm(forms.ModelForm):
    """A person is added as a member only if they are no member yet; a secretary is not told
    why not, since that would tell them the person belongs to another branch."""

    user = None  # set per request by PartyMemberAdmin.get_form

    class Meta:
        model = PartyMember
        fields = ["person", "status", "joined_party"]

    def clean_person(self):
        person = self.cleaned_data["person"]
        if person is None or self.user is None or access.sees_everything(self.user):
            return person  # the committee sees every member: the usual message is no secret
        if PartyMember.objects.filter(person=person).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _(
                    "This person cannot be added here. If they should join your branch, "
                    "ask the party committee."
                ),
                code="not_addable",
            )
        return person
