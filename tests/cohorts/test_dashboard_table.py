"""The dashboard table's rows built in Python (cohorts.dashboard_table) are the markup the
template engine renders from the same rows: names, flags and column values escaped, the meters
and the missing values as the template wrote them, in both languages."""

import pytest
from django.template import engines
from django.utils import translation

from cohorts.dashboard_table import rows_html, session_bars_html

# The rows as the dashboard's template wrote them before they were built in Python (the same
# markup, without the whitespace between the tags).
TEMPLATE = (
    "{% load i18n l10n %}{% localize off %}"
    '{% translate "never" as never %}{% translate "Course completion" as l_completion %}'
    '{% translate "Attendance" as l_attendance %}{% translate "Last activity" as l_activity %}'
    '{% translate "At risk" as l_risk %}'
    "{% for row in rows %}"
    '<tr{% if row.flags %} class="at-risk"{% endif %}>'
    '<th scope="row" dir="auto"><a href="{{ row.url }}">{{ row.name }}</a>{% if row.name_latin %}<br><small dir="ltr" lang="en">{{ row.name_latin }}</small>{% endif %}</th>'
    '<td data-label="{{ l_completion }}"><progress max="100" value="{{ row.completion }}">{{ row.completion }}%</progress> {{ row.completion }}%</td>'
    '<td data-label="{{ l_attendance }}">{% if row.attendance is not None %}<meter min="0" max="100" low="{{ low }}" optimum="100" value="{{ row.attendance }}">{{ row.attendance }}%</meter> {{ row.attendance }}% <small class="muted">({{ row.attended }}/{{ row.counted }})</small>{% else %}—{% endif %}</td>'
    '<td data-label="{{ l_activity }}">{% if row.last %}<time datetime="{{ row.last_iso }}">{{ row.last }}</time>{% else %}<span class="muted">{{ never }}</span>{% endif %}</td>'
    '<td data-label="{{ l_risk }}" class="reasons">{% for code, label, message in row.flags %}<span class="flag flag-{{ code }}">{{ label }}</span> <small>{{ message }}</small>{% if not forloop.last %}<br>{% endif %}{% empty %}<span class="muted">—</span>{% endfor %}</td>'
    '{% for label, value in row.columns %}<td dir="auto" data-label="{{ label }}">{{ value|default:"—" }}</td>{% endfor %}'
    "</tr>{% endfor %}{% endlocalize %}"
)


def _row(**changes) -> dict:
    row = {
        "url": "/cohorts/1/dashboard/trainees/7/",
        "name": "زينب علي",
        "name_latin": "Zainab Ali",
        "completion": 42,
        "attendance": 75,
        "attended": 3,
        "counted": 4,
        "last_iso": "2026-12-01T09:30:00+03:00",
        "last": "1 ديسمبر 2026",
        "flags": [],
        "columns": [("المرشد", "سارة · 3 أيام"), ("المبادرة", "")],
    }
    row.update(changes)
    return row


ROWS = [
    _row(),
    _row(
        url='/x/"><script>/',
        name='Adam <b>"Early"</b> & co',
        name_latin="",
        completion=0,
        attendance=None,
        last="",
        last_iso="",
        flags=[
            ("attendance", "Low attendance", "attendance 20 % < 75 %"),
            ("mentoring.no_meeting", "No <meeting>", 'for "40" days'),
        ],
        columns=[("Mentor <x>", "<i>none</i>"), ("Initiative", "")],
    ),
    _row(completion=100, attendance=0, attended=0, counted=5, columns=[]),
]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_python_rows_equal_the_template_rows(language):
    with translation.override(language):
        expected = engines["django"].from_string(TEMPLATE).render({"rows": ROWS, "low": 75})
        assert str(rows_html(ROWS, low=75)) == expected
        assert "&lt;script&gt;" in expected and "<script>" not in expected
        assert rows_html([], low=75) == ""


# The chart "Attendance per session" as the dashboard's template wrote it.
BARS_TEMPLATE = (
    "{% load i18n l10n %}{% localize off %}"
    '{% for s in bars %}<li><span class="bar-label" dir="auto">{{ s.label }}</span> '
    '{% if s.percent is not None %}<meter min="0" max="100" low="{{ low }}" optimum="100" '
    'value="{{ s.percent }}">{{ s.percent }}%</meter> <span>{{ s.percent }}%</span>'
    '{% elif not s.taken %}<span class="muted">{% translate "Attendance not taken" %}</span>'
    '{% else %}<span class="muted">—</span>{% endif %}</li>'
    '{% empty %}<li class="muted">{% translate "No session has been held yet." %}</li>'
    "{% endfor %}{% endlocalize %}"
)
BARS = [
    {"label": "3 Nov · القيادة المدنية", "percent": 80, "taken": True},
    {"label": 'Nov <b>"x"</b> & y', "percent": 0, "taken": True},
    {"label": "5 Nov · جلسة", "percent": None, "taken": False},
    {"label": "7 Nov", "percent": None, "taken": True},
    {"label": "١٢ Nov", "percent": 1234, "taken": True},
]


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("bars", [BARS, []], ids=["bars", "none"])
def test_session_bars_equal_the_templates(language, bars):
    with translation.override(language):
        expected = engines["django"].from_string(BARS_TEMPLATE).render({"bars": bars, "low": 75})
        assert str(session_bars_html(bars, low=75)) == expected
