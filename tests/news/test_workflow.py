"""The editorial flow in the admin: buttons, return with a reason, preview, history, restore."""

import base64
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from news.models import Article
from tests.news.factories import ArticleFactory
from tests.news.test_admin import article_form

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def form_of(article, **overrides):
    local = timezone.localtime(article.published_at)
    fields = {
        "title": article.title,
        "column": article.column_id,
        "source": article.source_id,
        "body": article.body,
        "published_at_0": local.strftime("%Y-%m-%d"),
        "published_at_1": local.strftime("%H:%M:%S"),
    }
    return article_form(**{**fields, **overrides})


def buttons(client, article=None):
    url = change_url(article) if article else reverse("admin:news_article_add")
    page = client.get(url).content.decode()
    values = ("save_draft", "save", "submit", "publish", "return", "withdraw", "pin", "unpin")
    return {value for value in values if f'name="_action" value="{value}"' in page}


def test_an_editor_sees_only_save_draft_and_submit(client, editor):
    client.force_login(editor)
    assert buttons(client) == {"save_draft", "submit"}


def test_a_reviewer_sees_publish_return_and_pin_on_an_article_in_review(client, reviewer):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    client.force_login(reviewer)
    assert buttons(client, article) == {"save", "publish", "return", "pin"}


def test_a_reviewer_sees_withdraw_on_a_published_article(client, reviewer):
    article = ArticleFactory(is_pinned=True)
    client.force_login(reviewer)
    assert buttons(client, article) == {"save", "withdraw", "unpin"}


def test_publishing_with_a_future_time_is_offered_as_scheduling(client, reviewer):
    article = ArticleFactory(
        status=Article.Status.IN_REVIEW, published_at=timezone.now() + datetime.timedelta(days=2)
    )
    client.force_login(reviewer)
    page = client.get(change_url(article)).content.decode()
    assert "定时发布" in page


def test_submitting_records_who_and_when(client, editor):
    client.force_login(editor)
    client.post(reverse("admin:news_article_add"), article_form(_action="submit"))
    article = Article.objects.get()
    assert (article.status, article.submitted_by) == (Article.Status.IN_REVIEW, editor)
    assert article.submitted_at is not None


def test_returning_needs_a_reason(client, reviewer):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    client.force_login(reviewer)
    response = client.post(change_url(article), form_of(article, _action="return"))
    assert response.status_code == 200
    assert "退回" in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_a_returned_article_is_a_draft_showing_the_reason_to_the_editor(client, reviewer, editor):
    article = ArticleFactory(status=Article.Status.IN_REVIEW, created_by=editor)
    client.force_login(reviewer)
    client.post(
        change_url(article), form_of(article, _action="return", _return_reason="请补充会议时间")
    )
    article.refresh_from_db()
    assert (article.status, article.return_reason) == (Article.Status.DRAFT, "请补充会议时间")
    client.force_login(editor)
    assert "请补充会议时间" in client.get(change_url(article)).content.decode()


def test_resubmitting_clears_the_reason(client, editor):
    article = ArticleFactory(status=Article.Status.DRAFT, return_reason="请补充", created_by=editor)
    client.force_login(editor)
    client.post(change_url(article), form_of(article, _action="submit"))
    article.refresh_from_db()
    assert (article.status, article.return_reason) == (Article.Status.IN_REVIEW, "")


def test_an_editor_may_not_return_an_article(client, editor):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    client.force_login(editor)
    response = client.post(
        change_url(article), form_of(article, _action="return", _return_reason="x")
    )
    assert response.status_code == 403


