"""The inbox's rows built in Python (notifications.templatetags.inbox) are the markup the template
engine renders from the same rows: titles, bodies and links escaped, the read form only on unread
rows, with the request's CSRF token, in both languages."""

import pytest
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe

from notifications.templatetags.inbox import rows_html

# The rows as the inbox's template wrote them before they were built in Python (the same markup,
# one row a line).
TEMPLATE = (
    '{% load i18n %}{% translate "Mark as read" as mark_read %}'
    '{% for n in rows %}<li class="note{% if n.unread %} unread{% endif %}">'
    '<strong>{% if n.url %}<a href="{{ n.url }}">{{ n.title }}</a>{% else %}{{ n.title }}{% endif %}</strong>'
    "<p>{{ n.body }}</p>"
    '<time datetime="{{ n.iso }}">{{ n.when }}</time>'
    '{% if n.unread %}<form method="post" action="{{ n.read_url }}">{% csrf_token %}'
    '<button type="submit" class="secondary">{{ mark_read }}</button></form>{% endif %}'
    "</li>{% if not forloop.last %}\n{% endif %}"
    '{% empty %}<li>{% translate "You have no notifications yet." %}</li>{% endfor %}'
)


def _row(**changes) -> dict:
    row = {
        "title": "تغيّر دورك",
        "body": "دورك الآن: مرشد.",
        "url": "/profile/",
        "unread": True,
        "iso": "2026-12-01T09:30:00+03:00",
        "when": "1 كانون الأول 2026، 9:30 ص",
        "read_url": "/notifications/7/read/",
    }
    row.update(changes)
    return row


ROWS = [
    [],
    [_row()],
    [_row(unread=False), _row(url="")],
    [_row(title='<script>alert("x")</script>', body="a & b <i>", url='/x?a=1&b="2"')],
    [_row(title=mark_safe("<b>safe</b>"), body="Your role is now: Mentor.", when="Dec. 1")],
]


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("token", ["tok3n&<>", ""])
def test_rows_are_the_templates_markup(rows, language, token):
    template = engines["django"].from_string(TEMPLATE)
    with translation.override(language):
        expected = template.render({"rows": rows, "csrf_token": token})
        assert rows_html(rows, token) == expected


def test_hostile_values_are_escaped():
    html = rows_html([_row(title="<script>", body="<img src=x>", url='"><svg>')], "t")
    assert "<script>" not in html and "<img" not in html and "<svg>" not in html
    assert "&lt;script&gt;" in html and 'href="&quot;&gt;&lt;svg&gt;"' in html
