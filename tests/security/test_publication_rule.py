"""Attacks on the publication rule from outside: walking ids, reading facts from drafts,
an editor's change to a published fact, a withdrawal that bypasses the signals."""

import pytest
from django.urls import reverse

from members.models import Organization, Person
from news.models import Article, Event, Participation, Speech
from tests.members.factories import LawyerFactory
from tests.news.factories import ArticleFactory
from tests.party_building.factories import BranchFactory, member_of

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ("/events/{}/", "/speeches/{}/", "/people/{}/", "/organizations/{}/")


@pytest.fixture
def register():
    """Lawyers and party members in the records, and one person a published report names."""
    for n in range(4):
        LawyerFactory(person__name=f"律师{n}")
    branch = BranchFactory()
    for n in range(3):
        member_of(branch, member__person__name=f"党员{n}")
    event = Event.objects.create(name="座谈会")
    speaker = Person.objects.create(name="吴爱英")
    Participation.objects.create(event=event, person=speaker, role="speaker")
    ArticleFactory().events.add(event)
    return speaker


def test_walking_people_by_id_finds_only_those_a_published_report_names(client, register):
    last = Person.objects.order_by("pk").last().pk
    found = [pk for pk in range(1, last + 3) if client.get(f"/people/{pk}/").status_code == 200]
    assert found == [register.pk]


def test_walking_every_public_record_page_finds_nothing_a_draft_recorded(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    event = Event.objects.create(name="草稿里的座谈会")
    person = Person.objects.create(name="草稿里的人")
    firm = Organization.objects.create(name="草稿里的单位")
    Participation.objects.create(event=event, person=person, organization=firm, role="guest")
    speech = Speech.objects.create(speaker=person, event=event, title="草稿里的讲话")
    draft.events.add(event)
    draft.speeches.add(speech)
    for page in PUBLIC_PAGES:
        for pk in range(1, 5):
            response = client.get(page.format(pk))
            assert response.status_code == 404, page.format(pk)
    for url in ("/events/", "/speeches/", "/sitemap.xml"):
        assert "草稿里" not in client.get(url).content.decode(), url
    assert client.get("/search/", {"q": "草稿里"}).context["results"] == []


def test_an_editors_change_to_a_published_event_never_reaches_the_public(client, editor):
    event = Event.objects.create(name="原来的名称", place="井冈山")
    ArticleFactory().events.add(event)
    client.force_login(editor)
    client.post(
        reverse("admin:news_event_change", args=[event.pk]),
        {
            "name": "编辑私改的名称",
            "place": "井冈山",
            "participations-TOTAL_FORMS": "0",
            "participations-INITIAL_FORMS": "0",
            "speeches-TOTAL_FORMS": "0",
            "speeches-INITIAL_FORMS": "0",
        },
    )
    client.logout()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "原来的名称" in page and "编辑私改的名称" not in page


def test_a_report_withdrawn_without_signals_takes_its_facts_out_of_search(client):
    report = ArticleFactory(title="井冈山座谈会召开")
    event = Event.objects.create(name="井冈山座谈会")
    report.events.add(event)
    assert len(client.get("/search/", {"q": "井冈山"}).context["results"]) == 2
    Article.objects.filter(pk=report.pk).update(status=Article.Status.WITHDRAWN)
    assert client.get("/search/", {"q": "井冈山"}).context["results"] == []
