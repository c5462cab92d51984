import io

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from news.models import Article, Column, Source
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def article_form(**overrides):
    data = {
        "title": "律师协会召开理事会",
        "subtitle": "",
        "column": Column.objects.get(slug="notices").pk,
        "source": Source.objects.get(name="本站原创").pk,
        "author": "市律协",
        "published_at_0": "2024-03-01",
        "published_at_1": "09:00:00",
        "body": "<p>正文</p>",
        "summary": "",
        "_action": "save_draft",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_an_editor_can_save_a_draft_and_submit_it_for_review(client, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:news_article_add"), article_form(_action="submit"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.IN_REVIEW
    assert article.created_by == editor


def test_an_editor_cannot_publish_by_posting_the_button(client, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:news_article_add"), article_form(_action="publish"))
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_a_posted_status_or_pin_field_is_ignored(client, editor):
    client.force_login(editor)
    client.post(reverse("admin:news_article_add"), article_form(status="published", is_pinned="on"))
    article = Article.objects.get()
    assert (article.status, article.is_pinned) == (Article.Status.DRAFT, False)


def test_an_editor_cannot_pin_by_posting_the_button(client, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:news_article_add"), article_form(_action="pin"))
    assert response.status_code == 403


def test_an_editor_cannot_change_a_published_article(client, editor):
    article = ArticleFactory(title="已发布")
    client.force_login(editor)
    url = reverse("admin:news_article_change", args=[article.pk])
    response = client.post(url, article_form(title="被改动"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.title, article.status) == ("已发布", Article.Status.PUBLISHED)


def test_an_editor_cannot_run_the_publish_action(client, editor):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    client.force_login(editor)
    client.post(
        reverse("admin:news_article_changelist"),
        {"action": "publish_selected", "_selected_action": [article.pk]},
    )
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_a_reviewer_publishes_and_withdraws_with_the_actions(client, reviewer):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    client.force_login(reviewer)
    changelist = reverse("admin:news_article_changelist")
    client.post(changelist, {"action": "publish_selected", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.updated_by == reviewer
    client.post(changelist, {"action": "withdraw_selected", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.WITHDRAWN


def test_a_reviewer_can_publish_and_pin_in_the_form(client, reviewer):
    client.force_login(reviewer)
    client.post(reverse("admin:news_article_add"), article_form(_action="publish"))
    article = Article.objects.get()
    client.post(
        reverse("admin:news_article_change", args=[article.pk]), article_form(_action="pin")
    )
    article.refresh_from_db()
    assert (article.status, article.is_pinned) == (Article.Status.PUBLISHED, True)


def test_stored_xss_through_the_admin_body_is_removed(client, reviewer):
    client.force_login(reviewer)
    hostile = (
        '<p><strong>加粗</strong><img src="x" onerror="alert(1)"><script>alert(2)</script></p>'
    )
    client.post(reverse("admin:news_article_add"), article_form(_action="publish", body=hostile))
    article = Article.objects.get()
    assert article.body == '<p><strong>加粗</strong><img src="x"></p>'
    page = Client().get(article.get_absolute_url()).content.decode()
    assert "onerror" not in page and "alert(2)" not in page


def test_only_a_superuser_may_delete_an_article(client, reviewer, superuser):
    article = ArticleFactory()
    url = reverse("admin:news_article_delete", args=[article.pk])
    client.force_login(reviewer)
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()
    client.force_login(superuser)
    client.post(url, {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()


def test_the_admin_speaks_chinese(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:news_article_add")).content.decode()
    assert "律师协会网站管理" in page
    assert "发布时间" in page


def png_upload(name="photo.png"):
    output = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(output, format="PNG")
    output.seek(0)
    output.name = name
    return output


def test_staff_upload_an_image_from_the_editor(client, editor):
    client.force_login(editor)
    response = client.post(reverse("core:editor-image-upload"), {"upload": png_upload()})
    assert response.status_code == 200
    url = response.json()["url"]
    assert url.startswith("/media/editor/") and url.endswith(".png")
    assert "photo" not in url  # stored under a random name


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "page.html"),
        (b"<script>alert(1)</script>", "photo.jpg"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image.svg"),
    ],
)
def test_a_non_image_upload_is_refused_with_a_message(client, editor, content, name):
    client.force_login(editor)
    upload = io.BytesIO(content)
    upload.name = name
    response = client.post(reverse("core:editor-image-upload"), {"upload": upload})
    assert response.status_code == 400
    assert "图片" in response.json()["error"]["message"]


def test_the_public_cannot_upload(client):
    response = client.post(reverse("core:editor-image-upload"), {"upload": png_upload()})
    assert response.status_code == 403


def test_uploads_need_the_csrf_token(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(reverse("core:editor-image-upload"), {"upload": png_upload()})
    assert response.status_code == 403


def test_an_attachment_that_is_not_a_document_is_refused(client, reviewer):
    client.force_login(reviewer)
    upload = io.BytesIO(b"<html>not a pdf</html>")
    upload.name = "notice.pdf"
    form = article_form(
        **{
            "attachments-TOTAL_FORMS": "1",
            "attachments-0-title": "通知",
            "attachments-0-file": upload,
            "attachments-0-order": "0",
        }
    )
    response = client.post(reverse("admin:news_article_add"), form)
    assert response.status_code == 200
    assert "文件内容不是 PDF" in response.content.decode()
    assert not Article.objects.exists()


# --- What a published report says changes only through a reviewer --------------------------


@pytest.fixture
def reported():
    """An event, a speech at it, a speaker and an organisation, named by a published report."""
    from members.models import Organization, Person
    from news.models import Event, Participation, Speech

    report = ArticleFactory()
    event = Event.objects.create(name="已报道的座谈会", place="井冈山")
    speaker = Person.objects.create(name="吴爱英")
    firm = Organization.objects.create(name="已报道的律师事务所", kind="law_firm")
    Participation.objects.create(event=event, person=speaker, role="speaker", order=0)
    Participation.objects.create(event=event, organization=firm, role="attendee", order=1)
    speech = Speech.objects.create(speaker=speaker, event=event, title="已报道的讲话")
    report.events.add(event)
    report.speeches.add(speech)
    return {"report": report, "event": event, "speaker": speaker, "firm": firm, "speech": speech}


def event_form(event, **overrides):
    data = {
        "name": event.name,
        "theme": event.theme,
        "organizer": "",
        "place": event.place,
        "start_date": "",
        "end_date": "",
        "date_as_written": event.date_as_written,
        "description": "",
        "participations-TOTAL_FORMS": "0",
        "participations-INITIAL_FORMS": "0",
        "participations-MIN_NUM_FORMS": "0",
        "participations-MAX_NUM_FORMS": "1000",
        "speeches-TOTAL_FORMS": "0",
        "speeches-INITIAL_FORMS": "0",
        "speeches-MIN_NUM_FORMS": "0",
        "speeches-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


CHANGES = {
    "event": ("admin:news_event_change", "name", lambda r: event_form(r["event"], name="改名")),
    "speech": (
        "admin:news_speech_change",
        "title",
        lambda r: {"title": "改名", "speaker": r["speaker"].pk, "speaker_post": "", "text": ""},
    ),
    "speaker": ("admin:members_person_change", "name", lambda r: {"name": "改名", "note": ""}),
    "firm": (
        "admin:members_organization_change",
        "name",
        lambda r: {"name": "改名", "kind": "law_firm", "parent": ""},
    ),
}


@pytest.mark.parametrize("record", CHANGES)
def test_an_editor_sees_a_reported_record_read_only_with_the_reason(
    client, editor, reported, record
):
    url_name, _field, _data = CHANGES[record]
    client.force_login(editor)
    page = client.get(reverse(url_name, args=[reported[record].pk])).content.decode()
    assert "只有审核人员" in page
    assert 'name="_save"' not in page


@pytest.mark.parametrize("record", CHANGES)
def test_an_editor_cannot_change_a_reported_record_by_posting(client, editor, reported, record):
    url_name, field, data = CHANGES[record]
    client.force_login(editor)
    response = client.post(reverse(url_name, args=[reported[record].pk]), data(reported))
    assert response.status_code == 403
    reported[record].refresh_from_db()
    assert getattr(reported[record], field) != "改名"


@pytest.mark.parametrize("record", CHANGES)
def test_a_reviewer_changes_a_reported_record(client, reviewer, reported, record):
    url_name, field, data = CHANGES[record]
    client.force_login(reviewer)
    response = client.post(reverse(url_name, args=[reported[record].pk]), data(reported))
    assert response.status_code == 302, response.content.decode()[:2000]
    reported[record].refresh_from_db()
    assert getattr(reported[record], field) == "改名"


def test_an_editor_changes_an_event_recorded_from_a_draft(client, editor, reported):
    from news.models import Article

    Article.objects.filter(pk=reported["report"].pk).update(status=Article.Status.DRAFT)
    client.force_login(editor)
    url = reverse("admin:news_event_change", args=[reported["event"].pk])
    assert client.post(url, event_form(reported["event"], name="改名")).status_code == 302
    reported["event"].refresh_from_db()
    assert reported["event"].name == "改名"


def new_participant(person):
    return {
        "participations-TOTAL_FORMS": "1",
        "participations-0-order": "5",
        "participations-0-role": "attendee",
        "participations-0-person": str(person.pk),
        "participations-0-organization": "",
        "participations-0-post": "",
    }


@pytest.mark.parametrize("user, added", [("editor", 0), ("reviewer", 1)])
def test_participants_of_an_event_with_a_reported_speech_change_only_through_a_reviewer(
    client, request, reported, user, added
):
    """The event itself is unreported; the speech held at it is reported."""
    from members.models import Person
    from news.models import Article, Participation

    unreported = Article.objects.filter(pk=reported["report"].pk)
    ArticleFactory().speeches.add(reported["speech"])
    unreported.update(status=Article.Status.DRAFT)
    newcomer = Person.objects.create(name="新来的人")
    client.force_login(request.getfixturevalue(user))
    url = reverse("admin:news_event_change", args=[reported["event"].pk])
    client.post(url, event_form(reported["event"], **new_participant(newcomer)))
    assert Participation.objects.filter(person=newcomer).count() == added


def test_an_editor_cannot_restore_an_old_version_of_a_reported_event(client, editor, reported):
    event = reported["event"]
    old = event.history.earliest()
    event.name = "新名称"
    event.save()
    client.force_login(editor)
    url = reverse("admin:news_event_simple_history", args=[event.pk, old.history_id])
    assert client.post(url, event_form(event, name=old.name)).status_code == 403
    event.refresh_from_db()
    assert event.name == "新名称"


def test_the_event_list_says_which_events_a_published_report_names(client, editor, reported):
    from news.models import Event

    Event.objects.create(name="未报道的座谈会")
    client.force_login(editor)
    response = client.get(reverse("admin:news_event_changelist"))
    rows = {event.name: event.reported for event in response.context["cl"].result_list}
    assert rows == {"已报道的座谈会": True, "未报道的座谈会": False}
    assert "已见于发布的报道" in response.content.decode()
