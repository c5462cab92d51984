import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import LawFirm, Lawyer
from tests.factories import UserFactory
from tests.members.factories import LawFirmFactory, LawyerFactory, PersonFactory, credit_code

pytestmark = pytest.mark.django_db

IMPORT = reverse("admin:members_lawfirm_import")
CONFIRM = reverse("admin:members_lawfirm_import_confirm")
HEADER = ["律所名称", "统一社会信用代码", "执业状态"]


@pytest.fixture
def importer(db):
    user = UserFactory(username="registrar", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "import_register",
                "view_lawfirm",
                "add_lawfirm",
                "change_lawfirm",
                "view_lawyer",
                "change_lawyer",
            ]
        )
    )
    return user


@pytest.fixture
def staff(db):
    user = UserFactory(username="staff", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename="view_lawfirm"))
    return user


def register(tmp_path, *rows):
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / "律所名册.xlsx"
    workbook.save(path)
    return path


def upload(client, path):
    with path.open("rb") as file:
        return client.post(IMPORT, {"file": file})


def test_the_firm_changelist_offers_import_to_whoever_may_import(client, importer):
    client.force_login(importer)
    html = client.get(reverse("admin:members_lawfirm_changelist")).content.decode()
    assert f'<a href="{IMPORT}">导入</a>' in html


def test_the_firm_changelist_hides_import_from_other_staff(client, staff):
    client.force_login(staff)
    html = client.get(reverse("admin:members_lawfirm_changelist")).content.decode()
    assert IMPORT not in html


def test_the_import_pages_are_forbidden_without_the_permission(client, staff, tmp_path):
    client.force_login(staff)
    assert client.get(IMPORT).status_code == 403
    assert upload(client, register(tmp_path, ["甲律师事务所", credit_code(1)])).status_code == 403
    assert client.post(CONFIRM, {"token": "x"}).status_code == 403


def test_an_upload_shows_the_dry_run_and_writes_nothing(client, importer, tmp_path):
    client.force_login(importer)
    response = upload(client, register(tmp_path, ["甲律师事务所", credit_code(1), "正常执业"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "新增 1 条，更新 0 条，无变化 0 条，拒绝 0 条。" in html
    assert "甲律师事务所" in html
    assert "确认导入" in html
    assert not LawFirm.objects.exists()


def test_confirming_imports_and_records_who_did_it(client, importer, tmp_path):
    client.force_login(importer)
    token = upload(client, register(tmp_path, ["甲律师事务所", credit_code(1)])).context["token"]
    response = client.post(CONFIRM, {"token": token})
    assert response.status_code == 302
    firm = LawFirm.objects.get()
    assert firm.history.get().history_user == importer


def test_a_confirmation_is_used_once(client, importer, tmp_path):
    client.force_login(importer)
    token = upload(client, register(tmp_path, ["甲律师事务所", credit_code(1)])).context["token"]
    client.post(CONFIRM, {"token": token})
    LawFirm.objects.all().delete()
    response = client.post(CONFIRM, {"token": token}, follow=True)
    assert "该导入已经执行过或已过期" in response.content.decode()
    assert not LawFirm.objects.exists()


def test_a_token_from_another_session_is_refused(client, importer, tmp_path):
    client.force_login(importer)
    token = upload(client, register(tmp_path, ["甲律师事务所", credit_code(1)])).context["token"]
    client.logout()
    client.force_login(importer)
    client.post(CONFIRM, {"token": token})
    assert not LawFirm.objects.exists()


def test_a_refused_row_is_named_and_offers_no_confirmation(client, importer, tmp_path):
    client.force_login(importer)
    path = register(
        tmp_path, ["甲律师事务所", credit_code(1)], ["乙律师事务所", "31440300MD00000029"]
    )
    response = upload(client, path)
    html = response.content.decode()
    assert "<td>3</td>" in html
    assert "统一社会信用代码校验码错误" in html
    assert "确认导入" not in html
    assert response.context["token"] is None


def test_a_file_that_is_not_a_register_gets_a_message(client, importer, tmp_path):
    client.force_login(importer)
    path = tmp_path / "名册.docx"
    path.write_bytes(b"PK\x03\x04")
    html = upload(client, path).content.decode()
    assert "不支持“.docx”类型的文件" in html


def test_the_lawyer_changelist_offers_import_too(client, importer):
    client.force_login(importer)
    html = client.get(reverse("admin:members_lawyer_changelist")).content.decode()
    assert reverse("admin:members_lawyer_import") in html


def test_the_admin_refuses_a_credit_code_with_a_bad_check_character(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:members_lawfirm_add"),
        {
            "name": "甲律师事务所",
            "credit_code": "31440300MD01234565",
            "practice_status": "practising",
        },
    )
    assert response.status_code == 200
    assert "统一社会信用代码校验码错误" in response.content.decode()
    assert not LawFirm.objects.exists()


def test_the_admin_refuses_a_malformed_licence_number(client, superuser):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:members_lawyer_add"),
        {
            "person": PersonFactory().pk,
            "license_number": "1234",
            "practice_status": "practising",
        },
    )
    assert "执业证号应为17位数字，当前为4位。" in response.content.decode()
    assert not Lawyer.objects.exists()


def test_a_change_of_firm_in_the_admin_keeps_who_and_how_in_the_history(client, superuser):
    lawyer = LawyerFactory()
    other = LawFirmFactory()
    client.force_login(superuser)
    response = client.post(
        reverse("admin:members_lawyer_change", args=[lawyer.pk]),
        {
            "person": lawyer.person.pk,
            "license_number": lawyer.license_number,
            "firm": other.pk,
            "practice_status": "practising",
            "first_licensed_year": "2010",
        },
    )
    assert response.status_code == 302
    latest = lawyer.history.first()
    assert (latest.firm_id, latest.history_user, latest.history_change_reason) == (
        other.pk,
        superuser,
        "后台编辑",
    )


@pytest.mark.parametrize("model", ["lawyer", "lawfirm"])
def test_the_changelists_run_the_same_number_of_queries_for_5_and_50_lawyers(
    client, superuser, model
):
    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse(f"admin:members_{model}_changelist")).status_code == 200
        return len(context)

    def count_kept():
        # The first page after a change reads again what the admin keeps per content
        # generation (the list's count) and per user (the list of apps and models): compare
        # the pages that follow.
        count()
        return count()

    client.force_login(superuser)
    LawyerFactory.create_batch(5)
    few = count_kept()
    LawyerFactory.create_batch(45)
    assert count_kept() == few
