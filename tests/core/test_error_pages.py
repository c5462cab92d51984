"""Error pages speak Chinese, in the site's frame for readers and the admin's for staff."""

import logging

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_reader_gets_a_chinese_404_in_the_sites_frame(client):
    response = client.get("/no-such-page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in page or "找不到" in page
    assert 'class="site-header"' in page


def test_staff_get_the_admins_frame_for_a_403_in_the_admin(client, editor):
    article = ArticleFactory()  # published: only a reviewer may extract from it
    client.force_login(editor)
    response = client.get(reverse("admin:news_article_extract", args=[article.pk]))
    page = response.content.decode()
    assert response.status_code == 403
    assert "无权" in page and 'id="site-name"' in page and "返回工作台" in page
    assert "403 Forbidden" not in page


def test_staff_get_the_admins_frame_for_a_404_in_the_admin(client, editor):
    client.force_login(editor)
    response = client.get("/admin/news/article/999999/preview/")
    assert response.status_code == 404
    assert "返回工作台" in response.content.decode()


@override_settings(DEBUG=False)
def test_a_server_error_page_is_chinese_and_needs_no_database(rf):
    from core.errors import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "服务器错误" in response.content.decode()


def test_a_form_without_its_token_gets_the_chinese_403_page(editor):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(reverse("admin:news_article_add"), {})
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_a_missing_or_forbidden_page_is_not_logged_but_a_refused_token_is(client, editor, caplog):
    client.get("/no-such-page/")
    client.force_login(editor)
    client.get(reverse("admin:news_article_extract", args=[ArticleFactory().pk]))
    assert not [record for record in caplog.records if record.name == "django.request"]
    assert logging.getLogger("django.request").isEnabledFor(logging.ERROR)  # server errors

    from django.test import Client

    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(editor)
    guarded.post(reverse("admin:news_article_add"), {})
    assert [record for record in caplog.records if record.name == "django.security.csrf"]
