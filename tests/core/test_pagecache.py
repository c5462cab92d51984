import datetime

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone
from django.views import View
from django.views.decorators.http import require_safe

from core import pagecache
from news.models import Article, Column
from tests.members.factories import PersonFactory
from tests.news.factories import ArticleFactory

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]

PUBLIC_PAGES = ["/", "/news/", "/columns/association-news/", "/feeds/rss/", "/sitemap-articles.xml"]


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context), response


def test_an_anonymous_reader_gets_the_second_view_from_the_cache(client):
    ArticleFactory()
    first, _ = queries(client, "/news/")
    second, response = queries(client, "/news/")
    assert first > 0 and second == 0
    assert response["Cache-Control"] == "public, max-age=0, must-revalidate"


def shows(client, url, article):
    """Whether the page lists the article (the sitemap names its address, not its title)."""
    page = client.get(url).content.decode()
    if "sitemap" in url:
        return article.get_absolute_url() in page
    return article.title in page


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_publishing_shows_on_every_affected_page_at_once(client, url):
    ArticleFactory(title="早先的稿件")
    article = ArticleFactory(title="刚审核通过的稿件", status=Article.Status.IN_REVIEW)
    assert not shows(client, url, article)
    article.status = Article.Status.PUBLISHED
    article.save()
    assert shows(client, url, article)


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_editing_and_withdrawing_show_at_once(client, url):
    article = ArticleFactory(title="原来的标题")
    assert shows(client, url, article)
    article.title = "改过的标题"
    article.save()
    assert shows(client, url, article)
    article.status = Article.Status.WITHDRAWN
    article.save()
    assert article.get_absolute_url() not in client.get(url).content.decode()


def test_a_new_item_in_a_column_shows_on_its_page(client):
    url = "/columns/notices/"
    client.get(url)
    ArticleFactory(title="新的通知", column=Column.objects.get(slug="notices"))
    assert "新的通知" in client.get(url).content.decode()


def test_the_article_page_itself_follows_an_edit(client):
    article = ArticleFactory(body="<p>第一稿</p>")
    client.get(article.get_absolute_url())
    article.body = "<p>第二稿</p>"
    article.save()
    assert "第二稿" in client.get(article.get_absolute_url()).content.decode()


def test_staff_never_get_a_cached_page(client, editor):
    ArticleFactory(title="公开的稿件")
    client.get("/")  # cached for anonymous readers
    client.force_login(editor)
    count, response = queries(client, "/")
    assert count > 0
    assert response["Cache-Control"] == "private, no-cache"


def test_a_signed_in_readers_page_is_not_stored_for_others(client, editor):
    ArticleFactory(title="公开的稿件")
    client.force_login(editor)
    client.get("/news/")
    client.logout()
    first, _ = queries(client, "/news/")
    assert first > 0  # the anonymous reader rendered it afresh


