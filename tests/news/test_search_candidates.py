"""The two ways a search finds its matches give the same results (news.search_walk).

A common word is found by the walk (the newest entries read in order); a word too rare for
the walk by the index's candidates (entries holding every gram of the words), checked in
order only as far as the page needs. Both must list exactly what a substring scan of the
published articles finds, newest first; the candidates that hold the grams but not the
phrase, and the drafts among them, are left out; and the count is exact, or said to be
about with the exact count a click away.
"""

import datetime
import random

import pytest
from django.db import connection, transaction
from django.utils import timezone

from core.text import html_to_text
from news import search_walk
from news.models import Article, SearchEntry
from news.search_views import SearchView
from news.segmentation import parse_query
from tests.news.factories import ArticleFactory
from tests.news.test_search_walk import pages

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def walk_only(monkeypatch):
    """The walk reads every entry: the index is never asked."""
    monkeypatch.setattr(search_walk, "WALK", 10_000)
    monkeypatch.setattr(search_walk, "PROBE", 10_000)


def index_after_two(monkeypatch):
    """The walk stops after two entries: the rest come from the index's candidates."""
    monkeypatch.setattr(search_walk, "WALK", 4)
    monkeypatch.setattr(search_walk, "PROBE", 2)


STRATEGIES = {"walk": walk_only, "index": index_after_two}


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(search_walk, "RANKED", 3)
    monkeypatch.setattr(SearchView, "paginate_by", 3)


def article(title, days_ago, body, **fields):
    return ArticleFactory(
        title=title,
        body=f"<p>{body}</p>",
        published_at=NOW - datetime.timedelta(days=days_ago),
        **fields,
    )


def substring_scan(word):
    """The published articles whose title or text holds ``word``, newest first."""
    found = [
        a for a in Article.objects.published() if word in a.title or word in html_to_text(a.body)
    ]
    return sorted(found, key=lambda a: (a.published_at, a.pk), reverse=True)


@pytest.fixture
def mixed():
    """Articles holding 井冈山, holding its grams apart (井冈…冈山), or 律师 only; drafts too."""
    rng = random.Random(5)
    bodies = ["井冈山精神座谈", "井冈地区与冈山市交流", "律师协会通知", "律师在井冈山学习"]
    for n in range(60):
        status = Article.Status.DRAFT if rng.random() < 0.2 else Article.Status.PUBLISHED
        article(f"第{n}期", days_ago=rng.randint(0, 500), body=rng.choice(bodies), status=status)


@pytest.mark.parametrize("word", ["井冈山", "律师"])
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_both_ways_list_what_a_substring_scan_finds_newest_first(
    client, monkeypatch, small_pages, mixed, strategy, word
):
    STRATEGIES[strategy](monkeypatch)
    truth = substring_scan(word)
    assert truth  # the data holds matches, and (for 井冈山) entries with its grams apart
    items, response = pages(client, q=word, order="date")
    assert items == truth
    count = response.context["search_count"]
    if response.context["count_is_exact"]:
        assert count == len(truth)
    exact = client.get("/search/", {"q": word, "order": "date", "count": "exact"})
    assert exact.context["count_is_exact"]
    assert exact.context["search_count"] == len(truth)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_both_ways_give_the_same_results_by_relevance(
    client, monkeypatch, small_pages, mixed, strategy
):
    STRATEGIES[strategy](monkeypatch)
    items, _ = pages(client, q="井冈山")
    assert len(items) == len(set(items))
    assert set(items) == set(substring_scan("井冈山"))


def test_few_candidates_are_all_checked_and_counted_exactly(
    client, monkeypatch, small_pages, mixed
):
    index_after_two(monkeypatch)
    response = client.get("/search/", {"q": "井冈山", "order": "date"})
    assert response.context["count_is_exact"]
    assert response.context["search_count"] == len(substring_scan("井冈山"))


def test_many_candidates_are_checked_as_far_as_the_page_needs(client, monkeypatch, small_pages):
    """Past ``CHECK_ALL`` candidates, one page checks only a few of them; the count is then
    about (from the share that matched), and every page is still right."""
    index_after_two(monkeypatch)
    monkeypatch.setattr(search_walk, "CHECK_ALL", 2)
    for n in range(40):
        article(f"学习{n}", days_ago=10 + n, body="井冈山精神" if n % 4 else "井冈与冈山")
    for n in range(6):  # newer entries without the words: the walk goes to the index
        article(f"理事会{n}", days_ago=n, body="会议")
    checked = []
    original = search_walk._public
    monkeypatch.setattr(search_walk, "_public", lambda rows: checked.extend(rows) or original(rows))
    response = client.get("/search/", {"q": "井冈山", "order": "date"})
    assert len(response.context["results"]) == 3
    assert 0 < len(checked) < 15  # of 30 matches: about a page's worth
    assert not response.context["count_is_exact"]
    assert 3 < response.context["search_count"] <= 40
    items, _ = pages(client, q="井冈山", order="date")
    assert items == substring_scan("井冈山")
    assert len(items) == 30


def test_candidates_read_in_batches_reach_the_oldest_match(client, monkeypatch, small_pages, mixed):
    index_after_two(monkeypatch)
    monkeypatch.setattr(search_walk, "CANDIDATES", 2)
    items, _ = pages(client, q="井冈山", order="date")
    assert items == substring_scan("井冈山")
    exact = client.get("/search/", {"q": "井冈山", "order": "date", "count": "exact"})
    assert exact.context["search_count"] == len(items)


@pytest.mark.parametrize("field", ["column", "source"])
def test_candidates_filtered_by_column_or_source_come_from_the_full_text_index(mixed, field):
    """Never by reading every entry of a column and testing the words on each one's vector.

    The vectors are stored aside, which the planner does not count: offered an index on
    the column, it takes it, and reads thousands of vectors where the index reads none.
    """
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plans")
    entries = SearchEntry.objects.filter(**{field: getattr(Article.objects.first(), field)})
    search = search_walk.Search(entries, parse_query("井冈山"), "date")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("ANALYZE news_searchentry")
        plan = search._candidate_filter(entries).order_by(*search_walk.NEWEST)[:5000].explain()
    assert "search_grams_gin" in plan
    assert f"{field}_id" not in plan.split("Filter:")[0]
