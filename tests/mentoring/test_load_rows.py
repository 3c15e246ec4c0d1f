"""The mentor load page's tables built in Python (mentoring.load_rows) are the markup the
template engine renders from the same rows, as the page's template wrote them before (one line
per row): names escaped, the paused badge, the last meeting's date as `when` formats it or
"never", in both languages; and the page of quiet pairs is a page (hostile page numbers get one,
its queries do not grow with the pairs, another cohort's manager gets nothing)."""

import datetime

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from mentoring import load_rows, services, views
from mentoring.models import Mentorship
from tests.factories import ManagerFactory
from tests.mentoring.test_views import _published, _setup

MENTORS = (
    '{% load i18n %}{% translate "Mentor" as l_mentor %}'
    '{% translate "Mentees / capacity" as l_mentees %}'
    '{% for name, mentees, capacity, paused in rows %}<tr><td dir="auto" '
    'data-label="{{ l_mentor }}">{{ name }}</td><td data-label="{{ l_mentees }}">{{ mentees }}'
    ' / {{ capacity }}{% if paused %} <span class="badge">{% translate "paused" %}</span>'
    "{% endif %}</td></tr>{% endfor %}"
)
QUIET = (
    '{% load i18n dates %}{% translate "Mentor" as l_mentor %}'
    '{% translate "Trainee" as l_trainee %}{% translate "Last meeting" as l_last %}'
    '{% for mentor, trainee, last in rows %}<tr><td dir="auto" data-label="{{ l_mentor }}">'
    '{{ mentor }}</td><td dir="auto" data-label="{{ l_trainee }}">{{ trainee }}</td>'
    '<td data-label="{{ l_last }}">{% if last %}{{ last|when:"DATE_FORMAT" }}{% else %}'
    '{% translate "never" %}{% endif %}</td></tr>{% endfor %}'
)
HOSTILE = "Adam <b>\"Early\"</b> & 'co'"
MENTOR_ROWS = [("زينب عليّ", 3, 5, False), (HOSTILE, 0, 0, True), ("هه‌ژار", 2, 2, False)]
QUIET_ROWS = [
    ("<script>x</script>", "سارة", None),
    ("زينب", HOSTILE, datetime.date(2026, 10, 1)),
    ("هه‌ژار", "\u0661\u0662", datetime.date(2025, 1, 31)),
]


def _render(template, rows):
    return engines["django"].from_string(template).render({"rows": rows})


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("rows", [MENTOR_ROWS, []], ids=["rows", "empty"])
def test_mentors_equal_the_template_rows(language, rows):
    with translation.override(language):
        assert str(load_rows.mentors_html(rows)) == _render(MENTORS, rows)


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("rows", [QUIET_ROWS, []], ids=["rows", "empty"])
def test_quiet_pairs_equal_the_template_rows(language, rows):
    with translation.override(language):
        assert str(load_rows.quiet_html(rows)) == _render(QUIET, rows)


@pytest.fixture
def quiet_cohort(manager, monkeypatch):
    """Three active pairs that never met, one that met 40 days ago; two pairs a page."""
    monkeypatch.setattr(views, "LOAD_PAGE_SIZE", 2)
    cohort, trainees, [mentor] = _setup(manager, 4, 1)
    _published(manager, cohort)
    for m in Mentorship.objects.filter(cohort=cohort):
        services.accept(actor=mentor, mentorship=m)
    met = Mentorship.objects.get(cohort=cohort, trainee=trainees[0])
    met.meetings.create(
        date=timezone.localdate() - datetime.timedelta(days=40), duration_minutes=30
    )
    return cohort, met


def _load(client, cohort, number):
    return client.get(reverse("mentoring:load", kwargs={"pk": cohort.pk}), {"page": number})


@pytest.mark.django_db
def test_quiet_pairs_are_paged_never_met_first(client, manager, quiet_cohort):
    cohort, met = quiet_cohort
    client.force_login(manager)
    first, second = _load(client, cohort, 1), _load(client, cohort, 2)
    rows = list(first.context["page"]) + list(second.context["page"])
    assert [last for _m, _t, last in rows][:3] == [None, None, None]
    assert rows[3][1] == met.trainee.full_name and rows[3][2] is not None
    assert len({trainee for _m, trainee, _l in rows}) == 4
    assert first.context["page"].paginator.count == 4


@pytest.mark.django_db
@pytest.mark.parametrize(
    "number,shown", [("abc", 1), ("", 1), ("-1", 2), ("999", 2), ("\u0662", 2), ("\x00", None)]
)
def test_hostile_page_numbers_get_a_page(client, manager, quiet_cohort, number, shown):
    cohort, met = quiet_cohort
    client.force_login(manager)
    response = _load(client, cohort, number)
    if shown is None:  # NUL is refused before any page (core.middleware)
        assert response.status_code == 400
        return
    assert response.status_code == 200 and response.context["page"].number == shown


@pytest.mark.django_db
def test_pages_run_constant_queries_and_others_see_nothing(
    client, manager, quiet_cohort, django_assert_num_queries
):
    cohort, met = quiet_cohort
    client.force_login(manager)
    _load(client, cohort, 1)  # the badge's unread count is cached from here on
    # Session, person, cohort, whether the person runs a cohort (mentor profiles' visibility),
    # the mentors, the pager's count, the page of pairs.
    for number in (1, 2):
        with django_assert_num_queries(7):
            assert _load(client, cohort, number).status_code == 200
    client.force_login(ManagerFactory())
    assert _load(client, cohort, 1).status_code == 404
