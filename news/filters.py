import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from news.models import Article, Column, Source

# Dates outside these years cannot be articles' and would overflow in time-zone arithmetic.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the site's time zone: date filters compare whole local days."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class ArticleFilter(django_filters.FilterSet):
    column = django_filters.ModelChoiceFilter(
        label=_("Column"), queryset=Column.objects.all(), to_field_name="slug"
    )
    source = django_filters.ModelChoiceFilter(label=_("Source"), queryset=Source.objects.all())
    year = django_filters.NumberFilter(
        label=_("Year"),
        method="filter_year",
        widget=forms.NumberInput(attrs={"min": 1990, "max": 2100}),
    )
    month = django_filters.ChoiceFilter(
        label=_("Month"),
        method="filter_month",
        choices=[(month, f"{month}") for month in range(1, 13)],
    )
    date_from = django_filters.DateFilter(
        label=_("From"), method="filter_date_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("To"), method="filter_date_to", widget=forms.DateInput(attrs={"type": "date"})
    )

    class Meta:
        model = Article
        fields = ["column", "source"]

    def filter_year(self, queryset, name, value):
        year = int(value)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            return queryset.none()
        month = self.form.cleaned_data.get("month")
        if month:
            first = datetime.date(year, int(month), 1)
            last = (first + datetime.timedelta(days=31)).replace(day=1)
        else:
            first, last = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
        return queryset.filter(
            published_at__gte=start_of_day(first), published_at__lt=start_of_day(last)
        )

    def filter_month(self, queryset, name, value):
        # A month only narrows a year; filter_year reads it.
        return queryset

    def filter_date_from(self, queryset, name, value):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            return queryset.none()
        return queryset.filter(published_at__gte=start_of_day(value))

    def filter_date_to(self, queryset, name, value):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            return queryset.none()
        return queryset.filter(published_at__lt=start_of_day(value + datetime.timedelta(days=1)))
