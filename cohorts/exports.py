"""The files cohorts hands out: the applications of a cohort as CSV, and the dashboard's rows as
CSV or XLSX. The page views and the API views both answer with these responses.

Every cell, the header row included, goes through `safe_cell`: text a spreadsheet would read as
a formula (CSV/formula injection) is kept as text."""

import csv
import io
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

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
    header = [
        _("Name"),
        _("Name (Latin letters)"),
        _("E-mail"),
        _("Course completion %"),
        _("Attendance %"),
        _("Last activity"),
    ]
    if dashboard.has_mentors:
        header.append(_("Mentor"))
    if dashboard.has_initiatives:
        header.append(_("Initiative"))
    header.append(_("At risk because"))
    return header


def dashboard_rows(dashboard: Dashboard) -> Iterator[list]:
    """The rows the filters select, in the order shown, with the columns shown."""
    fill_columns(dashboard.cohort, dashboard.matching)
    for row in dashboard.matching:
        values = [
            row.name,
            row.name_latin,
            row.email,
            row.completion_percent,
            "" if row.attendance_percent is None else row.attendance_percent,
            timezone.localtime(row.last_activity, BAGHDAD).strftime("%Y-%m-%d %H:%M")
            if row.last_activity
            else "",
        ]
        if dashboard.has_mentors:
            values.append(row.mentor)
        if dashboard.has_initiatives:
            values.append(row.initiative)
        values.append(row.reasons)
        yield values


def csv_chunks(dashboard: Dashboard) -> Iterator[str]:
    """The dashboard's rows as CSV chunks."""
    return csv_stream(dashboard_header(dashboard), dashboard_rows(dashboard))


def xlsx_bytes(dashboard: Dashboard) -> bytes:
    """The same table as an Excel workbook (openpyxl's write-only mode, row by row), right to
    left."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Trainees")[:31])
    sheet.sheet_view.rightToLeft = True
    sheet.append([safe_cell(v) for v in dashboard_header(dashboard)])
    for values in dashboard_rows(dashboard):
        sheet.append([safe_cell(v) for v in values])
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
