"""Template helpers of the course pages."""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from courses.models import localized

register = template.Library()


@register.filter
def t(obj, field: str) -> str:
    """`{{ lesson|t:"summary" }}`: the English text on English pages when filled, else Arabic."""
    return localized(obj, field)


@register.simple_tag
def course_progress(status):
    """A course's progress bar with its figures (`courses/_progress.html`), written in Python:
    the template was included once per row of the course lists."""
    percent = status.percent
    figures = _("%(percent)s%% · %(done)s of %(total)s required lessons") % {
        "percent": percent,
        "done": status.required_done,
        "total": status.required_total,
    }
    completed = ""
    if status.completed:
        completed = format_html('\n  <strong class="state-completed">{}</strong>', _("Completed"))
    return format_html(
        '<div class="course-progress">\n'
        '  <progress max="100" value="{}" aria-label="{}">{}%</progress>\n'
        "  <span>{}</span>{}\n</div>",
        percent,
        _("Course progress"),
        percent,
        figures,
        completed,
    )
