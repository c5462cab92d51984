import datetime
import io
import tempfile

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import storages
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members import importers
from members.importers import Action
from members.models import LawFirm, Lawyer, PendingImport, Person
from tests.factories import UserFactory
from tests.members.factories import LawFirmFactory, LawyerFactory, credit_code, license_number

pytestmark = pytest.mark.django_db

FIRM_HEADER = [
    "律所名称",
    "统一社会信用代码",
    "执业许可证号",
    "地址",
    "电话",
    "成立日期",
    "执业状态",
]
LAWYER_HEADER = ["姓名", "执业证号", "执业机构", "执业状态", "性别", "首次执业年份", "执业领域"]


def write_xlsx(path, header, rows):
    workbook = openpyxl.Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def firm_row(n, **changes):
    row = {
        "律所名称": f"测试{n}律师事务所",
        "统一社会信用代码": credit_code(n),
        "执业许可证号": f"2440120001{n:07d}",
        "地址": f"深圳市福田区律所路{n}号",
        "电话": "0755-83000000",
        "成立日期": "2010-07-30",
        "执业状态": "正常执业",
        **changes,
    }
    return [row[header] for header in FIRM_HEADER]


def lawyer_row(n, firm="测试1律师事务所", **changes):
    row = {
        "姓名": f"律师{n}",
        "执业证号": license_number(n),
        "执业机构": firm,
        "执业状态": "正常执业",
        "性别": "女",
        "首次执业年份": "",
        "执业领域": "刑事，民事",
        **changes,
    }
    return [row[header] for header in LAWYER_HEADER]


def plan(kind, path):
    return importers.plan_import(kind, path, path.name)


def run(*args):
    out = io.StringIO()
    call_command("import_register", *map(str, args), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def firms_file(tmp_path):
    return write_xlsx(tmp_path / "律所名册.xlsx", FIRM_HEADER, [firm_row(1), firm_row(2)])


@pytest.fixture
def firms(firms_file):
    importers.import_register(importers.FIRMS, firms_file, firms_file.name)
    return list(LawFirm.objects.all())


# Firms ---------------------------------------------------------------------------------


def test_a_dry_run_of_new_firms_plans_to_create_them_and_writes_nothing(firms_file):
    result = plan(importers.FIRMS, firms_file)
    assert [(row.number, row.action) for row in result.rows] == [
        (2, Action.CREATE),
        (3, Action.CREATE),
    ]
    assert not LawFirm.objects.exists()


def test_importing_firms_stores_every_column(firms):
    firm = LawFirm.objects.get(credit_code=credit_code(1))
    assert (firm.name, firm.license_number, firm.address, firm.phone) == (
        "测试1律师事务所",
        "24401200010000001",
        "深圳市福田区律所路1号",
        "0755-83000000",
    )
    assert firm.founded.isoformat() == "2010-07-30"
    assert firm.practice_status == LawFirm.Status.PRACTISING


def test_importing_the_same_firms_twice_leaves_every_row_unchanged(firms, firms_file):
    again = importers.import_register(importers.FIRMS, firms_file, firms_file.name)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2, "refuse": 0}


def test_a_changed_status_is_planned_as_an_update_naming_old_and_new(firms, tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", FIRM_HEADER, [firm_row(1, 执业状态="停业整顿")])
    row = plan(importers.FIRMS, path).rows[0]
    assert row.action == Action.UPDATE
    assert [(c.label, c.old, c.new) for c in row.changes] == [("执业状态", "正常执业", "停业整顿")]


def test_an_empty_cell_leaves_the_recorded_value_alone(firms, tmp_path):
    path = write_xlsx(tmp_path / "f.xlsx", FIRM_HEADER, [firm_row(1, 电话="", 地址="")])
    assert plan(importers.FIRMS, path).rows[0].action == Action.UNCHANGED


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"统一社会信用代码": "31440300MD00000019"}, "统一社会信用代码校验码错误"),
        ({"统一社会信用代码": "91110000600037341L"}, "应以“31”开头"),
        ({"律所名称": ""}, "缺少律所名称"),
        ({"成立日期": "2010年13月1日"}, "无法识别日期"),
        ({"执业状态": "歇业"}, "无法识别“歇业”"),
        ({"电话": "1" * 31}, "电话超过 30 个字符"),
    ],
)
def test_a_bad_firm_row_is_refused_with_its_reason(tmp_path, changes, reason):
    path = write_xlsx(tmp_path / "f.xlsx", FIRM_HEADER, [firm_row(1, **changes)])
    row = plan(importers.FIRMS, path).rows[0]
    assert row.action == Action.REFUSE
    assert any(reason in problem for problem in row.problems), row.problems


