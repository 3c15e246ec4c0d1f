"""The dashboard table's rows as HTML built in Python: fifty rows of five to eight cells each
went through the template engine's lookups, conditions and loops cell by cell, about half of
what the page cost to render. The markup is the one tests/cohorts/test_dashboard_table.py
renders with the template engine and compares."""

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.markup import esc as escape


def rows_html(rows: list[dict], *, low: int) -> SafeString:
    """<tr> rows of the dashboard table: `rows` as cohorts.views.dashboard._dashboard_row makes
    them (url, name, name_latin, completion, attendance, attended, counted, last_iso, last,
    flags as (code, label, message), columns as (label, value)); `low` the attendance under which
    the meter shows low."""
    l_completion = escape(_("Course completion"))
    l_attendance = escape(_("Attendance"))
    l_activity = escape(_("Last activity"))
    l_risk = escape(_("At risk"))
    never = escape(_("never"))
    low = int(low)
    parts = []
    for row in rows:
        completion = int(row["completion"])
        latin = (
            f'<br><small dir="ltr" lang="en">{escape(row["name_latin"])}</small>'
            if row["name_latin"]
            else ""
        )
        if row["attendance"] is not None:
            attendance = int(row["attendance"])
            attended = (
                f'<meter min="0" max="100" low="{low}" optimum="100" value="{attendance}">'
                f"{attendance}%</meter> {attendance}% "
                f'<small class="muted">({int(row["attended"])}/{int(row["counted"])})</small>'
            )
        else:
            attended = "—"
        if row["last"]:
            last = f'<time datetime="{escape(row["last_iso"])}">{escape(row["last"])}</time>'
        else:
            last = f'<span class="muted">{never}</span>'
        flags = (
            "<br>".join(
                f'<span class="flag flag-{escape(code)}">{escape(label)}</span> '
                f"<small>{escape(message)}</small>"
                for code, label, message in row["flags"]
            )
            or '<span class="muted">—</span>'
        )
        extra = "".join(
            f'<td dir="auto" data-label="{escape(label)}">{escape(value or "—")}</td>'
            for label, value in row["columns"]
        )
        risk = ' class="at-risk"' if row["flags"] else ""
        parts.append(
            f"<tr{risk}>"
            f'<th scope="row" dir="auto"><a href="{escape(row["url"])}">{escape(row["name"])}</a>'
            f"{latin}</th>"
            f'<td data-label="{l_completion}"><progress max="100" value="{completion}">'
            f"{completion}%</progress> {completion}%</td>"
            f'<td data-label="{l_attendance}">{attended}</td>'
            f'<td data-label="{l_activity}">{last}</td>'
            f'<td data-label="{l_risk}" class="reasons">{flags}</td>'
            f"{extra}</tr>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


def session_bars_html(bars: list[dict], *, low: int) -> SafeString:
    """<li> bars of the chart "Attendance per session": `bars` as
    cohorts.views.dashboard._session_bar makes them (label, percent or None, taken)."""
    # Translated outside the f-strings, where the message extractor would not see them.
    if not bars:
        none_held = escape(_("No session has been held yet."))
        return mark_safe(f'<li class="muted">{none_held}</li>')  # noqa: S308 - escaped
    not_taken_label = escape(_("Attendance not taken"))
    not_taken = f'<span class="muted">{not_taken_label}</span>'
    low = int(low)
    parts = []
    for bar in bars:
        if bar["percent"] is not None:
            percent = int(bar["percent"])
            figure = (
                f'<meter min="0" max="100" low="{low}" optimum="100" value="{percent}">'
                f"{percent}%</meter> <span>{percent}%</span>"
            )
        elif not bar["taken"]:
            figure = not_taken
        else:
            figure = '<span class="muted">—</span>'
        parts.append(
            f'<li><span class="bar-label" dir="auto">{escape(bar["label"])}</span> {figure}</li>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above