def test_withdrawing_takes_the_article_off_the_site(client, reviewer):
    article = ArticleFactory()
    client.force_login(reviewer)
    response = client.post(change_url(article), form_of(article, _action="withdraw"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN


def test_the_message_says_what_happened(client, reviewer):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    client.force_login(reviewer)
    response = client.post(change_url(article), form_of(article, _action="publish"), follow=True)
    assert "已发布" in response.content.decode()


# --- Preview ------------------------------------------------------------------------------


def test_a_draft_at_its_public_address_is_404_even_for_staff(client, reviewer):
    article = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(reviewer)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_the_preview_shows_a_draft_as_the_public_page_with_a_banner_and_no_store(client, editor):
    article = ArticleFactory(status=Article.Status.DRAFT, title="预览中的草稿")
    client.force_login(editor)
    response = client.get(reverse("admin:news_article_preview", args=[article.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "预览中的草稿" in page and 'class="message preview"' in page
    assert "no-store" in response["Cache-Control"]


def test_staff_who_may_not_change_articles_get_no_preview(client):
    from tests.factories import UserFactory

    secretary = UserFactory(username="secretary", is_staff=True)
    article = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(secretary)
    response = client.get(reverse("admin:news_article_preview", args=[article.pk]))
    assert response.status_code == 403


def test_the_preview_asks_for_the_second_factor(client, reviewer, settings):
    settings.TWO_FACTOR_REQUIRED = True
    article = ArticleFactory(status=Article.Status.DRAFT)
    client.force_login(reviewer)
    response = client.get(reverse("admin:news_article_preview", args=[article.pk]))
    assert response.status_code == 302
    assert "/account/2fa/" in response["Location"]


# --- History and restore ------------------------------------------------------------------


def test_saving_an_untouched_body_changes_no_byte_of_it(client, editor):
    article = ArticleFactory(
        status=Article.Status.DRAFT,
        body='<p>第一段<span></span></p>\n<p><a title="t" href="https://example.org/">链接</a></p>',
    )
    stored = Article.objects.get(pk=article.pk).body
    client.force_login(editor)
    # The editor sends the same content back, spelled differently (as CKEditor does).
    respelled = '<p>第一段</p><p><a href="https://example.org/" title="t">链接</a></p>'
    client.post(change_url(article), form_of(article, body=respelled))
    article.refresh_from_db()
    assert article.body == stored


def test_the_history_compares_the_body_paragraph_by_paragraph(client, reviewer):
    article = ArticleFactory(body="<p>会议在井冈山召开。</p><p>第二段不变。</p>")
    article.body = "<p>会议在北京召开。</p><p>第二段不变。</p>"
    article.save()
    client.force_login(reviewer)
    page = client.get(reverse("admin:news_article_history", args=[article.pk])).content.decode()
    assert "<del>井冈山</del>" in page and "<ins>北京</ins>" in page
    assert "第二段不变" not in page


def test_the_history_names_fields_and_values_in_chinese(client, reviewer):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    article.status = Article.Status.PUBLISHED
    article.save()
    client.force_login(reviewer)
    page = client.get(reverse("admin:news_article_history", args=[article.pk])).content.decode()
    assert "待审" in page and "已发布" in page
    assert "in_review" not in page and "Historical" not in page


def test_restoring_an_old_version_keeps_status_pin_and_publication_time(client, reviewer):
    article = ArticleFactory(title="旧标题", status=Article.Status.DRAFT, is_pinned=True)
    old = article.history.first()
    article.title = "新标题"
    article.status = Article.Status.WITHDRAWN
    article.is_pinned = False
    article.save()
    published_at = article.published_at
    client.force_login(reviewer)
    url = reverse("admin:news_article_simple_history", args=[article.pk, old.history_id])
    assert client.post(url).status_code == 302
    article.refresh_from_db()
    assert article.title == "旧标题"
    assert (article.status, article.is_pinned) == (Article.Status.WITHDRAWN, False)
    assert article.published_at == published_at


def test_an_editor_may_not_restore_a_published_article(client, editor):
    article = ArticleFactory(title="旧标题", status=Article.Status.DRAFT)
    old = article.history.first()
    article.title = "已发布的标题"
    article.status = Article.Status.PUBLISHED
    article.save()
    client.force_login(editor)
    url = reverse("admin:news_article_simple_history", args=[article.pk, old.history_id])
    assert "恢复此版本" not in client.get(url).content.decode()
    assert client.post(url).status_code == 403
    article.refresh_from_db()
    assert article.title == "已发布的标题"


def test_an_editor_is_not_offered_the_extraction_of_a_published_article(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    page = client.get(change_url(article)).content.decode()
    assert reverse("admin:news_article_extract", args=[article.pk]) not in page


def test_the_read_only_view_shows_the_body_as_text_not_html_source(client, editor):
    article = ArticleFactory(body="<p><strong>加粗</strong></p>")
    client.force_login(editor)
    page = client.get(change_url(article)).content.decode()
    assert "<strong>加粗</strong>" in page
    assert "&lt;strong&gt;" not in page


# --- Pasted images ------------------------------------------------------------------------


def png_data_url():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_a_pasted_data_image_is_stored_as_an_upload(client, editor):
    client.force_login(editor)
    body = f'<p>图片：<img src="{png_data_url()}"></p>'
    client.post(reverse("admin:news_article_add"), article_form(body=body))
    stored = Article.objects.get().body
    assert "data:" not in stored
    assert '<img src="/media/editor/' in stored


def test_a_pasted_local_file_image_is_dropped_and_the_editor_told_which(client, editor):
    client.force_login(editor)
    body = (
        '<p>图片：<img src="file:///C:/Users/a/AppData/Local/Temp/msohtmlclip1/image001.png"></p>'
    )
    response = client.post(reverse("admin:news_article_add"), article_form(body=body), follow=True)
    assert "image001.png" in response.content.decode()
    assert "file:" not in Article.objects.get().body