def test_a_credit_code_twice_in_the_file_is_refused_naming_the_first_row(tmp_path):
    path = write_xlsx(
        tmp_path / "f.xlsx",
        FIRM_HEADER,
        [firm_row(1), firm_row(2, 统一社会信用代码=credit_code(1))],
    )
    row = plan(importers.FIRMS, path).rows[1]
    assert row.problems == ["统一社会信用代码与第 2 行重复。"]


def test_a_name_held_by_another_firm_in_the_register_is_refused(tmp_path):
    LawFirmFactory(name="测试1律师事务所", credit_code=credit_code(9))
    path = write_xlsx(tmp_path / "f.xlsx", FIRM_HEADER, [firm_row(1)])
    assert plan(importers.FIRMS, path).rows[0].problems == [
        f"名册中统一社会信用代码为 {credit_code(9)} 的律所已使用此名称。"
    ]


# Lawyers -------------------------------------------------------------------------------


@pytest.fixture
def lawyers_file(tmp_path, firms):
    return write_xlsx(
        tmp_path / "律师名册.xlsx",
        LAWYER_HEADER,
        [lawyer_row(1), lawyer_row(2, firm="测试2律师事务所"), lawyer_row(3, 性别="男")],
    )


def test_importing_lawyers_creates_people_and_lawyers_at_their_firms(lawyers_file):
    importers.import_register(importers.LAWYERS, lawyers_file, lawyers_file.name)
    lawyer = Lawyer.objects.select_related("person", "firm").get(license_number=license_number(2))
    assert (lawyer.person.name, lawyer.firm.name, lawyer.gender) == (
        "律师2",
        "测试2律师事务所",
        Lawyer.Gender.FEMALE,
    )
    assert lawyer.practice_areas == "刑事、民事"
    assert lawyer.first_licensed_year == 2010  # read from the licence number
    assert Person.objects.count() == 3


def test_importing_the_same_lawyers_twice_leaves_every_row_unchanged(lawyers_file):
    importers.import_register(importers.LAWYERS, lawyers_file, lawyers_file.name)
    again = importers.import_register(importers.LAWYERS, lawyers_file, lawyers_file.name)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 3, "refuse": 0}
    assert Person.objects.count() == 3


def test_a_move_to_another_firm_is_imported_and_kept_in_the_history(firms, tmp_path, superuser):
    LawyerFactory(person__name="律师1", license_number=license_number(1), firm=firms[0])
    path = write_xlsx(tmp_path / "调动.xlsx", LAWYER_HEADER, [lawyer_row(1, firm=firms[1].name)])
    result = importers.import_register(importers.LAWYERS, path, path.name, user=superuser)
    assert result.rows[0].changes[0].label == "执业机构"
    moved = Lawyer.objects.get(license_number=license_number(1))
    assert moved.firm == firms[1]
    latest = moved.history.first()
    assert (latest.firm_id, latest.history_user, latest.history_change_reason) == (
        firms[1].pk,
        superuser,
        "名册导入：调动.xlsx",
    )


