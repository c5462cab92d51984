"""What keeps public lists fast without the page cache: a stored lead, no body, few queries."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import pagination
from news.models import Article, Column, Source
from tests.factories import UserFactory
from tests.news.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def stored_lead(article):
    return Article.objects.values_list("lead_text", flat=True).get(pk=article.pk)


def test_the_lead_is_stored_on_save_and_follows_each_edit():
    article = ArticleFactory(summary="", body="<p>本网讯 正文<b>开头</b>。</p><p>第二段。</p>")
    assert stored_lead(article) == "本网讯 正文开头。 第二段。"

    article.body = "<p>改写后的正文。</p>"
    article.save()
    assert stored_lead(article) == "改写后的正文。"

    article.summary = "编辑写的摘要"
    article.save()
    assert stored_lead(article) == "编辑写的摘要"

    # Saving only some fields still keeps the lead in step with them.
    article.summary = ""
    article.save(update_fields=["summary"])
    assert stored_lead(article) == "改写后的正文。"
    article.body = "<p>" + "长" * 300 + "</p>"
    article.save(update_fields=["body"])
    assert stored_lead(article) == "长" * 119 + "…"


def test_the_lead_is_stored_by_bulk_create_too():
    (article,) = Article.objects.bulk_create(
        [ArticleFactory.build(summary="", body="<p>批量<script>x</script>写入的正文。</p>")]
    )
    assert stored_lead(article) == "批量写入的正文。"


def test_the_migration_fills_the_lead_of_existing_articles():
    articles = ArticleFactory.create_batch(3, summary="")
    Article.objects.update(lead_text="")
    migration = importlib.import_module("news.migrations.0011_fill_article_leads")
    migration.BATCH = 2  # more than one batch
    migration.fill_leads(apps, None)
    assert [stored_lead(a) for a in articles] == [
        Article.objects.get(pk=a.pk).lead for a in articles
    ]
    assert all(stored_lead(a).startswith("本网讯") for a in articles)


LISTS = [
    "/",
    "/news/",
    "/news/?page=2",  # seeks by key (SEEK_FROM_OFFSET lowered below)
    "/news/?page=4",  # the last page, read backwards from the end
    "/news/?source={source}",
    "/news/?year=2014",
    "/news/?column=association-news&year=2014&month=5",
    "/archive/",
    "/archive/2014/",
    "/archive/2014/05/",
    "/columns/association-news/",
]


@pytest.mark.page_cache  # the production lifetimes of cached counts (no page is cached here)
@pytest.mark.parametrize("url", LISTS)
def test_a_list_page_reads_no_body_and_runs_few_queries_for_a_signed_in_reader(
    client, url, monkeypatch
):
    monkeypatch.setattr(pagination, "SEEK_FROM_OFFSET", 20)
    when = datetime.datetime(2014, 5, 13, 9, tzinfo=timezone.get_current_timezone())
    source = SourceFactory()
    ArticleFactory.create_batch(
        70, published_at=when, source=source, summary="", body="<p>正文开头。</p>"
    )
    client.force_login(UserFactory())
    url = url.format(source=source.pk)
    client.get(url)  # the count and the filter menus are cached from here on
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url)
    assert page.status_code == 200
    if url.startswith(("/news/", "/columns/")):  # the lists that show leads show the stored one
        assert "正文开头。" in page.content.decode()
    statements = [query["sql"] for query in captured]
    assert not [sql for sql in statements if '"news_article"."body"' in sql]
    # The user, the page's rows (the key of a deep page's first row): nothing per row. The
    # home page reads the columns and lists the pinned articles and each column's latest.
    limit = 3 + Column.objects.count() if url == "/" else 3
    assert len(statements) <= limit, statements


def test_the_filter_menus_come_from_the_cache_until_the_content_changes(client):
    ArticleFactory()
    client.get("/news/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/news/")
    menus = [
        q for q in captured if 'FROM "news_column"' in q["sql"] or 'FROM "news_source"' in q["sql"]
    ]
    assert not menus

    Source.objects.create(name="新来源")
    Column.objects.filter(slug="notices").update(name="公告")  # no signal: stays until a save
    Column.objects.get(slug="association-news").save()
    page = client.get("/news/").content.decode()
    assert "新来源" in page and "公告" in page


def test_the_column_and_source_filters_still_filter_and_refuse_unknown_values(client):
    notice = ArticleFactory(title="一则通知", column=Column.objects.get(slug="notices"))
    other = ArticleFactory(title="一则动态", source=SourceFactory(name="司法部网站"))
    by_column = client.get("/news/?column=notices").context["page_obj"].object_list
    assert list(by_column) == [notice]
    by_source = client.get(f"/news/?source={other.source_id}").context["page_obj"].object_list
    assert list(by_source) == [other]
    unknown = client.get("/news/?column=nowhere&source=99999")
    assert unknown.context["filter"].form.errors.keys() == {"column", "source"}
