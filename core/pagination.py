"""Paginators that keep list pages fast on large tables.

The count of a list is cached for the current content generation (core.pagecache), so
a list does not count its rows again until something changes. A deep page (page 2,000)
is found by seeking: the key of its first row is read from the index alone, then the page
is the next rows after that key, so it costs about what page 1 costs instead of reading
and discarding every row before it. A page in the second half is read from the end, in the
reverse order, so the last page costs what the first does.
"""

import datetime
import hashlib

from django.core.cache import cache
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import models
from django.utils.functional import cached_property

from core import pagecache

# Below this offset the database skips rows cheaply enough.
SEEK_FROM_OFFSET = 1000
PAGE_SIZE = 20


def paginate(request, items, parameter="page", per_page=PAGE_SIZE, *, public=False) -> Page:
    """One page of `items`, its number read from the query parameter `parameter`.

    For a page with several lists, each paged by its own parameter; a missing or bad
    number gives the first page, a number past the end the last. A `public` list (of what
    the page cache serves) keeps its count for the content generation, as the public
    lists do (FastPaginator).
    """
    paginator = FastPaginator if public else Paginator
    return paginator(items, per_page).get_page(request.GET.get(parameter))


class FastPaginator(Paginator):
    @cached_property
    def count(self):
        queryset = self.object_list
        if not isinstance(queryset, models.QuerySet):
            return super().count
        try:
            sql, params = queryset.query.sql_with_params()
        except Exception:  # an empty result set cannot be compiled to SQL
            return super().count
        digest = hashlib.sha256(f"{sql}|{_without_now(params)!r}".encode()).hexdigest()
        key = f"count:{pagecache.generation()}:{digest}"
        value = cache.get(key)
        if value is None:
            value = super().count
            # Counts change with the content (a new generation) or when a scheduled item
            # comes due; the cached count lasts no longer than that.
            timeout = min(pagecache.settings.PAGE_CACHE_SECONDS, pagecache.seconds_until_due())
            if timeout > 0:
                cache.set(key, value, timeout)
        return value

    def page(self, number):
        number = self.validate_number(number)
        offset = (number - 1) * self.per_page
        keys = self._seek_keys()
        if offset < SEEK_FROM_OFFSET or keys is None:
            return super().page(number)
        from_end = self.count - offset  # rows from this page's first to the last
        if 0 < from_end < offset:
            # Nearer the end: the rows before the last ones, read in the reverse order (the
            # last page of 100,000 rows is then as cheap as the first).
            rows = list(self.object_list.reverse()[max(0, from_end - self.per_page) : from_end])
            rows.reverse()
            return Page(rows, number, self)
        boundary = self.object_list.values_list(*(name for name, _ in keys))[offset : offset + 1]
        first = list(boundary)
        if not first:
            return super().page(number)
        rows = self.object_list.filter(_at_or_after(keys, first[0]))[: self.per_page]
        return Page(list(rows), number, self)

    def _seek_keys(self):
        """The ordering as (field, descending) pairs if every field is a plain column and the
        last one tells every row apart."""
        queryset = self.object_list
        if not isinstance(queryset, models.QuerySet) or not queryset.ordered:
            return None
        order = queryset.query.order_by or queryset.model._meta.ordering
        keys = []
        for item in order:
            if not isinstance(item, str) or "__" in item or "?" in item:
                return None
            name = item.lstrip("-")
            keys.append(("pk" if name == "id" else name, item.startswith("-")))
        if not keys:
            return None
        if keys[-1][0] == "pk":
            return keys
        # Or ending with a unique column that is never empty (a licence number): rows are
        # still in one order, with no ties.
        try:
            last = queryset.model._meta.get_field(keys[-1][0])
        except FieldDoesNotExist:
            return None
        return keys if last.unique and not last.null else None


def _without_now(params):
    """The query's parameters with "now" (the publication cutoff) left out of the key."""
    now = datetime.datetime.now(datetime.UTC)
    return tuple("now" if _is_now(p, now) else p for p in params)


def _is_now(value, now) -> bool:
    if isinstance(value, str):  # SQLite's adapter has made datetimes text already (UTC)
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return False
    if not isinstance(value, datetime.datetime):
        return False
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return abs((value - now).total_seconds()) < 5


def _at_or_after(keys, values):
    """Rows at or after `values` in the ordering `keys`: a lexicographic comparison.

    The first key's bound is also given on its own, so that the database reads the index
    from that point on instead of filtering every row before it.
    """
    name, descending = keys[0]
    bound = models.Q(**{f"{name}__{'lte' if descending else 'gte'}": values[0]})
    condition = models.Q()
    for index, (name, descending) in enumerate(keys):
        equal = {keys[i][0]: values[i] for i in range(index)}
        last = index == len(keys) - 1
        lookup = ("lte" if descending else "gte") if last else ("lt" if descending else "gt")
        condition |= models.Q(**equal, **{f"{name}__{lookup}": values[index]})
    return bound & condition