def test_a_firm_written_with_half_width_brackets_is_still_found(tmp_path):
    LawFirmFactory(name="北京大成（深圳）律师事务所")
    path = write_xlsx(
        tmp_path / "l.xlsx", LAWYER_HEADER, [lawyer_row(1, firm="北京大成 (深圳) 律师事务所")]
    )
    assert plan(importers.LAWYERS, path).rows[0].action == Action.CREATE


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"执业机构": "不存在律师事务所"}, "执业机构“不存在律师事务所”不在律所名册中"),
        ({"执业证号": "1440320101000001"}, "执业证号应为17位数字，当前为16位。"),
        ({"姓名": ""}, "缺少律师姓名"),
        ({"性别": "未知"}, "无法识别“未知”"),
        ({"首次执业年份": "1970"}, "首次执业年份“1970”"),
        ({"执业状态": "吊销"}, "无法识别“吊销”"),
    ],
)
def test_a_bad_lawyer_row_is_refused_with_its_reason(firms, tmp_path, changes, reason):
    path = write_xlsx(tmp_path / "l.xlsx", LAWYER_HEADER, [lawyer_row(1, **changes)])
    row = plan(importers.LAWYERS, path).rows[0]
    assert row.action == Action.REFUSE
    assert any(reason in problem for problem in row.problems), row.problems


def test_a_licence_number_twice_in_the_file_is_refused_naming_the_first_row(firms, tmp_path):
    path = write_xlsx(
        tmp_path / "l.xlsx",
        LAWYER_HEADER,
        [lawyer_row(1), lawyer_row(2), lawyer_row(3, 执业证号=license_number(1))],
    )
    assert plan(importers.LAWYERS, path).rows[2].problems == ["执业证号与第 2 行重复。"]


def test_a_licence_number_of_someone_else_in_the_register_is_refused(firms, tmp_path):
    LawyerFactory(person__name="张三", license_number=license_number(1))
    path = write_xlsx(tmp_path / "l.xlsx", LAWYER_HEADER, [lawyer_row(1, 姓名="李四")])
    assert plan(importers.LAWYERS, path).rows[0].problems == [
        "名册中此执业证号属于张三，与姓名不符。"
    ]


def test_one_bad_row_imports_nothing_at_all(firms, tmp_path):
    LawyerFactory(person__name="律师1", license_number=license_number(1), firm=firms[0])
    rows = [lawyer_row(1, 执业状态="停止执业"), lawyer_row(2), lawyer_row(3, 执业机构="无此所")]
    path = write_xlsx(tmp_path / "l.xlsx", LAWYER_HEADER, rows)
    result = importers.import_register(importers.LAWYERS, path, path.name)
    assert [row.number for row in result.refused] == [4]
    assert Lawyer.objects.count() == 1
    assert Lawyer.objects.get().practice_status == Lawyer.Status.PRACTISING


def test_apply_refuses_a_plan_with_refused_rows(firms, tmp_path):
    path = write_xlsx(tmp_path / "l.xlsx", LAWYER_HEADER, [lawyer_row(1, 姓名="")])
    with pytest.raises(importers.ImportRefused):
        importers.apply(plan(importers.LAWYERS, path))


def test_a_csv_file_is_imported_like_a_workbook(firms, tmp_path):
    path = tmp_path / "律师名册.csv"
    path.write_text(
        ",".join(LAWYER_HEADER) + "\n" + ",".join(lawyer_row(1)).replace("，", "、") + "\n",
        encoding="gb18030",
    )
    result = importers.import_register(importers.LAWYERS, path, path.name)
    assert result.counts["create"] == 1
    assert Lawyer.objects.get().person.name == "律师1"


def test_an_id_number_column_is_never_stored_and_is_reported(firms, tmp_path):
    path = write_xlsx(
        tmp_path / "l.xlsx", [*LAWYER_HEADER, "身份证号"], [[*lawyer_row(1), "110101199001011234"]]
    )
    assert plan(importers.LAWYERS, path).ignored_columns == ["身份证号"]