def test_conditional_get_answers_304_when_nothing_changed(client):
    ArticleFactory()
    response = client.get("/news/")
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get("/news/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/news/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304


def test_conditional_get_answers_200_after_a_change(client):
    article = ArticleFactory(title="第一版")
    etag = client.get("/news/")["ETag"]
    article.title = "第二版"
    article.save()
    response = client.get("/news/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "第二版" in response.content.decode()


def test_a_cached_page_does_not_outlive_the_next_scheduled_publication(client, monkeypatch):
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(seconds=30))
    timeouts = []
    real_set = pagecache.cache.set
    monkeypatch.setattr(
        pagecache.cache,
        "set",
        lambda key, value, timeout=None: (
            timeouts.append((key, timeout)),
            real_set(key, value, timeout),
        ),
    )
    client.get("/news/")
    page_timeouts = [
        timeout for key, timeout in timeouts if key.startswith("pagecache:") and ":" in key[10:]
    ]
    assert page_timeouts and 0 < page_timeouts[-1] <= 30


CACHED_FOR_ANONYMOUS = [
    *PUBLIC_PAGES,
    "/archive/",
    "/archive/2024/",
    "/archive/2024/05/",
    "/news/2024/05/06/1/",
    "/search/",
    "/events/",
    "/speeches/",
    "/people/1/",
    "/organizations/1/",
    "/feeds/atom/",
    "/feeds/columns/notices/atom/",
    "/sitemap.xml",
    "/robots.txt",
    "/party/public/branches/",
    "/party/public/branches/1/",
]
NEVER_CACHED = [
    "/lawyers/lookup/",
    "/firms/lookup/",
    "/firms/1/",
    "/party/board/",
    "/party/branches/1/",
    "/party/activities/",
    "/party/activities/1/",
    "/healthz",
    "/editor/images/",
    "/account/2fa/setup/",
    "/admin/",
    "/admin/news/article/",
]


@pytest.mark.parametrize("url", CACHED_FOR_ANONYMOUS)
def test_public_pages_are_marked_for_the_cache(url):
    assert pagecache.is_cached_for_anonymous(resolve(url).func)


@pytest.mark.parametrize("url", NEVER_CACHED)
def test_lookups_staff_pages_and_probes_are_not_marked(url):
    assert not pagecache.is_cached_for_anonymous(resolve(url).func)


def test_a_page_that_is_not_marked_is_never_served_from_the_cache(client):
    response = client.get("/lawyers/lookup/")
    assert response["Cache-Control"] == "private, no-cache"
    assert "Last-Modified" not in response


def test_a_mark_holds_through_decorators_but_not_for_the_wrapped_view_or_a_subclass():
    def page(request):
        return HttpResponse("页面")

    class Page(View):
        pass

    marked_page = pagecache.cache_for_anonymous(page)
    marked_class = pagecache.cache_for_anonymous(type("Marked", (Page,), {}))
    assert pagecache.is_cached_for_anonymous(marked_page)
    assert pagecache.is_cached_for_anonymous(require_safe(marked_page))
    assert not pagecache.is_cached_for_anonymous(page)
    assert pagecache.is_cached_for_anonymous(marked_class.as_view())
    assert not pagecache.is_cached_for_anonymous(type("Sub", (marked_class,), {}).as_view())


def test_a_change_to_a_watched_model_makes_the_cache_stale():
    before = pagecache.generation()
    PersonFactory()
    assert pagecache.generation() > before


def test_a_change_no_public_page_shows_leaves_the_cache_alone(django_user_model):
    before = pagecache.generation()
    django_user_model.objects.create_user("reader")
    assert pagecache.generation() == before


@pytest.mark.parametrize(
    "header, value",
    [("Vary", "Cookie"), ("Vary", "Accept-Encoding, Cookie"), ("Cache-Control", "private")],
)
def test_a_response_that_depends_on_the_reader_is_not_stored(rf, header, value):
    response = HttpResponse("页面")
    response[header] = value
    assert not pagecache.AnonymousPageCacheMiddleware.storable(rf.get("/"), response)


def test_a_response_that_sets_a_cookie_is_not_stored(rf):
    response = HttpResponse("页面")
    response.set_cookie("messages", "x")
    assert not pagecache.AnonymousPageCacheMiddleware.storable(rf.get("/"), response)


def test_a_plain_public_response_is_stored(rf):
    assert pagecache.AnonymousPageCacheMiddleware.storable(rf.get("/"), HttpResponse("页面"))


def test_a_page_whose_tag_was_evicted_is_rendered_again(client):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    key = pagecache.page_key(client.get(article.get_absolute_url()).wsgi_request)
    recorded, _ = pagecache.cache.get(key)
    assert pagecache.tag_key(pagecache.row_tag(Article, article.pk)) in recorded
    pagecache.cache.delete(pagecache.tag_key(pagecache.row_tag(Article, article.pk)))
    first, _ = queries(client, article.get_absolute_url())
    second, _ = queries(client, article.get_absolute_url())
    assert first > 0 and second == 0


def test_a_page_that_loads_many_rows_of_a_model_depends_on_the_model():
    dependencies = pagecache.Dependencies(["articles"])
    for pk in range(pagecache.ROW_TAG_LIMIT + 1):
        dependencies.saw(Article, pk)
    assert dependencies.tags() == {"all", "articles", pagecache.model_tag(Article)}
