"""The page cache forgets only what a change affects (core.pagecache, news.pagetags).

Each test fills the cache with the public pages, makes one kind of change the way staff
make it (a save, an m2m add, a delete), and reads the pages again as an anonymous reader:
the pages that show the change show it at once, and the others still come from the cache
(no query at all).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import Organization, Person
from news.models import Article, Column, Event, Participation, Source, Speech
from tests.members.factories import LawyerFactory
from tests.news.factories import ArticleFactory
from tests.party_building.factories import (
    ActivityFactory,
    AttendanceFactory,
    PartyMemberFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]

TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(year, month, day) -> datetime.datetime:
    return datetime.datetime(year, month, day, 9, tzinfo=TZ)


def from_cache(client, url) -> bool:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context) == 0


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def warm(client, *urls):
    for url in urls:
        page(client, url)
        assert from_cache(client, url), url


@pytest.fixture
def site():
    """Two columns and two sources, articles in two years, an event reported with a speech."""
    notices = Column.objects.get(slug="notices")
    other_source = Source.objects.create(name="司法部网站")
    old = ArticleFactory(title="二〇一九年的旧闻", published_at=at(2019, 3, 4))
    notice = ArticleFactory(title="一则通知", column=notices, published_at=at(2024, 5, 1))
    elsewhere = ArticleFactory(title="别处转载", source=other_source, published_at=at(2024, 4, 1))
    report = ArticleFactory(title="座谈会报道", published_at=at(2024, 5, 6))
    speaker = Person.objects.create(name="张三")
    bystander = Person.objects.create(name="李四")
    firm = Organization.objects.create(name="样本律师事务所", kind="law_firm")
    event = Event.objects.create(name="青年律师座谈会", start_date=datetime.date(2024, 5, 5))
    Participation.objects.create(event=event, person=speaker, organization=firm, role="speaker")
    other_event = Event.objects.create(name="另一场会议", start_date=datetime.date(2019, 3, 3))
    Participation.objects.create(event=other_event, person=bystander, role="attendee")
    speech = Speech.objects.create(speaker=speaker, event=event, title="在座谈会上的讲话")
    report.events.add(event)
    report.speeches.add(speech)
    old.events.add(other_event)
    return {
        "notices": notices,
        "source": other_source,
        "old": old,
        "notice": notice,
        "elsewhere": elsewhere,
        "report": report,
        "speaker": speaker,
        "bystander": bystander,
        "firm": firm,
        "event": event,
        "other_event": other_event,
        "speech": speech,
    }


def unrelated_pages(site) -> list[str]:
    """Pages that show nothing of the article `report` and its event."""
    return [
        site["old"].get_absolute_url(),
        f"/events/{site['other_event'].pk}/",
        f"/people/{site['bystander'].pk}/",
        "/archive/2019/",
        "/columns/notices/",
        f"/news/?source={site['source'].pk}",
    ]


def test_publishing_shows_where_it_belongs_and_clears_nothing_else(client, site):
    lists = [
        "/",
        "/news/",
        "/columns/association-news/",
        "/archive/",
        "/archive/2024/",
        "/archive/2024/05/",
        "/feeds/rss/",
        "/feeds/columns/association-news/atom/",
        "/sitemap-articles.xml",
    ]
    others = unrelated_pages(site)
    warm(client, *lists, *others, site["report"].get_absolute_url())
    article = ArticleFactory(
        title="刚刚发布的稿件", status=Article.Status.IN_REVIEW, published_at=at(2024, 5, 7)
    )
    # In review: no public page changes.
    assert [url for url in [*lists, *others] if not from_cache(client, url)] == []
    article.status = Article.Status.PUBLISHED
    article.save()
    for url in lists:
        shown = page(client, url)
        assert article.get_absolute_url() in shown, url
    assert [url for url in others if not from_cache(client, url)] == []
    # The newest article before it in the column now links to it.
    assert "刚刚发布的稿件" in page(client, site["report"].get_absolute_url())


def test_editing_shows_on_its_page_and_lists_only(client, site):
    report = site["report"]
    pages = [report.get_absolute_url(), "/", "/columns/association-news/", "/archive/2024/05/"]
    others = [*unrelated_pages(site), site["notice"].get_absolute_url()]
    warm(client, *pages, *others)
    report.title = "座谈会报道（修订）"
    report.save()
    for url in pages:
        assert "座谈会报道（修订）" in page(client, url), url
    assert [url for url in others if not from_cache(client, url)] == []


def test_moving_an_article_clears_the_column_and_month_it_left_and_the_ones_it_joined(client, site):
    article = site["elsewhere"]
    warm(client, "/columns/notices/", "/columns/association-news/", "/archive/2024/04/")
    article.column = site["notices"]
    article.published_at = at(2024, 5, 2)
    article.save()
    assert "别处转载" in page(client, "/columns/notices/")
    assert "别处转载" not in page(client, "/columns/association-news/")
    assert "别处转载" not in page(client, "/archive/2024/04/")


def test_withdrawing_removes_it_everywhere_it_was(client, site):
    report, notice = site["report"], site["notice"]
    url = report.get_absolute_url()
    event_url, person_url = f"/events/{site['event'].pk}/", f"/people/{site['speaker'].pk}/"
    lists = ["/", "/news/", "/columns/association-news/", "/archive/2024/05/", "/sitemap.xml"]
    warm(client, url, event_url, person_url, *lists, notice.get_absolute_url())
    report.status = Article.Status.WITHDRAWN
    report.save()
    assert client.get(url).status_code == 404
    for listing in lists:
        assert url not in page(client, listing), listing
    # No published report names the event or the speaker any more.
    assert client.get(event_url).status_code == 404
    assert client.get(person_url).status_code == 404
    assert from_cache(client, notice.get_absolute_url())


def test_reporting_an_event_shows_on_the_event_and_its_people(client, site):
    other_event, bystander = site["other_event"], site["bystander"]
    event_url, person_url = f"/events/{other_event.pk}/", f"/people/{bystander.pk}/"
    warm(client, event_url, person_url, site["notice"].get_absolute_url())
    site["notice"].events.add(other_event)
    assert "一则通知" in page(client, event_url)
    assert from_cache(client, site["notice"].get_absolute_url()) is False
    assert from_cache(client, person_url) is False


def test_a_new_report_leaves_the_other_pages_naming_the_same_people_alone(client, site):
    bystander = site["bystander"]
    reported = Event.objects.create(name="第三场会议", start_date=datetime.date(2019, 6, 1))
    Participation.objects.create(event=reported, person=bystander, role="attendee")
    site["old"].events.add(reported)
    elsewhere = f"/events/{reported.pk}/"  # names the bystander too
    warm(client, elsewhere, f"/people/{bystander.pk}/", site["old"].get_absolute_url())
    site["notice"].events.add(site["other_event"])
    assert "另一场会议" in page(client, f"/people/{bystander.pk}/")
    assert from_cache(client, elsewhere)
    assert from_cache(client, site["old"].get_absolute_url())


def test_renaming_a_person_shows_wherever_they_are_named(client, site):
    speaker = site["speaker"]
    pages = [
        f"/people/{speaker.pk}/",
        f"/events/{site['event'].pk}/",
        f"/speeches/{site['speech'].pk}/",
        "/speeches/",
        site["report"].get_absolute_url(),
    ]
    others = ["/", "/news/", "/columns/association-news/", *unrelated_pages(site)]
    warm(client, *pages, *others)
    speaker.name = "张三丰"
    speaker.save()
    for url in pages:
        assert "张三丰" in page(client, url), url
    assert [url for url in others if not from_cache(client, url)] == []


def test_editing_an_event_shows_on_its_pages_and_lists(client, site):
    event = site["event"]
    pages = [f"/events/{event.pk}/", "/events/", site["report"].get_absolute_url()]
    others = ["/", "/news/", *unrelated_pages(site)]
    warm(client, *pages, *others)
    event.name = "青年律师发展座谈会"
    event.save()
    for url in pages:
        assert "青年律师发展座谈会" in page(client, url), url
    assert [url for url in others if not from_cache(client, url)] == []


def test_a_new_participant_shows_on_the_event_and_their_page_appears(client, site):
    event = site["event"]
    newcomer = Person.objects.create(name="王五")
    warm(client, f"/events/{event.pk}/", *unrelated_pages(site))
    Participation.objects.create(event=event, person=newcomer, role="attendee")
    assert "王五" in page(client, f"/events/{event.pk}/")
    assert "王五" in page(client, f"/people/{newcomer.pk}/")
    assert [url for url in unrelated_pages(site) if not from_cache(client, url)] == []


def test_a_lawyers_record_shows_in_the_lookup_and_clears_no_news_page(client, site):
    lawyer = LawyerFactory(person__name="赵六")
    lookup = f"/lawyers/lookup/?name=赵六&license_number={lawyer.license_number}"
    pages = ["/", "/news/", site["report"].get_absolute_url(), *unrelated_pages(site)]
    warm(client, *pages)
    assert lawyer.firm.name in page(client, lookup)
    lawyer.firm = LawyerFactory().firm
    lawyer.save()
    assert lawyer.firm.name in page(client, lookup)  # the lookup is never cached
    assert [url for url in pages if not from_cache(client, url)] == []


def test_recording_attendance_clears_nothing_public(client, site):
    activity = ActivityFactory(article=site["report"])
    member = PartyMemberFactory()
    pages = [
        "/",
        "/news/",
        site["report"].get_absolute_url(),
        "/party/public/branches/",
        f"/party/public/branches/{activity.branch.pk}/",
        *unrelated_pages(site),
    ]
    warm(client, *pages)
    AttendanceFactory(activity=activity, member=member)
    assert [url for url in pages if not from_cache(client, url)] == []


def test_a_new_published_activity_shows_on_the_branch_pages_only(client, site):
    activity = ActivityFactory(article=site["report"])
    branch_page = f"/party/public/branches/{activity.branch.pk}/"
    warm(client, branch_page, "/", *unrelated_pages(site))
    ActivityFactory(branch=activity.branch, topic="新的主题党日", article=site["notice"])
    assert "新的主题党日" in page(client, branch_page)
    assert [url for url in ["/", *unrelated_pages(site)] if not from_cache(client, url)] == []


def test_a_draft_saved_again_and_again_clears_nothing(client, site):
    draft = ArticleFactory(title="草稿", status=Article.Status.DRAFT)
    pages = ["/", "/news/", site["report"].get_absolute_url(), *unrelated_pages(site)]
    warm(client, *pages)
    for word in ("一", "二", "三"):
        draft.body = f"<p>第{word}稿</p>"
        draft.save()
    assert [url for url in pages if not from_cache(client, url)] == []


def test_a_column_renamed_clears_every_page(client, site):
    warm(client, "/", site["old"].get_absolute_url())
    Column.objects.filter(slug="notices").get().save()
    assert not from_cache(client, "/")
    assert not from_cache(client, site["old"].get_absolute_url())


def test_scheduling_an_article_limits_how_long_its_lists_are_kept(client, site, monkeypatch):
    warm(client, "/news/")
    ArticleFactory(title="定时发布", published_at=timezone.now() + datetime.timedelta(seconds=30))
    # The list is rendered again, and now kept only until the article is due.
    assert not from_cache(client, "/news/")


def test_a_page_rendered_while_something_changed_is_not_stored(client, site, monkeypatch):
    from core import pagecache

    url = site["old"].get_absolute_url()
    real_versions = pagecache.versions

    def versions_then_change(tags):
        found = real_versions(tags)
        pagecache.changed("unrelated")  # another editor's save, in the middle of rendering
        return found

    monkeypatch.setattr(pagecache, "versions", versions_then_change)
    page(client, url)
    monkeypatch.setattr(pagecache, "versions", real_versions)
    assert not from_cache(client, url)
    assert from_cache(client, url)
