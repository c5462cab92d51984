"""Reading the association's register spreadsheets (.xlsx and .csv) into rows of strings.

Staff keep the registers of lawyers and firms in Excel and upload either the workbook or a
CSV saved from it. This module turns such a file into header-mapped rows of stripped strings
and reports anything wrong with the file as a `TableError` carrying a Chinese message for
the uploader. Checking the values themselves is the importer's job.
"""

import csv
import datetime
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO

EMPTY_FILE = "文件是空的，请检查后重新上传。"
NO_EXTENSION = "无法识别文件类型，请上传Excel工作簿（.xlsx）或CSV文件（.csv）。"
UNSUPPORTED_TYPE = "不支持“{extension}”类型的文件，请上传Excel工作簿（.xlsx）或CSV文件（.csv）。"
OLD_EXCEL = "不支持旧版Excel文件（.xls），请在Excel中另存为Excel工作簿（.xlsx）后再上传。"
XLSX_OLD_OR_ENCRYPTED = (
    "文件不是有效的Excel工作簿（.xlsx）：可能是改了扩展名的旧版Excel文件（.xls），"
    "或设置了打开密码。请另存为不加密的Excel工作簿（.xlsx）后再上传。"
)
XLSX_INVALID = "文件不是有效的Excel工作簿（.xlsx），可能已损坏或扩展名有误。"
CSV_IS_WORKBOOK = "文件内容是Excel工作簿而不是CSV文本，请检查文件扩展名。"
CSV_NOT_TEXT = "文件不是文本格式的CSV文件，可能已损坏或扩展名有误。"
CSV_UNDECODABLE = "无法识别CSV文件的文字编码，请在Excel中另存为“CSV UTF-8（逗号分隔）”后再上传。"
CSV_MALFORMED = "CSV文件格式有误，无法读取，请在Excel中重新另存为CSV后再上传。"
NO_HEADER = "文件中没有内容，找不到表头。"
MISSING_COLUMNS = "表头（第{row}行）缺少必填列：{columns}。"
DUPLICATE_COLUMN = "表头（第{row}行）中的“{column}”列与“{first}”列重复。"

_ZIP_MAGIC = b"PK\x03\x04"
# Compound File Binary: .xls, and also .xlsx files protected with a password to open.
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Full-width ASCII (U+FF01..U+FF5E) and the ideographic space, as typed with a Chinese IME.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_REQUIRED_MARKERS = ("*", "(必填)")


class TableError(Exception):
    """The file cannot be read as a table; `message` is in Chinese, for the uploader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Row:
    """One data row: `number` is the row number shown in Excel, `values` is keyed by field."""

    number: int
    values: dict[str, str]


@dataclass(frozen=True)
class Table:
    rows: list[Row]
    ignored_columns: list[str]
    # Lines that are not records, as (row number, text): a title above the header
    # (某市律师名册), a note below the records (注：…, 合计, 制表人).
    skipped_lines: list[tuple[int, str]] = field(default_factory=list)


def read_table(
    source: str | os.PathLike[str] | IO[bytes],
    *,
    filename: str,
    headers: dict[str, str],
    required: set[str],
) -> Table:
    """Read a .xlsx or .csv register into rows keyed by field name.

    `source` is a path or a binary file (such as an upload, read from its current position);
    `filename` is the name the user gave the file, whose extension decides how it is read.
    `headers` maps header text to field names; several texts may map to one field. Header
    text matches whatever the spacing, full- or half-width characters, a "*" before or after
    it, or a trailing "（必填）". `required` holds field names whose column must be present.

    The header is the first of the first ten non-empty rows that names every required column
    (a title and a date may stand above it), else the one of them naming most columns, which
    is then said to lack the others. Unknown columns are skipped and listed in
    `Table.ignored_columns`.
    Lines that are not records (the rows above the header, a note or a total below the
    records) are skipped and listed in `Table.skipped_lines`. Each other non-empty row below
    the header becomes a `Row` whose values hold every recognised column present, as
    stripped strings ("" for an empty cell). Only the first
    worksheet of a workbook is read, and formulas give the values Excel last saved. Numbers
    come out as plain digits, but Excel keeps only 15 significant digits: a 17-digit licence
    number typed into a number cell has lost its last digits before it reaches us, so
    templates should format such columns as text.

    Raises `TableError` for anything wrong with the file; raises ValueError if `required`
    names a field that `headers` does not map to.
    """
    unknown = required - set(headers.values())
    if unknown:
        raise ValueError(f"required fields missing from headers: {sorted(unknown)}")
    extension = os.path.splitext(filename)[1].lower()
    if extension == ".xls":
        raise TableError(OLD_EXCEL)
    if extension not in (".xlsx", ".csv"):
        if not extension:
            raise TableError(NO_EXTENSION)
        raise TableError(UNSUPPORTED_TYPE.format(extension=extension))

    data = _read_bytes(source)
    if not data:
        raise TableError(EMPTY_FILE)
    lines = _xlsx_lines(data) if extension == ".xlsx" else _csv_lines(data)
    return _table(lines, headers, required)


def _read_bytes(source: str | os.PathLike[str] | IO[bytes]) -> bytes:
    # A 20,000-row register is about a megabyte; having the bytes at hand lets us sniff the
    # format and try a second encoding without relying on the upload being seekable.
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as file:
            return file.read()
    return source.read()


def _xlsx_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    if data.startswith(_OLE2_MAGIC):
        raise TableError(XLSX_OLD_OR_ENCRYPTED)
    if not data.startswith(_ZIP_MAGIC):
        raise TableError(XLSX_INVALID)
    # Imported here: openpyxl costs a web worker 13 MB and is needed by an import only.
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl fails in many ways on a broken package
        raise TableError(XLSX_INVALID) from error
    try:
        sheet = workbook.worksheets[0]  # IndexError, reported below, if there is none
        # Some programs write a wrong <dimension>, which would cut rows or columns off.
        sheet.reset_dimensions()
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(value) for value in values]
    except TableError:
        raise
    except Exception as error:
        raise TableError(XLSX_INVALID) from error
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """Return a cell's value as the text a person means by it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # Years and numbers typed as numbers come back as floats (2010.0); never let them
        # turn into "2010.0" or "1.1101201010123456e+16".
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value).strip()


