"""The desk on the admin's front page: what waits for whom."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Article
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def desk(client):
    return client.get(reverse("admin:index")).content.decode()


def test_a_reviewer_sees_what_waits_for_review_oldest_first_with_who_and_when(
    client, reviewer, editor
):
    now = timezone.now()
    ArticleFactory(
        title="较新的稿件", status=Article.Status.IN_REVIEW, submitted_by=editor, submitted_at=now
    )
    ArticleFactory(
        title="较早的稿件",
        status=Article.Status.IN_REVIEW,
        submitted_by=editor,
        submitted_at=now - datetime.timedelta(days=1),
    )
    client.force_login(reviewer)
    page = desk(client)
    queue = page[page.index('id="desk-review"') : page.index('id="desk-mine"')]
    assert queue.index("较早的稿件") < queue.index("较新的稿件")
    assert "editor 于" in queue
    assert "/preview/" in queue


def test_an_editor_has_no_review_queue(client, editor):
    client.force_login(editor)
    assert 'id="desk-review"' not in desk(client)


def test_an_editor_sees_a_returned_draft_with_the_reason(client, editor):
    ArticleFactory(
        title="被退回的稿件",
        status=Article.Status.DRAFT,
        created_by=editor,
        return_reason="请补充会议地点",
    )
    client.force_login(editor)
    page = desk(client)
    assert "被退回的稿件" in page and "请补充会议地点" in page


def test_an_editors_scheduled_article_is_among_their_articles(client, editor):
    ArticleFactory(
        title="定时的稿件",
        created_by=editor,
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    client.force_login(editor)
    page = desk(client)
    mine = page[page.index('id="desk-mine"') :]
    assert "定时的稿件" in mine and "定于" in mine


def test_the_menu_counts_what_waits(client, reviewer):
    ArticleFactory.create_batch(3, status=Article.Status.IN_REVIEW)
    client.force_login(reviewer)
    page = client.get(reverse("admin:news_article_changelist")).content.decode()
    menu = page[page.index('class="desk-menu"') :]
    assert '待我审核 <span class="desk-count">3</span>' in menu
