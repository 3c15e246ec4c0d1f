"""The trainee's course cards built in Python (courses.cards) are the markup the template engine
rendered from the same rows: titles, summaries (cut at 30 words), track and level labels, drafts,
progress bars with and without figures (a manager's preview), the empty list, in both
languages, with hostile titles and summaries."""

import datetime
import re

import pytest
from django.template import engines
from django.utils import translation

from courses.cards import course_cards_html, outline_html, panel_cards_html
from courses.home_panels import Figures
from courses.models import Course, Module
from courses.progress import LockReason, ModuleState

# The cards as courses/my_courses.html wrote them before they were built in Python.
TEMPLATE = (
    "{% load i18n courses_tags %}"
    + '{% for course, status in rows %}\n  <li class="card">\n    <h2 class="card-title"><a href="{% url \'courses:course\' course.pk %}" dir="auto">{{ course.display_title }}</a></h2>\n    <p class="muted">{{ course.get_track_display }} · {{ course.get_level_display }}{% if not course.is_published %} · {% translate "Draft" %}{% endif %}</p>\n    {% with summary=course|t:"summary" %}{% if summary %}<p dir="auto">{{ summary|truncatewords:30 }}</p>{% endif %}{% endwith %}\n    {% if status %}{% include "courses/_progress.html" %}{% endif %}\n  </li>\n{% empty %}\n  <li class="card">{% translate "You have no courses yet. Your programme team will add you to the courses of your cohort." %}</li>\n{% endfor %}\n'
)


def _between_tags(html: str) -> str:
    """The markup with the white space between tags (the template's line breaks) taken out."""
    return re.sub(r">\s*\n\s*<", "><", html).strip()


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


# The outline's modules as courses/course_outline.html wrote them before they were built in Python.
OUTLINE_TEMPLATE = (
    "{% load i18n courses_tags %}"
    + '{% for module_state, lesson_rows in modules %}\n  <li class="outline-module{% if module_state.locked %} is-locked{% endif %}">\n    <h2 dir="auto">{{ module_state.module.display_title }}</h2>\n    {% if module_state.locked %}<p class="muted">{% if module_state.lock_reason == "dates" %}{% blocktranslate with date=module_state.module.available_from|when:"DATE_FORMAT" %}Opens on {{ date }}.{% endblocktranslate %}{% else %}{% translate "Complete the previous module first." %}{% endif %}</p>\n    {% elif module_state.completed %}<p class="state-completed">✓ {% translate "Module completed" %}</p>{% endif %}\n    {% with summary=module_state.module|t:"summary" %}{% if summary %}<p dir="auto">{{ summary|linebreaksbr }}</p>{% endif %}{% endwith %}\n    <ol class="outline-lessons">\n    {% for row in lesson_rows %}\n      <li class="outline-lesson state-row-{{ row.state }}">\n        {% if row.url %}<a href="{{ row.url }}" dir="auto">{{ row.title }}</a>{% else %}<span dir="auto">{{ row.title }}</span>{% endif %}\n        <small class="muted">{{ row.meta }}</small>\n        <span class="{{ row.badge_class }}">{{ row.badge }}</span>\n        {% if row.lock_message %}<small class="muted">{{ row.lock_message }}</small>{% endif %}\n      </li>\n    {% empty %}\n      <li class="muted">{% translate "No lessons yet." %}</li>\n    {% endfor %}\n    </ol>\n  </li>\n{% empty %}\n  <li class="muted">{% translate "This course has no modules yet." %}</li>\n{% endfor %}\n'
)


def _module(pk, **fields):
    values = {"title": 'الوحدة <1> & "ب"', "title_en": "", "summary": "", "summary_en": ""}
    return Module(pk=pk, **{**values, **fields})


def _row(state, *, url="/courses/lessons/7/", lock_message=""):
    return {
        "state": state,
        "url": url,
        "title": 'درس <b>أول</b> & "x"',
        "meta": "نص · اختياري · 5 دقائق",
        "badge_class": f"state state-{state}",
        "badge": "مكتمل <✓>",
        "lock_message": lock_message,
    }


OPENS = datetime.datetime(2026, 9, 1, 21, 30, tzinfo=datetime.UTC)
MODULES = [
    (
        ModuleState(
            _module(1, summary="سطر أول\nسطر <ثانٍ> & ثالث", title_en="Module <one>"),
            [],
            completed=True,
        ),
        [_row("completed"), _row("started", url="")],
    ),
    (
        ModuleState(_module(2, available_from=OPENS), [], lock_reason=LockReason.DATES),
        [_row("locked", url="", lock_message="لم يُفتح بعد <بعد>")],
    ),
    (
        ModuleState(_module(3, summary_en="Line\r\nnext"), [], lock_reason=LockReason.MODULE_ORDER),
        [],
    ),
    (ModuleState(_module(4), []), [_row("available")]),
]


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("modules", [MODULES, []], ids=["modules", "empty"])
def test_python_outline_equals_the_template_outline(language, modules):
    with translation.override(language):
        expected = engines["django"].from_string(OUTLINE_TEMPLATE).render({"modules": modules})
        assert _between_tags(str(outline_html(modules))) == _between_tags(expected)


# The home page's course cards as courses/home_panel.html wrote them before.
PANEL_TEMPLATE = (
    "{% load i18n %}"
    + '  {% for course, status in rows %}\n    <li class="card">\n      <h3><a href="{% url \'courses:course\' course.pk %}" dir="auto">{{ course.display_title }}</a></h3>\n      {% include "courses/_progress.html" %}\n    </li>\n  {% empty %}\n    <li class="card">{% translate "You have no courses yet." %}</li>\n  {% endfor %}\n'
)


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("rows", [[r for r in ROWS if r[1]], []], ids=["cards", "empty"])
def test_python_panel_cards_equal_the_template_cards(language, rows):
    with translation.override(language):
        expected = engines["django"].from_string(PANEL_TEMPLATE).render({"rows": rows})
        assert _between_tags(str(panel_cards_html(rows))) == _between_tags(expected)
