"""The notification settings page: one form per kind with the person's current choice selected,
"cannot be turned off" on the kinds that cannot, and each form posts as a browser would (the
page's own CSRF token, checks enforced)."""

import re

import pytest
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from notifications import kinds, services
from notifications.models import Preference
from notifications.views import preference_rows_html
from tests.factories import TraineeFactory
from tests.notifications import fake_reminder

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fake_reminder():
    fake_reminder.install()
    yield
    fake_reminder.uninstall()


FORM = re.compile(r"<form method=\"post\">(.*?)</form>", re.S)


def _forms(html: str) -> dict[str, str]:
    forms = {}
    for body in FORM.findall(html):
        kind = re.search(r'name="kind" value="([^"]+)"', body).group(1)
        forms[kind] = body
    return forms


def test_each_kind_shows_its_choice_and_posts_with_the_pages_token():
    trainee = TraineeFactory()
    services.set_preference(user=trainee, kind=fake_reminder.KIND, mode="digest")
    client = Client(enforce_csrf_checks=True)
    client.force_login(trainee)
    url = reverse("notifications:preferences")

    forms = _forms(client.get(url).content.decode())

    assert set(forms) == {kind.key for kind in services.choosable_kinds()}
    mine = forms[fake_reminder.KIND]
    assert re.findall(r'<option value="(\w+)"( selected)?>', mine) == [
        (mode, " selected" if mode == "digest" else "")
        for mode in services.allowed_modes(kinds.get(fake_reminder.KIND))
    ]
    assert "Cannot be turned off" not in mine and "لا يمكن إيقافه" not in mine
    urgent = forms[fake_reminder.URGENT_KIND]
    assert '<span class="muted">' in urgent
    assert " selected>" in urgent  # immediately, the default
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', mine).group(1)

    response = client.post(
        url, {"csrfmiddlewaretoken": token, "kind": fake_reminder.KIND, "mode": "off"}
    )

    assert response.status_code == 302
    assert Preference.objects.get(user=trainee, kind=fake_reminder.KIND).mode == "off"
    refused = client.post(url, {"kind": fake_reminder.KIND, "mode": "digest"})
    assert refused.status_code == 403
    assert Preference.objects.get(user=trainee, kind=fake_reminder.KIND).mode == "off"


def test_each_person_reads_only_their_own_preferences():
    """preferences_of runs a compiled shape: each person's choices, run after run."""
    first, second = TraineeFactory(), TraineeFactory()
    Preference.objects.create(user=first, kind="a", mode=Preference.Mode.OFF)
    Preference.objects.create(user=second, kind="b", mode=Preference.Mode.DIGEST)
    for _ in range(2):
        assert services.preferences_of(first) == {"a": Preference.Mode.OFF}
        assert services.preferences_of(second) == {"b": Preference.Mode.DIGEST}
        assert services.preferences_of(TraineeFactory()) == {}


# The rows as notifications/preferences.html wrote them before they were built in Python.
ROWS_TEMPLATE = (
    "{% load i18n %}"
    + '{% translate "Cannot be turned off" as cannot_turn_off %}{% translate "Save" as save %}\n{% for row in rows %}\n  <li class="note">\n    <form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="{{ csrf_token }}">\n      <input type="hidden" name="kind" value="{{ row.key }}">\n      <label for="mode-{{ forloop.counter }}"><strong>{{ row.title }}</strong></label>\n      <select id="mode-{{ forloop.counter }}" name="mode">{{ row.options }}</select>\n      {% if row.locked %}<span class="muted">{{ cannot_turn_off }}</span>{% endif %}\n      <button type="submit" class="secondary">{{ save }}</button>\n    </form>\n  </li>\n{% endfor %}\n'
)

ROWS = [
    {
        "key": "a<b>&'c",
        "title": 'تذكير <b>"x"</b> & y',
        "options": mark_safe("<option>1</option>"),
        "locked": False,
    },
    {"key": "safety", "title": "Safety", "options": mark_safe(""), "locked": True},
]


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("rows", [ROWS, []], ids=["rows", "none"])
def test_python_rows_equal_the_template_rows(language, rows):
    token = "tok<en>&'\""
    with translation.override(language):
        expected = (
            engines["django"].from_string(ROWS_TEMPLATE).render({"rows": rows, "csrf_token": token})
        )
        built = str(preference_rows_html(rows, token))
        assert (
            re.sub(r">\s*\n\s*<", "><", built).strip()
            == re.sub(r">\s*\n\s*<", "><", expected).strip()
        )
