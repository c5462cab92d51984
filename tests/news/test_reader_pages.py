"""What readers see on lists, event and speech pages, and how they find feeds and branches."""

import pytest
from django.urls import reverse

from news.models import Event, Speech
from tests.members.factories import PersonFactory
from tests.news.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db


def test_each_list_item_shows_its_source_and_date(client):
    article = ArticleFactory(source=SourceFactory(name="司法部网站"))
    page = client.get(reverse("news:article-list")).content.decode()
    assert "来源：司法部网站" in page.replace("信息", "")
    assert article.published_at.strftime("%Y-") in page


def test_a_year_less_event_date_reads_as_the_report_wrote_it(client):
    event = Event.objects.create(name="创先争优活动座谈会", date_as_written="7月30日")
    article = ArticleFactory()
    article.events.add(event)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "7月30日" in page
    assert "年份" not in page and "year" not in page


def test_a_speech_without_text_shows_what_the_report_says_of_it(client):
    speaker = PersonFactory(name="赵大程")
    speech = Speech.objects.create(speaker=speaker, title="在座谈会上的讲话")
    article = ArticleFactory(
        body="<p>会议在井冈山召开。</p><p>赵大程在讲话中强调，要深入开展创先争优活动。</p>"
    )
    article.speeches.add(speech)
    page = client.get(speech.get_absolute_url()).content.decode()
    assert "赵大程在讲话中强调" in page
    assert "会议在井冈山召开" not in page


def test_the_menu_leads_to_the_party_branches(client):
    page = client.get(reverse("news:home")).content.decode()
    assert reverse("party_building:public-branch-list") in page


def test_the_feeds_page_offers_every_columns_feed(client):
    page = client.get(reverse("news:feeds")).content.decode()
    assert reverse("news:feed-rss") in page
    assert reverse("news:column-feed-rss", args=["notices"]) in page


def test_every_page_links_the_feeds_page_in_its_footer(client):
    page = client.get(reverse("news:article-list")).content.decode()
    assert f'href="{reverse("news:feeds")}"' in page
