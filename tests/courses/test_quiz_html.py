"""A quiz's questions form and last result built in Python (courses.quiz_html) are the markup the
template engine rendered from the same questions and rows: single, multiple and true/false
questions, answers checked, a quiz that cannot be attempted (disabled), right and wrong answers,
correct answers and explanations revealed or not, in both languages with hostile texts."""

import re

import pytest
from django.template import engines
from django.utils import translation

from courses.models import Choice, Question
from courses.quiz_html import questions_html, result_html

QUESTIONS_TEMPLATE = (
    "{% load i18n %}"
    + '    {% for question in questions %}\n      <li>\n        <fieldset>\n          <legend dir="auto">{{ forloop.counter }}. {{ question.display_text }}</legend>\n          {% if question.kind == "multiple" %}<small class="muted">{% translate "Choose every right answer." %}</small>{% endif %}\n          {% for choice in question.shown_choices %}\n            <div class="choice">\n              <input type="{% if question.kind == \'multiple\' %}checkbox{% else %}radio{% endif %}" name="q-{{ question.pk }}" value="{{ choice.pk }}" id="c-{{ choice.pk }}"{% if choice.pk in question.checked %} checked{% endif %}{% if question.kind != \'multiple\' %} required{% endif %}{% if not can_attempt %} disabled{% endif %}>\n              <label for="c-{{ choice.pk }}" dir="auto">{{ choice.display_text }}</label>\n            </div>\n          {% endfor %}\n        </fieldset>\n      </li>\n    {% endfor %}\n'
)
RESULT_TEMPLATE = (
    "{% load i18n %}"
    + '    {% for row in result.rows %}\n      <li>\n        <p dir="auto">{{ row.question.display_text }} {% if row.right %}<strong class="state-completed">✓ {% translate "right" %}</strong>{% else %}<strong class="error">✗ {% translate "wrong" %}</strong>{% endif %}</p>\n        <ul class="answers">\n        {% for c in row.choices %}\n          <li>{% if c.chosen %}<strong><bdi>{{ c.choice.display_text }}</bdi></strong> <small>({% translate "your answer" %})</small>{% else %}<bdi>{{ c.choice.display_text }}</bdi>{% endif %}{% if c.correct %} <small class="state-completed">✓ {% translate "correct answer" %}</small>{% endif %}</li>\n        {% endfor %}\n        </ul>\n        {% if result.reveal and row.explanation %}<p class="muted" dir="auto">{{ row.explanation }}</p>{% endif %}\n      </li>\n    {% endfor %}\n'
)


def _between_tags(html: str) -> str:
    return re.sub(r">\s*\n\s*<", "><", html).strip()


def _question(pk, kind, choices, checked=()):
    question = Question(pk=pk, kind=kind, text=f'سؤال <{pk}> & "x"', text_en=f"Question {pk} <b>")
    question.shown_choices = [
        Choice(pk=pk * 10 + n, text=text, text_en="", is_correct=n == 0)
        for n, text in enumerate(choices)
    ]
    question.checked = set(checked)
    return question


QUESTIONS = [
    _question(1, Question.Kind.SINGLE, ["أ <i>", "ب & ج"], checked={11}),
    _question(2, Question.Kind.MULTIPLE, ["'1'", '"2"', "٣"], checked={20, 22}),
    _question(3, Question.Kind.TRUE_FALSE, ["صح", "خطأ"]),
]


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("can_attempt", [True, False])
def test_python_questions_equal_the_template(language, can_attempt):
    with translation.override(language):
        expected = (
            engines["django"]
            .from_string(QUESTIONS_TEMPLATE)
            .render({"questions": QUESTIONS, "can_attempt": can_attempt})
        )
        built = questions_html(QUESTIONS, can_attempt=can_attempt)
        assert _between_tags(str(built)) == _between_tags(expected)


def _result(reveal):
    rows = []
    for question, right in zip(QUESTIONS, [True, False, False], strict=True):
        rows.append(
            {
                "question": question,
                "right": right,
                "choices": [
                    {"choice": c, "chosen": c.pk in question.checked, "correct": reveal and n == 0}
                    for n, c in enumerate(question.shown_choices)
                ],
                "explanation": "" if question.pk == 3 else "لأن <b>السبب</b> & كذا",
            }
        )
    return {"rows": rows, "reveal": reveal}


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("reveal", [True, False])
def test_python_result_equals_the_template(language, reveal):
    result = _result(reveal)
    with translation.override(language):
        expected = engines["django"].from_string(RESULT_TEMPLATE).render({"result": result})
        assert _between_tags(str(result_html(result))) == _between_tags(expected)
