"""The search page: one search over articles, speeches and events, with the list filters.

The search itself is `news.search_walk.Search`, read only as far as the page shown needs.
"""

from dataclasses import dataclass

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django_filters.views import FilterView

from core.pagecache import cache_public_page
from core.pagination import PAGE_SIZE
from core.text import html_to_text
from news import search_walk
from news.filters import SearchFilter
from news.models import Article, Event, SearchEntry, Speech
from news.segmentation import highlight, matches, parse_query

TEXT_FIELDS = {"article": "body", "speech": "text", "event": "description"}
# A snippet is cut from this much text around the first place a term's start occurs.
SNIPPET_SOURCE = 400


@dataclass(frozen=True)
class SearchResult:
    entry: SearchEntry
    item: object
    title: list
    snippet: list


class SearchPaginator(Paginator):
    """Pages of a `Search`: reads the matches only as far as the page asked for."""

    def __init__(self, search: search_walk.Search, per_page: int, **kwargs):
        super().__init__([], per_page, **kwargs)
        self.search = search

    @property
    def count(self) -> int:
        """The results that can be listed: every match, up to the limit (estimated if so)."""
        return min(self.search.estimate, search_walk.LIMIT)

    def page(self, number):
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if wanted < 1:
            raise EmptyPage("That page number is less than 1")
        stop = min(wanted * self.per_page, search_walk.LIMIT)
        ids = self.search.ids(stop + 1)  # one more: is there a next page?
        number = self.validate_number(wanted)
        start = (number - 1) * self.per_page
        return Page(self.search.entries_of(ids[start:stop]), number, self)


@cache_public_page
class SearchView(FilterView):
    """One search over articles, speeches and events, with the list filters beside it."""

    filterset_class = SearchFilter
    paginate_by = PAGE_SIZE
    template_name = "news/search.html"

    def get_queryset(self):
        # The publication rule is asked of the matches only (news.search_walk).
        return SearchEntry.objects.all()

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kw):
        query = parse_query(self.request.GET.get("q", "")[:200])
        if queryset.query.is_empty():
            query = parse_query("")
        form = self.filterset.form
        order = (form.cleaned_data.get("order") if form.is_valid() else None) or "relevance"
        self.search = search_walk.Search(queryset, query, order)
        return SearchPaginator(self.search, per_page, allow_empty_first_page=True)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        search = self.search
        context["query"] = search.query
        context["search_limit"] = search_walk.LIMIT
        exact = search.total
        if exact is None and self.request.GET.get("count") == "exact":
            exact = search.exact_count()
        context["search_count"] = search.estimate if exact is None else exact
        context["count_is_exact"] = exact is not None
        context["results"] = search_results(context["page_obj"].object_list, search.query)
        return context


def search_results(entries, query) -> list[SearchResult]:
    """The items behind a page of entries, with highlighted titles and snippets: 3–4 queries.

    Loaded through the publication rule again, so the page never shows what it no longer
    allows. An article's snippet comes from its stored lead when a term is in it; only the
    others read their bodies (one more query).
    """
    entries = list(entries)
    ids = {kind: [e.object_id for e in entries if e.kind == kind] for kind in SearchEntry.Kind}
    items = {
        SearchEntry.Kind.ARTICLE: Article.objects.published()
        .summaries()
        .in_bulk(ids[SearchEntry.Kind.ARTICLE]),
        SearchEntry.Kind.SPEECH: Speech.objects.public()
        .select_related("speaker", "event")
        .in_bulk(ids[SearchEntry.Kind.SPEECH]),
        SearchEntry.Kind.EVENT: Event.objects.public().in_bulk(ids[SearchEntry.Kind.EVENT]),
    }
    texts: dict[tuple[str, int], str] = {}
    for pk, article in items[SearchEntry.Kind.ARTICLE].items():
        if article.lead_text and matches(article.lead_text, query):
            texts[SearchEntry.Kind.ARTICLE, pk] = article.lead_text
    need_body = [pk for pk in items[SearchEntry.Kind.ARTICLE] if ("article", pk) not in texts]
    if need_body:
        for pk, body in Article.objects.filter(pk__in=need_body).values_list("pk", "body"):
            texts[SearchEntry.Kind.ARTICLE, pk] = html_to_text(body)
    results = []
    for entry in entries:
        item = items[entry.kind].get(entry.object_id)
        if item is None:
            continue
        text = texts.get((entry.kind, entry.object_id))
        if text is None:
            text = html_to_text(getattr(item, TEXT_FIELDS[entry.kind]))
        results.append(
            SearchResult(
                entry=entry,
                item=item,
                title=highlight(entry.title, query, width=200),
                snippet=highlight(near_first_match(text, query), query, width=120) if text else [],
            )
        )
    return results


def near_first_match(text: str, query) -> str:
    """``text``, or a stretch of it around the first place a term may start, for a snippet.

    Highlighting folds the whole text it is given; a body of thousands of characters is cut
    to the stretch that holds the first occurrence of a term's first piece (found as typed,
    ignoring case). If none is found so (full-width letters, accents), the whole text.
    """
    if len(text) <= SNIPPET_SOURCE:
        return text
    lowered = text.lower()
    found = [lowered.find(term.pieces[0]) for term in query.terms]
    found = [offset for offset in found if offset >= 0]
    if not found:
        return text
    # Highlighting marks the cut ends itself ("…"): the match is well inside the stretch.
    start = max(0, min(found) - SNIPPET_SOURCE // 4)
    return text[start : start + SNIPPET_SOURCE]