def test_importing_50_lawyers_runs_as_many_queries_as_importing_5(firms, tmp_path):
    def queries(first, count):
        rows = [lawyer_row(n) for n in range(first, first + count)]
        path = write_xlsx(tmp_path / f"{first}.xlsx", LAWYER_HEADER, rows)
        with CaptureQueriesContext(connection) as context:
            importers.import_register(importers.LAWYERS, path, path.name)
        return len(context)

    assert queries(1, 5) == queries(100, 50)


# The command ---------------------------------------------------------------------------


def test_the_command_without_commit_reports_and_writes_nothing(firms_file):
    output = run("firms", firms_file)
    assert "第 2 行 [新增]" in output
    assert "预演" in output
    assert not LawFirm.objects.exists()


def test_the_command_with_commit_imports(firms_file):
    output = run("firms", firms_file, "--commit")
    assert "已导入" in output
    assert LawFirm.objects.count() == 2


def test_the_command_names_the_refused_row_and_imports_nothing(firms, tmp_path):
    rows = [lawyer_row(1), lawyer_row(2, 执业证号="123")]
    path = write_xlsx(tmp_path / "l.xlsx", LAWYER_HEADER, rows)
    with pytest.raises(CommandError, match="第 3 行被拒绝，未导入任何记录"):
        run("lawyers", path, "--commit")
    assert not Lawyer.objects.exists()


def test_the_command_explains_a_file_it_cannot_read(tmp_path):
    path = tmp_path / "名册.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    with pytest.raises(CommandError, match="不支持旧版Excel文件"):
        run("firms", path)


def test_the_command_explains_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="无法读取文件"):
        run("firms", tmp_path / "nothing.xlsx")


# Who may import what: no more than the user could write by hand -------------------------


def test_rows_that_would_add_firms_are_refused_without_the_right_to_add(firms_file):
    result = importers.plan_import(
        importers.FIRMS, firms_file, firms_file.name, rights=importers.Rights(may_create=False)
    )
    assert [row.action for row in result.rows] == [Action.REFUSE, Action.REFUSE]
    assert result.rows[0].problems == ["您无权新增律师事务所，此行不能导入。"]


def test_rows_that_would_change_a_lawyer_are_refused_without_the_right_to_change_it(
    lawyers_file, tmp_path
):
    importers.import_register(importers.LAWYERS, lawyers_file, lawyers_file.name)
    rows = [lawyer_row(1, 执业状态="停止执业"), lawyer_row(2, firm="测试2律师事务所")]
    path = write_xlsx(tmp_path / "l.xlsx", LAWYER_HEADER, rows)
    rights = importers.Rights(may_change=lambda record: False)
    result = importers.plan_import(importers.LAWYERS, path, path.name, rights=rights)
    assert result.rows[0].action == Action.REFUSE
    assert result.rows[0].problems == ["您无权修改此律师，此行不能导入。"]
    assert result.rows[1].action == Action.UNCHANGED  # nothing to write, nothing to refuse


def test_the_right_to_change_is_asked_of_each_record(firms, tmp_path):
    for n in (1, 2):
        LawyerFactory(person__name=f"律师{n}", license_number=license_number(n), firm=firms[0])
    rows = [lawyer_row(1, 执业状态="停止执业"), lawyer_row(2, 执业状态="停止执业")]
    path = write_xlsx(tmp_path / "l.xlsx", LAWYER_HEADER, rows)
    rights = importers.Rights(may_change=lambda lawyer: lawyer.license_number != license_number(2))
    result = importers.import_register(importers.LAWYERS, path, path.name, rights=rights)
    assert [row.action for row in result.rows] == [Action.UPDATE, Action.REFUSE]
    assert not Lawyer.objects.filter(practice_status=Lawyer.Status.SUSPENDED).exists()


# The same rule in the admin --------------------------------------------------------------

LAWYER_IMPORT = reverse("admin:members_lawyer_import")
LAWYER_CONFIRM = reverse("admin:members_lawyer_import_confirm")
FIRM_IMPORT = reverse("admin:members_lawfirm_import")
FIRM_CONFIRM = reverse("admin:members_lawfirm_import_confirm")


