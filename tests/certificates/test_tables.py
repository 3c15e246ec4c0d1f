"""The certificates pages' rows built in Python (certificates.tables) are the markup the template
engine renders from the same rows: every value escaped, the revoke and issue forms with the
request's CSRF field, the holder's cards with or without a PDF, valid or not, the empty table and
list, in both languages."""

import datetime
import re

import pytest
from django.template import engines
from django.utils import translation

from certificates.models import Certificate
from certificates.tables import manage_rows_html, mine_cards_html, verify_html

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


# The verify page's body as certificates/verify.html wrote it before it was built in Python.
VERIFY_TEMPLATE = (
    "{% load i18n %}"
    + '{% if certificate.status == "valid" %}\n<p class="notice success"><strong>{% translate "This certificate is valid." %}</strong></p>\n{% elif certificate.status == "revoked" %}\n<p class="notice error"><strong>{% blocktranslate with date=certificate.revoked_at|when:"DATE_FORMAT" %}This certificate was revoked on {{ date }}.{% endblocktranslate %}</strong><br>{% translate "Reason:" %} <span dir="auto">{{ certificate.revocation_reason }}</span></p>\n{% else %}\n<p class="notice warning"><strong>{% translate "This certificate was replaced by a newer version." %}</strong>{% if certificate.superseded_by %} <a href="{% url \'certificates:verify\' certificate.superseded_by.code %}">{% translate "See the current version" %}</a>{% endif %}</p>\n{% endif %}\n<dl>\n  <dt>{% translate "Name" %}</dt><dd dir="auto">{{ certificate.name_ar }}{% if certificate.name_latin %} — <span dir="ltr">{{ certificate.name_latin }}</span>{% endif %}</dd>\n  <dt>{% translate "Programme" %}</dt><dd>{{ certificate.programme_ar }} — <span dir="ltr">{{ certificate.programme_en }}</span></dd>\n  <dt>{% translate "Cohort" %}</dt><dd dir="auto">{{ certificate.cohort_name_ar }}{% if certificate.cohort_name_en %} — <span dir="ltr">{{ certificate.cohort_name_en }}</span>{% endif %}</dd>\n  <dt>{% translate "Issue date" %}</dt><dd>{{ certificate.issued_on|when:"DATE_FORMAT" }}</dd>\n  <dt>{% translate "Verification code" %}</dt><dd dir="ltr" class="code">{{ certificate.display_code }} (v{{ certificate.version }})</dd>\n  {% if certificate.sha256 %}<dt>{% translate "SHA-256 of the PDF" %}</dt><dd dir="ltr"><code>{{ certificate.sha256 }}</code></dd>{% endif %}\n</dl>\n<p><a href="{% url \'certificates:verify_json\' certificate.code %}">JSON</a></p>\n<h2>{% translate "Check a digital credential" %}</h2>\n{% if credential_checked %}\n<p class="notice {% if credential_valid %}success{% else %}error{% endif %}">{% if credential_valid %}{% translate "The credential is genuine: signed by the Center for this certificate." %}{% else %}{% translate "The credential is not genuine or belongs to another certificate." %}{% endif %}</p>\n{% endif %}\n<form method="post" action="{% url \'certificates:check_credential\' certificate.code %}">{% csrf_token %}\n  <label for="credential">{% translate "Open Badges credential (VC-JWT)" %}</label>\n  <textarea id="credential" name="credential" rows="4" dir="ltr" maxlength="50000" required></textarea>\n  <button type="submit" class="secondary">{% translate "Check" %}</button>\n</form>\n'
)


def _between_tags(html: str) -> str:
    """The markup with the white space between tags (the template's line breaks) taken out."""
    return re.sub(r">\s*\n\s*<", "><", html).strip()


def _verify_cases():
    base = {
        "code": "ABCDEFGHJKMNPQRSTVWXYZ2345",
        "name_ar": "هه‌ژار <b>زَيْنَب</b> & 🌟",
        "name_latin": 'Hazhar "Q" <i>',
        "programme_ar": "برنامج القيادة",
        "programme_en": "Leadership & <Democracy>",
        "cohort_name_ar": "الدفعة ٣",
        "cohort_name_en": "",
        "issued_on": datetime.date(2026, 3, 9),
        "version": 2,
        "sha256": "ab" * 32,
    }
    newer = Certificate(
        pk=99, code="NEWERCODE2345ABCDEFGHJKMN", **{k: v for k, v in base.items() if k != "code"}
    )
    revoked_at = datetime.datetime(2026, 4, 1, 10, tzinfo=datetime.UTC)
    return [
        Certificate(pk=1, status=Certificate.Status.VALID, **base),
        Certificate(
            pk=2,
            status=Certificate.Status.REVOKED,
            revoked_at=revoked_at,
            revocation_reason="خطأ في الاسم <script>",
            **{**base, "name_latin": "", "sha256": ""},
        ),
        Certificate(
            pk=3,
            status=Certificate.Status.SUPERSEDED,
            superseded_by=newer,
            **{**base, "cohort_name_en": "Cohort 3"},
        ),
        Certificate(pk=4, status=Certificate.Status.SUPERSEDED, **{**base, "code": "Q&A<b>'x'"}),
    ]


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("checked,valid", [(False, False), (True, True), (True, False)])
def test_python_verify_body_equals_the_template(language, checked, valid, rf):
    template = engines["django"].from_string(VERIFY_TEMPLATE)
    with translation.override(language):
        for certificate in _verify_cases():
            request = rf.get("/")
            request.META["CSRF_COOKIE"] = "x" * 32
            expected = template.render(
                {
                    "certificate": certificate,
                    "credential_checked": checked,
                    "credential_valid": valid,
                },
                request,
            )
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', expected)[1]
            built = verify_html(certificate, token, checked=checked, valid=valid)
            assert _between_tags(str(built)) == _between_tags(expected)
