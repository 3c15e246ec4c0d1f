"""The manager's dashboard of one cohort: a row per active trainee (course completion %,
attendance %, last activity, mentor, initiative, at-risk flags with their reasons) and cohort
aggregates (progress distribution, attendance per session), with filters, sorting, pagination
and CSV/XLSX export of exactly the rows the filters select, in the order shown.

Queries: nine, whatever the number of trainees, sessions or courses (each registered mentor or
initiative lookup adds its own constant few). Every per-trainee figure is aggregated in SQL and
grouped by trainee (and course), so a 1,000-trainee cohort returns a few thousand small rows,
never one row per lesson or per attendance mark.

Completion follows the rules of courses.progress (a text/video/resource lesson is complete when
marked complete, a quiz when passed, an assignment when accepted; a course's percentage is the
share of its required lessons complete); the per-course counts are computed here in SQL because
loading every lesson state of a large cohort is too slow for this page, and
tests/cohorts/test_dashboard.py checks the figures against courses.progress.progress_for.
A trainee's completion % is the mean of their percentages in the curriculum's required courses
(all curriculum courses when none is marked required)."""

import bisect
import csv
import datetime
import io
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses.models import AssignmentSubmission, Lesson, LessonProgress, QuizAttempt

from .models import BAGHDAD, Attendance, Cohort, CurriculumItem, Membership, Session

INACTIVE_AFTER = datetime.timedelta(days=14)
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
BUCKETS = ((0, 24), (25, 49), (50, 74), (75, 99), (100, 100))

FLAG_LABELS = {
    "attendance": gettext_lazy("Attendance below policy"),
    "inactive": gettext_lazy("Inactive"),
    "overdue": gettext_lazy("Overdue work"),
}
SORTS = {
    "name": lambda r: (r.name.casefold(), r.user_id),
    "completion": lambda r: (r.completion_percent, r.name.casefold()),
    "attendance": lambda r: (
        -1 if r.attendance_percent is None else r.attendance_percent,
        r.name.casefold(),
    ),
    "activity": lambda r: (
        r.last_activity or datetime.datetime.min.replace(tzinfo=datetime.UTC),
        r.name.casefold(),
    ),
    "risk": lambda r: (-len(r.flags), r.name.casefold()),
}
SORT_CHOICES = [*SORTS, *(f"-{key}" for key in SORTS)]
FLAG_CHOICES = ["at_risk", *FLAG_LABELS]

# Later apps add columns without this module importing them: fn(cohort, user_ids) -> {user id:
# text}, each in a constant number of queries.
_mentor_lookups: list[Callable] = []
_initiative_lookups: list[Callable] = []


def register_mentor_lookup(fn: Callable) -> Callable:
    if fn not in _mentor_lookups:
        _mentor_lookups.append(fn)
    return fn


def register_initiative_lookup(fn: Callable) -> Callable:
    if fn not in _initiative_lookups:
        _initiative_lookups.append(fn)
    return fn


@dataclass
class Flag:
    code: str
    message: str

    @property
    def label(self) -> str:
        return str(FLAG_LABELS[self.code])


@dataclass
class TraineeRow:
    user_id: int
    name: str
    name_latin: str
    email: str
    governorate: str
    joined_at: datetime.datetime
    completion_percent: int = 0
    course_percents: dict[int, int] = field(default_factory=dict)
    attendance_percent: int | None = None
    sessions_attended: int = 0
    sessions_counted: int = 0
    last_activity: datetime.datetime | None = None
    overdue: int = 0
    mentor: str = ""
    initiative: str = ""
    flags: list[Flag] = field(default_factory=list)

    @property
    def at_risk(self) -> bool:
        return bool(self.flags)

    @property
    def reasons(self) -> str:
        return "; ".join(flag.message for flag in self.flags)


@dataclass
class SessionStat:
    session_id: int
    title: str
    title_en: str
    starts_at: datetime.datetime
    present: int = 0
    late: int = 0
    excused: int = 0
    absent: int = 0
    unmarked: int = 0

    @property
    def attended(self) -> int:
        return self.present + self.late

    @property
    def percent(self) -> int | None:
        expected = self.attended + self.absent + self.unmarked
        return self.attended * 100 // expected if expected else None


@dataclass
class Bucket:
    low: int
    high: int
    count: int

    @property
    def label(self) -> str:
        return f"{self.low}%" if self.low == self.high else f"{self.low}–{self.high}%"


