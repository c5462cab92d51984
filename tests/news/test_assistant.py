import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from members.models import Organization, Person
from news.models import Article, Event, Participation, Speech

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[2] / "demo" / "articles" / "000_jinggangshan_speech.txt"
PRESENTERS = [
    "北京司法厅(局)",
    "上海司法厅(局)",
    "四川司法厅(局)",
    "新疆司法厅(局)",
    "湖南天地人律师事务所党支部",
    "浙江六和律师事务所党支部",
]


@pytest.fixture
def seed_article():
    call_command("import_articles", str(SEED), column="speeches", stdout=io.StringIO())
    return Article.objects.get()


def extract_url(article):
    return reverse("admin:news_article_extract", args=[article.pk])


def unchanged(response):
    """The proposal forms submitted exactly as the page showed them."""
    data = {}
    forms = [response.context["event_form"]]
    for formset in (response.context["participant_forms"], response.context["speech_forms"]):
        management = formset.management_form
        data.update(
            {management[name].html_name: management[name].value() for name in management.fields}
        )
        forms.extend(formset)
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


def test_accepting_the_seed_proposals_unchanged_records_every_fact(client, reviewer, seed_article):
    client.force_login(reviewer)
    page = client.get(extract_url(seed_article))
    assert page.status_code == 200
    assert "会议日期未写明年份" in page.content.decode()
    response = client.post(extract_url(seed_article), unchanged(page))
    assert response.status_code == 302

    event = Event.objects.get()
    assert event.name == "全国律师行业党的基层组织和党员创先争优活动座谈会"
    assert (event.place, event.start_date, event.date_as_written) == ("井冈山", None, "7月30日")
    assert list(seed_article.events.all()) == [event]

    speech = Speech.objects.get()
    assert (speech.speaker.name, speech.speaker_post, speech.event) == (
        "吴爱英",
        "司法部党组书记、部长",
        event,
    )
    assert list(seed_article.speeches.all()) == [speech]

    def people(role):
        return [
            (p.person.name, p.post)
            for p in event.participations.filter(role=role, person__isnull=False)
        ]

    assert people(Participation.Role.HOST) == [("尹晋华", "司法部党组成员、政治部主任")]
    assert people(Participation.Role.ATTENDEE) == [
        ("陈训秋", "司法部党组副书记、副部长"),
        ("张苏军", "部党组成员、副部长"),
        ("郝赤勇", "部党组成员、副部长"),
    ]
    presenters = event.participations.filter(role=Participation.Role.PRESENTER)
    assert [p.organization.name for p in presenters] == PRESENTERS
    assert Organization.objects.get(name="湖南天地人律师事务所党支部").kind == "party_organization"
    assert Organization.objects.get(name="北京司法厅(局)").kind == "justice_bureau"
    # The speaker is one person, however many times the report names her.
    assert Person.objects.filter(name="吴爱英").count() == 1


def test_nothing_is_saved_before_the_editor_confirms(client, reviewer, seed_article):
    client.force_login(reviewer)
    client.get(extract_url(seed_article))
    assert not Event.objects.exists()
    assert not Person.objects.exists()


def test_existing_people_are_matched_not_duplicated(client, reviewer, seed_article):
    minister = Person.objects.create(name="吴爱英", note="司法部")
    client.force_login(reviewer)
    page = client.get(extract_url(seed_article))
    client.post(extract_url(seed_article), unchanged(page))
    assert Person.objects.filter(name="吴爱英").count() == 1
    assert Speech.objects.get().speaker == minister


def test_unticked_proposals_are_not_saved(client, reviewer, seed_article):
    client.force_login(reviewer)
    page = client.get(extract_url(seed_article))
    data = unchanged(page)
    host_index = next(
        i
        for i, form in enumerate(page.context["participant_forms"])
        if form.initial["name"] == "尹晋华"
    )
    del data[f"participants-{host_index}-include"]
    client.post(extract_url(seed_article), data)
    assert not Person.objects.filter(name="尹晋华").exists()
    assert Person.objects.filter(name="陈训秋").exists()


def test_a_corrected_year_is_saved_as_the_event_date(client, reviewer, seed_article):
    client.force_login(reviewer)
    data = unchanged(client.get(extract_url(seed_article)))
    data["event-start_date"] = "2010-07-30"
    client.post(extract_url(seed_article), data)
    event = Event.objects.get()
    assert str(event.start_date) == "2010-07-30"
    assert event.date_as_written == ""


def test_a_second_submit_adds_nothing(client, reviewer, seed_article):
    client.force_login(reviewer)
    data = unchanged(client.get(extract_url(seed_article)))
    client.post(extract_url(seed_article), data)
    counts = (Event.objects.count(), Person.objects.count(), Participation.objects.count())
    response = client.post(extract_url(seed_article), data, follow=True)
    assert "已经记录" in response.content.decode()
    assert (Event.objects.count(), Person.objects.count(), Participation.objects.count()) == counts


def test_the_article_page_offers_the_button(client, reviewer, seed_article):
    client.force_login(reviewer)
    page = client.get(reverse("admin:news_article_change", args=[seed_article.pk]))
    assert "从正文识别" in page.content.decode()


def test_the_public_cannot_use_the_assistant(client, seed_article):
    response = client.get(extract_url(seed_article))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_editor_runs_the_assistant_on_a_draft(client, editor, seed_article):
    seed_article.status = Article.Status.DRAFT
    seed_article.save()
    client.force_login(editor)
    page = client.get(extract_url(seed_article))
    assert client.post(extract_url(seed_article), unchanged(page)).status_code == 302
    assert Event.objects.count() == 1


def test_an_editor_cannot_add_facts_to_a_published_article(client, editor, seed_article):
    client.force_login(editor)
    assert client.get(extract_url(seed_article)).status_code == 403