def _csv_lines(data: bytes) -> Iterator[tuple[int, list[str]]]:
    if data.startswith((_ZIP_MAGIC, _OLE2_MAGIC)):
        raise TableError(CSV_IS_WORKBOOK)
    text = _decode(data)
    if "\x00" in text:
        raise TableError(CSV_NOT_TEXT)
    try:
        # Numbered by record, not by line: a quoted cell spanning lines is still one Excel row.
        for number, record in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield number, [cell.strip() for cell in record]
    except csv.Error as error:
        raise TableError(CSV_MALFORMED) from error


def _decode(data: bytes) -> str:
    # Excel on a Chinese Windows saves plain "CSV" in the ANSI code page (GBK), which
    # GB18030 contains; "CSV UTF-8" comes with a byte order mark.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(CSV_UNDECODABLE)


def _header_key(text: str) -> str:
    """Reduce header text to what identifies the column."""
    key = "".join(text.translate(_HALF_WIDTH).split()).casefold()
    stripped = None
    while stripped != key:
        stripped = key
        key = key.removeprefix("*")
        for marker in _REQUIRED_MARKERS:
            key = key.removesuffix(marker)
    return key


# A register may open with its title and a date above the header, which is looked for among
# this many non-empty rows.
HEADER_SEARCH_ROWS = 10
# A line below the records that is a note, not a record: one cell, starting with one of these.
_NOTE_STARTS = (
    "注", "备注", "说明", "合计", "总计", "共计", "小计", "制表", "填表", "审核", "截至",
    "数据截至", "统计时间",
)  # fmt: skip


def _header_row(
    lines: Iterator[tuple[int, list[str]]], fields_named, required: set[str]
) -> tuple[int, list[str], list[tuple[int, list[str]]]]:
    """The header's row number and cells, and the non-empty rows read above it.

    `fields_named(cells)` is the set of fields a row's cells name as headers.
    """
    above: list[tuple[int, list[str]]] = []
    for number, cells in lines:
        if not any(cells):
            continue
        if required <= fields_named(cells):
            return number, cells, above
        above.append((number, cells))
        if len(above) == HEADER_SEARCH_ROWS:
            break
    if not above:
        raise TableError(NO_HEADER)
    # No row names the required columns: the one naming most columns (the first, if none
    # does) is the header, and says what it lacks.
    number, cells = max(above, key=lambda row: (len(fields_named(row[1])), -row[0]))
    return number, cells, []


def _is_note(cells: list[str]) -> bool:
    filled = [cell for cell in cells if cell]
    return len(filled) == 1 and filled[0].translate(_HALF_WIDTH).startswith(_NOTE_STARTS)


def _table(
    lines: Iterable[tuple[int, list[str]]], headers: dict[str, str], required: set[str]
) -> Table:
    lines = iter(lines)
    fields_by_key = {_header_key(text): field for text, field in headers.items()}

    def named(cells: list[str]) -> set[str | None]:
        return {fields_by_key.get(_header_key(text)) for text in cells if text} - {None}

    header_number, header_cells, above = _header_row(lines, named, required)
    skipped = [(number, " ".join(cell for cell in cells if cell)) for number, cells in above]
    columns: dict[int, str] = {}
    column_text: dict[str, str] = {}
    ignored_columns: list[str] = []
    for index, text in enumerate(header_cells):
        if not text:
            continue
        field = fields_by_key.get(_header_key(text))
        if field is None:
            ignored_columns.append(text)
        elif field in column_text:
            raise TableError(
                DUPLICATE_COLUMN.format(row=header_number, column=text, first=column_text[field])
            )
        else:
            columns[index] = field
            column_text[field] = text

    first_text: dict[str, str] = {}
    for text, field in headers.items():
        first_text.setdefault(field, text)
    missing = [
        text for field, text in first_text.items() if field in required and field not in column_text
    ]
    if missing:
        names = "、".join(f"“{text}”" for text in missing)
        raise TableError(MISSING_COLUMNS.format(row=header_number, columns=names))

    rows = []
    for number, cells in lines:
        if _is_note(cells):
            skipped.append((number, next(cell for cell in cells if cell)))
        elif any(cells):
            cells += [""] * (len(header_cells) - len(cells))  # rows may end before the last column
            rows.append(Row(number, {field: cells[index] for index, field in columns.items()}))
    return Table(rows=rows, ignored_columns=ignored_columns, skipped_lines=skipped)
