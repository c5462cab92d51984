import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from news.models import Article, Column, Source
from tests.news.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "demo" / "articles" / "000_jinggangshan_speech.txt"


@pytest.fixture
def seed_article():
    call_command("import_articles", str(SEED), column="speeches", stdout=io.StringIO())
    return Article.objects.get()


def test_home_shows_the_seed_with_source_time_author_and_subtitles(client, seed_article):
    page = client.get("/").content.decode()
    assert seed_article.title in page
    detail = client.get(seed_article.get_absolute_url()).content.decode()
    assert "信息来源：本站原创" in detail
    assert "时间：<time" in detail and ">2014-05-13</time>" in detail
    assert "作者：市律协" in detail
    assert '<p class="subtitle">扎实开展律师行业创先争优活动</p>' in detail
    assert '<p class="subtitle">更好地为经济社会发展提供优质高效法律服务</p>' in detail
    assert "井冈山召开" in detail


def test_home_puts_pinned_articles_first(client):
    ArticleFactory(title="普通文章")
    ArticleFactory(
        title="置顶通知", is_pinned=True, published_at=timezone.now() - datetime.timedelta(days=30)
    )
    page = client.get("/").content.decode()
    assert page.index("置顶通知") < page.index("普通文章")


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.WITHDRAWN]
)
def test_unpublished_articles_answer_404_to_the_public(client, status):
    article = ArticleFactory(status=status)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_scheduled_articles_answer_404_until_their_time(client):
    article = ArticleFactory(published_at=timezone.now() + datetime.timedelta(days=1))
    assert client.get(article.get_absolute_url()).status_code == 404
    assert article.title not in client.get(reverse("news:article-list")).content.decode()


def test_staff_read_unpublished_articles_only_in_the_preview(client, editor):
    article = ArticleFactory(status=Article.Status.DRAFT, title="尚未发布的稿件")
    client.force_login(editor)
    assert client.get(article.get_absolute_url()).status_code == 404
    response = client.get(reverse("admin:news_article_preview", args=[article.pk]))
    assert "预览" in response.content.decode()


def test_a_wrong_date_in_the_address_answers_404(client):
    article = ArticleFactory(published_at=datetime.datetime(2014, 5, 13, 8, tzinfo=datetime.UTC))
    assert client.get(f"/news/2014/05/14/{article.pk}/").status_code == 404
    assert client.get(f"/news/2014/05/13/{article.pk}/").status_code == 200


def test_list_filters_by_source_and_keeps_the_filter_when_paging(client):
    source = SourceFactory(name="司法部网站")
    for _ in range(25):
        ArticleFactory(source=source)
    ArticleFactory(title="本站的文章")
    response = client.get(reverse("news:article-list"), {"source": source.pk})
    page = response.content.decode()
    assert response.context["paginator"].count == 25
    assert "本站的文章" not in page
    assert f"?source={source.pk}&amp;page=2" in page


def test_list_filters_by_column_year_month_and_date_range(client):
    when = datetime.datetime(2014, 5, 13, 9, tzinfo=timezone.get_current_timezone())
    notice = ArticleFactory(column=Column.objects.get(slug="notices"), published_at=when)
    ArticleFactory(published_at=when - datetime.timedelta(days=40))
    url = reverse("news:article-list")
    for params in (
        {"column": "notices"},
        {"year": 2014, "month": 5},
        {"date_from": "2014-05-13", "date_to": "2014-05-13"},
    ):
        assert list(client.get(url, params).context["page_obj"]) == [notice], params


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "99999999999999999999"},
        {"date_from": "2014-13-45"},
        {"date_to": "9999-12-31"},
        {"date_from": "0001-01-01"},
        {"column": "no-such-column"},
        {"source": "x"},
        {"month": "13"},
        {"page": "999"},
    ],
)
def test_malformed_filters_never_break_the_list(client, params):
    ArticleFactory()
    response = client.get(reverse("news:article-list"), params)
    # A page past the end is "not found"; every other bad filter shows the list.
    assert response.status_code == (404 if params == {"page": "999"} else 200)


def test_an_invalid_filter_shows_a_message(client):
    response = client.get(reverse("news:article-list"), {"date_from": "不是日期"})
    assert "筛选条件有误" in response.content.decode()


def test_year_and_month_archives_list_that_period(client):
    when = datetime.datetime(2014, 5, 13, 9, tzinfo=timezone.get_current_timezone())
    article = ArticleFactory(published_at=when)
    ArticleFactory(published_at=when.replace(year=2015))
    assert list(client.get("/archive/2014/").context["page_obj"]) == [article]
    assert list(client.get("/archive/2014/05/").context["page_obj"]) == [article]


def test_column_page_lists_only_its_column(client):
    notice = ArticleFactory(column=Column.objects.get(slug="notices"))
    ArticleFactory()
    response = client.get("/columns/notices/")
    assert list(response.context["page_obj"]) == [notice]
    assert client.get("/columns/nothing-here/").status_code == 404


def test_detail_links_previous_and_next_in_the_same_column(client):
    older, middle, newer = (
        ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=days))
        for days in (3, 2, 1)
    )
    ArticleFactory(column=Column.objects.get(slug="notices"))
    response = client.get(middle.get_absolute_url())
    assert response.context["previous"] == older
    assert response.context["next"] == newer


@pytest.mark.page_cache
def test_each_reader_counts_a_view_also_when_the_page_comes_from_the_cache(client):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as second_render:
        second = client.get(article.get_absolute_url())
    assert len(second_render) == 0  # the second reader got the page from the cache
    for reader, page in enumerate([first, second], start=1):
        (counter,) = re.findall(r'data-url="([^"]+/read/)"', page.content.decode())
        client.post(counter, REMOTE_ADDR=f"203.0.113.{reader}")
    article.refresh_from_db()
    assert article.view_count == 2


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize(
    "url",
    ["/", "/news/", "/news/?source=1", "/archive/", "/archive/2014/", "/columns/association-news/"],
)
def test_list_pages_run_the_same_number_of_queries_for_5_and_50_articles(client, url):
    # 50 is more than two pages of 20: pagination, not only more rows, is counted.
    when = datetime.datetime(2014, 5, 13, 9, tzinfo=timezone.get_current_timezone())
    ArticleFactory.create_batch(5, published_at=when)
    few = count_queries(client, url)
    ArticleFactory.create_batch(45, published_at=when)
    assert count_queries(client, url) == few


def test_the_detail_page_runs_the_same_number_of_queries_whatever_the_data(client):
    article = ArticleFactory()
    few = count_queries(client, article.get_absolute_url())
    ArticleFactory.create_batch(50)
    assert count_queries(client, article.get_absolute_url()) == few


def test_a_source_is_shown_with_its_link_when_it_has_one(client):
    source = Source.objects.create(name="司法部网站", url="https://www.moj.gov.cn/")
    article = ArticleFactory(source=source)
    assert (
        'href="https://www.moj.gov.cn/"' in client.get(article.get_absolute_url()).content.decode()
    )
