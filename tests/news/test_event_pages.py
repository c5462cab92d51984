import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Organization, Person
from news.models import Article, Event, Participation, Speech
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "demo" / "articles" / "000_jinggangshan_speech.txt"


@pytest.fixture
def meeting():
    """The seed's meeting as the assistant records it."""
    call_command("import_articles", str(SEED), column="speeches", stdout=io.StringIO())
    article = Article.objects.get()
    event = Event.objects.create(
        name="全国律师行业党的基层组织和党员创先争优活动座谈会",
        date_as_written="7月30日",
        place="井冈山",
    )
    article.events.add(event)
    minister = Person.objects.create(name="吴爱英")
    host = Person.objects.create(name="尹晋华")
    branch = Organization.objects.create(
        name="湖南天地人律师事务所党支部", kind="party_organization"
    )
    Participation.objects.create(
        event=event, person=minister, role="speaker", post="司法部党组书记、部长", order=0
    )
    Participation.objects.create(
        event=event, person=host, role="host", post="司法部党组成员、政治部主任", order=1
    )
    Participation.objects.create(event=event, organization=branch, role="presenter", order=2)
    speech = Speech.objects.create(
        speaker=minister, speaker_post="司法部党组书记、部长", event=event, title=article.title
    )
    article.speeches.add(speech)
    return {
        "article": article,
        "event": event,
        "minister": minister,
        "branch": branch,
        "speech": speech,
    }


def test_the_person_page_lists_the_speech_with_the_post_held_then(client, meeting):
    page = client.get(f"/people/{meeting['minister'].pk}/").content.decode()
    assert meeting["speech"].title in page
    assert "司法部党组书记、部长" in page
    assert "7月30日" in page


def test_the_event_page_groups_participants_by_role_with_posts(client, meeting):
    page = client.get(meeting["event"].get_absolute_url()).content.decode()
    assert "井冈山" in page and "7月30日" in page
    assert page.index("<dt>主持</dt>") < page.index("尹晋华") < page.index("<dt>介绍经验</dt>")
    assert "（司法部党组成员、政治部主任）" in page
    assert "湖南天地人律师事务所党支部" in page
    assert meeting["article"].get_absolute_url() in page  # the report


def test_the_event_page_lists_only_published_reports(client, meeting):
    draft = ArticleFactory(status=Article.Status.DRAFT, title="尚未发布的报道")
    draft.events.add(meeting["event"])
    assert "尚未发布的报道" not in client.get(meeting["event"].get_absolute_url()).content.decode()


def test_the_article_page_shows_the_event_and_participants_linked(client, meeting):
    page = client.get(meeting["article"].get_absolute_url()).content.decode()
    assert f'href="/events/{meeting["event"].pk}/"' in page
    assert f'href="/people/{meeting["minister"].pk}/"' in page
    assert f'href="/organizations/{meeting["branch"].pk}/"' in page


def test_the_organisation_page_lists_its_events(client, meeting):
    page = client.get(f"/organizations/{meeting['branch'].pk}/").content.decode()
    assert meeting["event"].name in page and "介绍经验" in page


def test_speeches_filter_by_speaker_event_and_year(client, meeting):
    other = Speech.objects.create(
        speaker=Person.objects.create(name="张三"),
        title="另一篇讲话",
        date=datetime.date(2020, 1, 2),
    )
    ArticleFactory().speeches.add(other)
    for params, expected in [
        ({"speaker": "吴爱英"}, [meeting["speech"]]),
        ({"event": meeting["event"].pk}, [meeting["speech"]]),
        ({"year": 2020}, [other]),
    ]:
        assert list(client.get("/speeches/", params).context["page_obj"]) == expected, params


def test_events_filter_by_year_held_not_publication_year(client, meeting):
    held = Event.objects.create(name="2010年座谈会", start_date=datetime.date(2010, 7, 30))
    ArticleFactory().events.add(held)
    assert list(client.get("/events/", {"year": 2010}).context["page_obj"]) == [held]
    assert list(client.get("/events/", {"year": 2014}).context["page_obj"]) == []


@pytest.mark.parametrize(
    "params", [{"year": "x"}, {"year": "-5"}, {"event": "abc"}, {"page": "zz"}]
)
def test_bad_filters_never_break_the_lists(client, params):
    # A page that is not a number is "not found"; every other bad filter shows the list.
    expected = 404 if "page" in params else 200
    assert client.get("/speeches/", params).status_code == expected
    assert client.get("/events/", params).status_code == expected


def queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def grow(meeting, n):
    """Add n more people, participations, speeches and reports to the seed's meeting."""
    event, minister = meeting["event"], meeting["minister"]
    for i in range(n):
        person = Person.objects.create(name=f"人员{i}")
        Participation.objects.create(
            event=event, person=person, role="attendee", post="律师", order=10 + i
        )
        speech = Speech.objects.create(speaker=minister, event=event, title=f"讲话{i}")
        report = ArticleFactory()
        report.events.add(event)
        report.speeches.add(speech)


@pytest.mark.parametrize(
    "url",
    [
        lambda m: m["event"].get_absolute_url(),
        lambda m: m["speech"].get_absolute_url(),
        lambda m: f"/people/{m['minister'].pk}/",
        lambda m: f"/organizations/{m['branch'].pk}/",
        lambda m: m["article"].get_absolute_url(),
        lambda m: "/events/",
        lambda m: "/speeches/",
    ],
)
def test_pages_run_a_bounded_number_of_queries(client, meeting, url):
    few = queries(client, url(meeting))
    grow(meeting, 30)
    assert queries(client, url(meeting)) == few


def test_the_person_page_pages_speeches_and_events_separately(client, meeting):
    report = ArticleFactory()
    for i in range(25):
        report.speeches.add(
            Speech.objects.create(speaker=meeting["minister"], title=f"讲话{i:02d}")
        )
    url = f"/people/{meeting['minister'].pk}/"
    page = client.get(url).content.decode()
    assert "?speeches_page=2" in page
    second = client.get(url, {"speeches_page": 2, "events_page": 1})
    assert second.context["speeches"].number == 2
    assert second.context["participations"].number == 1


# --- One publication rule: what a report says is public only through a published report ----


@pytest.fixture
def drafted():
    """A meeting, its speech, a speaker and an organisation recorded from a draft report."""
    draft = ArticleFactory(status=Article.Status.DRAFT)
    event = Event.objects.create(name="尚未报道的座谈会", place="某地")
    speaker = Person.objects.create(name="李四")
    firm = Organization.objects.create(name="尚未报道的律师事务所", kind="law_firm")
    Participation.objects.create(event=event, person=speaker, role="speaker", order=0)
    Participation.objects.create(event=event, organization=firm, role="attendee", order=1)
    speech = Speech.objects.create(speaker=speaker, event=event, title="尚未报道的讲话")
    draft.events.add(event)
    draft.speeches.add(speech)
    return {"draft": draft, "event": event, "speaker": speaker, "firm": firm, "speech": speech}


def drafted_urls(d):
    return [
        d["event"].get_absolute_url(),
        d["speech"].get_absolute_url(),
        f"/people/{d['speaker'].pk}/",
        f"/organizations/{d['firm'].pk}/",
    ]


def test_facts_recorded_from_a_draft_answer_404(client, drafted):
    for url in drafted_urls(drafted):
        assert client.get(url).status_code == 404, url


def test_facts_recorded_from_a_draft_are_left_out_of_lists_sitemaps_and_search(client, drafted):
    assert list(client.get("/events/").context["page_obj"]) == []
    assert list(client.get("/speeches/").context["page_obj"]) == []
    sitemap = client.get("/sitemap.xml").content.decode()
    for section in ("events", "speeches", "people", "organizations"):
        assert f"sitemap-{section}.xml" not in sitemap
    assert client.get("/search/", {"q": "尚未报道"}).context["results"] == []


def test_facts_become_public_with_their_report(client, drafted):
    drafted["draft"].status = Article.Status.PUBLISHED
    drafted["draft"].save()
    for url in drafted_urls(drafted):
        assert client.get(url).status_code == 200, url
    assert len(client.get("/search/", {"q": "尚未报道"}).context["results"]) == 2


def test_withdrawing_the_report_without_signals_hides_its_facts(client, meeting):
    Article.objects.filter(pk=meeting["article"].pk).update(status=Article.Status.WITHDRAWN)
    for url in [
        meeting["event"].get_absolute_url(),
        meeting["speech"].get_absolute_url(),
        f"/people/{meeting['minister'].pk}/",
        f"/organizations/{meeting['branch'].pk}/",
    ]:
        assert client.get(url).status_code == 404, url


def test_a_speech_added_to_a_public_event_waits_for_its_own_report(client, meeting):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    speech = Speech.objects.create(
        speaker=meeting["minister"], event=meeting["event"], title="草稿里记下的讲话"
    )
    draft.speeches.add(speech)
    assert (
        "草稿里记下的讲话" not in client.get(meeting["event"].get_absolute_url()).content.decode()
    )
    assert (
        "草稿里记下的讲话" not in client.get(f"/people/{meeting['minister'].pk}/").content.decode()
    )
    assert client.get(speech.get_absolute_url()).status_code == 404


