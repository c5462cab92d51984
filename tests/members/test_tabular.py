import datetime
import io
import zipfile

import openpyxl
import pytest

from members.tabular import (
    CSV_IS_WORKBOOK,
    CSV_MALFORMED,
    CSV_NOT_TEXT,
    CSV_UNDECODABLE,
    EMPTY_FILE,
    NO_EXTENSION,
    NO_HEADER,
    OLD_EXCEL,
    XLSX_INVALID,
    XLSX_OLD_OR_ENCRYPTED,
    Row,
    TableError,
    read_table,
)

HEADERS = {
    "姓名": "name",
    "执业证号": "license_number",
    "执业机构": "firm_name",
    "执业状态": "practice_status",
    "性别": "gender",
    "首次执业年份": "first_licensed_year",
    "执业领域": "practice_areas",
}
REQUIRED = {"name", "license_number"}
LICENSE_NUMBER = "11101201010123456"


def write_xlsx(path, rows, *, second_sheet=None):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    if second_sheet is not None:
        sheet = workbook.create_sheet("第二页")
        for row in second_sheet:
            sheet.append(row)
    workbook.save(path)
    return path


def rewrite_sheet_xml(path, old, new):
    """Replace text in the first sheet's XML, to produce what other programs write."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert old.encode() in members[sheet]
    members[sheet] = members[sheet].replace(old.encode(), new.encode())
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def read(path, filename=None):
    return read_table(path, filename=filename or path.name, headers=HEADERS, required=REQUIRED)


def read_single_value(tmp_path, value):
    path = write_xlsx(
        tmp_path / "名册.xlsx", [["姓名", "执业证号", "首次执业年份"], ["张三", "x", value]]
    )
    return read(path).rows[0].values["first_licensed_year"]


# Reading rows --------------------------------------------------------------------------


def test_xlsx_rows_are_keyed_by_field_name(tmp_path):
    path = write_xlsx(
        tmp_path / "名册.xlsx",
        [["姓名", "执业证号", "执业机构"], ["张三", LICENSE_NUMBER, "湖南天地人律师事务所"]],
    )
    assert read(path).rows == [
        Row(
            number=2,
            values={
                "name": "张三",
                "license_number": LICENSE_NUMBER,
                "firm_name": "湖南天地人律师事务所",
            },
        )
    ]


def test_row_numbers_are_those_excel_shows_when_the_header_is_not_in_row_one(tmp_path):
    path = write_xlsx(
        tmp_path / "名册.xlsx", [[], [], ["姓名", "执业证号"], ["张三", "1"], ["李四", "2"]]
    )
    assert [row.number for row in read(path).rows] == [4, 5]


def test_completely_empty_rows_are_skipped_without_renumbering(tmp_path):
    path = write_xlsx(
        tmp_path / "名册.xlsx",
        [["姓名", "执业证号"], ["张三", "1"], [None, "  "], [], ["李四", "2"]],
    )
    assert [(row.number, row.values["name"]) for row in read(path).rows] == [
        (2, "张三"),
        (5, "李四"),
    ]


def test_cell_values_are_stripped(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "执业证号"], ["  张三\u3000", "1"]])
    assert read(path).rows[0].values["name"] == "张三"


def test_empty_cells_of_recognised_columns_are_empty_strings(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "执业证号", "性别"], ["张三"]])
    assert read(path).rows[0].values == {"name": "张三", "license_number": "", "gender": ""}


def test_optional_columns_missing_from_the_file_are_absent_from_values(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "执业证号"], ["张三", "1"]])
    assert "gender" not in read(path).rows[0].values


def test_only_the_first_worksheet_is_read(tmp_path):
    path = write_xlsx(
        tmp_path / "名册.xlsx",
        [["姓名", "执业证号"], ["张三", "1"]],
        second_sheet=[["姓名", "执业证号"], ["李四", "2"]],
    )
    assert [row.values["name"] for row in read(path).rows] == ["张三"]


def test_rows_beyond_a_wrong_dimension_record_are_still_read(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "执业证号"], ["张三", "1"], ["李四", "2"]])
    rewrite_sheet_xml(path, '<dimension ref="A1:B3"', '<dimension ref="A1:A1"')
    assert [row.values for row in read(path).rows] == [
        {"name": "张三", "license_number": "1"},
        {"name": "李四", "license_number": "2"},
    ]


def test_an_uploaded_file_object_is_read_like_a_path(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "执业证号"], ["张三", "1"]])
    upload = io.BytesIO(path.read_bytes())
    table = read_table(upload, filename="名册.xlsx", headers=HEADERS, required=REQUIRED)
    assert table.rows[0].values["name"] == "张三"


def test_upper_case_extension_is_accepted(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "执业证号"], ["张三", "1"]])
    assert read(path, filename="名册.XLSX").rows[0].values["name"] == "张三"


# Headers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        " 姓名 ",
        "姓 名",
        "姓名\n",
        "姓名*",
        "姓名＊",
        "*姓名",
        "姓名（必填）",
        "姓名(必填)",
        "姓名 （必填）*",
    ],
)
def test_header_text_matches_despite_spacing_and_required_markers(tmp_path, header):
    path = write_xlsx(tmp_path / "名册.xlsx", [[header, "执业证号"], ["张三", "1"]])
    assert read(path).rows[0].values["name"] == "张三"


def test_full_width_and_half_width_parentheses_match_each_other(tmp_path):
    path = write_xlsx(
        tmp_path / "名册.xlsx", [["姓名", "执业证号", "性别(男/女)"], ["张三", "1", "男"]]
    )
    table = read_table(
        path,
        filename=path.name,
        headers={**HEADERS, "性别（男/女）": "gender"},
        required=REQUIRED,
    )
    assert table.rows[0].values["gender"] == "男"


def test_unknown_columns_are_ignored_and_reported(tmp_path):
    path = write_xlsx(
        tmp_path / "名册.xlsx", [["序号", "姓名", "执业证号", " 备注 "], [1, "张三", "1", "无"]]
    )
    table = read(path)
    assert table.ignored_columns == ["序号", "备注"]
    assert table.rows[0].values == {"name": "张三", "license_number": "1"}


def test_missing_required_column_raises_naming_it(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "性别"], ["张三", "男"]])
    with pytest.raises(TableError) as error:
        read(path)
    assert error.value.message == "表头（第1行）缺少必填列：“执业证号”。"


def test_all_missing_required_columns_are_named(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [["性别"], ["男"]])
    with pytest.raises(TableError, match="“姓名”、“执业证号”"):
        read(path)


def test_a_title_above_the_header_is_skipped_and_said(tmp_path):
    rows = [
        [],
        ["某市律师名册"],
        ["截至2024年6月", None],
        ["序号", "姓名", "执业证号"],
        [1, "张三", "7"],
    ]
    table = read(write_xlsx(tmp_path / "名册.xlsx", rows))
    assert table.rows == [Row(5, {"name": "张三", "license_number": "7"})]
    assert table.skipped_lines == [(2, "某市律师名册"), (3, "截至2024年6月")]


def test_missing_column_is_reported_on_the_row_naming_most_columns(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [[], ["2024年律师名册"], ["姓名", "证号"]])
    with pytest.raises(TableError, match=r"第3行.*缺少必填列：“执业证号”。$"):
        read(path)
    path = write_xlsx(tmp_path / "空表头.xlsx", [[], ["2024年律师名册"], ["甲", "乙"]])
    with pytest.raises(TableError, match="第2行"):
        read(path)


def test_notes_below_the_records_are_skipped_and_said_but_a_partial_record_is_kept(tmp_path):
    rows = [
        ["姓名", "执业证号", "执业机构"],
        ["张三", "7", "天平律师事务所"],
        ["李四", None, None],
        [None, "注：名册按执业证号排序。", None],
        ["合计：2人"],
        ["制表人：王五", None, None],
    ]
    table = read(write_xlsx(tmp_path / "名册.xlsx", rows))
    assert [row.number for row in table.rows] == [2, 3]
    assert table.skipped_lines == [
        (4, "注：名册按执业证号排序。"),
        (5, "合计：2人"),
        (6, "制表人：王五"),
    ]


def test_several_header_texts_may_name_one_field(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "律师执业证号"], ["张三", "1"]])
    table = read_table(
        path,
        filename=path.name,
        headers={**HEADERS, "律师执业证号": "license_number"},
        required=REQUIRED,
    )
    assert table.rows[0].values["license_number"] == "1"


def test_two_columns_for_one_field_raise(tmp_path):
    path = write_xlsx(
        tmp_path / "名册.xlsx", [["姓名", "执业证号", "姓名*"], ["张三", "1", "李四"]]
    )
    with pytest.raises(TableError) as error:
        read(path)
    assert error.value.message == "表头（第1行）中的“姓名*”列与“姓名”列重复。"


def test_required_field_unknown_to_headers_is_a_programming_error(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名"], ["张三"]])
    with pytest.raises(ValueError, match="email"):
        read_table(path, filename=path.name, headers=HEADERS, required={"name", "email"})


# Cell values ---------------------------------------------------------------------------


def test_integer_valued_float_comes_out_without_decimals(tmp_path):
    assert read_single_value(tmp_path, 2010.0) == "2010"


def test_integer_comes_out_as_digits(tmp_path):
    assert read_single_value(tmp_path, 2010) == "2010"


def test_17_digit_integer_stored_exactly_comes_out_with_every_digit(tmp_path):
    # Some programs write such a number in full; openpyxl reads it back as an int.
    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "执业证号"], ["张三", 12345]])
    rewrite_sheet_xml(path, "<v>12345</v>", f"<v>{LICENSE_NUMBER}</v>")
    assert read(path).rows[0].values["license_number"] == LICENSE_NUMBER


def test_17_digit_number_stored_as_excel_does_comes_out_as_digits_not_exponent(tmp_path):
    # Excel keeps 15 significant digits and writes 1.11012010101234E+16: the last two
    # digits are lost before we see the file, but the result is still plain digits.
    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "执业证号"], ["张三", 12345]])
    rewrite_sheet_xml(path, "<v>12345</v>", "<v>1.11012010101234E+16</v>")
    assert read(path).rows[0].values["license_number"] == "11101201010123400"


def test_fraction_comes_out_without_exponent(tmp_path):
    assert read_single_value(tmp_path, 0.00001) == "0.00001"


def test_date_comes_out_as_iso_date(tmp_path):
    assert read_single_value(tmp_path, datetime.date(2010, 7, 30)) == "2010-07-30"


def test_datetime_at_midnight_comes_out_as_iso_date(tmp_path):
    assert read_single_value(tmp_path, datetime.datetime(2010, 7, 30)) == "2010-07-30"


def test_datetime_with_a_time_comes_out_as_iso_date_and_time(tmp_path):
    value = datetime.datetime(2010, 7, 30, 9, 30)
    assert read_single_value(tmp_path, value) == "2010-07-30 09:30:00"


def test_boolean_comes_out_as_excel_shows_it(tmp_path):
    assert read_single_value(tmp_path, True) == "TRUE"


# CSV -----------------------------------------------------------------------------------

CSV_TEXT = '姓名,执业证号,执业领域\r\n张三,11101201010123456,"刑事,民事"\r\n'
CSV_VALUES = {"name": "张三", "license_number": LICENSE_NUMBER, "practice_areas": "刑事,民事"}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030", "gbk"])
def test_csv_is_read_in_each_encoding_excel_saves(tmp_path, encoding):
    path = tmp_path / "名册.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    assert read(path).rows == [Row(number=2, values=CSV_VALUES)]


def test_csv_header_with_byte_order_mark_matches(tmp_path):
    path = tmp_path / "名册.csv"
    path.write_bytes("姓名,执业证号\n张三,1\n".encode("utf-8-sig"))
    assert read(path).ignored_columns == []


def test_csv_cell_spanning_lines_is_one_excel_row(tmp_path):
    path = tmp_path / "名册.csv"
    path.write_text('姓名,执业证号,执业领域\n张三,1,"刑事\n民事"\n李四,2,\n', encoding="utf-8")
    assert [row.number for row in read(path).rows] == [2, 3]


def test_csv_short_records_give_empty_strings(tmp_path):
    path = tmp_path / "名册.csv"
    path.write_text("姓名,执业证号,性别\n张三\n", encoding="utf-8")
    assert read(path).rows[0].values == {"name": "张三", "license_number": "", "gender": ""}


def test_csv_empty_lines_are_skipped(tmp_path):
    path = tmp_path / "名册.csv"
    path.write_text("\n姓名,执业证号\n,\n张三,1\n", encoding="utf-8")
    assert [row.number for row in read(path).rows] == [4]


# Files that are not tables -------------------------------------------------------------


def assert_table_error(path, message, filename=None):
    with pytest.raises(TableError) as error:
        read(path, filename)
    assert error.value.message == message


def test_old_xls_file_is_refused(tmp_path):
    path = tmp_path / "名册.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert_table_error(path, OLD_EXCEL)


def test_xls_content_renamed_to_xlsx_is_refused(tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    assert_table_error(path, XLSX_OLD_OR_ENCRYPTED)


def test_text_file_named_xlsx_is_refused(tmp_path):
    path = tmp_path / "名册.xlsx"
    path.write_text("姓名,执业证号\n张三,1\n", encoding="utf-8")
    assert_table_error(path, XLSX_INVALID)


def test_zip_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "名册.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    assert_table_error(path, XLSX_INVALID)


def test_truncated_workbook_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "执业证号"], ["张三", "1"]])
    path.write_bytes(path.read_bytes()[:2000])
    assert_table_error(path, XLSX_INVALID)


def test_workbook_with_a_corrupt_sheet_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "执业证号"], ["张三", "1"]])
    rewrite_sheet_xml(path, "</sheetData>", "</sheetDat>")
    assert_table_error(path, XLSX_INVALID)


@pytest.mark.parametrize("name", ["名册.xlsx", "名册.csv"])
def test_empty_file_is_refused(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    assert_table_error(path, EMPTY_FILE)


def test_workbook_without_any_content_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [])
    assert_table_error(path, NO_HEADER)


def test_csv_of_blank_lines_is_refused(tmp_path):
    path = tmp_path / "名册.csv"
    path.write_text("\n , \n\n", encoding="utf-8")
    assert_table_error(path, NO_HEADER)


def test_unsupported_extension_is_refused_naming_it(tmp_path):
    path = tmp_path / "名册.docx"
    path.write_bytes(b"PK\x03\x04")
    assert_table_error(
        path, "不支持“.docx”类型的文件，请上传Excel工作簿（.xlsx）或CSV文件（.csv）。"
    )


def test_file_name_without_extension_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "执业证号"]])
    assert_table_error(path, NO_EXTENSION, filename="名册")


def test_workbook_named_csv_is_refused(tmp_path):
    path = write_xlsx(tmp_path / "名册.xlsx", [["姓名", "执业证号"]])
    assert_table_error(path, CSV_IS_WORKBOOK, filename="名册.csv")


def test_csv_in_neither_utf8_nor_gb18030_is_refused(tmp_path):
    path = tmp_path / "名册.csv"
    path.write_bytes(b"\xff\xff\xff\xff")
    assert_table_error(path, CSV_UNDECODABLE)


def test_csv_containing_nul_characters_is_refused(tmp_path):
    path = tmp_path / "名册.csv"
    path.write_bytes("姓名,执业证号\n".encode("utf-16-le"))
    assert_table_error(path, CSV_NOT_TEXT)


def test_csv_with_an_oversized_field_is_refused(tmp_path):
    path = tmp_path / "名册.csv"
    path.write_text('姓名,执业证号\n"' + "张" * 200_000 + '",1\n', encoding="utf-8")
    assert_table_error(path, CSV_MALFORMED)
