"""The desk on the admin's front page: what waits for whom."""

import datetime
import re
import time

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def menu_counts(client) -> dict[str, str]:
    page = client.get(reverse("admin:news_source_changelist")).content.decode()
    menu = page[page.index('class="desk-menu"') :].split("</nav>")[0]
    return dict(re.findall(r'#desk-(\w+)">[^<]*<span class="desk-count">(\d+)</span>', menu))


def article_counts(client) -> int:
    """How many times a page counted articles (the menu's counts, when worked out)."""
    with CaptureQueriesContext(connection) as captured:
        menu_counts(client)
    return sum("COUNT(*)" in q["sql"] and '"news_article"' in q["sql"] for q in captured)


def test_the_menu_counts_are_kept_until_an_article_or_a_users_rights_change(client, editor):
    ArticleFactory.create_batch(2, status=Article.Status.IN_REVIEW, created_by=editor)
    client.force_login(editor)
    assert menu_counts(client) == {"mine": "2"}
    assert article_counts(client) == 0  # kept from the page before
    ArticleFactory(status=Article.Status.DRAFT, created_by=editor)
    assert menu_counts(client) == {"mine": "3"}
    editor.groups.add(Group.objects.get(name="审核"))  # now a reviewer too
    assert menu_counts(client) == {"review": "2", "mine": "3"}
    assert article_counts(client) == 0


def test_a_scheduled_article_leaves_the_menu_count_when_it_comes_due(client, editor):
    due = timezone.now() + datetime.timedelta(seconds=1.5)
    ArticleFactory(status=Article.Status.PUBLISHED, created_by=editor, published_at=due)
    client.force_login(editor)
    assert menu_counts(client) == {"mine": "1"}
    # No save: only the clock moves past the article's time.
    time.sleep(max(0.0, (due - timezone.now()).total_seconds()) + 0.2)
    assert menu_counts(client) == {"mine": "0"}
