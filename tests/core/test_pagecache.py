import datetime

import pytest
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import path, resolve
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


def test_a_signed_in_reader_gets_the_page_everyone_gets_from_the_cache(client, editor):
    ArticleFactory(title="公开的稿件")
    _, anonymous = queries(client, "/")  # rendered once, for everyone
    client.force_login(editor)
    with CaptureQueriesContext(connection) as context:
        response = client.get("/")
    read = " ".join(query["sql"] for query in context.captured_queries)
    assert "news_article" not in read  # only the session's user was read
    assert response.content == anonymous.content
    # Marked private: a shared cache must not keep a page beside a session's cookies.
    assert response["Cache-Control"] == "private, no-cache"


def test_a_page_rendered_for_a_signed_in_reader_is_the_anonymous_page(client, editor):
    ArticleFactory(title="公开的稿件")
    client.force_login(editor)
    client.get("/news/")  # rendered for the editor, stored for everyone
    client.logout()
    count, anonymous = queries(client, "/news/")
    assert count == 0 and "公开的稿件" in anonymous.content.decode()


def whoami(request):
    return HttpResponse("signed in" if request.user.is_authenticated else "anonymous")


def remembers(request):
    request.session["seen"] = request.session.get("seen", 0) + 1
    return HttpResponse(f"seen {request.session['seen']}")


urlpatterns = [
    path("people/whoami/", pagecache.cache_public_page(whoami)),
    path("remembers/", pagecache.cache_public_page(remembers)),
]


@pytest.mark.urls(__name__)
def test_a_marked_view_sees_an_anonymous_user_and_the_reader_is_restored(client, editor):
    client.force_login(editor)
    response = client.get("/people/whoami/")
    assert response.content == b"anonymous"
    assert response.wsgi_request.user == editor


@pytest.mark.urls(__name__)
def test_a_marked_view_that_reads_the_session_is_never_stored(client, editor):
    client.force_login(editor)
    assert client.get("/remembers/").content == b"seen 1"
    assert client.get("/remembers/").content == b"seen 2"
    client.logout()
    assert client.get("/remembers/").content == b"seen 1"


def test_with_the_page_cache_off_every_page_is_rendered_afresh(client, settings):
    settings.PAGE_CACHE = False
    ArticleFactory()
    first, _ = queries(client, "/news/")
    second, _ = queries(client, "/news/")
    assert first > 0 and second > 0
    settings.PAGE_CACHE = True
    queries(client, "/news/")
    third, _ = queries(client, "/news/")
    assert third == 0


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


PUBLIC_PAGES_MARKED = [
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


@pytest.mark.parametrize("url", PUBLIC_PAGES_MARKED)
def test_public_pages_are_marked_for_the_cache(url):
    assert pagecache.is_public_page(resolve(url).func)


@pytest.mark.parametrize("url", NEVER_CACHED)
def test_lookups_staff_pages_and_probes_are_not_marked(url):
    assert not pagecache.is_public_page(resolve(url).func)


def test_a_page_that_is_not_marked_is_never_served_from_the_cache(client):
    response = client.get("/lawyers/lookup/")
    assert response["Cache-Control"] == "private, no-cache"
    assert "Last-Modified" not in response


def test_a_mark_holds_through_decorators_but_not_for_the_wrapped_view_or_a_subclass():
    def page(request):
        return HttpResponse("页面")

    class Page(View):
        pass

    marked_page = pagecache.cache_public_page(page)
    marked_class = pagecache.cache_public_page(type("Marked", (Page,), {}))
    assert pagecache.is_public_page(marked_page)
    assert pagecache.is_public_page(require_safe(marked_page))
    assert not pagecache.is_public_page(page)
    assert pagecache.is_public_page(marked_class.as_view())
    assert not pagecache.is_public_page(type("Sub", (marked_class,), {}).as_view())


def test_a_change_to_a_watched_model_makes_the_cache_stale():
    before = pagecache.generation()
    PersonFactory()
    assert pagecache.generation() > before


def test_a_rendering_page_remembers_the_generation_until_a_change():
    token = pagecache._generation_at_start.set(pagecache.generation())
    try:
        remembered = pagecache.generation()
        pagecache.cache.incr(pagecache.GENERATION_KEY)  # another process changed something
        assert pagecache.generation() == remembered  # this page goes on with what it began
        PersonFactory()  # a change made while rendering
        assert pagecache.generation() > remembered + 1
    finally:
        pagecache._generation_at_start.reset(token)


def test_without_tags_a_change_still_moves_the_counter_but_no_tag(settings):
    article = ArticleFactory()
    tag = pagecache.tag_key(pagecache.row_tag(Article, article.pk))
    versions = pagecache.versions([pagecache.row_tag(Article, article.pk)])
    settings.PAGE_CACHE_TAGS = False
    before = pagecache.generation()
    article.title = "改过的标题"
    article.save()
    assert pagecache.generation() > before  # the counts cached by generation are fresh
    assert pagecache.cache.get(tag) == versions[tag]


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
    assert not pagecache.PublicPageCacheMiddleware.storable(rf.get("/"), response)


def test_a_response_that_sets_a_cookie_is_not_stored(rf):
    response = HttpResponse("页面")
    response.set_cookie("messages", "x")
    assert not pagecache.PublicPageCacheMiddleware.storable(rf.get("/"), response)


def test_a_plain_public_response_is_stored(rf):
    assert pagecache.PublicPageCacheMiddleware.storable(rf.get("/"), HttpResponse("页面"))


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