def account(*codenames):
    user = UserFactory(username="-".join(codenames) or "nobody", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["import_register", *codenames])
    )
    return user


def upload(client, url, path):
    with path.open("rb") as file:
        return client.post(url, {"file": file})


def test_an_importer_who_may_not_add_lawyers_sees_the_new_ones_refused_in_the_dry_run(
    client, lawyers_file
):
    client.force_login(account("view_lawyer", "change_lawyer"))
    response = upload(client, LAWYER_IMPORT, lawyers_file)
    assert "您无权新增律师，此行不能导入。" in response.content.decode()
    assert response.context["token"] is None


def test_adding_lawyers_also_needs_the_right_to_add_people(client, lawyers_file):
    client.force_login(account("view_lawyer", "add_lawyer"))
    response = upload(client, LAWYER_IMPORT, lawyers_file)
    assert response.context["counts"]["refuse"] == 3


def test_an_importer_who_may_only_add_firms_cannot_change_one(client, firms, tmp_path):
    client.force_login(account("view_lawfirm", "add_lawfirm"))
    path = write_xlsx(tmp_path / "f.xlsx", FIRM_HEADER, [firm_row(1, 执业状态="停业整顿")])
    response = upload(client, FIRM_IMPORT, path)
    assert "您无权修改此律师事务所，此行不能导入。" in response.content.decode()
    assert response.context["token"] is None


def test_the_confirmation_refuses_as_a_whole_when_a_right_is_gone(client, firms, tmp_path):
    user = account("view_lawfirm", "add_lawfirm", "change_lawfirm")
    client.force_login(user)
    rows = [firm_row(1, 执业状态="停业整顿"), firm_row(3)]
    token = upload(client, FIRM_IMPORT, write_xlsx(tmp_path / "f.xlsx", FIRM_HEADER, rows))
    token = token.context["token"]
    user.user_permissions.remove(Permission.objects.get(codename="change_lawfirm"))
    response = client.post(FIRM_CONFIRM, {"token": token})
    assert response.status_code == 200
    assert response.context["counts"]["refuse"] == 1
    assert LawFirm.objects.count() == 2
    assert not LawFirm.objects.filter(practice_status=LawFirm.Status.SUSPENDED).exists()


# The upload waiting for confirmation -----------------------------------------------------


@pytest.fixture
def registrar(db):
    return account("view_lawfirm", "add_lawfirm", "change_lawfirm")


def test_the_waiting_upload_is_kept_in_the_private_storage(client, registrar, firms_file):
    client.force_login(registrar)
    upload(client, FIRM_IMPORT, firms_file)
    pending = PendingImport.objects.get()
    assert storages["private"].exists(pending.file.name)
    with storages["private"].open(pending.file.name) as stored:
        assert stored.read() == firms_file.read_bytes()
    assert (pending.user, pending.filename) == (registrar, firms_file.name)


def test_the_confirmation_works_on_another_app_server(
    client, registrar, firms_file, settings, tmp_path, monkeypatch
):
    client.force_login(registrar)
    token = upload(client, FIRM_IMPORT, firms_file).context["token"]
    # Another server: its own (empty) temporary folders, its own storage objects; what it
    # shares with the first is the database and the private storage's root.
    other_tmp = tmp_path / "other-server-tmp"
    other_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(other_tmp))
    monkeypatch.setattr("members.admin.UPLOAD_DIR", other_tmp / "uploads", raising=False)
    settings.STORAGES = {**settings.STORAGES}  # a new storage object reads the shared root
    response = client.post(FIRM_CONFIRM, {"token": token})
    assert response.status_code == 302
    assert LawFirm.objects.count() == 2


