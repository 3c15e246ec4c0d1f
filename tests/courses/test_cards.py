"""The trainee's course cards built in Python (courses.cards) are the markup the template engine
rendered from the same rows: titles, summaries (cut at 30 words), track and level labels, drafts,
progress bars with and without figures (a manager's preview), the empty list, in both
languages, with hostile titles and summaries."""

import re

import pytest
from django.template import engines
from django.utils import translation

from courses.cards import course_cards_html
from courses.home_panels import Figures
from courses.models import Course

# The cards as courses/my_courses.html wrote them before they were built in Python.
TEMPLATE = (
    "{% load i18n courses_tags %}"
    + '{% for course, status in rows %}\n  <li class="card">\n    <h2 class="card-title"><a href="{% url \'courses:course\' course.pk %}" dir="auto">{{ course.display_title }}</a></h2>\n    <p class="muted">{{ course.get_track_display }} · {{ course.get_level_display }}{% if not course.is_published %} · {% translate "Draft" %}{% endif %}</p>\n    {% with summary=course|t:"summary" %}{% if summary %}<p dir="auto">{{ summary|truncatewords:30 }}</p>{% endif %}{% endwith %}\n    {% if status %}{% include "courses/_progress.html" %}{% endif %}\n  </li>\n{% empty %}\n  <li class="card">{% translate "You have no courses yet. Your programme team will add you to the courses of your cohort." %}</li>\n{% endfor %}\n'
)


def _between_tags(html: str) -> str:
    """The markup with the white space between tags (the template's line breaks) taken out."""
    return re.sub(r">\s+<", "><", html).strip()


def _course(pk, **fields):
    values = {
        "title": 'القيادة <b>المدنية</b> & "الحوار"',
        "title_en": "",
        "summary": "",
        "summary_en": "",
        "track": "political",
        "level": Course.Level.INTRODUCTORY,
        "is_published": True,
    }
    return Course(pk=pk, **{**values, **fields})


ROWS = [
    (
        _course(1, summary="كلمة " * 45, title_en="Civic <i>leadership</i>"),
        Figures(4, 1, 25, False),
    ),
    (
        _course(2, track="youth", is_published=False, summary="قصير", summary_en="Short & <sweet>"),
        Figures(3, 3, 100, True),
    ),
    (_course(3, track="not-a-track", level="odd"), None),
    (_course(4, summary="x" * 500), Figures(0, 0, 0, False)),
]


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("rows", [ROWS, []], ids=["cards", "empty"])
def test_python_cards_equal_the_template_cards(language, rows):
    with translation.override(language):
        expected = engines["django"].from_string(TEMPLATE).render({"rows": rows})
        assert _between_tags(str(course_cards_html(rows))) == _between_tags(expected)
