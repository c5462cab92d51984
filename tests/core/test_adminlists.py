"""The admin's large lists (core.adminlists): the article and lawyer changelists.

Their query count does not grow with the rows; they list, page, filter and search as
before; the rows are loaded without their long text; the whole table is not counted twice.
Pages past SEEK_FROM_OFFSET are found by seeking, so the tests lower it to reach them.
"""

import datetime
import re

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import pagination
from members.admin import LawyerAdmin
from members.models import Lawyer, Person
from news.admin import ArticleAdmin
from news.models import Article, Column, Source
from tests.members.factories import LawyerFactory
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=8))
ARTICLES = reverse("admin:news_article_changelist")
LAWYERS = reverse("admin:members_lawyer_changelist")
# Every row's change link in the list, in order.
ROW = re.compile(r'<th class="field-\w+"><a href="/admin/\w+/\w+/(\d+)/change/')


def rows(client, url) -> list[int]:
    response = client.get(url)
    assert response.status_code == 200
    return [int(pk) for pk in ROW.findall(response.content.decode())]


def articles(count, **fields):
    return [
        ArticleFactory(published_at=datetime.datetime(2020, 1, 1, tzinfo=TZ)
                       + datetime.timedelta(days=n), **fields)
        for n in range(count)
    ]  # fmt: skip


@pytest.fixture
def small_pages(monkeypatch):
    """Three rows a page, and seeking from the second page on."""
    monkeypatch.setattr(ArticleAdmin, "list_per_page", 3)
    monkeypatch.setattr(LawyerAdmin, "list_per_page", 3)
    monkeypatch.setattr(pagination, "SEEK_FROM_OFFSET", 3)


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize(
    "url", [ARTICLES, f"{ARTICLES}?p=3", f"{ARTICLES}?q=会议", f"{ARTICLES}?status__exact=draft"]
)
def test_the_article_list_runs_as_many_queries_for_many_rows_as_for_few(
    client, superuser, small_pages, url
):
    client.force_login(superuser)
    articles(13)  # page 3 is then in the middle, as it is with more rows
    few = queries_for(client, url)
    articles(12, status=Article.Status.DRAFT, column=Column.objects.get(slug="notices"))
    many = queries_for(client, url)
    assert many <= few


@pytest.mark.parametrize("url", [LAWYERS, f"{LAWYERS}?p=3", f"{LAWYERS}?q=律师"])
def test_the_lawyer_list_runs_as_many_queries_for_many_rows_as_for_few(
    client, superuser, small_pages, url
):
    client.force_login(superuser)
    LawyerFactory.create_batch(13)
    few = queries_for(client, url)
    LawyerFactory.create_batch(12)
    many = queries_for(client, url)
    assert many <= few


def test_the_article_list_is_bounded_whatever_the_rows(
    client, superuser, django_assert_max_num_queries
):
    client.force_login(superuser)
    articles(60)
    with django_assert_max_num_queries(14):
        assert client.get(ARTICLES).status_code == 200


def test_every_article_is_on_exactly_one_page_in_order(client, superuser, small_pages):
    client.force_login(superuser)
    expected = [article.pk for article in reversed(articles(10))]
    listed = [pk for page in (1, 2, 3, 4) for pk in rows(client, f"{ARTICLES}?p={page}")]
    assert listed == expected