def test_a_confirmed_upload_leaves_no_file_behind(client, registrar, firms_file):
    client.force_login(registrar)
    token = upload(client, FIRM_IMPORT, firms_file).context["token"]
    name = PendingImport.objects.get().file.name
    client.post(FIRM_CONFIRM, {"token": token})
    assert not PendingImport.objects.exists()
    assert not storages["private"].exists(name)


def test_uploads_nobody_confirmed_are_deleted_after_a_day(client, registrar, firms_file):
    client.force_login(registrar)
    upload(client, FIRM_IMPORT, firms_file)
    stale = PendingImport.objects.get()
    PendingImport.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    upload(client, FIRM_IMPORT, firms_file)
    assert not PendingImport.objects.filter(pk=stale.pk).exists()
    assert not storages["private"].exists(stale.file.name)
    assert PendingImport.objects.count() == 1


def test_an_upload_older_than_a_day_cannot_be_confirmed(client, registrar, firms_file):
    client.force_login(registrar)
    token = upload(client, FIRM_IMPORT, firms_file).context["token"]
    PendingImport.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    response = client.post(FIRM_CONFIRM, {"token": token}, follow=True)
    assert "该导入已经执行过或已过期" in response.content.decode()
    assert not LawFirm.objects.exists()


def register_with_title_and_notes(path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["某市律师事务所名册"])
    workbook.active.append(FIRM_HEADER)
    workbook.active.append(firm_row(1))
    workbook.active.append(["注：按成立日期排列。"])
    workbook.save(path)
    return path


def test_a_register_with_a_title_and_a_note_imports_its_records_and_says_what_it_skipped(
    tmp_path,
):
    path = register_with_title_and_notes(tmp_path / "律所名册.xlsx")
    out = run(importers.FIRMS, path, "--commit")
    assert "不是记录、未导入的行：第1行（某市律师事务所名册）、第4行（注：按成立日期排列。）" in out
    assert list(LawFirm.objects.values_list("name", flat=True)) == ["测试1律师事务所"]


def test_the_dry_run_page_lists_the_lines_that_are_not_records(client, tmp_path):
    client.force_login(account("view_lawfirm", "add_lawfirm"))
    response = upload(client, FIRM_IMPORT, register_with_title_and_notes(tmp_path / "f.xlsx"))
    page = response.content.decode()
    assert "不是记录、未导入的行：" in page
    assert "第1行（某市律师事务所名册）" in page and "第4行（注：按成立日期排列。）" in page
    assert response.context["counts"]["create"] == 1


def test_registers_name_their_columns_in_the_ways_registers_do(tmp_path, firms):
    header = ["序号", "律师姓名", "性 别", "执业证书编号", "所在律所", "首次执业时间", "专业领域"]
    rows = [[1, "王五", "男", license_number(9), "测试1律师事务所", "2010-05-01", "刑事"]]
    path = write_xlsx(tmp_path / "律师名册.xlsx", header, rows)
    result = plan(importers.LAWYERS, path)
    assert [row.action for row in result.rows] == [Action.CREATE]
    assert result.ignored_columns == ["序号"]
    importers.import_register(importers.LAWYERS, path, path.name)
    lawyer = Lawyer.objects.get(license_number=license_number(9))
    assert (lawyer.firm.name, lawyer.first_licensed_year) == ("测试1律师事务所", 2010)


def test_a_name_padded_to_line_up_is_one_name(tmp_path, firms):
    rows = [lawyer_row(1, 姓名="王\u3000伟"), lawyer_row(2, 姓名=" David  Smith ")]
    path = write_xlsx(tmp_path / "律师名册.xlsx", LAWYER_HEADER, rows)
    importers.import_register(importers.LAWYERS, path, path.name)
    names = set(Lawyer.objects.values_list("person__name", flat=True))
    assert names == {"王伟", "David Smith"}
    again = write_xlsx(tmp_path / "again.xlsx", LAWYER_HEADER, [lawyer_row(1, 姓名="王  伟")])
    assert [row.action for row in plan(importers.LAWYERS, again).rows] == [Action.UNCHANGED]
