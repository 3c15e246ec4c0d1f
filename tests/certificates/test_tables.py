"""The certificates pages' rows built in Python (certificates.tables) are the markup the template
engine renders from the same rows: every value escaped, the revoke and issue forms with the
request's CSRF field, the holder's cards with or without a PDF, valid or not, the empty table and
list, in both languages."""

import datetime

import pytest
from django.template import engines
from django.utils import translation

from certificates.models import Certificate
from certificates.tables import manage_rows_html, mine_cards_html

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


# The holder's cards as certificates/mine.html wrote them before they were built in Python.
MINE_TEMPLATE = (
    '{% load i18n %}{% for c in certificates %}<li class="card">'
    '<h2 class="card-title" dir="auto">{{ c.cohort_name_ar }}</h2>'
    '<p class="muted">{{ c.issued_on|when:"DATE_FORMAT" }} · {{ c.get_status_display }} · '
    '<span class="code" dir="ltr">{{ c.display_code }}</span></p>'
    '<p>{% if c.file %}<a class="button" href="{% url \'certificates:download\' c.pk %}">'
    '{% translate "Download the PDF" %}</a>{% else %}'
    '{% translate "The certificate is still being prepared. Try again in a minute." %}'
    '{% endif %} {% if c.status == "valid" %}'
    "<a href=\"{% url 'certificates:badge' c.pk %}\">"
    '{% translate "Digital credential (Open Badges)" %}</a>{% endif %} '
    "<a href=\"{% url 'certificates:verify' c.code %}\">"
    '{% translate "Verification page" %}</a></p></li>{% empty %}<li class="card">'
    '{% translate "You have no certificates yet." %}</li>{% endfor %}'
)


def _certificate(
    pk, status, *, file="", code="ABCDEFGHJKMNPQRSTVWXYZ2345", name='دورة <القيادة> & "ب"'
):
    return Certificate(
        pk=pk,
        code=code,
        status=status,
        cohort_name_ar=name,
        issued_on=datetime.date(2026, 3, 9),
        file=file,
    )


CARDS = [
    _certificate(7, Certificate.Status.VALID, file="certificates/2026/03/x.pdf"),
    _certificate(8, Certificate.Status.VALID),
    _certificate(9, Certificate.Status.REVOKED, file="a.pdf", code="Q&A<b>'x'"),
    _certificate(10, Certificate.Status.SUPERSEDED, file="b.pdf", name="Kurdish هه‌ژار"),
]


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("cards", [CARDS, []], ids=["cards", "empty"])
def test_python_cards_equal_the_template_cards(language, cards):
    with translation.override(language):
        expected = engines["django"].from_string(MINE_TEMPLATE).render({"certificates": cards})
        assert str(mine_cards_html(cards)) == expected
