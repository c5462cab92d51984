import datetime
import html

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.http import QueryDict
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import pagination
from news.models import Article
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(monkeypatch):
    # Seek from a small offset here, so that a few dozen rows exercise it.
    monkeypatch.setattr(pagination, "SEEK_FROM_OFFSET", 5)
    when = timezone.now() - datetime.timedelta(days=1)
    # Equal publication times too: the id must break the tie, as the ordering says.
    for n in range(30):
        ArticleFactory(published_at=when - datetime.timedelta(hours=n // 3))
    return Article.objects.published()


def test_a_deep_page_holds_the_same_rows_as_plain_offset_paging(articles):
    fast, plain = pagination.FastPaginator(articles, 4), Paginator(articles, 4)
    for number in range(1, plain.num_pages + 1):
        assert list(fast.page(number)) == list(plain.page(number)), number


def test_a_deep_page_is_found_by_seeking_not_by_offset(articles):
    with CaptureQueriesContext(connection) as context:
        list(pagination.FastPaginator(articles, 4).page(3))
    page_query = context.captured_queries[-1]["sql"]
    assert "OFFSET" not in page_query.upper()


def test_a_page_in_the_second_half_is_read_backwards_from_the_end(articles):
    with CaptureQueriesContext(connection) as context:
        last = list(pagination.FastPaginator(articles, 4).page(8))
    assert last == list(articles)[28:]
    page_query = context.captured_queries[-1]["sql"].upper()
    assert "ASC" in page_query and "OFFSET" not in page_query  # the first rows backwards


@pytest.mark.page_cache  # the count is kept as long as a cached page
def test_the_count_is_counted_once_per_change(articles):
    assert pagination.FastPaginator(articles, 4).count == 30
    with CaptureQueriesContext(connection) as context:
        assert pagination.FastPaginator(Article.objects.published(), 4).count == 30
    assert not [q for q in context.captured_queries if "COUNT" in q["sql"].upper()]
    ArticleFactory()
    assert pagination.FastPaginator(Article.objects.published(), 4).count == 31


def test_different_filters_are_counted_apart(articles):
    assert pagination.FastPaginator(articles, 4).count == 30
    recent = articles.filter(published_at__gte=timezone.now() - datetime.timedelta(days=1, hours=3))
    assert pagination.FastPaginator(recent, 4).count == 9


@pytest.mark.parametrize(
    "query, number", [("", 1), ("?speeches_page=2", 2), ("?speeches_page=x", 1), ("?page=2", 1)]
)
def test_paginate_reads_the_page_number_from_its_own_parameter(rf, query, number):
    page = pagination.paginate(rf.get(f"/people/1/{query}"), list(range(45)), "speeches_page")
    assert page.number == number
    assert len(page) == pagination.PAGE_SIZE


def test_a_number_past_the_end_gives_the_last_page(rf):
    page = pagination.paginate(rf.get("/?page=99"), list(range(45)), per_page=20)
    assert page.number == 3
    assert list(page) == list(range(40, 45))


def test_the_page_links_keep_the_other_filters(rf):
    request = rf.get("/news/", {"source": "3", "page": "2", "q": "律师 协会"})
    template = Template("{% load paging %}{% page_url 3 %}|{% page_url 1 'events_page' %}")
    rendered = html.unescape(template.render(Context({"request": request})))
    first, second = rendered.split("|")
    assert QueryDict(first[1:]) == QueryDict("source=3&page=3&q=律师+协会")
    assert QueryDict(second[1:]) == QueryDict("source=3&page=2&q=律师+协会&events_page=1")
