"""The trainee's course cards (`courses:mine`) and a course's outline of modules and lessons
(`courses:course`) as HTML built in Python: through the template engine, each card's or row's
lookups, choice labels, filters and tags came to a third to two thirds of those pages' time. The
markup is the one tests/courses/test_cards.py renders with the old templates and compares."""

from django.template.defaultfilters import linebreaksbr, truncatewords
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.i18n import localized
from core.markup import esc, escaped, url_halves
from core.templatetags.dates import format_when

from .models import Course
from .progress import LockReason
from .templatetags.courses_tags import course_progress


def _labels(field: str) -> dict:
    """{value: label} of a choice field of Course, escaped, in the active language."""
    return escaped(dict(Course._meta.get_field(field).flatchoices))


def course_cards_html(rows) -> SafeString:
    """<li> cards of (course, figures or None) rows: the title linking to the outline, track,
    level and "Draft" when unpublished, the summary (30 words) and the progress bar when the
    trainee's figures are given (not in a manager's preview)."""
    if not rows:
        empty = esc(
            _(
                "You have no courses yet. Your programme team will add you to the courses of "
                "your cohort."
            )
        )
        return mark_safe(f'<li class="card">{empty}</li>')  # noqa: S308 - escaped
    head, tail = url_halves("courses:course")
    tracks, levels = _labels("track"), _labels("level")
    draft = " · " + esc(_("Draft"))
    parts = []
    for course, status in rows:
        track = tracks.get(course.track, esc(course.track))
        level = levels.get(course.level, esc(course.level))
        summary = localized(course, "summary")
        summary = f'<p dir="auto">{esc(truncatewords(summary, 30))}</p>' if summary else ""
        progress = course_progress(status) if status else ""
        parts.append(
            f'<li class="card"><h2 class="card-title"><a href="{head}{int(course.pk)}{tail}"'
            f' dir="auto">{esc(localized(course, "title"))}</a></h2>'
            f'<p class="muted">{track} · {level}{"" if course.is_published else draft}</p>'
            f"{summary}{progress}</li>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


def panel_cards_html(rows) -> SafeString:
    """<li> cards of the home page's courses panel: (course, figures) rows, each the title
    linking to the outline and the progress bar."""
    if not rows:
        empty = esc(_("You have no courses yet."))
        return mark_safe(f'<li class="card">{empty}</li>')  # noqa: S308 - escaped
    head, tail = url_halves("courses:course")
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<li class="card"><h3><a href="{head}{int(course.pk)}{tail}" dir="auto">'
            f"{esc(localized(course, 'title'))}</a></h3>{course_progress(status)}</li>"
            for course, status in rows
        )
    )


def _outline_words() -> dict:
    """The outline's words, escaped, in the active language (outside the f-strings below, where
    the extractor sees them)."""
    words = {
        "previous": _("Complete the previous module first."),
        "completed": _("Module completed"),
        "no_lessons": _("No lessons yet."),
        "no_modules": _("This course has no modules yet."),
    }
    return escaped(words)


def _lesson_html(row: dict) -> str:
    title = esc(row["title"])
    if row["url"]:
        link = f'<a href="{esc(row["url"])}" dir="auto">{title}</a>'
    else:
        link = f'<span dir="auto">{title}</span>'
    lock = f'<small class="muted">{esc(row["lock_message"])}</small>' if row["lock_message"] else ""
    return (
        f'<li class="outline-lesson state-row-{esc(row["state"])}">{link}'
        f'<small class="muted">{esc(row["meta"])}</small>'
        f'<span class="{esc(row["badge_class"])}">{esc(row["badge"])}</span>{lock}</li>'
    )


def outline_html(modules) -> SafeString:
    """<li> items of a course's modules, each with its lock or completion, summary and lesson
    rows: `modules` as the outline view makes them, (ModuleState, rows of _outline_rows)."""
    w = _outline_words()
    if not modules:
        return mark_safe(f'<li class="muted">{w["no_modules"]}</li>')  # noqa: S308 - escaped
    parts = []
    for state, rows in modules:
        module = state.module
        if state.locked:
            if state.lock_reason == LockReason.DATES:
                # As {% blocktranslate %}: the value escaped, the translated sentence as it is.
                date = esc(format_when(module.available_from, "DATE_FORMAT"))
                said = _("Opens on %(date)s.") % {"date": date}
            else:
                said = w["previous"]
            note = f'<p class="muted">{said}</p>'
        elif state.completed:
            note = f'<p class="state-completed">✓ {w["completed"]}</p>'
        else:
            note = ""
        summary = localized(module, "summary")
        summary = f'<p dir="auto">{linebreaksbr(summary, autoescape=True)}</p>' if summary else ""
        lessons = "".join(_lesson_html(row) for row in rows)
        lessons = lessons or f'<li class="muted">{w["no_lessons"]}</li>'
        parts.append(
            f'<li class="outline-module{" is-locked" if state.locked else ""}">'
            f'<h2 dir="auto">{esc(localized(module, "title"))}</h2>{note}{summary}'
            f'<ol class="outline-lessons">{lessons}</ol></li>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above
