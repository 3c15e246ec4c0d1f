"""The cohort page's next sessions built in Python (cohorts.session_cards) are the markup the
template engine rendered from the same rows: in person at the session's or the cohort's venue,
online with its link, no place, the trainee's mark and excuse, check-in and "I cannot attend",
no sessions, in both languages with hostile titles and places."""

import datetime
import re

import pytest
from django.template import engines
from django.utils import timezone, translation

from cohorts.models import Cohort, Session
from cohorts.session_cards import session_cards_html, trainee_sessions_html

TEMPLATE = (
    "{% load i18n %}"
    + '  {% for row in upcoming %}{% with s=row.session %}\n    <li class="card session-card" id="session-{{ s.pk }}">\n      <h3 dir="auto">{{ s.display_title }}</h3>\n      <p><time datetime="{{ s.starts_at|date:\'c\' }}">{{ s.starts_at|when:"WEEKDAY_DATETIME_FORMAT" }}</time>–{{ s.ends_at|when:"TIME_FORMAT" }} · {{ s.get_format_display }}</p>\n      {% if s.place %}<p class="muted" dir="auto">{% if s.mode == "online" %}<a href="{{ s.online_url }}" rel="noopener">{% translate "Online link" %}</a>{% else %}{{ s.place }}{% endif %}</p>{% endif %}\n      {% if row.mark %}<p><span class="status status-{{ row.mark }}">{{ row.mark_label }}</span></p>{% endif %}\n      {% if row.excuse_label %}<p class="muted">{% translate "Excuse request:" %} {{ row.excuse_label }}</p>{% endif %}\n      <p class="row-actions">\n        {% if row.check_in_open %}<a class="button" href="{% url \'cohorts:check_in\' s.pk %}">{% translate "Check in" %}</a>{% endif %}\n        {% if row.can_excuse %}<a class="button secondary small" href="{% url \'cohorts:request_excuse\' s.pk %}">{% translate "I cannot attend" %}</a>{% endif %}\n      </p>\n    </li>\n  {% endwith %}{% empty %}\n    <li class="card">{% translate "No sessions are scheduled yet." %}</li>\n  {% endfor %}\n'
)

START = datetime.datetime(2026, 12, 7, 14, 30, tzinfo=datetime.UTC)


def _between_tags(html: str) -> str:
    """The markup with the white space of the template's line breaks between tags taken out."""
    return re.sub(r">\s*\n\s*<", "><", html).strip()


def _session(pk, **fields):
    cohort = Cohort(pk=1, venue='قاعة <المركز> & "النجف"')
    values = {
        "title": "جلسة <b>الحوار</b>",
        "title_en": "Dialogue <i>",
        "format": Session.Format.WORKSHOP,
        "mode": Session.Mode.IN_PERSON,
        "venue": "",
        "online_url": "",
        "starts_at": START,
        "ends_at": START + datetime.timedelta(hours=2),
    }
    session = Session(pk=pk, **{**values, **fields})
    session.cohort = cohort
    return session


def _row(session, **flags):
    values = {
        "mark": None,
        "mark_label": "",
        "excuse_label": "",
        "check_in_open": False,
        "can_excuse": False,
    }
    return {"session": session, **values, **flags}


ROWS = [
    _row(_session(1), check_in_open=True, can_excuse=True),
    _row(
        _session(2, venue="Room 3 <x>", format=Session.Format.SEMINAR),
        mark="late",
        mark_label="متأخر <>",
    ),
    _row(
        _session(3, mode=Session.Mode.ONLINE, online_url="https://meet.example/a?b=1&c=<2>"),
        excuse_label="قيد المراجعة",
    ),
    _row(_session(4, mode=Session.Mode.ONLINE, format="odd")),
]


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("rows", [ROWS, []], ids=["sessions", "none"])
def test_python_cards_equal_the_template_cards(language, rows):
    with translation.override(language), timezone.override("Asia/Baghdad"):
        expected = engines["django"].from_string(TEMPLATE).render({"upcoming": rows})
        assert _between_tags(str(session_cards_html(rows))) == _between_tags(expected)


# A trainee's page's sessions as cohorts/dashboard_trainee.html wrote them before.
TRAINEE_TEMPLATE = (
    '{% for s in sessions %}<li class="note"><span dir="auto">{{ s.title }}</span> '
    '<small class="muted">{{ s.starts_at|when:"DATETIME_FORMAT" }}</small> · '
    '<span class="state-{{ s.state.0 }}">{{ s.state.1 }}</span></li>{% endfor %}'
)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_python_trainee_sessions_equal_the_template(language):
    sessions = [
        {"title": "جلسة <b>&</b>", "starts_at": START, "state": ("late", "متأخر <>")},
        {"title": 'A "b"', "starts_at": START, "state": ("not_taken", "Attendance not taken")},
    ]
    with translation.override(language), timezone.override("Asia/Baghdad"):
        expected = engines["django"].from_string(TRAINEE_TEMPLATE).render({"sessions": sessions})
        assert str(trainee_sessions_html(sessions)) == expected
        assert str(trainee_sessions_html([])) == ""
