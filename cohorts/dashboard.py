"""The manager's dashboard of one cohort: a row per active trainee (course completion %,
attendance %, last activity, mentor, initiative, at-risk flags with their reasons) and cohort
aggregates (progress distribution, attendance per session), with filters, sorting, pagination
and CSV/XLSX export (cohorts.exports) of exactly the rows the filters select, in the order shown.
Higher apps add columns (mentor, initiative, certificate) and at-risk reasons through
register_column and register_reason, and the trainee's mentor as a viewer of the per-trainee
page through register_trainee_viewer.

It reads stored figures, never every lesson state or mark (decision 002, "Dashboard"), from one
row per trainee (cohorts.AttendanceTally, kept by cohorts.tallies) and one per session:
- course completion: each curriculum course's percentage copied from the trainee's
  `courses.CourseProgressSnapshot`, whose figures `courses.snapshots` computes with the rule of
  courses.progress (a text/video/resource lesson is complete when marked complete, a quiz when
  passed, an assignment when accepted; a course's percentage is the share of its required
  lessons complete). A trainee's completion % is the mean of their percentages in the
  curriculum's required courses (all curriculum courses when none is marked required), leaving
  out courses without required lessons;
- attendance: counters of every stored mark, per person and per session; the few marks of
  sessions not held yet, and at sessions the marks of people who are not active trainees, are
  taken out here. Only sessions held since the trainee joined are expected; an excused session
  is not counted; an unmarked one counts as absent;
- last activity: the latest of the sign-in, a present or late mark (from the moment it is made)
  and work in a curriculum course.

Queries: five whatever the number of trainees, sessions or courses (with or without a search or
governorate filter; each registered column or reason adds its own constant few), each
reading at most one row per trainee or per session. Everything that depends on the time of the
request (attendance %, flags, overdue work) is worked out here over those rows.
tests/cohorts/test_dashboard.py checks every figure against courses.progress and the marks after
every write path."""

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, FilteredRelation, IntegerField, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from courses.models import Lesson

from . import dashboard_extensions as ext
from .dashboard_extensions import (  # noqa: F401 - the registry is read through this module too
    FLAG_CHOICES,
    FLAG_LABELS,
    Extension,
    Flag,
    add_reasons,
    columns,
    fill_columns,
    flag_choices,
    may_view_trainee,
    reasons,
    register_column,
    register_reason,
    register_trainee_viewer,
)
from .models import (
    BAGHDAD,
    Attendance,
    AttendanceTally,
    Cohort,
    CurriculumItem,
    Membership,
    Session,
)

INACTIVE_AFTER = datetime.timedelta(days=14)
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
BUCKETS = ((0, 24), (25, 49), (50, 74), (75, 99), (100, 100))

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


