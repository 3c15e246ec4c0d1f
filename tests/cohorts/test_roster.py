"""The roll call's rows built in Python (cohorts.roster) are the markup the template engine
renders from the same rows: names and excuses escaped, the current mark checked, in both
languages."""

import pytest
from django.template import engines
from django.utils import translation

from cohorts.models import Attendance
from cohorts.roster import roster_html

# The rows as the roll call's template wrote them before they were built in Python.
TEMPLATE = (
    "{% load i18n l10n %}{% localize off %}"
    + '{% for row in rows %}<li class="roster-row"><input type="hidden" name="shown" value="{{ row.id }}"><span class="roster-name" dir="auto">{{ row.name }}{% if row.excuse %} <small class="muted">({% translate "excuse" %}: {{ row.excuse }})</small>{% endif %}</span><fieldset class="marks"><legend class="sr-only">{{ row.name }}</legend><label><input type="radio" name="m{{ row.id }}" value="present"{% if row.current == "present" %} checked{% endif %}><span>{{ labels.present }}</span></label><label><input type="radio" name="m{{ row.id }}" value="late"{% if row.current == "late" %} checked{% endif %}><span>{{ labels.late }}</span></label><label><input type="radio" name="m{{ row.id }}" value="excused"{% if row.current == "excused" %} checked{% endif %}><span>{{ labels.excused }}</span></label><label><input type="radio" name="m{{ row.id }}" value="absent"{% if row.current == "absent" %} checked{% endif %}><span>{{ labels.absent }}</span></label></fieldset></li>\n'
    + "{% endfor %}{% endlocalize %}"
)

ROWS = [
    {"id": 7, "name": "زينب علي", "current": "", "excuse": ""},
    {"id": 12345, "name": 'Adam <b>"Early"</b> & co', "current": "late", "excuse": "Pending"},
    {"id": 3, "name": "حسين", "current": "present", "excuse": "مقبول <i>"},
    {"id": 4, "name": "x", "current": "absent", "excuse": ""},
    {"id": 5, "name": "y", "current": "excused", "excuse": ""},
]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_python_rows_equal_the_template_rows(language):
    with translation.override(language):
        labels = dict(Attendance.Status.choices)
        expected = engines["django"].from_string(TEMPLATE).render({"rows": ROWS, "labels": labels})
        assert str(roster_html(ROWS, labels)) == expected.replace("\n", "")
        assert roster_html([], labels) == ""
