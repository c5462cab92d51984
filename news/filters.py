import datetime

import django_filters
from django import forms
from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import pagecache
from news.models import Article, Column, Event, SearchEntry, Source, Speech


class DateInput(forms.DateInput):
    """A date picker that shows an unparseable submitted value as empty, not as invalid HTML."""

    input_type = "date"

    def format_value(self, value):
        if isinstance(value, str):
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                return None
            return value
        return super().format_value(value)


# Dates outside these years cannot be articles' and would overflow in time-zone arithmetic.
FIRST_YEAR, LAST_YEAR = 1900, 2999


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight of `day` in the site's time zone: date filters compare whole local days."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# The menus are read again at the next change of content, or after this long at most.
CHOICES_SECONDS = 60 * 60


def cached_choices(name: str, rows) -> list[tuple[str, str]]:
    """The (value, label) pairs of a filter's menu, read once per content generation.

    `rows` is a queryset of (value, label) pairs; any change to the content (a column or a
    source added or renamed) starts a new generation, and so a fresh read.
    """
    key = f"filter-choices:{name}:{pagecache.generation()}"
    choices = cache.get(key)
    if choices is None:
        choices = [(str(value), str(label)) for value, label in rows]
        cache.set(key, choices, CHOICES_SECONDS)
    return choices


def column_choices():
    return cached_choices("column", Column.objects.values_list("slug", "name"))


def source_choices():
    return cached_choices("source", Source.objects.values_list("pk", "name"))


class ArticleFilter(django_filters.FilterSet):
    # Menus from the cache (no query per page); a column is named by its slug in the URL.
    column = django_filters.ChoiceFilter(
        label=_("Column"), field_name="column__slug", choices=column_choices
    )
    source = django_filters.ChoiceFilter(
        label=_("Source"), field_name="source_id", choices=source_choices
    )
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
        label=_("From"), method="filter_date_from", widget=DateInput
    )
    date_to = django_filters.DateFilter(label=_("To"), method="filter_date_to", widget=DateInput)

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


class EventFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(label=_("Name"), lookup_expr="icontains", max_length=50)
    year = django_filters.NumberFilter(
        label=_("Year held"), field_name="start_date", lookup_expr="year", min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
    )  # fmt: skip
    place = django_filters.CharFilter(label=_("Place"), lookup_expr="icontains", max_length=50)

    class Meta:
        model = Event
        fields = ["name", "year", "place"]


class SpeechFilter(django_filters.FilterSet):
    speaker = django_filters.CharFilter(
        label=_("Speaker"), field_name="speaker__name", max_length=50
    )
    # Reached from an event's page; a list of every event would be too long for a menu.
    event = django_filters.NumberFilter(
        label=_("Event"),
        field_name="event_id",
        widget=forms.HiddenInput,
        min_value=1,
        max_value=2**63 - 1,
    )
    year = django_filters.NumberFilter(
        label=_("Year"), method="filter_year", min_value=FIRST_YEAR, max_value=LAST_YEAR
    )

    class Meta:
        model = Speech
        fields = ["speaker", "event", "year"]

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(
            Q(date__year=year) | Q(date__isnull=True, event__start_date__year=year)
        )


class SearchFilter(django_filters.FilterSet):
    """The search page's form: the words, the kind of item, and the list filters beside them."""

    q = django_filters.CharFilter(label=_("Search for"), method="filter_query", max_length=200)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=SearchEntry.Kind.choices)
    column = django_filters.ModelChoiceFilter(
        label=_("Column"), queryset=Column.objects.all(), to_field_name="slug"
    )
    source = django_filters.ModelChoiceFilter(label=_("Source"), queryset=Source.objects.all())
    date_from = django_filters.DateFilter(
        label=_("From"), method="filter_date_from", widget=DateInput
    )
    date_to = django_filters.DateFilter(label=_("To"), method="filter_date_to", widget=DateInput)
    order = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=[("relevance", _("Most relevant first")), ("date", _("Newest first"))],
        method="keep",
        empty_label=None,
    )

    class Meta:
        model = SearchEntry
        fields = ["q", "kind", "column", "source"]

    def filter_query(self, queryset, name, value):
        # The search page reads the words and the order itself (news.search_walk.Search):
        # a search is read only as far as the page shown, which a queryset cannot say.
        return queryset

    def keep(self, queryset, name, value):
        return queryset  # read by the search page

    def filter_date_from(self, queryset, name, value):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            return queryset.none()
        return queryset.filter(date__gte=start_of_day(value))

    def filter_date_to(self, queryset, name, value):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            return queryset.none()
        return queryset.filter(date__lt=start_of_day(value + datetime.timedelta(days=1)))
