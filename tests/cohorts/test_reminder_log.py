"""The cohort's reminder log (cohorts.views.reminder_log): its rows built in Python are the markup
the template engine renders from the deliveries themselves, in both languages and with hostile
names; it lists exactly the deliveries to the cohort's people, newest first, a page at a time,
in a constant number of queries, to the cohort's managers only."""

import datetime

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from cohorts.views.reminder_log import rows_html
from notifications.models import Delivery, Notification
from tests.cohorts.factories import cohort_with
from tests.factories import ManagerFactory, TraineeFactory

pytestmark = pytest.mark.django_db

# The rows as the log's template wrote them before they were built in Python.
TEMPLATE = (
    "{% load i18n %}"
    '{% translate "When" as l_when %}{% translate "To" as l_to %}'
    '{% translate "What" as l_what %}{% translate "Status" as l_status %}'
    '{% translate "E-mail" as l_email %}'
    '{% for d in deliveries %}<tr><td data-label="{{ l_when }}">'
    '<time datetime="{{ d.created_at.isoformat }}">{{ d.created_at|when:"DATETIME_FORMAT" }}'
    '</time>{% if d.status == "deferred" %}<br>{% translate "until" %} '
    '{{ d.not_before|when:"DATETIME_FORMAT" }}{% endif %}</td>'
    '<td data-label="{{ l_to }}">{{ d.recipient }}</td>'
    '<td data-label="{{ l_what }}">{{ d.kind }} · {{ d.occurrence }}</td>'
    '<td data-label="{{ l_status }}">{{ d.get_status_display }}{% if d.detail %}<br>'
    '<span class="muted">{{ d.detail }}</span>{% endif %}</td>'
    '<td data-label="{{ l_email }}">{% if d.notification %}'
    "{{ d.notification.get_email_status_display }}{% endif %}</td></tr>"
    '{% empty %}<tr><td colspan="5">'
    '{% translate "Nothing has been sent to this cohort\'s people yet." %}</td></tr>'
    "{% endfor %}"
)

START = timezone.now() - datetime.timedelta(days=30)


def _delivery(person, n, **fields):
    return Delivery.objects.create(
        recipient=person,
        kind=fields.pop("kind", "cohorts.session_soon"),
        object_key=f"x:{n}",
        occurrence=fields.pop("occurrence", f"o{n}"),
        created_at=START + datetime.timedelta(hours=n),
        **fields,
    )


@pytest.fixture
def log(manager):
    hostile = TraineeFactory(full_name='<b>"Zed"</b> & co')
    nameless = TraineeFactory(full_name="", email="no.name@example.org")
    outsider = TraineeFactory(full_name="غريب")
    cohort = cohort_with(manager=manager, trainees=[hostile, nameless])
    cohort_with(manager=ManagerFactory(), trainees=[outsider])
    notification = Notification.objects.create(
        recipient=hostile, kind="cohorts.session_soon", email_status="sent"
    )
    deliveries = [
        _delivery(hostile, 1, status="sent", notification=notification),
        _delivery(nameless, 2, status="deferred", not_before=START + datetime.timedelta(days=3)),
        _delivery(hostile, 3, status="failed", detail='SMTP <550> & "refused"', kind="a<b>"),
        _delivery(nameless, 4, status="skipped", occurrence="<i>week</i>"),
    ]
    _delivery(outsider, 5, status="sent")
    return {"cohort": cohort, "deliveries": deliveries, "outsider": outsider}


@pytest.mark.parametrize("language", ["ar", "en"])
def test_python_rows_equal_the_template_rows(log, login, manager, language):
    client = login(manager)
    client.cookies["lang"] = language
    response = client.get(reverse("cohorts:reminder_log", args=[log["cohort"].pk]))
    rows = response.context["page"].object_list
    with translation.override(language):
        template = engines["django"].from_string(TEMPLATE)
        newest_first = log["deliveries"][::-1]
        assert str(rows_html(rows)) == template.render({"deliveries": newest_first})
        assert str(rows_html([])) == template.render({"deliveries": []})
    assert str(rows_html(rows)) in response.content.decode()


def test_the_log_lists_exactly_the_cohorts_deliveries_newest_first(
    log, login, manager, django_assert_num_queries
):
    client = login(manager)
    url = reverse("cohorts:reminder_log", args=[log["cohort"].pk])
    client.get(url)
    # The session, the person, the cohort, the page (holding the whole log: not counted).
    with django_assert_num_queries(4):
        response = client.get(url)
    assert [row.id for row in response.context["page"]] == [d.pk for d in log["deliveries"][::-1]]
    failed = client.get(url, {"status": "failed"}).context["page"]
    assert [row.id for row in failed] == [log["deliveries"][2].pk]
    # An unknown kind or status is ignored.
    assert len(client.get(url, {"kind": "nope", "status": "nope"}).context["page"]) == 4


def test_more_than_a_page_is_counted_and_paged(log, login, manager, django_assert_num_queries):
    person = log["deliveries"][0].recipient
    for n in range(10, 60):
        _delivery(person, n, status="sent")
    client = login(manager)
    url = reverse("cohorts:reminder_log", args=[log["cohort"].pk])
    client.get(url)
    # The page and its count, past one page.
    with django_assert_num_queries(5):
        first = client.get(url)
    second = client.get(url, {"page": 2})
    assert first.context["page"].paginator.count == 54
    ids = [row.id for row in first.context["page"]] + [row.id for row in second.context["page"]]
    assert ids == list(
        Delivery.objects.exclude(recipient=log["outsider"])
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
    )


def test_a_manager_of_another_cohort_is_refused(log, login):
    url = reverse("cohorts:reminder_log", args=[log["cohort"].pk])
    assert login(ManagerFactory()).get(url).status_code == 404
    assert login(log["outsider"]).get(url).status_code == 404
