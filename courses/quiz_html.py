"""A quiz lesson's questions form and its last attempt's result as HTML built in Python: through
the template engine, the loops over questions and their choices were a third of the quiz page's
time. The markup is the one tests/courses/test_quiz_html.py renders with the old template and
compares."""

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.i18n import localized
from core.markup import esc, escaped

from .models import Question


def questions_html(questions, *, can_attempt: bool) -> SafeString:
    """<li> items of the questions form: each question numbered, its shown choices as radio
    buttons (checkboxes for "choose every right answer"), the person's answers checked."""
    multiple_note = esc(_("Choose every right answer."))
    disabled = "" if can_attempt else " disabled"
    parts = []
    for number, question in enumerate(questions, start=1):
        multiple = question.kind == Question.Kind.MULTIPLE
        kind, required = ("checkbox", "") if multiple else ("radio", " required")
        note = f'<small class="muted">{multiple_note}</small>' if multiple else ""
        name = f"q-{int(question.pk)}"
        checked = question.checked
        choices = "".join(
            f'<div class="choice"><input type="{kind}" name="{name}" value="{int(c.pk)}"'
            f' id="c-{int(c.pk)}"{" checked" if c.pk in checked else ""}{required}{disabled}>'
            f'<label for="c-{int(c.pk)}" dir="auto">{esc(localized(c, "text"))}</label></div>'
            for c in question.shown_choices
        )
        parts.append(
            f'<li><fieldset><legend dir="auto">{number}. {esc(localized(question, "text"))}'
            f"</legend>{note}{choices}</fieldset></li>"
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above


def result_html(result: dict) -> SafeString:
    """<li> items of the last attempt's result: each question right or wrong, its choices with
    the person's answers and, once revealed, the correct ones and the explanation."""
    words = {
        "right": _("right"),
        "wrong": _("wrong"),
        "yours": _("your answer"),
        "correct": _("correct answer"),
    }
    w = escaped(words)
    right = f'<strong class="state-completed">✓ {w["right"]}</strong>'
    wrong = f'<strong class="error">✗ {w["wrong"]}</strong>'
    correct = f' <small class="state-completed">✓ {w["correct"]}</small>'
    parts = []
    for row in result["rows"]:
        answers = []
        for c in row["choices"]:
            text = f"<bdi>{esc(localized(c['choice'], 'text'))}</bdi>"
            if c["chosen"]:
                text = f"<strong>{text}</strong> <small>({w['yours']})</small>"
            answers.append(f"<li>{text}{correct if c['correct'] else ''}</li>")
        explanation = ""
        if result["reveal"] and row["explanation"]:
            explanation = f'<p class="muted" dir="auto">{esc(row["explanation"])}</p>'
        parts.append(
            f'<li><p dir="auto">{esc(localized(row["question"], "text"))} '
            f"{right if row['right'] else wrong}</p>"
            f'<ul class="answers">{"".join(answers)}</ul>{explanation}</li>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above