def test_a_reported_speech_does_not_name_an_unreported_event(client, drafted):
    report = ArticleFactory()
    report.speeches.add(drafted["speech"])
    page = client.get(drafted["speech"].get_absolute_url()).content.decode()
    assert drafted["event"].name not in page
    assert drafted["event"].name not in client.get("/speeches/").content.decode()


def test_an_organisation_page_links_only_public_parents_and_children(client, meeting):
    parent = Organization.objects.create(name="未报道的上级组织")
    hidden_child = Organization.objects.create(name="未报道的下级组织", parent=meeting["branch"])
    meeting["branch"].parent = parent
    meeting["branch"].save()
    page = client.get(f"/organizations/{meeting['branch'].pk}/").content.decode()
    assert parent.name not in page and hidden_child.name not in page


def test_a_person_page_outside_any_published_report_is_the_same_404_as_a_missing_id(client):
    lawyer = Person.objects.create(name="王五", note="某律师事务所")
    missing = Person.objects.order_by("pk").last().pk + 1000
    hidden, absent = client.get(f"/people/{lawyer.pk}/"), client.get(f"/people/{missing}/")
    assert hidden.status_code == absent.status_code == 404
    # The page names its own address; apart from that the two answers are the same.
    assert hidden.content.decode().replace(f"/people/{lawyer.pk}/", "/people/N/") == (
        absent.content.decode().replace(f"/people/{missing}/", "/people/N/")
    )
    assert lawyer.name not in hidden.content.decode()
    differ = {"Content-Length", "ETag"}  # they follow from the address in the page
    assert {k: v for k, v in hidden.headers.items() if k not in differ} == {
        k: v for k, v in absent.headers.items() if k not in differ
    }


@pytest.mark.parametrize("section", ["events", "speeches", "people", "organizations"])
def test_sitemap_sections_run_a_bounded_number_of_queries(client, meeting, section):
    few = queries(client, f"/sitemap-{section}.xml")
    grow(meeting, 30)
    assert queries(client, f"/sitemap-{section}.xml") == few


def test_a_reported_speech_does_not_give_the_date_of_an_unreported_event(client, drafted):
    drafted["event"].start_date = datetime.date(2013, 5, 17)
    drafted["event"].save()
    ArticleFactory().speeches.add(drafted["speech"])
    for url in (drafted["speech"].get_absolute_url(), f"/people/{drafted['speaker'].pk}/"):
        assert "2013-05-17" not in client.get(url).content.decode(), url


@pytest.mark.parametrize("url", [lambda m: "/speeches/", lambda m: f"/people/{m['minister'].pk}/"])
def test_lists_of_speeches_read_no_speech_text_nor_event_description(client, meeting, url):
    meeting["speech"].text = "<p>讲话全文</p>"
    meeting["speech"].save()
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url(meeting))
    assert page.status_code == 200
    assert meeting["speech"].title in page.content.decode()
    assert not [q["sql"] for q in captured if '"news_speech"."text"' in q["sql"]]
    # Nor their events' descriptions (the filter menus, kept after the first page, aside).
    events = [q["sql"] for q in captured if 'FROM "news_event"' in q["sql"]]
    assert events and not [sql for sql in events if "EXISTS" in sql and "description" in sql]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
def test_the_event_and_speech_lists_have_indexes_in_their_order():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname IN (%s, %s)",
            ["event_newest_idx", "speech_newest_idx"],
        )
        definitions = dict(cursor.fetchall())
    assert (
        "news_event USING btree (start_date DESC NULLS LAST, id DESC)"
        in (definitions["event_newest_idx"])
    )
    assert (
        "news_speech USING btree (date DESC NULLS LAST, id DESC)"
        in (definitions["speech_newest_idx"])
    )


def test_the_event_page_lists_its_reports_without_reading_their_bodies(client, meeting):
    with CaptureQueriesContext(connection) as captured:
        page = client.get(meeting["event"].get_absolute_url())
    assert meeting["article"].get_absolute_url() in page.content.decode()
    assert not [q["sql"] for q in captured if '"news_article"."body"' in q["sql"]]


def test_the_person_page_counts_its_lists_once_until_the_content_changes(client, meeting, settings):
    url = f"/people/{meeting['minister'].pk}/"
    settings.PAGE_CACHE = False  # every page rendered afresh
    client.get(url)
    counting = queries(client, url)  # nothing kept (the suite's PAGE_CACHE_SECONDS = 0)
    settings.PAGE_CACHE_SECONDS = 600  # the counts kept, as on the site with PAGE_CACHE=0
    client.get(url)
    assert queries(client, url) == counting - 2  # the speeches' and the events' counts
    grow(meeting, 25)  # 26 speeches now: two pages of them
    assert "第 1 页，共 2 页" in client.get(url).content.decode()
