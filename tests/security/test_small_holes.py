"""The small holes an outside attack found (issue: close the holes), each as it was sent."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import override

from news.models import Article
from tests.factories import UserFactory
from tests.news.factories import ArticleFactory
from tests.party_building.factories import BranchFactory, secretary_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    # A 500 must show as a status here, not as an exception in the test.
    client.raise_request_exception = False
    return client


# --- Dates at the calendar's ends are pages that do not exist ----------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/archive/0001/",
        "/archive/0001/01/",
        "/archive/9999/12/",
        "/news/9999/12/31/1/",
        "/news/0001/01/01/1/",
        "/archive/2014/13/",
        "/news/2014/02/30/1/",
    ],
)
def test_a_date_the_calendar_cannot_hold_is_a_404(client, url):
    assert client.get(url).status_code == 404


def test_an_ordinary_year_archive_still_answers(client):
    article = ArticleFactory()
    response = client.get(f"/archive/{article.published_at:%Y}/")
    assert response.status_code == 200
    assert article.title in response.content.decode()


# --- The admin's autocomplete fields -----------------------------------------------------


def test_a_non_numeric_id_in_an_autocomplete_field_is_a_form_error(client, superuser):
    client.force_login(superuser)
    response = client.post(
        "/admin/news/speech/add/", {"speaker": "abc", "event": "x1", "title": "讲话"}
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["speaker"]


def test_a_nul_character_in_the_autocomplete_term_is_a_400(client, superuser):
    client.force_login(superuser)
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "news", "model_name": "speech", "field_name": "speaker", "term": "\x00"},
    )
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


@pytest.mark.parametrize("url", ["/search/?q=%00", "/news/?q=a%00b", "/news/?%00=1"])
def test_a_nul_character_in_any_public_query_is_a_400(client, url):
    assert client.get(url).status_code == 400


# --- Feeds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "tag"),
    [
        ("/feeds/rss/", "channel/item/description"),
        ("/feeds/atom/", "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary"),
    ],
)
def test_a_feed_sends_the_plain_text_summary_escaped(client, url, tag):
    summary = "<b>律师</b> & <script>alert(1)</script>"
    ArticleFactory(summary=summary)
    root = ET.fromstring(client.get(url).content)  # noqa: S314 (our own response)
    # The element's text is HTML to a feed reader: it must be the summary, escaped once.
    assert root.find(tag).text == escape(summary)


@pytest.mark.parametrize(
    "url", ["/feeds/rss/", "/feeds/atom/", "/sitemap.xml", "/sitemap-articles.xml"]
)
def test_feeds_and_sitemaps_answer_only_get_and_head(client, url):
    ArticleFactory()
    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200
    for method in (client.post, client.put, client.delete):
        assert method(url).status_code == 405


# --- Passwords and logins --------------------------------------------------------------------


def test_a_password_that_repeats_the_user_name_is_refused():
    user = UserFactory.build(username="editor")
    with pytest.raises(ValidationError) as refused:
        validate_password("editoreditor2024", user)
    assert "password_contains_username" in [error.code for error in refused.value.error_list]


def test_a_password_without_the_user_name_is_accepted():
    validate_password("绿水青山-Mountain-7421", UserFactory.build(username="editor"))


def test_the_length_rule_speaks_chinese():
    with override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password("短密码abc")
    assert "密码太短" in " ".join(refused.value.messages)


def test_a_rejected_next_after_login_lands_on_the_admin_index(client):
    UserFactory(username="staffer", password="长长的密码-Correct-Horse-9", is_staff=True)
    response = client.post(
        "/admin/login/?next=https://evil.example.org/",
        {"username": "staffer", "password": "长长的密码-Correct-Horse-9"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


# --- Headers --------------------------------------------------------------------------------


def test_the_permissions_policy_names_no_withdrawn_feature(client):
    assert "interest-cohort" not in client.get("/").headers["Permissions-Policy"]


@pytest.mark.parametrize(
    "url",
    [
        "/party/board/",
        "/party/board/export.csv",
        "/party/board/export.xlsx",
        "/party/activities/",
        "/party/activities/export.csv",
    ],
)
def test_party_pages_and_exports_are_never_stored(client, url):
    secretary = secretary_of(BranchFactory())
    client.force_login(secretary)
    response = client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# --- The view counter --------------------------------------------------------------------------


@pytest.mark.page_cache
def test_five_visits_from_five_readers_count_five_reads_even_from_the_cache(client):
    article = ArticleFactory()
    for visitor in range(5):
        page = client.get(article.get_absolute_url())
        assert page.status_code == 200
        assert f'data-url="/news/{article.pk}/read/"' in page.content.decode()
        client.post(f"/news/{article.pk}/read/", REMOTE_ADDR=f"203.0.113.{visitor + 1}")
    article.refresh_from_db()
    assert article.view_count == 5


def test_the_same_reader_opening_an_article_again_is_one_read(client):
    article = ArticleFactory()
    for _ in range(3):
        assert client.post(f"/news/{article.pk}/read/").status_code == 204
    article.refresh_from_db()
    assert article.view_count == 1


def test_a_draft_counts_no_reads(client):
    article = ArticleFactory(status=Article.Status.DRAFT)
    client.post(f"/news/{article.pk}/read/")
    article.refresh_from_db()
    assert article.view_count == 0


def test_the_read_counter_refuses_get(client):
    article = ArticleFactory()
    assert client.get(f"/news/{article.pk}/read/").status_code == 405
