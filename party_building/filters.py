import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from party_building import access
from party_building.models import KIND_CHOICES, BranchActivity, PartyOrganization

FIRST_YEAR, LAST_YEAR = 1990, 2100


class LabelsAboveForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # the labels stand above their fields
        super().__init__(*args, **kwargs)


class ActivityFilter(django_filters.FilterSet):
    """The staff list of activities; the branches offered are those the user may see."""

    branch = django_filters.ModelChoiceFilter(
        label=_("Branch"), queryset=PartyOrganization.objects.none()
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=KIND_CHOICES)
    date_from = django_filters.DateFilter(
        label=_("From"),
        field_name="date",
        lookup_expr="gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("To"),
        field_name="date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    topic = django_filters.CharFilter(label=_("Topic"), lookup_expr="icontains", max_length=50)

    class Meta:
        model = BranchActivity
        fields = ["branch", "kind", "date_from", "date_to", "topic"]
        form = LabelsAboveForm

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["branch"].queryset = access.branches_for(user)

    def filter_queryset(self, queryset):
        for name in ("date_from", "date_to"):
            value = self.form.cleaned_data.get(name)
            if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
                return queryset.none()
        return super().filter_queryset(queryset)
