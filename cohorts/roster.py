"""The roll call's rows as HTML built in Python: a hundred rows of four radio buttons each went
through the template engine's lookups and conditions cell by cell, most of the page's time.
The markup is the one tests/cohorts/test_roster.py renders with the template engine and
compares."""

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.markup import esc as escape

from .models import Attendance

STATUSES = tuple(Attendance.Status.values)


def roster_html(rows: list[dict], labels: dict) -> SafeString:
    """<li> rows of the roll call: `rows` holds id, name, current (a status or "") and excuse
    (its label or ""); `labels` the status labels."""
    label_html = {status: escape(labels[status]) for status in STATUSES}
    excuse_word = escape(_("excuse"))
    parts = []
    for row in rows:
        person = int(row["id"])
        name = escape(row["name"])
        excuse = (
            f' <small class="muted">({excuse_word}: {escape(row["excuse"])})</small>'
            if row["excuse"]
            else ""
        )
        radios = "".join(
            f'<label><input type="radio" name="m{person}" value="{status}"'
            f"{' checked' if row['current'] == status else ''}>"
            f"<span>{label_html[status]}</span></label>"
            for status in STATUSES
        )
        parts.append(
            f'<li class="roster-row"><input type="hidden" name="shown" value="{person}">'
            f'<span class="roster-name" dir="auto">{name}{excuse}</span>'
            f'<fieldset class="marks"><legend class="sr-only">{name}</legend>{radios}'
            "</fieldset></li>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above
