"""The manager's dashboard of a cohort (cohorts.dashboard) as a page, and its exports."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.defaultfilters import date as date_filter
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import dashboard as dash
from .. import exports
from ..forms import DashboardFilterForm
from .common import managed_cohort


def _board(request, cohort, *, paged=True):
    filters = DashboardFilterForm(request.GET)
    options = filters.options()
    if not paged:
        options.pop("page")
    return filters, dash.cohort_dashboard(cohort, **options)


@login_required
@require_GET
def dashboard(request, pk):
    """A row per trainee (completion, attendance, last activity, risks with their reasons),
    charts of the whole cohort drawn with <meter> bars, filters, sorting and exports."""
    cohort = managed_cohort(request, pk)
    filters, board = _board(request, cohort)
    sort = board.sort
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
                for code, label in dash.FLAG_LABELS.items()
            ],
            "rows": [_dashboard_row(row) for row in board.rows],
            "session_bars": [_session_bar(stat) for stat in board.sessions],
        },
    )


# The dashboard's table and session chart are handed to the template as plain values, formatted
# once here: looking up dataclass attributes and running the date filter for every cell costs
# the 1,000-trainee page about as much as everything else it renders.


def _short_date(moment) -> str:
    return date_filter(timezone.localtime(moment), "j M Y")


def _dashboard_row(row) -> dict:
    return {
        "name": row.name,
        "name_latin": row.name_latin,
        "completion": row.completion_percent,
        "attendance": row.attendance_percent,
        "attended": row.sessions_attended,
        "counted": row.sessions_counted,
        "last_iso": row.last_activity.isoformat() if row.last_activity else "",
        "last": _short_date(row.last_activity) if row.last_activity else "",
        "flags": [(flag.code, flag.label, flag.message) for flag in row.flags],
        "mentor": row.mentor,
        "initiative": row.initiative,
    }


def _session_bar(stat) -> dict:
    english = (translation.get_language() or "").startswith("en")
    title = stat.title_en if english and stat.title_en else stat.title
    return {
        "label": f"{date_filter(timezone.localtime(stat.starts_at), 'j M')} · {title}",
        "percent": stat.percent,
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
