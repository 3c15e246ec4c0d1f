"""The mentor load page's tables as HTML built in Python: each mentor's mentees against their
capacity, and a page of the pairs without a recent meeting; and a mentor's own list of mentees.
Through the template engine, their lookups, filters and tags per row were most of what the page
cost. The markup is the one
tests/mentoring/test_load_rows.py renders with the template engine and compares.

Rows are tuples of plain values: a mentor (name, mentees, capacity, paused), a quiet pair
(mentor's name, trainee's name, the date of the last meeting or None)."""

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.i18n import localized
from core.markup import esc, escaped, url_halves
from core.templatetags.dates import format_when

from .models import Mentorship


def mentors_html(rows) -> SafeString:
    """<tr> rows of the mentors: name, then mentees / capacity with a badge when paused."""
    l_mentor, l_mentees = esc(_("Mentor")), esc(_("Mentees / capacity"))
    paused_label = esc(_("paused"))  # outside the f-string, where the extractor sees it
    badge = f' <span class="badge">{paused_label}</span>'
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<tr><td dir="auto" data-label="{l_mentor}">{esc(name)}</td>'
            f'<td data-label="{l_mentees}">{int(mentees)} / {int(capacity)}'
            f"{badge if paused else ''}</td></tr>"
            for name, mentees, capacity, paused in rows
        )
    )


def quiet_html(rows) -> SafeString:
    """<tr> rows of the quiet pairs: mentor, trainee, the last meeting's date or "never"."""
    l_mentor, l_trainee = esc(_("Mentor")), esc(_("Trainee"))
    l_last, never = esc(_("Last meeting")), esc(_("never"))
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<tr><td dir="auto" data-label="{l_mentor}">{esc(mentor)}</td>'
            f'<td dir="auto" data-label="{l_trainee}">{esc(trainee)}</td>'
            f'<td data-label="{l_last}">'
            f"{esc(format_when(last, 'DATE_FORMAT')) if last else never}</td></tr>"
            for mentor, trainee, last in rows
        )
    )


def mentees_html(mentorships) -> SafeString:
    """<tr> rows of a mentor's own page (`mentoring:my_mentees`): each mentee linking to the
    mentorship, the cohort, the pair's status and the date of the last meeting ("never")."""
    labels = {
        "trainee": _("Trainee"),
        "cohort": _("Cohort"),
        "status": _("Status"),
        "last": _("Last meeting"),
        "never": _("never"),
    }
    w = escaped(labels)
    statuses = escaped(dict(Mentorship.Status.choices))
    head, tail = url_halves("mentoring:mentorship")
    rows = []
    for m in mentorships:
        last = esc(format_when(m.last_meeting, "DATE_FORMAT")) if m.last_meeting else w["never"]
        rows.append(
            f'<tr><td dir="auto" data-label="{w["trainee"]}">'
            f'<a href="{head}{int(m.pk)}{tail}">{esc(m.trainee.full_name)}</a></td>'
            f'<td dir="auto" data-label="{w["cohort"]}">{esc(localized(m.cohort, "name"))}</td>'
            f'<td data-label="{w["status"]}">{statuses.get(m.status, esc(m.status))}</td>'
            f'<td data-label="{w["last"]}">{last}</td></tr>'
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value is escaped above