def test_articles_filter_and_search(client, superuser):
    client.force_login(superuser)
    notices = Column.objects.get(slug="notices")
    other = Source.objects.create(name="司法部网站")
    draft = ArticleFactory(title="草稿一篇", status=Article.Status.DRAFT)
    notice = ArticleFactory(title="一则通知", column=notices)
    copied = ArticleFactory(title="转载的消息", source=other, author="新华社")
    old = ArticleFactory(title="旧闻", published_at=datetime.datetime(2011, 5, 1, tzinfo=TZ))
    assert rows(client, f"{ARTICLES}?status__exact=draft") == [draft.pk]
    assert rows(client, f"{ARTICLES}?column__id__exact={notices.pk}") == [notice.pk]
    assert rows(client, f"{ARTICLES}?source__id__exact={other.pk}") == [copied.pk]
    assert rows(client, f"{ARTICLES}?q=通知") == [notice.pk]
    assert rows(client, f"{ARTICLES}?q=新华社") == [copied.pk]
    assert rows(client, f"{ARTICLES}?published_at__year=2011") == [old.pk]
    # The date drill-down offers the years that have articles, and follows the search.
    page = client.get(ARTICLES).content.decode()
    assert "published_at__year=2011" in page
    assert "published_at__year=2011" not in client.get(f"{ARTICLES}?q=通知").content.decode()


@pytest.mark.page_cache  # counts are cached (per content generation) only with the cache on
def test_a_new_article_shows_in_the_list_and_its_count_at_once(client, superuser):
    client.force_login(superuser)
    ArticleFactory()
    assert client.get(ARTICLES).context["cl"].result_count == 1
    article = ArticleFactory(title="刚保存的草稿", status=Article.Status.DRAFT)
    response = client.get(ARTICLES)
    assert response.context["cl"].result_count == 2
    assert "刚保存的草稿" in response.content.decode()
    assert article.pk in rows(client, ARTICLES)


@pytest.mark.page_cache
def test_the_article_list_loads_no_body_and_counts_the_table_once(client, superuser):
    client.force_login(superuser)
    articles(3)
    with CaptureQueriesContext(connection) as context:
        client.get(ARTICLES)
    listing = [q["sql"] for q in context if q["sql"].startswith('SELECT "news_article"."id"')]
    assert listing and all('"news_article"."body"' not in sql for sql in listing)
    assert len(whole_table_counts(context)) == 1
    with CaptureQueriesContext(connection) as again:
        client.get(ARTICLES)
    assert whole_table_counts(again) == []  # counted once per change, not per visit


def whole_table_counts(context) -> list[str]:
    count = re.compile(r'SELECT COUNT\(\*\) AS "__count" FROM "news_article"')
    return [q["sql"] for q in context if count.fullmatch(q["sql"])]


def test_every_lawyer_is_on_exactly_one_page_in_order(client, superuser, small_pages):
    client.force_login(superuser)
    lawyers = LawyerFactory.create_batch(10)
    expected = [lawyer.pk for lawyer in sorted(lawyers, key=lambda lawyer: lawyer.license_number)]
    listed = [pk for page in (1, 2, 3, 4) for pk in rows(client, f"{LAWYERS}?p={page}")]
    assert listed == expected


def test_lawyers_filter_and_search(client, superuser):
    client.force_login(superuser)
    practising = LawyerFactory(person__name="钱七")
    suspended = LawyerFactory(person__name="孙八", practice_status=Lawyer.Status.SUSPENDED)
    assert rows(client, f"{LAWYERS}?practice_status__exact=suspended") == [suspended.pk]
    assert rows(client, f"{LAWYERS}?q=钱七") == [practising.pk]
    assert rows(client, f"{LAWYERS}?q={suspended.license_number}") == [suspended.pk]


@pytest.mark.parametrize("title", ["律师协会召开会议", '<b>"引号" & 标签</b>', "{{ 7*7 }}"])
def test_a_rows_checkbox_is_the_markup_django_renders(title):
    article = ArticleFactory(title=title)
    person = Person.objects.create(name=title)
    # A large list, and a list that has it from the history admin every model admin shares.
    for model_admin, obj in (
        (admin.site._registry[Article], article),
        (admin.site._registry[Person], person),
    ):
        assert type(model_admin).action_checkbox is not admin.ModelAdmin.action_checkbox
        written = model_admin.action_checkbox(obj)
        assert written == admin.ModelAdmin.action_checkbox(model_admin, obj)
