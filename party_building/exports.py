"""The board and activity lists as Excel (xlsx) and CSV, with Chinese headers.

Rows are built once as lists of values and written by either format, so the two always
agree. Text typed by users is guarded against spreadsheet formula injection: a value that
starts with = + - @ or a control character is written with a leading apostrophe.
"""

import csv
import io

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from party_building import compliance

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value):
    """Text as a spreadsheet shows it, never run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class Percent(float):
    """A rate between 0 and 1: a number in the spreadsheet (shown as 85%), so that it can be
    averaged; ``85%`` in CSV."""

    def __str__(self):
        return f"{round(self * 100)}%"


class Yuan(float):
    """An amount kept in integer 分, written as 元 with two decimals: a number in the
    spreadsheet (so it can be summed), 123.45 in CSV."""

    def __new__(cls, fen: int):
        value = super().__new__(cls, fen / 100)
        value.fen = fen
        return value

    def __str__(self):
        return f"{self.fen // 100}.{self.fen % 100:02d}"


def _percent(figures):
    rate = figures.rate
    return "" if rate is None else Percent(rate)


def display_width(value) -> int:
    """Columns a value takes in a spreadsheet: a Chinese character is about two."""
    if isinstance(value, float):
        return 6
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def board_table(board, rows):
    """(headers, rows) for the board: each period gives a status and an attendance column."""
    headers = [_("Branch"), _("Under"), _("Law firm of the branch"), _("Periods missing")]
    for period in board.periods:
        headers += [
            _("%(period)s status") % {"period": period.label},
            _("%(period)s missing") % {"period": period.label},
            _("%(period)s attendance rate") % {"period": period.label},
        ]
    table = []
    for row in rows:
        branch = row.branch
        values = [
            safe_text(branch.name),
            safe_text(branch.parent.name if branch.parent else ""),
            safe_text(branch.law_firm.name if branch.law_firm else ""),
            row.missing,
        ]
        for cell in row.cells:
            values += [cell.status_label, "、".join(cell.missing_kinds), _percent(cell.attendance)]
        table.append(values)
    return headers, table


ACTIVITY_HEADERS = [
    gettext_lazy("Date"),
    gettext_lazy("Branch"),
    gettext_lazy("Kind"),
    gettext_lazy("Topic"),
    gettext_lazy("Place"),
    gettext_lazy("Presided by"),
    gettext_lazy("Expected"),
    gettext_lazy("Present"),
    gettext_lazy("Excused"),
    gettext_lazy("Absent"),
    gettext_lazy("Attendance rate"),
    gettext_lazy("News report"),
]


def activity_table(activities, absolute_uri):
    """(headers, rows) for activities annotated by BranchActivityQuerySet.with_attendance."""
    headers = [str(header) for header in ACTIVITY_HEADERS]
    table = []
    for activity in activities:
        rate = compliance.attendance_rate(activity.present_count, activity.expected_count)
        table.append(
            [
                activity.date,
                safe_text(activity.branch.name),
                activity.get_kind_display(),
                safe_text(activity.topic),
                safe_text(activity.place),
                safe_text(activity.presided_by.name if activity.presided_by else ""),
                activity.expected_count,
                activity.present_count,
                activity.excused_count,
                activity.absent_count,
                "" if rate is None else Percent(rate),
                absolute_uri(activity.article.get_absolute_url()) if activity.article else "",
            ]
        )
    return headers, table


def xlsx_response(title, headers, rows, filename):
    """An .xlsx file: bold header row, frozen so that it stays in view while scrolling."""
    return xlsx_sheets_response([(title, headers, rows)], filename)


def xlsx_sheets_response(sheets, filename):
    """An .xlsx file of several sheets, each given as (title, headers, rows)."""
    # Imported here: openpyxl costs a web worker 13 MB and is needed by a download only.
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, headers, rows in sheets:
        write_sheet(workbook.create_sheet(title[:31]), headers, rows)  # Excel's limit
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def write_sheet(sheet, headers, rows):
    """Bold header row, frozen so that it stays in view while scrolling."""
    from openpyxl.styles import Font

    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [display_width(header) for header in headers]
    for row in rows:
        sheet.append(row)
        for index, value in enumerate(row):
            if isinstance(value, Percent):
                sheet.cell(row=sheet.max_row, column=index + 1).number_format = "0%"
            elif isinstance(value, Yuan):
                sheet.cell(row=sheet.max_row, column=index + 1).number_format = "0.00"
            widths[index] = max(widths[index], display_width(value))
    sheet.freeze_panes = "A2"
    # Wide enough for the longest value or header, within reason.
    for index, width in enumerate(widths, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(8, min(60, width + 2))


def csv_response(headers, rows, filename):
    """UTF-8 with a byte-order mark, which is what makes Excel read Chinese correctly."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows([str(v) if isinstance(v, Percent | Yuan) else v for v in row] for row in rows)
    response = HttpResponse(
        buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
