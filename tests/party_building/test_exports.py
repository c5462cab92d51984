import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from party_building.exports import safe_text
from tests.party_building.factories import (
    ActivityFactory,
    AttendanceFactory,
    BranchFactory,
    administrator,
    hold_year,
    member_of,
    party_article,
)

pytestmark = pytest.mark.django_db

D = datetime.date
YEAR_2024 = {"unit": "quarter", "start": "2024-01-01", "end": "2024-12-31"}


@pytest.fixture
def admin_client(client, db):
    client.force_login(administrator())
    return client


@pytest.fixture
def branches():
    complete = BranchFactory(name="甲律师事务所党支部")
    gaps = BranchFactory(name="乙律师事务所党支部")
    hold_year(complete, 2024)
    hold_year(gaps, 2024, skip={("general_meeting", 5)})
    member = member_of(complete)
    [february] = complete.activities.filter(kind="general_meeting", date__month=2)
    AttendanceFactory(activity=february, member=member)
    AttendanceFactory(activity=february, member=member_of(complete), status="excused")
    return complete, gaps


def workbook(response):
    return load_workbook(io.BytesIO(response.content)).active


def as_csv(cell):
    """A cell of the xlsx as the CSV writes it: rates as 85%."""
    if cell.value is None:
        return ""
    if cell.number_format == "0%":
        return f"{round(cell.value * 100)}%"
    return str(cell.value)


def test_the_board_xlsx_opens_with_chinese_headers_and_a_frozen_header_row(admin_client, branches):
    response = admin_client.get(reverse("party_building:board-xlsx"), YEAR_2024)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = workbook(response)
    assert sheet.freeze_panes == "A2"
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["党支部", "所属党组织", "律师事务所", "未完成期数"]
    assert headers[4:7] == ["2024年第1季度 状态", "2024年第1季度 缺项", "2024年第1季度 出勤率"]


def test_the_board_xlsx_rows_match_the_board(admin_client, branches):
    page = admin_client.get(reverse("party_building:board"), YEAR_2024).context
    rows = list(
        workbook(admin_client.get(reverse("party_building:board-xlsx"), YEAR_2024)).iter_rows(
            min_row=2, values_only=True
        )
    )
    expected = [
        [row.branch.name, row.missing, *(cell.status_label for cell in row.cells)]
        for row in page["board"].rows
    ]
    assert [[row[0], row[3], *row[4::3]] for row in rows] == expected
    assert (rows[0][0], rows[0][2].endswith("律师事务所"), rows[0][3]) == (
        "乙律师事务所党支部",
        True,
        1,
    )
    assert rows[0][7:9] == ("未完成", "支部党员大会")
    assert rows[1][6] == 0.5  # 甲, first quarter: 1 present of 2 expected


def test_the_board_csv_has_a_byte_order_mark_and_the_same_rows(admin_client, branches):
    xlsx = workbook(admin_client.get(reverse("party_building:board-xlsx"), YEAR_2024))
    response = admin_client.get(reverse("party_building:board-csv"), YEAR_2024)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    as_text = [[as_csv(cell) for cell in row] for row in xlsx.iter_rows()]
    assert rows == as_text


def test_the_export_follows_the_boards_filters(admin_client, branches):
    params = {**YEAR_2024, "unit": "month", "kind": "general_meeting"}
    sheet = workbook(admin_client.get(reverse("party_building:board-xlsx"), params))
    assert sheet.max_column == 4 + 12 * 3
    assert sheet.cell(row=1, column=5).value == "2024年1月 状态"


def test_bad_filters_answer_400_with_the_reason(admin_client, branches):
    response = admin_client.get(reverse("party_building:board-xlsx"), {"unit": "week"})
    assert response.status_code == 400
    assert "筛选条件有误" in response.content.decode()


def test_the_activity_export_lists_attendance_and_the_report(admin_client, branches):
    complete, _gaps = branches
    article = party_article(title="甲所召开党员大会")
    complete.activities.filter(kind="general_meeting", date__month=2).update(article=article)
    response = admin_client.get(
        reverse("party_building:activities-xlsx"),
        {"branch": complete.pk, "kind": "general_meeting", "date_to": "2024-03-31"},
    )
    sheet = workbook(response)
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == [
        *("日期", "党支部", "类别", "主题", "地点", "主持人"),
        *("应到", "实到", "请假", "缺席", "出勤率", "新闻报道"),
    ]
    [row] = list(sheet.iter_rows(min_row=2, values_only=True))
    assert row[0].date() == D(2024, 2, 15)
    assert row[1:3] == ("甲律师事务所党支部", "支部党员大会")
    assert row[6:11] == (2, 1, 1, 0, 0.5)
    assert row[11].startswith("http://testserver/news/2024/03/01/")


def test_the_activity_csv_matches_the_xlsx(admin_client, branches):
    params = {"kind": "general_meeting"}
    xlsx = workbook(admin_client.get(reverse("party_building:activities-xlsx"), params))
    response = admin_client.get(reverse("party_building:activities-csv"), params)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == xlsx.max_row == 1 + 4 + 3  # 甲 held four, 乙 three
    assert rows[0] == [c.value for c in xlsx[1]]


def test_text_that_looks_like_a_formula_is_exported_as_text(admin_client):
    ActivityFactory(topic='=HYPERLINK("http://evil","点我")', place="+1", date=D(2024, 1, 5))
    sheet = workbook(admin_client.get(reverse("party_building:activities-xlsx")))
    row = next(sheet.iter_rows(min_row=2, values_only=True))
    assert row[3] == '\'=HYPERLINK("http://evil","点我")'
    assert row[4] == "'+1"
    assert sheet.cell(row=2, column=4).data_type == "s"


def test_safe_text_leaves_ordinary_text_and_numbers_alone():
    assert [safe_text(v) for v in ("学习会", "-", 3, None)] == ["学习会", "'-", 3, None]


def test_the_attendance_rate_is_a_number_shown_as_a_percentage(admin_client, branches):
    sheet = workbook(admin_client.get(reverse("party_building:board-xlsx"), YEAR_2024))
    rate = sheet.cell(row=3, column=7)  # 甲, first quarter
    assert (rate.value, rate.number_format) == (0.5, "0%")


def test_xlsx_columns_are_wide_enough_for_their_longest_value(admin_client, branches):
    sheet = workbook(admin_client.get(reverse("party_building:board-xlsx"), YEAR_2024))
    # "甲律师事务所党支部": nine Chinese characters, about eighteen columns.
    assert sheet.column_dimensions["A"].width >= 18
    # The period headers ("2024年第1季度 出勤率") are longer than the rates below them.
    assert sheet.column_dimensions["G"].width >= 20