@dataclass
class TraineeRow:
    user_id: int
    name: str
    name_latin: str
    email: str
    governorate: str
    joined_at: datetime.datetime
    completion_percent: int = 0
    # {course id: %} of every curriculum course.
    course_percents: dict[int, int] = field(default_factory=dict)
    attendance_percent: int | None = None
    sessions_attended: int = 0
    sessions_counted: int = 0
    last_activity: datetime.datetime | None = None
    overdue: int = 0
    # {registered column key: text} of the columns filled in (see register_column).
    columns: dict[str, str] = field(default_factory=dict)
    flags: list[Flag] = field(default_factory=list)
    # {attendance status: marks at held sessions}, while the figures are worked out.
    marks: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def at_risk(self) -> bool:
        return bool(self.flags)

    @property
    def mentor(self) -> str:
        return self.columns.get("mentor", "")

    @property
    def initiative(self) -> str:
        return self.columns.get("initiative", "")

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
    # False for a session that has ended without any attendance recorded: shown to the manager
    # as "attendance not taken", counted for nobody.
    taken: bool = True

    @property
    def attended(self) -> int:
        return self.present + self.late

    @property
    def percent(self) -> int | None:
        expected = self.attended + self.absent + self.unmarked
        return self.attended * 100 // expected if expected and self.taken else None


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
    columns: list[Extension]  # the registered columns, in order

    @property
    def has_mentors(self) -> bool:
        return any(c.key == "mentor" for c in self.columns)

    @property
    def has_initiatives(self) -> bool:
        return any(c.key == "initiative" for c in self.columns)

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
    page: int | None = 1,
    page_size: int = DEFAULT_PAGE_SIZE,
    extensions: bool = True,
) -> Dashboard:
    """Everything the dashboard page, its API and its exports show. `q` searches names and
    e-mail addresses; `flag` is "at_risk" or one flag code; `sort` is a key of SORTS, "-" first
    for descending; `page` None shows every row on one page. `extensions` False leaves out the
    columns and reasons of higher apps (certificates' eligibility reads none of them)."""
    now = now or timezone.now()
    sort = sort if sort in SORT_CHOICES else "risk"
    page_size = max(1, min(int(page_size or DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE))

    everyone = Membership.objects.active().trainees().filter(cohort=cohort)
    trainees = everyone
    if q:
        trainees = trainees.filter(
            Q(user__full_name__icontains=q)
            | Q(user__full_name_latin__icontains=q)
            | Q(user__email__icontains=q)
        )
    if governorate:
        trainees = trainees.filter(user__governorate=governorate)
    filtered = bool(q or governorate)

    # 1. Sessions with their counters; 2. the curriculum with its lessons.
    sessions = list(
        Session.objects.filter(cohort=cohort)
        .order_by("starts_at", "id")
        .values(
            "id", "title", "title_en", "starts_at", "ends_at", *(f"tally__{s}" for s in STATUSES)
        )
    )
    plan = _plan(cohort, now)
    # 3. The trainees with their attendance counters and curriculum progress.
    rows = _rows(cohort, trainees, plan)
    total = everyone.count() if filtered else len(rows)
    session_stats = []
    if rows:
        # 4-5. Attendance, per trainee and per session.
        session_stats = _attendance(cohort, rows, sessions, filtered, now)

    for row in rows.values():
        row.flags = _flags(cohort, row, now)
    if extensions:
        ext.add_reasons(cohort, list(rows.values()), now)
    ordered = list(rows.values())
    if flag == "at_risk":
        ordered = [r for r in ordered if r.at_risk]
    elif flag in ext.FLAG_LABELS:
        ordered = [r for r in ordered if any(f.code == flag for f in r.flags)]
    key = sort.lstrip("-")
    ordered.sort(key=SORTS[key], reverse=sort.startswith("-"))

    if page is None:  # every row at once (the exports)
        page, page_size = 1, max(1, len(ordered))
    page = max(1, int(page or 1))
    pages = max(1, -(-len(ordered) // page_size))
    page = min(page, pages)
    shown = ordered[(page - 1) * page_size : page * page_size]
    # The registered columns of the rows shown only.
    if extensions:
        ext.fill_columns(cohort, shown, now)

    completions = [r.completion_percent for r in ordered]
    attendances = [r.attendance_percent for r in ordered if r.attendance_percent is not None]
    flag_counts = dict.fromkeys(ext.FLAG_LABELS, 0)
    for row in ordered:
        for f in row.flags:
            flag_counts[f.code] = flag_counts.get(f.code, 0) + 1
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
        columns=ext.columns() if extensions else [],
    )


STATUSES = tuple(Attendance.Status.values)


@dataclass
class _Plan:
    """The curriculum's courses and what of their structure the figures need."""

    course_ids: list[int] = field(default_factory=list)  # every curriculum course, in order
    measured_ids: list[int] = field(default_factory=list)  # averaged into completion %
    late_ids: list[int] = field(default_factory=list)  # past their due date
    # {assignment lesson id: its course id} of the assignments past their deadline
    overdue_assignments: dict[int, int] = field(default_factory=dict)


def _plan(cohort, now) -> _Plan:
    """One query: the curriculum with its courses' lessons (a few dozen rows)."""
    lesson = "course__modules__lessons__"
    items: dict[int, dict] = {}
    required_total: dict[int, int] = defaultdict(int)
    overdue = {}
    starts_at = cohort.starts_at
    for entry in (
        CurriculumItem.objects.filter(cohort=cohort)
        .order_by("position", "id")
        .values(
            "course_id",
            "due_on",
            "required",
            *(
                lesson + name
                for name in ("id", "kind", "is_required", "due_at", "due_days_after_start")
            ),
        )
    ):
        course_id = entry["course_id"]
        items.setdefault(course_id, entry)
        if entry[lesson + "id"] is None:
            continue  # a course without lessons yet
        if entry[lesson + "is_required"]:
            required_total[course_id] += 1
        if entry[lesson + "kind"] == Lesson.Kind.ASSIGNMENT:
            deadline = entry[lesson + "due_at"]
            days = entry[lesson + "due_days_after_start"]
            if deadline is None and days is not None:
                deadline = starts_at + datetime.timedelta(days=days)
            if deadline is not None and deadline < now:
                overdue[entry[lesson + "id"]] = course_id
    counted = [i for i in items.values() if i["required"]] or list(items.values())
    today = timezone.localtime(now, BAGHDAD).date()
    return _Plan(
        course_ids=list(items),
        measured_ids=[i["course_id"] for i in counted if required_total.get(i["course_id"])],
        late_ids=[
            i["course_id"]
            for i in items.values()
            if i["due_on"] is not None
            and i["due_on"] < today
            and required_total.get(i["course_id"])
        ],
        overdue_assignments=overdue,
    )


def _rows(cohort, trainees, plan: _Plan) -> dict[int, TraineeRow]:
    """One query, one row per trainee: the person and their tally in this cohort (attendance
    counters, curriculum progress)."""
    entries = (
        trainees.annotate(
            tally=FilteredRelation(
                "user__attendance_tallies", condition=Q(user__attendance_tallies__cohort=cohort)
            ),
        )
        .values(
            "user_id",
            "user__full_name",
            "user__full_name_latin",
            "user__email",
            "user__governorate",
            "user__last_login",
            "joined_at",
            *(f"tally__{s}" for s in STATUSES),
            "tally__last_attended_at",
            "tally__course_percents",
            "tally__course_activity_at",
            "tally__handed_in",
        )
        .order_by()
    )
    rows = {}
    for m in entries:
        percents = dict.fromkeys(plan.course_ids, 0)  # no snapshot: 0 %
        for course_id, percent in (m["tally__course_percents"] or {}).items():
            if int(course_id) in percents:
                percents[int(course_id)] = percent
        handed_in = set(m["tally__handed_in"] or ())
        row = TraineeRow(
            user_id=m["user_id"],
            name=m["user__full_name"] or m["user__email"],
            name_latin=m["user__full_name_latin"],
            email=m["user__email"],
            governorate=m["user__governorate"],
            joined_at=m["joined_at"],
            course_percents=percents,
            last_activity=_latest(
                m["user__last_login"],
                m["tally__last_attended_at"],
                m["tally__course_activity_at"],
            ),
            # Courses past their due date and not complete; assignments past their deadline and
            # not handed in.
            overdue=sum(1 for c in plan.late_ids if percents[c] < 100)
            + sum(1 for lesson_id in plan.overdue_assignments if lesson_id not in handed_in),
        )
        if plan.measured_ids:
            measured = [percents[c] for c in plan.measured_ids]
            row.completion_percent = sum(measured) // len(measured)
        row.marks = {s: m[f"tally__{s}"] or 0 for s in STATUSES}
        rows[row.user_id] = row
    return rows


def _latest(*moments):
    return max((t for t in moments if t is not None), default=None)


def _attendance(cohort, rows, sessions, filtered, now) -> list[SessionStat]:
    """Attendance % per trainee and marks per held session, in one query (two without a filter)
    for what the counters cannot answer alone:
    - the counters hold marks of sessions not held yet too (excuses approved in advance,
      check-ins in the quarter hour before the start), which are taken out;
    - per session, without a filter: the session's counter less the marks of people who are not
      active trainees (withdrawn, or other roles); with one: the marks of the trainees listed."""
    # Only sessions that have ended and whose attendance was taken (a mark other than an excuse)
    # count: a session still running would count everyone not checked in yet as absent, and one
    # that ended without a roll call would count the whole cohort absent.
    held = [s for s in sessions if s["ends_at"] <= now and _taken(s)]
    not_taken = [s for s in sessions if s["ends_at"] <= now and not _taken(s)]
    upcoming = [s["id"] for s in sessions if not (s["ends_at"] <= now and _taken(s))]
    stats = {
        s["id"]: SessionStat(
            session_id=s["id"],
            title=s["title"],
            title_en=s["title_en"],
            starts_at=s["starts_at"],
            **{status: 0 if filtered else s[f"tally__{status}"] or 0 for status in STATUSES},
        )
        for s in held
    }
    # People are named by their ids, not by a subquery: the filtered list is loaded already, and
    # the few people who are not active trainees any more are fetched first, so that their marks
    # are read through the person index rather than by scanning every mark.
    listed = list(rows)
    if filtered:
        counted, sign = listed, 1
    else:
        others = AttendanceTally.objects.filter(cohort=cohort, active_trainee=False)
        counted, sign = list(others.values_list("user_id", flat=True)), -1
    before = Attendance.objects.filter(session_id__in=upcoming)
    if filtered:
        before = before.filter(user_id__in=listed)
    marks = (
        before.values("session_id", "status")
        .annotate(who=F("user_id"), n=Count("id"))
        .order_by()
        .union(
            Attendance.objects.filter(session_id__in=list(stats), user_id__in=counted)
            .values("session_id", "status")
            .annotate(who=Value(None, output_field=IntegerField()), n=Count("id"))
            .order_by(),
            all=True,
        )
    )
    for session_id, status, who, n in marks.values_list("session_id", "status", "who", "n"):
        if session_id in stats:
            stat = stats[session_id]
            setattr(stat, status, getattr(stat, status) + sign * n)
        elif who in rows:
            rows[who].marks[status] -= n

    held_starts = [s["starts_at"] for s in held]
    for row in rows.values():
        # Only sessions held since the trainee joined are expected (a place filled from the
        # waitlist mid-way does not start with absences); an excused one is not.
        expected = len(held_starts) - bisect.bisect_left(held_starts, row.joined_at)
        attended = row.marks["present"] + row.marks["late"]
        counted_sessions = max(expected - row.marks["excused"], attended)
        row.sessions_attended = attended
        row.sessions_counted = counted_sessions
        row.attendance_percent = attended * 100 // counted_sessions if counted_sessions else None
    members = len(rows)
    for stat in stats.values():
        stat.unmarked = max(0, members - stat.present - stat.late - stat.excused - stat.absent)
    for s in not_taken:
        stats[s["id"]] = SessionStat(
            session_id=s["id"],
            title=s["title"],
            title_en=s["title_en"],
            starts_at=s["starts_at"],
            taken=False,
        )
    return sorted(stats.values(), key=lambda stat: (stat.starts_at, stat.session_id))


def _taken(session: dict) -> bool:
    """Whether any attendance was recorded at a session (its counters, excuses aside)."""
    return any(session[f"tally__{status}"] for status in ("present", "late", "absent"))


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
        # ngettext: Arabic words the days differently for 1, 2, 3-10 and 11-99.
        message = (
            ngettext("No activity for %(days)s day.", "No activity for %(days)s days.", days)
            if row.last_activity
            else ngettext(
                "No activity since joining %(days)s day ago.",
                "No activity since joining %(days)s days ago.",
                days,
            )
        ) % {"days": days}
        flags.append(Flag("inactive", message))
    if row.overdue:
        flags.append(
            Flag("overdue", _("%(count)s overdue items of work.") % {"count": row.overdue})
        )
    return flags
