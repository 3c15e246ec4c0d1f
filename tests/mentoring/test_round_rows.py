"""The round page's lists built in Python (mentoring.round_rows) are the markup the template
engine renders from the same rows, as the page's template wrote them before: every value
escaped, the pin / unpin and forbid forms with the request's CSRF field, the choices of the pin
form, the pins and forbids made so far, in both languages."""

import pytest
from django.template import engines
from django.utils import translation

from mentoring import round_rows

# The page's template before its lists were built in Python (on one line each, `p.trainee` and
# `p.mentor` names instead of people).
MATCHED = (
    '{% load i18n %}{% translate "Trainee" as l_trainee %}{% translate "Mentor" as l_mentor %}'
    '{% translate "Score" as l_score %}{% translate "Why" as l_why %}'
    '{% translate "Edit" as l_edit %}'
    '{% for p in matched %}<tr><td dir="auto" data-label="{{ l_trainee }}">{{ p.trainee }}</td>'
    '<td dir="auto" data-label="{{ l_mentor }}">{{ p.mentor }}{% if p.pinned %} '
    '<span class="badge">{% translate "pinned" %}</span>{% endif %}</td>'
    '<td data-label="{{ l_score }}">{{ p.score }}</td><td data-label="{{ l_why }}">{{ p.why }}'
    '</td>{% if is_draft %}<td data-label="{{ l_edit }}"><form method="post" '
    'action="{{ pin_url }}" class="inline">{% csrf_token %}<input type="hidden" name="trainee" '
    'value="{{ p.trainee_id }}"><input type="hidden" name="mentor" value="{{ p.mentor_id }}">'
    '{% if p.pinned %}<input type="hidden" name="undo" value="1"><button type="submit">'
    '{% translate "Unpin" %}</button>{% else %}<button type="submit">{% translate "Pin" %}'
    '</button>{% endif %}</form> <form method="post" action="{{ forbid_url }}" class="inline">'
    '{% csrf_token %}<input type="hidden" name="trainee" value="{{ p.trainee_id }}">'
    '<input type="hidden" name="mentor" value="{{ p.mentor_id }}"><button type="submit">'
    '{% translate "Forbid this pair" %}</button></form></td>{% endif %}</tr>{% endfor %}'
)
UNMATCHED = (
    '{% for p in unmatched %}<li><span dir="auto">{{ p.trainee }}</span>: {{ p.why }}</li>'
    "{% endfor %}"
)
OPTIONS = '{% for pk, name in choices %}<option value="{{ pk }}">{{ name }}</option>{% endfor %}'
EDITS = (
    "{% load i18n %}{% for x in pins %}<li>{% blocktranslate with trainee=x.trainee "
    "mentor=x.mentor %}Pinned: {{ trainee }} with {{ mentor }}{% endblocktranslate %}</li>"
    "{% endfor %}{% for x in forbids %}<li>{% blocktranslate with trainee=x.trainee "
    "mentor=x.mentor %}Forbidden: {{ trainee }} with {{ mentor }}{% endblocktranslate %} "
    '<form method="post" action="{{ forbid_url }}" class="inline">{% csrf_token %}'
    '<input type="hidden" name="trainee" value="{{ x.trainee_id }}"><input type="hidden" '
    'name="mentor" value="{{ x.mentor_id }}"><input type="hidden" name="undo" value="1">'
    '<button type="submit">{% translate "Allow again" %}</button></form></li>{% endfor %}'
)

HOSTILE = "Adam <b>\"Early\"</b> & 'co'"
MATCHED_ROWS = [
    {
        "trainee_id": 7,
        "mentor_id": 3,
        "trainee": "زينب عليّ",
        "mentor": "هه‌ژار",
        "score": 48,
        "pinned": False,
        "why": "+30 مواضيع مشتركة: الانتخابات؛ +10 المحافظة نفسها (النجف)",
    },
    {
        "trainee_id": 12,
        "mentor_id": 4,
        "trainee": HOSTILE,
        "mentor": "<script>alert(1)</script>",
        "score": 0,
        "pinned": True,
        "why": "+8 <overlap> & more",
    },
]
UNMATCHED_ROWS = [
    {"trainee_id": 9, "trainee": "\u0661\u0662 & <x>", "why": "no mentor speaks Kurdish <&>"},
    {"trainee_id": 10, "trainee": "سارة", "why": "لا مرشد يتحدث الكردية"},
]
EDIT_ROWS = [
    {"trainee_id": 7, "mentor_id": 3, "trainee": HOSTILE, "mentor": "هه‌ژار"},
    {"trainee_id": 8, "mentor_id": 5, "trainee": "علي", "mentor": "<i>m</i>"},
]
TOKEN = "tok<en>&'\""
PIN_URL, FORBID_URL = "/mentoring/rounds/2/pin/?a=<b>&c", "/mentoring/rounds/2/forbid/"


def _render(template, **context):
    return engines["django"].from_string(template).render({"csrf_token": TOKEN, **context})


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("draft", [True, False], ids=["draft", "published"])
@pytest.mark.parametrize("rows", [MATCHED_ROWS, []], ids=["rows", "empty"])
def test_pairs_equal_the_template_rows(language, draft, rows):
    with translation.override(language):
        expected = _render(
            MATCHED, matched=rows, is_draft=draft, pin_url=PIN_URL, forbid_url=FORBID_URL
        )
        built = round_rows.matched_html(
            rows, draft=draft, pin_url=PIN_URL, forbid_url=FORBID_URL, csrf_token=TOKEN
        )
    assert str(built) == expected
    if rows and draft:
        assert "&lt;script&gt;" in expected and "tok&lt;en&gt;" in expected


@pytest.mark.parametrize("rows", [UNMATCHED_ROWS, []], ids=["rows", "empty"])
def test_waiting_trainees_equal_the_template_items(rows):
    assert str(round_rows.unmatched_html(rows)) == _render(UNMATCHED, unmatched=rows)


def test_choices_equal_the_template_options():
    choices = [(r["trainee_id"], r["trainee"]) for r in MATCHED_ROWS + UNMATCHED_ROWS]
    assert str(round_rows.options_html(choices)) == _render(OPTIONS, choices=choices)
    assert str(round_rows.options_html([])) == ""


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize(
    "pins,forbids",
    [(EDIT_ROWS, EDIT_ROWS[::-1]), (EDIT_ROWS, []), ([], EDIT_ROWS), ([], [])],
    ids=["both", "pins", "forbids", "none"],
)
def test_pins_and_forbids_equal_the_template_items(language, pins, forbids):
    with translation.override(language):
        expected = _render(EDITS, pins=pins, forbids=forbids, forbid_url=FORBID_URL)
        built = round_rows.edits_html(pins, forbids, forbid_url=FORBID_URL, csrf_token=TOKEN)
    assert str(built) == expected
