"""The cohort page's next sessions as cards, and a trainee's page's list of sessions, built in
Python: through the template engine, each card's dates, choice labels, conditions and links were
a fifth of a member's cohort page. The markup is the one tests/cohorts/test_session_cards.py
renders with the old templates and compares."""

from django.utils import dateformat, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.i18n import localized
from core.markup import esc, escaped, url_halves
from core.templatetags.dates import format_when

from .models import Session


def session_cards_html(rows) -> SafeString:
    """<li> cards of the next sessions (rows of cohorts.views.public._member_context): title,
    when, format, place or online link, the trainee's mark and excuse, check-in and "I cannot
    attend" when they apply."""
    if not rows:
        empty = esc(_("No sessions are scheduled yet."))
        return mark_safe(f'<li class="card">{empty}</li>')  # noqa: S308 - escaped
    words = {
        "online": _("Online link"),
        "excuse": _("Excuse request:"),
        "check_in": _("Check in"),
        "cannot": _("I cannot attend"),
    }
    w = escaped(words)
    formats = escaped(dict(Session.Format.choices))
    check_in, excuse = url_halves("cohorts:check_in"), url_halves("cohorts:request_excuse")
    parts = []
    for row in rows:
        s = row["session"]
        pk = int(s.pk)
        starts = format_when(s.starts_at, "WEEKDAY_DATETIME_FORMAT")
        iso = dateformat.format(timezone.localtime(s.starts_at), "c")
        place = s.place
        where = ""
        if place:
            if s.mode == Session.Mode.ONLINE:
                where = f'<a href="{esc(s.online_url)}" rel="noopener">{w["online"]}</a>'
            else:
                where = esc(place)
            where = f'<p class="muted" dir="auto">{where}</p>'
        mark = ""
        if row["mark"]:
            mark = (
                f'<p><span class="status status-{esc(row["mark"])}">'
                f"{esc(row['mark_label'])}</span></p>"
            )
        excused = ""
        if row["excuse_label"]:
            excused = f'<p class="muted">{w["excuse"]} {esc(row["excuse_label"])}</p>'
        actions = ""
        if row["check_in_open"]:
            actions += (
                f'<a class="button" href="{check_in[0]}{pk}{check_in[1]}">{w["check_in"]}</a>'
            )
        if row["can_excuse"]:
            actions += (
                f'<a class="button secondary small" href="{excuse[0]}{pk}{excuse[1]}">'
                f"{w['cannot']}</a>"
            )
        parts.append(
            f'<li class="card session-card" id="session-{pk}">'
            f'<h3 dir="auto">{esc(localized(s, "title"))}</h3>'
            f'<p><time datetime="{esc(iso)}">{esc(starts)}</time>–'
            f"{esc(format_when(s.ends_at, 'TIME_FORMAT'))} · "
            f"{formats.get(s.format, esc(s.format))}</p>"
            f'{where}{mark}{excused}<p class="row-actions">{actions}</p></li>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


def trainee_sessions_html(sessions) -> SafeString:
    """<li> items of a trainee's page (`cohorts:dashboard_trainee`): each session of the cohort
    with when it starts and the trainee's state there (`sessions` as that view makes them:
    title, starts_at, state as (code, label))."""
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<li class="note"><span dir="auto">{esc(s["title"])}</span> <small class="muted">'
            f"{esc(format_when(s['starts_at'], 'DATETIME_FORMAT'))}</small> · "
            f'<span class="state-{esc(s["state"][0])}">{esc(s["state"][1])}</span></li>'
            for s in sessions
        )
    )
