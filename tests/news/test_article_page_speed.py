"""The article page without the page cache: few queries, and no relation asked for twice."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import Person
from news.models import Article, Attachment, Event, Participation, Speech, article_paths
from tests.factories import UserFactory
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def signed_in_get(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [query["sql"] for query in captured]


def test_an_article_without_events_speeches_or_attachments_takes_four_queries(client):
    article = ArticleFactory()
    client.force_login(UserFactory())
    page, statements = signed_in_get(client, article.get_absolute_url())
    assert article.title in page
    # The user, the article (with whether it has events, speeches, attachments), previous, next.
    assert len(statements) == 4, statements


def test_the_events_speeches_and_attachments_of_an_article_are_shown(client):
    article = ArticleFactory()
    event = Event.objects.create(name="律师行业座谈会", place="井冈山")
    speaker = Person.objects.create(name="吴爱英")
    Participation.objects.create(event=event, person=speaker, role="speaker", post="部长")
    speech = Speech.objects.create(speaker=speaker, event=event, title="在座谈会上的讲话")
    article.events.add(event)
    article.speeches.add(speech)
    Attachment.objects.create(
        article=article,
        title="会议通知",
        file=SimpleUploadedFile("notice.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    client.force_login(UserFactory())
    page, statements = signed_in_get(client, article.get_absolute_url())
    for shown in ("律师行业座谈会", "井冈山", "吴爱英", "在座谈会上的讲话", "会议通知"):
        assert shown in page
    # + attachments, events, their participants, speeches: one query each.
    assert len(statements) == 8, statements


def test_previous_and_next_break_ties_by_id_and_the_newest_has_no_next(client):
    when = timezone.now() - datetime.timedelta(days=1)
    first, second, third = ArticleFactory.create_batch(3, published_at=when)
    response = client.get(second.get_absolute_url())
    assert response.context["previous"] == first
    assert response.context["next"] == third
    newest = client.get(third.get_absolute_url())
    assert newest.context["previous"] == second
    assert newest.context["next"] is None


def test_an_article_address_is_what_reverse_gives():
    article = ArticleFactory(
        published_at=datetime.datetime(2014, 5, 12, 20, tzinfo=datetime.UTC)  # the 13th in 上海
    )
    expected = reverse(
        "news:article", kwargs={"year": 2014, "month": "05", "day": "13", "pk": article.pk}
    )
    assert article.get_absolute_url() == expected
    local = timezone.localtime(article.published_at)
    assert article_paths()(local, 7) == expected.replace(f"/{article.pk}/", "/7/")


def test_the_preview_of_a_version_still_shows_its_events(client, editor):
    article = ArticleFactory(status=Article.Status.DRAFT)
    article.events.add(Event.objects.create(name="律师行业座谈会"))
    client.force_login(editor)
    preview = client.get(reverse("admin:news_article_preview", args=[article.pk]))
    assert "律师行业座谈会" in preview.content.decode()
