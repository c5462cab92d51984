"""Admin lists that stay fast on tables of a hundred thousand rows.

A model admin that lists a large table takes `LargeListMixin`:

- no second count of the whole table (`show_full_result_count = False`);
- the list's count cached per content generation and deep pages found by seeking
  (core.pagination.FastPaginator), so page 900 costs about what page 1 costs;
- the rows of the list loaded without their long text columns (an article's body, its
  summary): the list shows none of them, and they are most of the table's bytes. The change
  form and the actions load whole rows as before;
- the date drill-down's years (`date_hierarchy`) read once per content generation, not by
  scanning every row on every visit;
- each row's selection checkbox written out (`WrittenCheckboxMixin`, which every history
  admin has too).

Filters should be on indexed columns and have choices that need no scan (a status's fixed
choices, a small table's rows).
"""

import hashlib

from django.contrib.admin import helpers
from django.contrib.admin.views.main import ChangeList
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core import pagecache
from core.pagination import FastPaginator


def long_text_fields(model) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.get_internal_type() == "TextField" and not field.primary_key
    ]


class YearsOnce:
    """Stands for the list's queryset in the date drill-down: its years are cached, per
    content generation and per list (its filters and search)."""

    def __init__(self, queryset):
        self.queryset = queryset

    def _years(self, method, field_name, kind, *args, **kwargs):
        found = getattr(self.queryset, method)(field_name, kind, *args, **kwargs)
        if kind != "year":
            return found
        try:
            sql, params = found.query.sql_with_params()
        except EmptyResultSet:
            return []
        digest = hashlib.sha256(f"{sql}|{params!r}".encode()).hexdigest()
        key = f"adminlist:years:{pagecache.generation()}:{digest}"
        years = cache.get(key)
        if years is None:
            years = list(found)
            cache.set(key, years, 600)
        return years

    def dates(self, field_name, kind, *args, **kwargs):
        return self._years("dates", field_name, kind, *args, **kwargs)

    def datetimes(self, field_name, kind, *args, **kwargs):
        return self._years("datetimes", field_name, kind, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.queryset, name)


class LargeChangeList(ChangeList):
    def get_results(self, request):
        heavy = long_text_fields(self.model)
        if heavy:
            self.queryset = self.queryset.defer(*heavy)
        super().get_results(request)
        if self.date_hierarchy:
            self.queryset = YearsOnce(self.queryset)


class WrittenCheckboxMixin:
    """Each row's selection checkbox written out, the markup of Django's
    ``ModelAdmin.action_checkbox``: Django renders it through three form templates, which
    cost as much as the rest of a row (a list of fifty articles: 13 of 37 ms)."""

    def action_checkbox(self, obj):
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )


class LargeListMixin(WrittenCheckboxMixin):
    # Fifty rows a page: rendering the rows is most of a list's time, and fifty fill a screen.
    list_per_page = 50
    show_full_result_count = False
    paginator = FastPaginator

    def get_changelist(self, request, **kwargs):
        return LargeChangeList
