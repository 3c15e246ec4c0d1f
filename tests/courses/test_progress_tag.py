"""`{% course_progress status %}` writes in Python what `courses/_progress.html` wrote (once per
row of the course lists): the same HTML in both languages, completed or not."""

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from tests.core.test_form_fields_tag import _squeeze

# The template as it was, kept here as the reference.
OLD = '{% load i18n %}<div class="course-progress">\n  <progress max="100" value="{{ status.percent }}" aria-label="{% translate \'Course progress\' %}">{{ status.percent }}%</progress>\n  <span>{% blocktranslate with percent=status.percent done=status.required_done total=status.required_total %}{{ percent }}% · {{ done }} of {{ total }} required lessons{% endblocktranslate %}</span>\n  {% if status.completed %}<strong class="state-completed">{% translate "Completed" %}</strong>{% endif %}\n</div>\n'


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize(
    "figures", [(0, 0, 0, False), (33, 2, 6, False), (100, 6, 6, True), (100, 0, 0, True)]
)
def test_the_tag_writes_what_the_template_wrote(language, figures):
    percent, done, total, completed = figures
    status = SimpleNamespace(
        percent=percent, required_done=done, required_total=total, completed=completed
    )
    context = {"status": status}
    with translation.override(language):
        old = Template(OLD).render(Context(context))
        new = Template("{% load courses_tags %}{% course_progress status %}").render(
            Context(context)
        )
        included = Template('{% include "courses/_progress.html" %}').render(Context(context))
    assert _squeeze(new) == _squeeze(old)
    assert _squeeze(included) == _squeeze(old)
    assert f'value="{percent}"' in new
    assert ("state-completed" in new) is completed
