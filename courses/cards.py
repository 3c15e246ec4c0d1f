"""The trainee's course cards (`courses:mine`) as HTML built in Python: through the template
engine, each card's lookups, choice labels, filters, the progress tag and an include came to
two thirds of the page's time. The markup is the one tests/courses/test_cards.py renders with
the old template and compares."""

from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.i18n import localized
from core.markup import esc

from .models import Course
from .templatetags.courses_tags import course_progress


def _labels(field: str) -> dict:
    """{value: label} of a choice field of Course, escaped, in the active language."""
    return {value: esc(label) for value, label in Course._meta.get_field(field).flatchoices}


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
    head, tail = reverse("courses:course", args=[0]).rsplit("/0/", 1)
    head, tail = esc(f"{head}/"), esc(f"/{tail}")
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
