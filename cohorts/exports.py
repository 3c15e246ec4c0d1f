"""The files cohorts hands out: the applications of a cohort as CSV, and the dashboard's rows as
CSV or XLSX. The page views and the API views both answer with these responses.

Every cell, the header row included, goes through `safe_cell`: text a spreadsheet would read as
a formula (CSV/formula injection) is kept as text."""

import csv
import datetime
import io
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from accounts.models import Governorate

from .dashboard import Dashboard, fill_columns
from .models import BAGHDAD, Cohort

# A cell starting with one of these runs as a formula in Excel, LibreOffice or Google Sheets;
# the full-width forms (U+FF1D = U+FF0B + U+FF0D - U+FF20 @) are read the same way by some of
# them, and a leading tab or carriage return can hide the sign that follows.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows written between two chunks of a streamed CSV.
CHUNK_ROWS = 200


def safe_cell(value):
    """The value as a spreadsheet should show it: text that would start a formula gets a leading
    apostrophe, which spreadsheet programs read as "this is text"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_stream(header: list, rows: Iterable[list]) -> Iterator[str]:
    """CSV text in chunks, for a streaming response; starts with a BOM so that spreadsheet
    programs read the Arabic names as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([safe_cell(v) for v in header])
    for index, values in enumerate(rows, start=1):
        writer.writerow([safe_cell(v) for v in values])
        if index % CHUNK_ROWS == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _stamp() -> str:
    return timezone.localtime(timezone.now(), BAGHDAD).strftime("%Y%m%d")


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Applications ---------------------------------------------------------------------------------


def applications_header(questions) -> list:
    return [
        _("Name"),
        _("Name (Latin letters)"),
        _("E-mail"),
        _("Governorate"),
        _("Status"),
        _("Submitted"),
        _("Motivation"),
        _("Prior civic experience"),
        _("Availability"),
        *[q.display_text for q in questions],
    ]


def applications_rows(applications, questions) -> Iterator[list]:
    for a in applications.iterator(chunk_size=500):
        person = a.applicant
        yield [
            person.full_name,
            person.full_name_latin,
            person.email,
            person.get_governorate_display(),
            a.get_status_display(),
            timezone.localtime(a.submitted_at, BAGHDAD).strftime("%Y-%m-%d %H:%M"),
            a.motivation,
            a.civic_experience,
            a.availability,
            *[a.answers.get(str(q.pk), "") for q in questions],
        ]


def applications_csv(applications, questions) -> Iterator[str]:
    """`applications` (with `applicant` loaded) as CSV chunks, a column per cohort question."""
    return csv_stream(applications_header(questions), applications_rows(applications, questions))


def applications_response(cohort: Cohort, applications) -> StreamingHttpResponse:
    """The applications given, in their order, as a streamed CSV download."""
    questions = list(cohort.application_questions.all())
    response = StreamingHttpResponse(
        applications_csv(applications, questions), content_type=CSV_TYPE
    )
    return _attachment(response, f"cohort-{cohort.pk}-applications-{_stamp()}.csv")


# --- Dashboard ------------------------------------------------------------------------------------


def dashboard_header(dashboard: Dashboard) -> list[str]:
    return [
        _("Name"),
        _("Name (Latin letters)"),
        _("E-mail"),
        _("Governorate"),
        _("Course completion %"),
        _("Attendance %"),
        _("Last activity"),
        *(str(column.label) for column in dashboard.columns),
        _("At risk because"),
    ]


# Widths (in characters) of the workbook's columns, in the header's order; registered columns
# get COLUMN_WIDTH.
XLSX_WIDTHS = (28, 28, 30, 14, 12, 12, 18)
COLUMN_WIDTH = 32
REASONS_WIDTH = 60
XLSX_DATE_FORMAT = "yyyy-mm-dd hh:mm"


def _governorates() -> dict[str, str]:
    return {value: str(label) for value, label in Governorate.choices}


def dashboard_values(dashboard: Dashboard) -> Iterator[list]:
    """The rows the filters select, in the order shown, with the columns shown; the last
    activity as a moment in Baghdad without its zone (a spreadsheet's date cell), or None."""
    if len(dashboard.rows) < len(dashboard.matching):  # a paged dashboard: fill in the others
        fill_columns(dashboard.cohort, dashboard.matching)
    governorates = _governorates()
    for row in dashboard.matching:
        yield [
            row.name,
            row.name_latin,
            row.email,
            governorates.get(row.governorate, row.governorate),
            row.completion_percent,
            row.attendance_percent,
            timezone.localtime(row.last_activity, BAGHDAD).replace(tzinfo=None)
            if row.last_activity
            else None,
            *(row.columns.get(column.key, "") for column in dashboard.columns),
            row.reasons,
        ]


def dashboard_rows(dashboard: Dashboard) -> Iterator[list]:
    """dashboard_values as text, for the CSV."""
    for values in dashboard_values(dashboard):
        yield [
            value.strftime("%Y-%m-%d %H:%M")
            if isinstance(value, datetime.datetime)
            else ("" if value is None else value)
            for value in values
        ]


def csv_chunks(dashboard: Dashboard) -> Iterator[str]:
    """The dashboard's rows as CSV chunks."""
    return csv_stream(dashboard_header(dashboard), dashboard_rows(dashboard))


def xlsx_bytes(dashboard: Dashboard) -> bytes:
    """The same table as an Excel workbook (openpyxl's write-only mode, row by row), right to
    left: the header row frozen and bold, columns wide enough to read, the last activity a real
    date cell, percentages numbers (an empty cell where there is none)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Trainees")[:31])
    sheet.sheet_view.rightToLeft = True
    sheet.freeze_panes = "A2"
    header = dashboard_header(dashboard)
    widths = [*XLSX_WIDTHS, *([COLUMN_WIDTH] * len(dashboard.columns)), REASONS_WIDTH]
    for index, width in enumerate(widths[: len(header)], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold = Font(bold=True)
    heading = []
    for value in header:
        cell = WriteOnlyCell(sheet, value=safe_cell(value))
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for values in dashboard_values(dashboard):
        cells = []
        for value in values:
            if isinstance(value, datetime.datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = XLSX_DATE_FORMAT
                cells.append(cell)
            else:
                cells.append(safe_cell(value))
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def dashboard_response(dashboard: Dashboard, *, xlsx: bool = False) -> HttpResponse:
    """Every row the dashboard's filters select as a download: a streamed CSV, or a workbook."""
    name = f"cohort-{dashboard.cohort.pk}-{_stamp()}"
    if xlsx:
        return _attachment(
            HttpResponse(xlsx_bytes(dashboard), content_type=XLSX_TYPE), f"{name}.xlsx"
        )
    response = StreamingHttpResponse(csv_chunks(dashboard), content_type=CSV_TYPE)
    return _attachment(response, f"{name}.csv")
