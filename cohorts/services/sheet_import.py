"""A paper sign-in sheet typed up as CSV: checked row by row, written all or nothing."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.errors import Conflict
from core.models import record

from .. import tallies
from ..models import Attendance, Session
from .attendance import active_trainee_ids, set_mark
from .permissions import require_attendance_taker

MAX_IMPORT_ROWS = 2000
MAX_IMPORT_BYTES = 512 * 1024
# Sign-in sheets are written by hand in either language: these words are read as statuses too.
STATUS_WORDS = {
    "present": Attendance.Status.PRESENT,
    "حاضر": Attendance.Status.PRESENT,
    "حاضرة": Attendance.Status.PRESENT,
    "late": Attendance.Status.LATE,
    "متأخر": Attendance.Status.LATE,
    "متاخر": Attendance.Status.LATE,
    "متأخرة": Attendance.Status.LATE,
    "excused": Attendance.Status.EXCUSED,
    "معذور": Attendance.Status.EXCUSED,
    "معذورة": Attendance.Status.EXCUSED,
    "مجاز": Attendance.Status.EXCUSED,
    "absent": Attendance.Status.ABSENT,
    "غائب": Attendance.Status.ABSENT,
    "غائبة": Attendance.Status.ABSENT,
}


@dataclass
class ImportRow:
    line: int
    email: str
    status: str
    note: str
    user_id: int | None = None
    name: str = ""
    previous_status: str = ""


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self):
        return _("Line %(line)s: %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True
    written: int = 0

    @property
    def valid(self) -> bool:
        return not self.errors


def import_attendance_csv(
    *, actor, session: Session, data: bytes | str, dry_run: bool = True, now=None
) -> ImportReport:
    """Read a paper sign-in sheet typed up as CSV (columns `email`, `status`, optional `note`).
    Every row is checked first; the report lists row-level errors. With dry_run=False the marks
    are written only when every row is valid; otherwise ValidationError carries the row errors
    and nothing is written."""
    require_attendance_taker(actor, session)
    now = now or timezone.now()
    report = _parse_sheet(session, data)
    report.dry_run = dry_run
    if report.errors and not dry_run:
        raise ValidationError({"rows": [str(e) for e in report.errors]})
    if dry_run:
        return report
    if session.starts_at > now:
        raise Conflict(
            _("A sign-in sheet can be imported once the session has started."),
            code="session_not_started",
        )
    with transaction.atomic():
        # In user id order: the lock order of the attendance counters (see cohorts.tallies).
        marked = []
        for row in sorted(report.rows, key=lambda row: row.user_id):
            _attendance, changed = set_mark(
                session=session,
                user_id=row.user_id,
                status=row.status,
                source=Attendance.Source.IMPORT,
                actor=actor,
                note=row.note,
                now=now,
                count=False,
            )
            report.written += changed
            if changed:
                marked.append(row.user_id)
        if marked:
            tallies.marks_changed(session, marked)
        record(
            actor=actor,
            action="cohorts.import_attendance",
            target=session,
            rows=len(report.rows),
            written=report.written,
        )
    return report


def _bounded_rows(reader):
    """(line number, row) pairs, stopping one past the row limit so that the caller can say so."""
    for count, row in enumerate(reader):
        yield reader.line_num, row
        if count >= MAX_IMPORT_ROWS:
            return


def _parse_sheet(session: Session, data: bytes | str) -> ImportReport:
    report = ImportReport()
    if isinstance(data, bytes):
        if len(data) > MAX_IMPORT_BYTES:
            report.errors.append(RowError(0, str(_("The file is too large."))))
            return report
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            report.errors.append(RowError(0, str(_("Save the sheet as CSV in UTF-8."))))
            return report
    else:
        text = data.lstrip("\ufeff")
    if "\x00" in text:
        # PostgreSQL refuses NUL in text, and a sheet saved as CSV never holds one.
        report.errors.append(RowError(0, str(_("This is not a CSV text file."))))
        return report
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "email" not in header or "status" not in header:
        report.errors.append(
            RowError(1, str(_("The first line must name the columns email and status.")))
        )
        return report
    reader.fieldnames = header
    raw_rows = []
    try:
        rows = list(_bounded_rows(reader))
    except csv.Error:
        # A cell over the csv module's field limit (128 KiB) or a broken quote.
        report.errors.append(RowError(reader.line_num, str(_("This line cannot be read as CSV."))))
        return report
    for line_num, row in rows:
        if len(raw_rows) >= MAX_IMPORT_ROWS:
            report.errors.append(
                RowError(
                    line_num,
                    str(_("A sheet has at most %(max)s rows.") % {"max": MAX_IMPORT_ROWS}),
                )
            )
            break
        values = {k: (v or "").strip() for k, v in row.items() if k}
        if not any(values.values()):
            continue
        raw_rows.append((line_num, values))

    emails = {values.get("email", "").lower() for _line, values in raw_rows}
    people = {
        u.email.lower(): u
        for u in User.objects.filter(email__in=emails).only("id", "email", "full_name")
    }
    trainees = active_trainee_ids(session.cohort_id)
    previous = dict(Attendance.objects.filter(session=session).values_list("user_id", "status"))
    seen = {}
    for line, values in raw_rows:
        email = values.get("email", "").lower()
        status_word = values.get("status", "")
        status = STATUS_WORDS.get(status_word.lower()) or STATUS_WORDS.get(status_word)
        user = people.get(email)
        problems = []
        if not email:
            problems.append(_("the e-mail address is missing"))
        elif user is None:
            problems.append(_("nobody is registered with the e-mail %(email)s") % {"email": email})
        elif user.pk not in trainees:
            problems.append(
                _("%(name)s is not a trainee of this cohort") % {"name": user.full_name}
            )
        elif email in seen:
            problems.append(
                _("%(email)s already appears on line %(line)s")
                % {"email": email, "line": seen[email]}
            )
        if status is None:
            problems.append(
                _("“%(status)s” is not an attendance status (present, late, excused, absent)")
                % {"status": status_word}
            )
        if problems:
            report.errors.extend(RowError(line, str(p)) for p in problems)
            continue
        seen[email] = line
        report.rows.append(
            ImportRow(
                line=line,
                email=email,
                status=status,
                note=values.get("note", "")[:300],
                user_id=user.pk,
                name=user.full_name,
                previous_status=previous.get(user.pk, ""),
            )
        )
    if not raw_rows and not report.errors:
        report.errors.append(RowError(1, str(_("The sheet has no rows."))))
    return report
