"""The manager's dashboard of a cohort (cohorts.dashboard) as a page, and its exports."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import dashboard as dash
from .. import dashboard_extensions, exports, shapes
from ..dashboard_table import rows_html, session_bars_html
from ..forms import DashboardFilterForm
from ..models import Attendance, Cohort
from ..session_cards import trainee_sessions_html
from .common import managed_cohort


def _board(request, cohort, *, paged=True):
    filters = DashboardFilterForm(request.GET)
    options = filters.options()
    if not paged:
        options["page"] = None
    return filters, dash.cohort_dashboard(cohort, **options)


@login_required
@require_GET
def dashboard(request, pk):
    """A row per trainee (completion, attendance, last activity, risks with their reasons),
    charts of the whole cohort drawn with <meter> bars, filters, sorting and exports."""
    cohort = managed_cohort(request, pk)
    filters, board = _board(request, cohort)
    sort = board.sort
    # Reversed once: the URL of every trainee's page is this prefix and their id.
    trainee_url = reverse("cohorts:dashboard_trainee", args=[cohort.pk, 0]).removesuffix("0/")
    extra = [(column.key, str(column.label)) for column in board.columns]
    days: dict = {}  # each day's text, formatted once
    rows = [_dashboard_row(row, trainee_url, extra, days) for row in board.rows]
    columns = [
        ("name", _("Trainee")),
        ("completion", _("Course completion")),
        ("attendance", _("Attendance")),
        ("activity", _("Last activity")),
        ("risk", _("At risk")),
    ]
    return render(
        request,
        "cohorts/dashboard.html",
        {
            "cohort": cohort,
            "board": board,
            "filters": filters,
            "columns": [
                {
                    "key": key,
                    "label": label,
                    "active": sort.lstrip("-") == key,
                    "descending": sort.startswith("-"),
                    "next": f"-{key}" if sort == key else key,
                }
                for key, label in columns
            ],
            "largest_bucket": max([b.count for b in board.distribution] + [1]),
            "flag_rows": [
                (code, label, board.flag_counts.get(code, 0))
                for code, label in dashboard_extensions.FLAG_LABELS.items()
            ],
            "rows": rows,
            "table_rows": rows_html(rows, low=cohort.min_attendance_percent),
            "extra_columns": [label for _key, label in extra],
            "colspan": 5 + len(extra),
            "session_bars_html": session_bars_html(
                [_session_bar(stat) for stat in board.sessions], low=cohort.min_attendance_percent
            ),
        },
    )


# The dashboard's table and session chart are handed to the template as plain values, formatted
# once here: looking up dataclass attributes and running the date filter for every cell costs
# the 1,000-trainee page about as much as everything else it renders.


def _short_date(moment, days: dict) -> str:
    day = timezone.localtime(moment).date()
    if day not in days:
        days[day] = date_filter(day, "j M Y")
    return days[day]


def _dashboard_row(row, trainee_url, columns, days: dict) -> dict:
    return {
        "url": f"{trainee_url}{row.user_id}/",
        "name": row.name,
        "name_latin": row.name_latin,
        "completion": row.completion_percent,
        "attendance": row.attendance_percent,
        "attended": row.sessions_attended,
        "counted": row.sessions_counted,
        "last_iso": row.last_activity.isoformat() if row.last_activity else "",
        "last": _short_date(row.last_activity, days) if row.last_activity else "",
        "flags": [(flag.code, flag.label, flag.message) for flag in row.flags],
        "columns": [(label, row.columns.get(key, "")) for key, label in columns],
    }


def _session_bar(stat) -> dict:
    english = (translation.get_language() or "").startswith("en")
    title = stat.title_en if english and stat.title_en else stat.title
    return {
        "label": f"{date_filter(timezone.localtime(stat.starts_at), 'j M')} · {title}",
        "percent": stat.percent,
        "taken": stat.taken,
    }


@login_required
@require_GET
def dashboard_export(request, pk):
    """Exactly the rows the dashboard's filters select, in its order (every page), as CSV
    (streamed) or, with ?file=xlsx, as a workbook."""
    cohort = managed_cohort(request, pk)
    file = request.GET.get("file", "csv")
    if file not in ("csv", "xlsx"):
        raise Http404
    _filters, board = _board(request, cohort, paged=False)
    return exports.dashboard_response(board, xlsx=file == "xlsx")


# --- One trainee ----------------------------------------------------------------------------------


def _trainee_cohort(request, pk, user_id) -> tuple[Cohort, bool]:
    """The cohort, when this person runs it (its managers, staff) or mentors the trainee there
    (an active mentorship, through dashboard.register_trainee_viewer); anyone else, a manager of
    another cohort included, gets 404. The second value: whether this person runs the cohort."""
    managed = shapes.managed_cohort(request.user, pk)
    if managed is not None:
        return managed, True
    cohort = get_object_or_404(Cohort, pk=pk)
    if not dash.may_view_trainee(request.user, cohort, user_id):
        raise Http404
    return cohort, False


def session_state(session: dict, mark: str | None, now) -> tuple[str, str]:
    """(code, label) of one trainee at one session (a row of shapes.SESSIONS_WITH_TALLY): their
    mark, or why there is none."""
    if mark:
        return mark, str(Attendance.Status(mark).label)
    if session["starts_at"] > now:
        return "upcoming", _("Not held yet")
    if session["ends_at"] > now:
        return "running", _("Session in progress")
    # The session's counters hold every mark made there (cohorts.tallies).
    if not any(session[f"tally__{status}"] for status in shapes.TALLY_STATUSES):
        return "not_taken", _("Attendance not taken")
    return "unmarked", _("Not recorded")


@login_required
@require_GET
def trainee(request, pk, user_id):
    """What a manager or the trainee's mentor reads before a conversation: the trainee's figures
    and flags as on the dashboard, courses, attendance per session, submissions, excuses, and the
    columns other apps add (mentor and last meeting, initiative, certificate). A constant number
    of queries."""
    cohort, manages = _trainee_cohort(request, pk, user_id)
    membership = shapes.ACTIVE_TRAINEE.first(cohort.pk, user_id)
    if membership is None:
        raise Http404
    person = membership.user
    now = timezone.now()
    # The dashboard's own figures, narrowed to this person.
    board = dash.cohort_dashboard(cohort, now=now, user_id=person.pk)
    row = next((r for r in board.matching if r.user_id == person.pk), None)
    if row is None:
        raise Http404
    courses = shapes.CURRICULUM.list(cohort.pk)
    english = (translation.get_language() or "").startswith("en")
    sessions = shapes.SESSIONS_WITH_TALLY.list(cohort.pk)
    marks = dict(shapes.TRAINEE_MARKS.list(cohort.pk, person.pk))
    submissions = shapes.trainee_submissions(person.pk, [c["course_id"] for c in courses])
    excuses = shapes.TRAINEE_EXCUSES.list(cohort.pk, person.pk)
    session_rows = [
        {
            "title": s["title_en"] if english and s["title_en"] else s["title"],
            "starts_at": s["starts_at"],
            "state": session_state(s, marks.get(s["id"]), now),
        }
        for s in sessions
    ]
    return render(
        request,
        "cohorts/dashboard_trainee.html",
        {
            "cohort": cohort,
            "person": person,
            "row": row,
            "manages": manages,
            "courses": [
                {
                    "title": c["course__title_en"]
                    if english and c["course__title_en"]
                    else c["course__title"],
                    "required": c["required"],
                    "due_on": c["due_on"],
                    "percent": row.course_percents.get(c["course_id"], 0),
                }
                for c in courses
            ],
            "sessions": session_rows,
            "sessions_html": trainee_sessions_html(session_rows),
            "submissions": submissions,
            "excuses": excuses,
            "extra": [
                (str(column.label), row.columns.get(column.key, "")) for column in board.columns
            ],
        },
    )
