"""The admin's 导入旧稿 page, zip refusals, the queue of recognised names and old addresses."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from news.importers import files_from_zip, plan, zip_of
from news.models import Article, Column, ExtractionProposal
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LEGACY = Path(__file__).resolve().parents[2] / "tests" / "data" / "legacy"
CENTENARY = (LEGACY / "pages" / "shls-centenary.txt").read_bytes()
BAOTOU = (LEGACY / "pages" / "tongji-baotou.txt").read_bytes()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def column() -> Column:
    return Column.objects.get(slug="association-news")


def check(client, *files):
    return client.post(
        reverse("admin:news_legacy_import"), {"files": list(files), "column": column().pk}
    )


def confirm(client, response):
    return client.post(
        reverse("admin:news_legacy_import_confirm"),
        {"token": response.context["token"], "column": column().pk},
    )


def test_the_article_list_links_to_the_import_page(client, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:news_article_changelist"))
    assert reverse("admin:news_legacy_import") in page.content.decode()


def test_the_import_page_is_forbidden_without_the_permission(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:news_legacy_import")).status_code == 403


def test_checking_files_shows_the_table_and_writes_nothing(client, editor):
    client.force_login(editor)
    response = check(client, upload("centenary.txt", CENTENARY), upload("baotou.txt", BAOTOU))
    html = response.content.decode()
    assert "回顾历史 展望未来——群策群力议律师公会百年纪念" in html
    assert "上海市律师协会" in html and "2012-05-17" in html and "宣传部" in html
    assert "来源缺失" in html  # the Baotou page names no source
    assert not Article.objects.exists()


def test_confirming_imports_complete_files_published_and_the_rest_to_be_checked(client, editor):
    client.force_login(editor)
    response = check(client, upload("centenary.txt", CENTENARY), upload("baotou.txt", BAOTOU))
    confirm(client, response)
    published = Article.objects.get(status=Article.Status.PUBLISHED)
    draft = Article.objects.get(status=Article.Status.DRAFT)
    assert published.legacy_url == "/centenary.txt" and not published.needs_review
    assert draft.needs_review and "来源缺失" in draft.import_doubts


def test_a_zip_of_a_mirrored_folder_is_imported_with_its_paths(client, editor):
    client.force_login(editor)
    archive = zip_of({"site/news/1.txt": CENTENARY, "site/news/2.txt": BAOTOU})
    confirm(client, check(client, upload("mirror.zip", archive)))
    assert set(Article.objects.values_list("legacy_url", flat=True)) == {
        "/site/news/1.txt",
        "/site/news/2.txt",
    }


def test_a_confirmation_is_used_once(client, editor):
    client.force_login(editor)
    response = check(client, upload("centenary.txt", CENTENARY))
    confirm(client, response)
    confirm(client, response)
    assert Article.objects.count() == 1


def test_one_unreadable_file_shows_its_reason_and_offers_no_import(client, editor):
    client.force_login(editor)
    response = check(client, upload("centenary.txt", CENTENARY), upload("empty.html", b""))
    assert "文件为空" in response.content.decode()
    assert response.context["token"] is None


@pytest.mark.parametrize(
    ("member", "reason"),
    [("../outside.txt", "路径指向 zip 文件夹之外"), ("/etc/page.txt", "路径指向 zip 文件夹之外")],
)
def test_a_zip_with_paths_outside_its_folder_is_refused(member, reason):
    reading = plan(files_from_zip("bad.zip", io.BytesIO(zip_of({member: CENTENARY}))))
    assert reason in reading.problems[0]


def test_a_zip_bomb_is_refused_without_inflating_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"0" * (3 * 1024 * 1024))
    reading = plan(files_from_zip("bomb.zip", io.BytesIO(buffer.getvalue())))
    assert "bomb.txt" in reading.problems[0]
    assert "文件过大" in reading.problems[0] or "压缩比异常" in reading.problems[0]


def test_a_file_that_is_not_a_zip_is_refused():
    reading = plan(files_from_zip("fake.zip", io.BytesIO(b"not a zip")))
    assert reading.problems == ["fake.zip：不是有效的 zip 文件。"]


def test_recognise_all_fills_the_queue_and_counts_it(client, editor):
    client.force_login(editor)
    confirm(client, check(client, upload("centenary.txt", CENTENARY)))
    client.post(reverse("admin:news_legacy_recognise"))
    found = set(ExtractionProposal.objects.values_list("name", "post"))
    assert ("刘忠定", "市司法局副局长") in found
    page = client.get(reverse("admin:news_extractionproposal_changelist"))
    assert page.context["counts"]["pending"] == len(found)


def test_accepting_and_rejecting_from_the_queue_are_counted(client, editor):
    client.force_login(editor)
    confirm(client, check(client, upload("centenary.txt", CENTENARY)))
    client.post(reverse("admin:news_legacy_recognise"))
    first, second = ExtractionProposal.objects.all()[:2]
    changelist = reverse("admin:news_extractionproposal_changelist")
    client.post(changelist, {"action": "accept_selected", "_selected_action": [first.pk]})
    client.post(changelist, {"action": "reject_selected", "_selected_action": [second.pk]})
    counts = client.get(changelist).context["counts"]
    assert (counts["accepted"], counts["rejected"]) == (1, 1)


def test_an_old_address_answers_with_a_permanent_redirect(client, editor):
    client.force_login(editor)
    confirm(client, check(client, upload("centenary.txt", CENTENARY)))
    client.logout()
    article = Article.objects.get()
    response = client.get("/centenary.txt")
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_an_unknown_address_is_still_not_found(client):
    assert client.get("/no/such/page.html").status_code == 404


def test_traditional_reports_are_read_on_the_simplified_form_and_named_as_written():
    from news.assistant import extract_as_written

    found = extract_as_written(
        "本網訊 市律師協會年會3月5日在律師之家召開。會議由市律協會長張三主持。"
    )
    assert ("張三", "市律協會長") in {(p.name, p.post) for p in found.participants}


def test_correcting_a_name_in_the_queue_records_the_corrected_person(client, editor):
    from members.models import Person

    client.force_login(editor)
    confirm(client, check(client, upload("centenary.txt", CENTENARY)))
    client.post(reverse("admin:news_legacy_recognise"))
    proposal = ExtractionProposal.objects.get(name="刘忠定")
    client.post(
        reverse("admin:news_extractionproposal_change", args=[proposal.pk]),
        {"final_name": "刘忠定", "final_post": "上海市司法局副局长"},
    )
    proposal.refresh_from_db()
    assert proposal.status == ExtractionProposal.Status.CORRECTED
    assert proposal.final_post == "上海市司法局副局长"
    assert Person.objects.filter(name="刘忠定").exists()
