"""The certificates page's rows built in Python (certificates.tables) are the markup the template
engine renders from the same rows: every value escaped, the revoke and issue forms with the
request's CSRF field, the empty table, in both languages."""

import pytest
from django.template import engines
from django.utils import translation

from certificates.tables import manage_rows_html

# The rows as the page's template wrote them before they were built in Python (on one line).
TEMPLATE = (
    '{% load i18n %}{% translate "Reason (shown on the public verification page)" as reason %}'
    '{% translate "Revoke" as revoke %}{% translate "Issue" as issue %}'
    '{% translate "Trainee" as l_trainee %}{% translate "Status" as l_status %}'
    '{% translate "Missing" as l_missing %}'
    '{% for row in rows %}<tr><td dir="auto" data-label="{{ l_trainee }}">{{ row.name }}</td>'
    '<td data-label="{{ l_status }}">{{ row.status }}{% if row.code %} (<span class="code" '
    'dir="ltr">{{ row.code }}</span>){% endif %}</td><td data-label="{{ l_missing }}">'
    "{{ row.missing }}</td><td>"
    '{% if row.action == "revoke" %}<form method="post" action="{{ row.url }}">{% csrf_token %}'
    '<input name="reason" required maxlength="1000" placeholder="{{ reason }}" '
    'title="{{ reason }}"><button type="submit" class="secondary">{{ revoke }}</button></form>'
    '{% elif row.action == "issue" %}<form method="post" action="{{ row.url }}">'
    '{% csrf_token %}<button type="submit">{{ issue }}</button></form>{% endif %}</td></tr>'
    '{% empty %}<tr><td colspan="4">{% translate "This cohort has no active trainees." %}'
    "</td></tr>{% endfor %}"
)

ROWS = [
    {
        "name": "زينب علي",
        "status": "صالحة",
        "code": "ABCD-EFGH",
        "missing": "",
        "action": "revoke",
        "url": "/certificates/cohorts/1/revoke/7/",
    },
    {
        "name": 'Adam <b>"Early"</b> & co',
        "status": "Eligible",
        "code": "",
        "missing": "",
        "action": "issue",
        "url": "/certificates/cohorts/1/issue/12/?x=<y>&z",
    },
    {
        "name": "هه‌ژار",
        "status": "Not eligible",
        "code": "",
        "missing": "attendance 62 % of 75 % required; <script>",
        "action": "",
    },
    {
        "name": "x",
        "status": "Revoked",
        "code": '<i>"q"</i>',
        "missing": "",
        "action": "",
    },
]
TOKEN = "tok<en>&'\""


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("rows", [ROWS, []], ids=["rows", "empty"])
def test_python_rows_equal_the_template_rows(language, rows):
    with translation.override(language):
        expected = (
            engines["django"].from_string(TEMPLATE).render({"rows": rows, "csrf_token": TOKEN})
        )
        assert str(manage_rows_html(rows, TOKEN)) == expected