@dataclass
class Dashboard:
    cohort: Cohort
    rows: list[TraineeRow]  # the page shown
    matching: list[TraineeRow]  # every row the filters select, in order (for the export)
    total_trainees: int
    page: int
    page_size: int
    sort: str
    distribution: list[Bucket]
    sessions: list[SessionStat]
    flag_counts: dict[str, int]
    average_completion: int | None
    average_attendance: int | None
    has_mentors: bool
    has_initiatives: bool

    @property
    def count(self) -> int:
        return len(self.matching)

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))

    @property
    def at_risk_count(self) -> int:
        return sum(1 for row in self.matching if row.at_risk)


def cohort_dashboard(
    cohort: Cohort,
    *,
    now: datetime.datetime | None = None,
    q: str = "",
    flag: str = "",
    governorate: str = "",
    sort: str = "risk",
    page: int = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
) -> Dashboard:
    """Everything the dashboard page, its API and its exports show. `q` searches names and
    e-mail addresses; `flag` is "at_risk" or one flag code; `sort` is a key of SORTS, "-" first
    for descending."""
    now = now or timezone.now()
    sort = sort if sort in SORT_CHOICES else "risk"
    page_size = max(1, min(int(page_size or DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE))

    trainees = Membership.objects.active().trainees().filter(cohort=cohort)
    if q:
        trainees = trainees.filter(
            Q(user__full_name__icontains=q)
            | Q(user__full_name_latin__icontains=q)
            | Q(user__email__icontains=q)
        )
    if governorate:
        trainees = trainees.filter(user__governorate=governorate)
    trainee_ids = trainees.values("user_id")

    # 1. The trainees (search and governorate filters applied in SQL).
    rows = {
        m["user_id"]: TraineeRow(
            user_id=m["user_id"],
            name=m["user__full_name"] or m["user__email"],
            name_latin=m["user__full_name_latin"],
            email=m["user__email"],
            governorate=m["user__governorate"],
            joined_at=m["joined_at"],
            last_activity=m["user__last_login"],
        )
        for m in trainees.values(
            "user_id",
            "user__full_name",
            "user__full_name_latin",
            "user__email",
            "user__governorate",
            "user__last_login",
            "joined_at",
        )
    }
    total = (
        Membership.objects.active().trainees().filter(cohort=cohort).count()
        if (q or governorate)
        else len(rows)
    )

    # 2-6. Courses and attendance.
    _completion(cohort, rows, trainee_ids, now)
    session_stats = _attendance(cohort, rows, trainee_ids, now)

    for row in rows.values():
        row.flags = _flags(cohort, row, now)
    ordered = list(rows.values())
    if flag == "at_risk":
        ordered = [r for r in ordered if r.at_risk]
    elif flag in FLAG_LABELS:
        ordered = [r for r in ordered if any(f.code == flag for f in r.flags)]
    key = sort.lstrip("-")
    ordered.sort(key=SORTS[key], reverse=sort.startswith("-"))

    page = max(1, int(page or 1))
    pages = max(1, -(-len(ordered) // page_size))
    page = min(page, pages)
    shown = ordered[(page - 1) * page_size : page * page_size]
    _lookups(cohort, ordered)

    completions = [r.completion_percent for r in ordered]
    attendances = [r.attendance_percent for r in ordered if r.attendance_percent is not None]
    flag_counts = dict.fromkeys(FLAG_LABELS, 0)
    for row in ordered:
        for f in row.flags:
            flag_counts[f.code] += 1
    return Dashboard(
        cohort=cohort,
        rows=shown,
        matching=ordered,
        total_trainees=total,
        page=page,
        page_size=page_size,
        sort=sort,
        distribution=[
            Bucket(low, high, sum(1 for c in completions if low <= c <= high))
            for low, high in BUCKETS
        ],
        sessions=session_stats,
        flag_counts=flag_counts,
        average_completion=sum(completions) // len(completions) if completions else None,
        average_attendance=sum(attendances) // len(attendances) if attendances else None,
        has_mentors=bool(_mentor_lookups),
        has_initiatives=bool(_initiative_lookups),
    )


def _completion(cohort, rows, trainee_ids, now) -> None:
    """Per-course completion, last activity in courses and overdue work: four queries."""
    items = list(
        CurriculumItem.objects.filter(cohort=cohort).values("course_id", "due_on", "required")
    )
    if not items or not rows:
        return
    course_ids = [i["course_id"] for i in items]
    counted = [i for i in items if i["required"]] or items
    counted_ids = {i["course_id"] for i in counted}
    lessons = list(
        Lesson.objects.filter(module__course_id__in=course_ids).values(
            "id", "module__course_id", "kind", "is_required", "due_at", "due_days_after_start"
        )
    )
    required_total: dict[int, int] = defaultdict(int)
    self_completed, quizzes, assignments = [], [], []
    overdue_assignments: dict[int, int] = {}  # lesson id -> course id
    starts_at = cohort.starts_at
    for lesson in lessons:
        course_id = lesson["module__course_id"]
        if lesson["is_required"]:
            required_total[course_id] += 1
            {
                Lesson.Kind.QUIZ: quizzes,
                Lesson.Kind.ASSIGNMENT: assignments,
            }.get(lesson["kind"], self_completed).append(lesson["id"])
        if lesson["kind"] == Lesson.Kind.ASSIGNMENT:
            deadline = lesson["due_at"]
            if deadline is None and lesson["due_days_after_start"] is not None:
                deadline = starts_at + datetime.timedelta(days=lesson["due_days_after_start"])
            if deadline is not None and deadline < now:
                overdue_assignments[lesson["id"]] = course_id

    done: dict[tuple[int, int], int] = defaultdict(int)
    in_scope = {"user_id__in": trainee_ids, "lesson__module__course_id__in": course_ids}
    for entry in (
        LessonProgress.objects.filter(**in_scope)
        .values("user_id", "lesson__module__course_id")
        .annotate(
            n=Count("id", filter=Q(lesson_id__in=self_completed, completed_at__isnull=False)),
            last=Max("last_seen_at"),
        )
        .order_by()
    ):
        _note(rows, entry, done)
    for entry in (
        QuizAttempt.objects.filter(**in_scope)
        .values("user_id", "lesson__module__course_id")
        .annotate(
            n=Count("lesson_id", filter=Q(lesson_id__in=quizzes, passed=True), distinct=True),
            last=Max("submitted_at"),
        )
        .order_by()
    ):
        _note(rows, entry, done)
    submitted_overdue: dict[int, int] = defaultdict(int)
    for entry in (
        AssignmentSubmission.objects.filter(**in_scope)
        .values("user_id", "lesson__module__course_id")
        .annotate(
            n=Count(
                "id",
                filter=Q(lesson_id__in=assignments, status=AssignmentSubmission.Status.ACCEPTED),
            ),
            overdue_done=Count("id", filter=Q(lesson_id__in=list(overdue_assignments))),
            last=Max("submitted_at"),
        )
        .order_by()
    ):
        _note(rows, entry, done)
        submitted_overdue[entry["user_id"]] += entry["overdue_done"]

    today = timezone.localtime(now, BAGHDAD).date()
    late_items = [i["course_id"] for i in items if i["due_on"] is not None and i["due_on"] < today]
    for user_id, row in rows.items():
        percents = {}
        for course_id in course_ids:
            total = required_total.get(course_id, 0)
            percents[course_id] = done[(user_id, course_id)] * 100 // total if total else 0
        row.course_percents = percents
        measured = [percents[c] for c in counted_ids if required_total.get(c)]
        row.completion_percent = sum(measured) // len(measured) if measured else 0
        row.overdue = (len(overdue_assignments) - submitted_overdue[user_id]) + sum(
            1 for c in late_items if percents[c] < 100 and required_total.get(c)
        )


def _note(rows, entry, done) -> None:
    user_id = entry["user_id"]
    done[(user_id, entry["lesson__module__course_id"])] += entry["n"]
    row = rows.get(user_id)
    if (
        row is not None
        and entry["last"]
        and (row.last_activity is None or entry["last"] > row.last_activity)
    ):
        row.last_activity = entry["last"]


def _attendance(cohort, rows, trainee_ids, now) -> list[SessionStat]:
    """Attendance % per trainee and per session: three queries."""
    sessions = list(
        Session.objects.filter(cohort=cohort)
        .order_by("starts_at", "id")
        .values("id", "title", "title_en", "starts_at")
    )
    held = [s for s in sessions if s["starts_at"] <= now]
    held_starts = [s["starts_at"] for s in held]
    stats = {
        s["id"]: SessionStat(
            session_id=s["id"], title=s["title"], title_en=s["title_en"], starts_at=s["starts_at"]
        )
        for s in held
    }
    if not held or not rows:
        return list(stats.values())
    held_ids = [s["id"] for s in held]
    S = Attendance.Status
    by_status = {
        "present": Count("id", filter=Q(status=S.PRESENT)),
        "late": Count("id", filter=Q(status=S.LATE)),
        "excused": Count("id", filter=Q(status=S.EXCUSED)),
        "absent": Count("id", filter=Q(status=S.ABSENT)),
    }
    marks = (
        Attendance.objects.filter(session_id__in=held_ids, user_id__in=trainee_ids)
        .values("user_id")
        .annotate(**by_status, last=Max("marked_at", filter=Q(status__in=[S.PRESENT, S.LATE])))
        .order_by()
    )
    marked = {entry["user_id"]: entry for entry in marks}
    for user_id, row in rows.items():
        # Only sessions held since the trainee joined count (a place filled from the waitlist
        # mid-way does not start with absences).
        expected = len(held_starts) - bisect.bisect_left(held_starts, row.joined_at)
        entry = marked.get(user_id)
        attended = excused = 0
        if entry:
            attended = entry["present"] + entry["late"]
            excused = entry["excused"]
            if entry["last"] and (row.last_activity is None or entry["last"] > row.last_activity):
                row.last_activity = entry["last"]
        counted = max(expected - excused, attended)
        row.sessions_attended = attended
        row.sessions_counted = counted
        row.attendance_percent = attended * 100 // counted if counted else None

    for entry in (
        Attendance.objects.filter(session_id__in=held_ids, user_id__in=trainee_ids)
        .values("session_id")
        .annotate(**by_status)
        .order_by()
    ):
        stat = stats[entry["session_id"]]
        stat.present, stat.late = entry["present"], entry["late"]
        stat.excused, stat.absent = entry["excused"], entry["absent"]
    members = len(rows)
    for stat in stats.values():
        stat.unmarked = max(0, members - stat.present - stat.late - stat.excused - stat.absent)
    return list(stats.values())


def _flags(cohort, row, now) -> list[Flag]:
    flags = []
    if (
        row.attendance_percent is not None
        and row.attendance_percent < cohort.min_attendance_percent
    ):
        flags.append(
            Flag(
                "attendance",
                _("Attendance %(percent)s%% is below the %(required)s%% required.")
                % {"percent": row.attendance_percent, "required": cohort.min_attendance_percent},
            )
        )
    since = row.last_activity or row.joined_at
    if now - since > INACTIVE_AFTER:
        days = (now - since).days
        message = (
            _("No activity for %(days)s days.") % {"days": days}
            if row.last_activity
            else _("No activity since joining %(days)s days ago.") % {"days": days}
        )
        flags.append(Flag("inactive", message))
    if row.overdue:
        flags.append(
            Flag("overdue", _("%(count)s overdue items of work.") % {"count": row.overdue})
        )
    return flags


def _lookups(cohort, ordered: list[TraineeRow]) -> None:
    if not ordered or not (_mentor_lookups or _initiative_lookups):
        return
    user_ids = [r.user_id for r in ordered]
    for attr, lookups in (("mentor", _mentor_lookups), ("initiative", _initiative_lookups)):
        for lookup in lookups:
            values = lookup(cohort, user_ids) or {}
            for row in ordered:
                if row.user_id in values:
                    setattr(row, attr, str(values[row.user_id]))


# --- Export ---------------------------------------------------------------------------------------


def export_header(dashboard: Dashboard) -> list[str]:
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


def export_rows(dashboard: Dashboard) -> Iterator[list]:
    """The rows the filters select, in the order shown, with the columns shown."""
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


def _safe_cell(value):
    # A cell starting with = + - @ would run as a formula in a spreadsheet (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_chunks(dashboard: Dashboard) -> Iterator[str]:
    """CSV text in chunks, for a streaming response; starts with a BOM so that spreadsheet
    programs read the Arabic names as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(export_header(dashboard))
    for index, values in enumerate(export_rows(dashboard), start=1):
        writer.writerow([_safe_cell(v) for v in values])
        if index % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def xlsx_bytes(dashboard: Dashboard) -> bytes:
    """The same table as an Excel workbook (openpyxl's write-only mode, row by row), right to
    left."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Trainees")[:31])
    sheet.sheet_view.rightToLeft = True
    sheet.append(export_header(dashboard))
    for values in export_rows(dashboard):
        sheet.append([_safe_cell(v) for v in values])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
