import datetime

import pytest
from django.utils import timezone

from news.models import Article
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("status", "offset", "public"),
    [
        (Article.Status.PUBLISHED, -1, True),
        (Article.Status.PUBLISHED, +1, False),  # scheduled: appears at its time
        (Article.Status.DRAFT, -1, False),
        (Article.Status.IN_REVIEW, -1, False),
        (Article.Status.WITHDRAWN, -1, False),
    ],
)
def test_published_queryset_and_model_agree(status, offset, public):
    article = ArticleFactory(
        status=status, published_at=timezone.now() + datetime.timedelta(hours=offset)
    )
    assert (article in Article.objects.published()) is public
    assert article.is_published() is public


def test_a_scheduled_article_appears_when_its_time_comes(monkeypatch):
    article = ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=2))
    assert not Article.objects.published().exists()
    later = timezone.now() + datetime.timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert list(Article.objects.published()) == [article]


def test_the_address_uses_the_local_publication_date_and_id():
    # 2014-05-12 20:00 UTC is already 13 May in Beijing.
    article = ArticleFactory(published_at=datetime.datetime(2014, 5, 12, 20, tzinfo=datetime.UTC))
    assert article.get_absolute_url() == f"/news/2014/05/13/{article.pk}/"


def test_the_address_does_not_change_when_the_title_does():
    article = ArticleFactory(title="原标题")
    before = article.get_absolute_url()
    article.title = "全新的中文标题"
    article.save()
    assert article.get_absolute_url() == before


def test_the_body_is_sanitised_on_every_save():
    article = ArticleFactory(body='<p>正文<img src="x" onerror="alert(1)"></p><script>x()</script>')
    article.refresh_from_db()
    assert article.body == '<p>正文<img src="x"></p>'


def test_bulk_created_bodies_are_sanitised_too():
    template = ArticleFactory.build(body="<p onclick='x()'>正文</p>")
    (article,) = Article.objects.bulk_create([template])
    assert Article.objects.get(pk=article.pk).body == "<p>正文</p>"


def test_the_lead_is_the_summary_or_the_opening_of_the_body():
    assert ArticleFactory(summary="摘要").lead == "摘要"
    assert ArticleFactory(summary="", body="<p>本网讯 正文开头。</p>").lead == "本网讯 正文开头。"


def test_subtitle_lines_skip_blank_lines():
    assert ArticleFactory(subtitle="第一行\n\n 第二行 \n").subtitle_lines == ["第一行", "第二行"]
