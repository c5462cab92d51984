import datetime
from pathlib import Path

import feedparser
import pytest
import xmlschema
from django.utils import timezone

from news.models import Article, Column, Event
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"


@pytest.mark.parametrize("url", ["/feeds/rss/", "/feeds/atom/"])
def test_site_feeds_parse_cleanly_and_list_published_articles(client, url):
    ArticleFactory(title="律协发布通知 & <公告>")
    ArticleFactory(title="草稿", status=Article.Status.DRAFT)
    ArticleFactory(title="定时", published_at=timezone.now() + datetime.timedelta(days=1))
    feed = feedparser.parse(client.get(url).content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.title for entry in feed.entries] == ["律协发布通知 & <公告>"]
    assert feed.entries[0].link.startswith("http://testserver/news/")


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_column_feeds_list_only_their_column(client, kind):
    ArticleFactory(title="通知一", column=Column.objects.get(slug="notices"))
    ArticleFactory(title="动态一")
    feed = feedparser.parse(client.get(f"/feeds/columns/notices/{kind}/").content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["通知一"]
    assert client.get(f"/feeds/columns/nothing/{kind}/").status_code == 404


def test_pages_link_their_feeds(client):
    page = client.get("/columns/notices/").content.decode()
    assert 'type="application/rss+xml"' in page
    assert "/feeds/columns/notices/rss/" in page
    assert "/feeds/atom/" in page


def test_the_sitemap_index_and_every_section_validate_against_the_schema(client):
    reports = ArticleFactory.create_batch(3)
    reports[0].events.add(Event.objects.create(name="座谈会", place="井冈山"))
    index = client.get("/sitemap.xml").content
    xmlschema.XMLSchema(SCHEMAS / "siteindex.xsd").validate(index)
    sitemap_schema = xmlschema.XMLSchema(SCHEMAS / "sitemap.xsd")
    locations = xmlschema.XMLSchema(SCHEMAS / "siteindex.xsd").to_dict(index)["sitemap"]
    names = {section["loc"].rsplit("/", 1)[-1] for section in locations}
    # Sections with nothing in them are left out: an empty <urlset> would not validate.
    assert names == {f"sitemap-{name}.xml" for name in ("pages", "columns", "articles", "events")}
    for section in locations:
        path = section["loc"].removeprefix("http://testserver")
        sitemap_schema.validate(client.get(path).content)


def test_the_sitemap_lists_published_articles_with_their_modification_date(client):
    article = ArticleFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT)
    body = client.get("/sitemap-articles.xml").content.decode()
    assert article.get_absolute_url() in body
    assert draft.get_absolute_url() not in body
    assert "<lastmod>" in body


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "Disallow: /admin/" in body
    assert "Sitemap: http://testserver/sitemap.xml" in body


def test_an_article_page_has_canonical_open_graph_and_description(client):
    article = ArticleFactory(title="律协召开理事会", summary="理事会审议通过年度报告。")
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<link rel="canonical" href="http://testserver{article.get_absolute_url()}">' in page
    assert '<meta property="og:title" content="律协召开理事会">' in page
    assert '<meta property="og:type" content="article">' in page
    assert '<meta name="description" content="理事会审议通过年度报告。">' in page


def test_the_canonical_address_leaves_out_the_query_string(client):
    page = client.get("/news/?page=1&source=1").content.decode()
    assert '<link rel="canonical" href="http://testserver/news/">' in page
