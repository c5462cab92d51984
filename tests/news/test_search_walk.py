"""A search read newest first only as far as the page needs (news.search_walk).

The walk is made short here (a few entries) so that small data take every path a common
and a rare word take on 100,000 articles: the page filled by the walk (count estimated),
the rest read from the full-text index (count exact), a deep page, filters and both orders.
"""

import datetime
import random

import pytest
from django.utils import timezone

from core.text import html_to_text
from news import search_walk
from news.models import Article, Column, Event
from news.search_views import SearchView
from news.segmentation import matches, parse_query
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def short_walk(monkeypatch):
    monkeypatch.setattr(search_walk, "WALK", 4)
    monkeypatch.setattr(search_walk, "PROBE", 2)
    monkeypatch.setattr(search_walk, "RANKED", 3)
    monkeypatch.setattr(SearchView, "paginate_by", 3)


def article(title, days_ago, body="<p>会议召开。</p>", **fields):
    return ArticleFactory(
        title=title, body=body, published_at=NOW - datetime.timedelta(days=days_ago), **fields
    )


def pages(client, **params):
    """Every result of a search, page after page, and the first page's response."""
    first = client.get("/search/", params)
    items, number = [], 1
    while True:
        response = first if number == 1 else client.get("/search/", {**params, "page": number})
        assert response.status_code == 200
        items += [result.item for result in response.context["results"]]
        if not response.context["page_obj"].has_next():
            return items, first
        number += 1


def test_a_word_too_rare_for_the_walk_is_read_from_the_index_and_counted(client, short_walk):
    rare = [article(f"井冈山会议{n}", days_ago=10 + n) for n in range(5)]
    for n in range(6):  # newer entries without the word fill the walk
        article(f"理事会{n}", days_ago=n)
    items, response = pages(client, q="井冈山", order="date")
    assert items == rare
    assert response.context["count_is_exact"]
    assert "共 5 条结果" in response.content.decode()


def test_a_common_word_fills_the_page_in_the_walk_and_its_count_is_about(client, short_walk):
    for n in range(8):
        article(f"律师协会通知{n}", days_ago=n)
    article("理事会", days_ago=20)
    response = client.get("/search/", {"q": "律师", "order": "date"})
    page = response.content.decode()
    assert not response.context["count_is_exact"]
    assert "约 9 条结果" in page  # 4 matches of the 4 entries read, of 9 entries in all
    assert "count=exact" in page
    exact = client.get("/search/", {"q": "律师", "order": "date", "count": "exact"})
    assert exact.context["count_is_exact"]
    assert "共 8 条结果" in exact.content.decode()


@pytest.mark.parametrize("order", ["date", "relevance"])
def test_every_match_is_listed_once_in_either_order(client, short_walk, order):
    """Recall: the pages together are exactly the articles whose text holds the words."""
    rng = random.Random(3)
    words = ["律师", "协会", "井冈山", "党建"]
    made = []
    for n in range(24):
        chosen = [w for w in words if rng.random() < 0.4]
        made.append(
            article(f"第{n}次{''.join(chosen[:1])}会议", days_ago=rng.randint(0, 400),
                    body=f"<p>{'，'.join(chosen) or '无'}。</p>")
        )  # fmt: skip
    for q in ["律师", "井冈山", "律师 党建", "会议"]:
        query = parse_query(q)
        truth = {
            a
            for a in made
            if matches("\n".join([a.title, a.subtitle, a.author, html_to_text(a.body)]), query)
        }
        items, _ = pages(client, q=q, order=order)
        assert len(items) == len(set(items)), q
        assert set(items) == truth, q
        if order == "date":
            assert items == sorted(items, key=lambda a: a.published_at, reverse=True), q


def test_relevance_ranks_the_newest_matches_and_lists_older_ones_after(client, short_walk):
    # The three newest matches are ranked (whole word in the title first); older follow.
    substring = article("加强和服务管理", days_ago=1)
    other = article("会议", days_ago=2, body="<p>加强和服务。</p>")
    word = article("和服展览", days_ago=3)
    older = article("和服的历史", days_ago=30)
    items, _ = pages(client, q="和服")
    assert items[0] == word
    assert set(items[:3]) == {word, substring, other}
    assert items[3] == older


def test_filters_apply_to_the_walk_and_to_the_index(client, short_walk):
    notices = Column.objects.get(slug="notices")
    inside = [article(f"井冈山座谈{n}", days_ago=100 + n) for n in range(4)]
    notice = article("井冈山通知", days_ago=200, column=notices)
    for n in range(6):
        article(f"井冈山新闻{n}", days_ago=n)
    day_from = (NOW - datetime.timedelta(days=110)).date().isoformat()
    day_to = (NOW - datetime.timedelta(days=90)).date().isoformat()
    items, response = pages(client, q="井冈山", order="date", date_from=day_from, date_to=day_to)
    assert items == inside
    assert response.context["search_count"] == 4  # estimated: 4 matches in 4 entries read
    items, _ = pages(client, q="井冈山", column="notices")
    assert items == [notice]


def test_an_upcoming_event_named_by_a_published_report_comes_first(client, short_walk):
    report = article("井冈山座谈会预告", days_ago=1)
    event = Event.objects.create(
        name="井冈山座谈会", start_date=(NOW + datetime.timedelta(days=9)).date()
    )
    report.events.add(event)
    ArticleFactory(title="明天的井冈山", published_at=NOW + datetime.timedelta(days=1))
    items, _ = pages(client, q="井冈山", order="date")
    assert items == [event, report]


def test_drafts_among_the_newest_do_not_hide_older_matches(client, short_walk):
    for n in range(6):
        article(f"井冈山草稿{n}", days_ago=n, status=Article.Status.DRAFT)
    published = [article(f"井冈山会议{n}", days_ago=10 + n) for n in range(4)]
    items, response = pages(client, q="井冈山", order="date")
    assert items == published
    assert "共 4 条结果" in response.content.decode()


@pytest.mark.page_cache  # counts are kept as long as pages are
def test_the_exact_count_is_counted_once_until_the_content_changes(client, short_walk, monkeypatch):
    for n in range(8):
        article(f"律师协会通知{n}", days_ago=n)
    calls = []
    counting = search_walk._count_by_index
    monkeypatch.setattr(search_walk, "_count_by_index", lambda q: calls.append(1) or counting(q))
    params = {"q": "律师", "order": "date", "count": "exact"}
    assert client.get("/search/", params).context["search_count"] == 8
    # Another address (not the same cached page) for the same words: the count is reused.
    assert client.get("/search/", {**params, "page": 1}).context["search_count"] == 8
    assert len(calls) == 1
    article("律师新闻", days_ago=0)  # a save starts a new content generation
    assert client.get("/search/", params).context["search_count"] == 9
    assert len(calls) == 2
