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

Queries: six whatever the number of trainees, sessions or courses (seven with a search or
governorate filter; each registered column adds its own constant few, each registered reason one
for the messages of the rows shown). The database works out every trainee's figures from that
one row (what depends on the time of the request, such as attendance %, flags and overdue work,
is written into the query), and the whole cohort's figures (averages, distribution, flag counts)
as one aggregate, sorts and pages: Python builds the rows of the page shown only, so the page
costs about the same at 100 trainees as at 5,000.
tests/cohorts/test_dashboard.py checks every figure against courses.progress and the marks after
every write path."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.compiled import Stored
from courses.models import Lesson

from . import dashboard_extensions as ext
from . import dashboard_figures as sql
from . import shapes
from .dashboard_extensions import (  # noqa: F401 - the registry is read through this module too
    FLAG_CHOICES,
    FLAG_LABELS,
    Extension,
    Flag,
    columns,
    fill_columns,
    flag_choices,
    may_view_trainee,
    reasons,
    register_column,
    register_reason,
    register_trainee_viewer,
)
from .dashboard_figures import BUCKETS
from .models import (
    BAGHDAD,
    Attendance,
    Cohort,
    Membership,
)

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# More trainees than any cohort holds: a page starting past it is past the last page.
MAX_ROWS = 1_000_000

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
        return _("; ").join(flag.message for flag in self.flags)


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
    count: int  # rows the filters select (every page)
    at_risk_count: int  # of those, with at least one flag
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
    # {name: sum over every row selected} of the caller's own figures (`extra`).
    sums: dict[str, int] = field(default_factory=dict)
    # Builds every row the filters select, in order, when the page holds only some of them.
    everything: Callable[[], list[TraineeRow]] | None = field(default=None, repr=False)

    @property
    def matching(self) -> list[TraineeRow]:
        """Every row the filters select, in the order shown (the exports): the page's rows when
        it holds them all, else built on first use (one more pass over the cohort)."""
        if len(self.rows) >= self.count or self.everything is None:
            return self.rows
        if not hasattr(self, "_matching"):
            self._matching = self.everything()
        return self._matching

    @property
    def has_mentors(self) -> bool:
        return any(c.key == "mentor" for c in self.columns)

    @property
    def has_initiatives(self) -> bool:
        return any(c.key == "initiative" for c in self.columns)

    @property
    def pages(self) -> int:
        return max(1, -(-self.count // self.page_size))


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
    user_id: int | None = None,
    with_columns: bool = True,
    extra: dict | None = None,
    extra_key=None,
) -> Dashboard:
    """Everything the dashboard page, its API and its exports show. `q` searches names and
    e-mail addresses; `flag` is "at_risk" or one flag code; `sort` is a key of SORTS, "-" first
    for descending; `page` None shows every row on one page. `extensions` False leaves out the
    columns and reasons of higher apps (certificates' eligibility reads none of them). `user_id`
    narrows the list to one trainee (their own page, their eligibility). `extra` is a caller's
    own figures, {name: integer expression over the figures' annotations (see
    dashboard_figures.figures)}, summed over every row selected into the board's `sums`
    (certificates: who is issued, who is eligible); `extra_key` is a value that names those
    figures exactly (their page query is stored under it, see _PAGE_QUERY; without it the query
    is composed on every call)."""
    now = now or timezone.now()
    sort = sort if sort in SORT_CHOICES else "risk"
    page_size = max(1, min(int(page_size or DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE))
    registered = ext.reasons() if extensions else []

    def members(*ids):
        """The trainees the filters list (`ids`: the one trainee's, when narrowed to one)."""
        found = Membership.objects.active().trainees().filter(cohort=cohort)
        if q:
            found = found.filter(
                Q(user__full_name__icontains=q)
                | Q(user__full_name_latin__icontains=q)
                | Q(user__email__icontains=q)
            )
        if governorate:
            found = found.filter(user__governorate=governorate)
        if ids:
            found = found.filter(user_id=ids[0])
        return found

    narrowed = () if user_id is None else (int(user_id),)
    filtered = bool(q or governorate or user_id is not None)

    # 1. Sessions with their counters; 2. the curriculum with its lessons.
    sessions = shapes.SESSIONS_WITH_TALLY.list(cohort.pk)
    plan = _plan(cohort, now)
    held = [s for s in sessions if s["ends_at"] <= now and _taken(s)]
    # 3. The marks the counters cannot answer alone (see sql.marks).
    early, by_session = sql.marks(
        cohort, sessions, held, members, narrowed, (q, governorate) if filtered else None
    )
    extra = extra or {}
    keys = sql.sort_keys(sort)
    names = [*_row_names(registered), *extra]

    def build(moment, *ids):
        """4. The page's query: the figures of every trainee listed, worked out by the database
        (see sql.figures) at `moment`, those the flag selects, sorted, with the whole
        selection's figures (aggregates over every row the filters select)."""
        one = ids[0] if ids else None
        figures = sql.figures(
            cohort, members(*ids), plan, held, early, registered, moment, trainee_id=one
        )
        selected = figures.filter(sql.flag_condition(flag)) if flag else figures
        if extra:
            selected = selected.annotate(**extra)
        return sql.compose(cohort, selected, keys, registered, names, sums=[*extra])

    # Composing that query (the ORM building and compiling its expressions) costs more than the
    # database's answer: it is stored per connection under everything it is built from but the
    # time and the trainee's id, which it is then run with. A caller's `extra` figures are
    # stored only under the caller's own key for them (`extra_key`); a search (typed once, any
    # text) is composed for its one use rather than stored.
    composed, params = None, ()
    if not q and (not extra or extra_key is not None):
        local = timezone.localtime(now, BAGHDAD)
        key = (  # (no search here: it is never stored)
            _cohort_key(cohort),
            governorate,
            bool(narrowed),
            flag,
            tuple(keys),
            tuple(names),
            extra_key,
            tuple(reason.key for reason in registered),
            *_basis_key(plan, held, early),
            local.date(),
            local.utcoffset(),
            now.astimezone(datetime.UTC).date(),
        )
        composed, params = _PAGE_QUERY.get(key, build, now, *narrowed)
    else:
        composed = build(now, *narrowed)
        params = composed.params

    def query(start, size):
        return sql.page(composed, params, start, size)

    if page is None:  # every row at once (the exports)
        entries, summary = query(0, None)
        page, page_size = 1, max(1, len(entries))
    else:

        def read(number):
            start = (number - 1) * page_size
            return query(start, page_size)

        page = max(1, int(page or 1))
        entries = []
        # A page number beyond any cohort (a typo, a guess) is not worth a query.
        if (page - 1) * page_size < MAX_ROWS:
            entries, summary = read(page)
        if not entries and page > 1:  # past the last page: show the last one
            page = max(1, -(-_count_rows(composed, params) // page_size))
            entries, summary = read(page)
    count = summary["count"]
    # 6. Under a flag, a search or a governorate filter, how many trainees each leaves.
    listed = members(*narrowed).count() if flag else count
    total = shapes.active_trainee_count(cohort.pk) if filtered else listed
    session_stats = _session_stats(sessions, held, by_session, filtered, listed, now)

    def rows_of(entries) -> list[TraineeRow]:
        return _page_rows(cohort, entries, plan, registered, now)

    shown = rows_of(entries)
    # The registered columns of the rows shown only.
    with_columns = with_columns and extensions
    if with_columns:
        # The columns may read the curriculum (certificates: the required courses): as read.
        with cohort.handing_curriculum(plan.curriculum):
            ext.fill_columns(cohort, shown, now)

    average_attendance = (
        summary["attendance_sum"] // summary["attendance_n"] if summary["attendance_n"] else None
    )
    return Dashboard(
        cohort=cohort,
        rows=shown,
        count=count,
        at_risk_count=summary["at_risk"],
        total_trainees=total,
        page=page,
        page_size=page_size,
        sort=sort,
        distribution=[Bucket(low, high, summary[f"bucket_{low}"]) for low, high in BUCKETS],
        sessions=session_stats if listed else [],
        flag_counts={code: summary.get(f"n_{code}", 0) for code in ext.FLAG_LABELS},
        average_completion=summary["completion_sum"] // count if count else None,
        average_attendance=average_attendance,
        columns=ext.columns() if with_columns else [],
        sums={name: summary[f"sum_{name}"] for name in extra},
        everything=lambda: rows_of(query(0, None)[0]),
    )


@dataclass
class TallyFigures:
    """A cohort's active trainees with the figures read off their tally alone, as the dashboard
    works them out (dashboard_figures.tally_figures), at the time they were read for."""

    trainees: Callable[[], QuerySet]  # builds the Membership rows, annotated
    curriculum: list[tuple]  # (course id, required, title), as Cohort.curriculum_entries()
    key: tuple  # everything the trainees' SQL is built from, for a store of queries over it


def tally_figures(cohort: Cohort, *, now: datetime.datetime | None = None) -> TallyFigures:
    """The cohort's trainees with their tally figures at `now`, in three queries (sessions,
    curriculum, the marks of sessions to come): for a caller's own query over the whole cohort
    (certificates: who is eligible) that reads neither people nor the time."""
    now = now or timezone.now()
    sessions = shapes.SESSIONS_WITH_TALLY.list(cohort.pk)
    plan = _plan(cohort, now)
    held = [s for s in sessions if s["ends_at"] <= now and _taken(s)]

    def members(*_ids):
        return Membership.objects.active().trainees().filter(cohort=cohort)

    early, _none = sql.marks(cohort, sessions, held, members, (), None, per_session=False)
    return TallyFigures(
        trainees=lambda: sql.tally_figures(cohort, members(), plan, held, early),
        curriculum=plan.curriculum,
        key=(_cohort_key(cohort), *_basis_key(plan, held, early)),
    )


def _basis_key(plan, held, early) -> tuple:
    """What of the curriculum, the sessions held and the early marks the SQL is built from."""
    return (
        repr(plan),
        tuple((s["id"], s["starts_at"]) for s in held),
        repr({status: sorted(who.items()) for status, who in sorted(early.items())}),
    )


def _count_rows(composed, params) -> int:
    """How many rows compose()'s query selects (past the last page)."""
    _entries, summary = sql.page(composed, params, 0, 1)
    return summary["count"]


# The page query of cohort_dashboard, composed once per connection and key (core.compiled.Stored).
_PAGE_QUERY = Stored()


def _cohort_key(cohort) -> tuple:
    """What of the cohort its figures' SQL may be built from: every field's value."""
    return tuple(repr(getattr(cohort, f.attname)) for f in cohort._meta.concrete_fields)


STATUSES = tuple(Attendance.Status.values)


@dataclass
class _Plan:
    """The curriculum's courses and what of their structure the figures need."""

    course_ids: list[int] = field(default_factory=list)  # every curriculum course, in order
    measured_ids: list[int] = field(default_factory=list)  # averaged into completion %
    late_ids: list[int] = field(default_factory=list)  # past their due date
    # {assignment lesson id: its course id} of the assignments past their deadline
    overdue_assignments: dict[int, int] = field(default_factory=dict)
    # (course id, required, title) in order, as Cohort.curriculum_entries() reads them; not
    # part of what the figures' SQL is built from (the stored query's key holds repr(plan)).
    curriculum: list[tuple] = field(default_factory=list, repr=False)


def _plan(cohort, now) -> _Plan:
    """One query: the curriculum with its courses' lessons (a few dozen rows)."""
    lesson = "course__modules__lessons__"
    items: dict[int, dict] = {}
    required_total: dict[int, int] = defaultdict(int)
    overdue = {}
    starts_at = cohort.starts_at
    for entry in shapes.CURRICULUM_LESSONS.list(cohort.pk):
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
        curriculum=[(i["course_id"], i["required"], i["course__title"]) for i in items.values()],
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


def _session_stats(sessions, held, by_session, filtered, listed, now) -> list[SessionStat]:
    """Marks per held session, of the trainees listed; the sessions that ended without any
    attendance taken, as such."""
    stats = []
    for s in sessions:
        if s["ends_at"] > now:
            continue
        stat = SessionStat(
            session_id=s["id"], title=s["title"], title_en=s["title_en"], starts_at=s["starts_at"]
        )
        if not _taken(s):
            stat.taken = False
        else:
            found = by_session.get(s["id"], {})
            for status in STATUSES:
                n = found.get(status, 0)
                setattr(stat, status, n if filtered else (s[f"tally__{status}"] or 0) - n)
            stat.unmarked = max(0, listed - stat.present - stat.late - stat.excused - stat.absent)
        stats.append(stat)
    return stats


ROW_FIELDS = (
    "user_id",
    "user__full_name",
    "user__full_name_latin",
    "user__email",
    "user__governorate",
    "joined_at",
    "tally__course_percents",
    "d_completion",
    "d_attended",
    "d_counted",
    "d_attendance",
    "d_last_activity",
    "d_overdue",
)


def _row_names(registered) -> list[str]:
    """What a page reads of each row: the person, their figures and flags."""
    names = [*ROW_FIELDS, "flag_attendance", "flag_inactive", "flag_overdue"]
    return names + [f"flag_{reason.key}" for reason in registered]


def _page_rows(cohort, entries: list[dict], plan: _Plan, registered, now) -> list[TraineeRow]:
    """The rows of `entries` (in their order), from their figures; the messages of their flags,
    the registered reasons' through each reason's lookup over the rows it flags (one query per
    reason)."""
    rows, flagged = [], defaultdict(list)
    for m in entries:
        percents = dict.fromkeys(plan.course_ids, 0)  # no snapshot: 0 %
        for course_id, percent in (m["tally__course_percents"] or {}).items():
            if int(course_id) in percents:
                percents[int(course_id)] = percent
        row = TraineeRow(
            user_id=m["user_id"],
            name=m["user__full_name"] or m["user__email"],
            name_latin=m["user__full_name_latin"],
            email=m["user__email"],
            governorate=m["user__governorate"],
            joined_at=m["joined_at"],
            completion_percent=m["d_completion"],
            course_percents=percents,
            attendance_percent=m["d_attendance"],
            sessions_attended=m["d_attended"],
            sessions_counted=m["d_counted"],
            last_activity=m["d_last_activity"],
            overdue=m["d_overdue"],
        )
        row.flags = _flags(cohort, row, m, now)
        for reason in registered:
            if m[f"flag_{reason.key}"]:
                flagged[reason.key].append(row)
        rows.append(row)
    for reason in registered:
        if flagged[reason.key]:
            found = reason.lookup(cohort, flagged[reason.key], now) or {}
            for row in flagged[reason.key]:
                message = found.get(row.user_id, reason.label)
                row.flags.append(Flag(reason.key, str(message)))
    return rows


def _taken(session: dict) -> bool:
    """Whether any attendance was recorded at a session (its counters, excuses aside)."""
    return any(session[f"tally__{status}"] for status in ("present", "late", "absent"))


def _flags(cohort, row, figures: dict, now) -> list[Flag]:
    """The messages of the dashboard's own flags the database raised for this row."""
    flags = []
    if figures["flag_attendance"]:
        flags.append(
            Flag(
                "attendance",
                _("Attendance %(percent)s%% is below the %(required)s%% required.")
                % {"percent": row.attendance_percent, "required": cohort.min_attendance_percent},
            )
        )
    if figures["flag_inactive"]:
        days = (now - (row.last_activity or row.joined_at)).days
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
    if figures["flag_overdue"]:
        flags.append(
            Flag("overdue", _("%(count)s overdue items of work.") % {"count": row.overdue})
        )
    return flags
