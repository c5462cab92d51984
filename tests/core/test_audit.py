import json
import logging

import pytest
from django.urls import reverse

from core.logformat import JsonLinesFormatter
from news.models import Article
from tests.factories import PASSWORD
from tests.news.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit_lines():
    """The audit trail as the JSON lines it writes."""
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(JsonLinesFormatter().format(record)))

    handler = Collect()
    logger = logging.getLogger("lvxie.audit")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def events(lines):
    return [line["event"] for line in lines]


def test_a_login_is_recorded_with_utc_time_user_and_the_address_nginx_saw(
    client, editor, audit_lines, settings
):
    # As deploy/ runs it: nginx on this machine (the test client connects from 127.0.0.1)
    # appends the address it saw to whatever X-Forwarded-For the client wrote.
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    client.post(
        "/admin/login/",
        {"username": "editor", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7",
    )
    (line,) = [line for line in audit_lines if line["event"] == "login"]
    assert line["user"] == "editor"
    assert line["ip"] == "203.0.113.7"
    assert line["time"].endswith("+00:00")


def test_a_forwarded_address_from_a_client_that_is_no_proxy_is_not_recorded(
    client, editor, audit_lines, settings
):
    settings.TRUSTED_PROXIES = []
    client.post(
        "/admin/login/",
        {"username": "editor", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    (line,) = [line for line in audit_lines if line["event"] == "login"]
    assert line["ip"] == "127.0.0.1"


def test_failed_logins_and_the_lockout_are_recorded_without_the_password(
    client, editor, audit_lines
):
    for _ in range(5):
        client.post("/admin/login/", {"username": "editor", "password": "my-secret-guess"})
    assert events(audit_lines).count("login_failed") == 5
    assert "lockout" in events(audit_lines)
    assert "my-secret-guess" not in json.dumps(audit_lines, ensure_ascii=False)


def test_a_permission_denial_is_recorded(client, editor, audit_lines):
    article = ArticleFactory()
    client.force_login(editor)
    client.post(reverse("admin:news_article_delete", args=[article.pk]), {"post": "yes"})
    (line,) = [line for line in audit_lines if line["event"] == "permission_denied"]
    assert line["user"] == "editor" and line["method"] == "POST"


def test_publishing_and_withdrawing_are_recorded(client, reviewer, audit_lines):
    article = ArticleFactory(status=Article.Status.IN_REVIEW)
    client.force_login(reviewer)
    changelist = reverse("admin:news_article_changelist")
    client.post(changelist, {"action": "publish_selected", "_selected_action": [article.pk]})
    client.post(changelist, {"action": "withdraw_selected", "_selected_action": [article.pk]})
    assert [line["event"] for line in audit_lines if line["event"] in ("publish", "withdraw")] == [
        "publish",
        "withdraw",
    ]
    assert audit_lines[-1]["article"] == article.pk


def test_a_deletion_is_recorded(client, superuser, audit_lines):
    article = ArticleFactory(title="要删除的稿件")
    client.force_login(superuser)
    client.post(reverse("admin:news_article_delete", args=[article.pk]), {"post": "yes"})
    (line,) = [line for line in audit_lines if line["event"] == "delete"]
    assert line["object"] == "要删除的稿件" and line["user"] == "root"


def test_a_deleted_article_stays_in_its_history(client, superuser):
    article = ArticleFactory(title="留痕的稿件")
    pk = article.pk
    client.force_login(superuser)
    client.post(reverse("admin:news_article_delete", args=[pk]), {"post": "yes"})
    assert not Article.objects.filter(pk=pk).exists()
    history = Article.history.filter(id=pk)
    assert [record.history_type for record in history] == ["-", "+"]
    assert history.first().title == "留痕的稿件"


def test_every_change_keeps_who_and_what_and_can_be_restored(client, reviewer):
    client.force_login(reviewer)
    article = ArticleFactory(title="第一版")
    article.title = "第二版"
    article._history_user = reviewer
    article.save()
    records = list(article.history.all())
    assert [r.title for r in records] == ["第二版", "第一版"]
    assert records[0].history_user == reviewer
    delta = records[0].diff_against(records[1])
    assert [change.field for change in delta.changes] == ["title"]
    # Restoring the first version through the admin's history form.
    url = reverse("admin:news_article_simple_history", args=[article.pk, records[1].history_id])
    page = client.get(url)
    assert page.status_code == 200
    assert "第一版" in page.content.decode()


def test_an_export_is_recorded(client, audit_lines):
    from tests.party_building.factories import administrator

    client.force_login(administrator())
    assert client.get("/party/board/export.csv").status_code == 200
    (line,) = [line for line in audit_lines if line["event"] == "export"]
    assert (line["what"], line["format"]) == ("board", "csv")


def test_an_import_from_the_command_line_is_recorded(tmp_path, audit_lines):
    import io

    from django.core.management import call_command

    register = tmp_path / "firms.csv"
    register.write_text(
        "律所名称,统一社会信用代码\n湖南天地人律师事务所,31440300MD01234564\n", encoding="utf-8"
    )
    call_command(
        "import_register",
        "firms",
        str(register),
        "--commit",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    (line,) = [line for line in audit_lines if line["event"] == "import"]
    assert (line["register"], line["create"]) == ("firms", 1)
