"""The mentor load page's tables built in Python (mentoring.load_rows) are the markup the
template engine renders from the same rows, as the page's template wrote them before (one line
per row): names escaped, the paused badge, the last meeting's date as `when` formats it or
"never", in both languages; and the page of quiet pairs is a page (hostile page numbers get one,
its queries do not grow with the pairs, another cohort's manager gets nothing)."""

import datetime
import re

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from accounts.models import User
from cohorts.models import Cohort
from mentoring import load_rows, services, views
from mentoring.models import Mentorship
from tests.cohorts.factories import cohort_with
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


def _meet(mentorship, days_ago):
    mentorship.meetings.create(
        date=timezone.localdate() - datetime.timedelta(days=days_ago), duration_minutes=30
    )


@pytest.fixture
def quiet_cohort(manager, monkeypatch):
    """Six active pairs of two mentors: two never met, three quiet (last met 100, 40 and 31 days
    ago), one met 30 days ago (and 200: not quiet); an ended pair that never met, and a quiet
    pair of another cohort of the same manager. Two pairs a page: three pages."""
    monkeypatch.setattr(views, "LOAD_PAGE_SIZE", 2)
    cohort, trainees, mentors = _setup(manager, 7, 2)
    _published(manager, cohort)
    for m in Mentorship.objects.filter(cohort=cohort):
        services.accept(actor=m.mentor, mentorship=m)
    pairs = [Mentorship.objects.get(cohort=cohort, trainee=t) for t in trainees]
    for pair, days in zip(pairs, [40, 100, None, None, 31, 30], strict=False):
        if days is not None:
            _meet(pair, days)
    _meet(pairs[5], 200)
    Mentorship.objects.filter(pk=pairs[6].pk).update(status=Mentorship.Status.ENDED)
    other, _t, _m = _setup(manager, 1, 1)
    _published(manager, other)
    for m in Mentorship.objects.filter(cohort=other):
        services.accept(actor=m.mentor, mentorship=m)
    never = sorted(pairs[2:4], key=lambda m: m.pk)
    return cohort, [*never, pairs[1], pairs[0], pairs[4]]


def _load(client, cohort, number=None):
    query = {} if number is None else {"page": number}
    return client.get(reverse("mentoring:load", kwargs={"pk": cohort.pk}), query)


def _says(response, text, **values):
    """`text` in the language the page was written in."""
    with translation.override(response.headers["Content-Language"]):
        return (gettext(text) % values) in response.content.decode()


def _heading(response, count):
    with translation.override(response.headers["Content-Language"]):
        title = ngettext(
            "Pairs without a meeting in %(days)s day",
            "Pairs without a meeting in %(days)s days",
            30,
        ) % {"days": 30}
    return f"{title} ({count})</h2>" in response.content.decode()


def _ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.mark.django_db
def test_quiet_pairs_are_paged_never_met_first_then_longest_quiet(client, manager, quiet_cohort):
    cohort, expected = quiet_cohort
    client.force_login(manager)
    pages = [_load(client, cohort, number) for number in (1, 2, 3)]
    assert [len(p.context["page"]) for p in pages] == [2, 2, 1]
    rows = [row for p in pages for row in p.context["page"]]
    assert rows == [
        (m.mentor.full_name, m.trainee.full_name, last)
        for m, last in zip(expected, [None, None, _ago(100), _ago(40), _ago(31)], strict=True)
    ]
    for p in pages:
        assert p.context["page"].paginator.count == 5 and _heading(p, 5)
        assert 'class="pager"' in p.content.decode()
    assert _says(pages[0], "never") and not _says(pages[1], "never")


@pytest.mark.django_db
def test_the_heading_counts_the_pairs_of_one_page_too(client, manager, quiet_cohort, monkeypatch):
    cohort, expected = quiet_cohort
    monkeypatch.setattr(views, "LOAD_PAGE_SIZE", 50)
    client.force_login(manager)
    response = _load(client, cohort)
    assert _heading(response, 5) and len(response.context["page"]) == 5
    assert 'class="pager"' not in response.content.decode()


@pytest.mark.django_db
def test_no_quiet_pair_says_so(client, manager):
    cohort, trainees, [mentor] = _setup(manager, 1, 1)
    client.force_login(manager)
    response = _load(client, cohort)
    assert _heading(response, 0) and _says(response, "Every pair met recently.")
    assert _says(response, "No mentors in this cohort yet.")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "number,shown",
    [
        ("abc", 1),
        ("", 1),
        ("1.5", 1),
        ("0", 3),
        ("-1", 3),
        ("999", 3),
        ("9" * 40, 3),
        ("\u0662", 2),  # an Arabic-Indic two: int() reads it as 2
        ("\u00b2", 1),  # a superscript two: a digit to isdigit(), not to int()
        ("\x00", None),
    ],
)
def test_hostile_page_numbers_get_a_page(client, manager, quiet_cohort, number, shown):
    cohort, expected = quiet_cohort
    client.force_login(manager)
    response = _load(client, cohort, number)
    if shown is None:  # NUL is refused before any page, as on every page (core.middleware)
        assert response.status_code == 400
        return
    assert response.status_code == 200 and response.context["page"].number == shown


@pytest.mark.django_db
def test_pages_run_constant_queries_and_others_see_nothing(
    client, manager, quiet_cohort, django_assert_num_queries
):
    cohort, expected = quiet_cohort
    client.force_login(manager)
    _load(client, cohort, 1)  # the badge's unread count is cached from here on
    # Session, person, cohort, the mentors, the pager's count, the page of pairs.
    for number in (1, 2, 3):
        with django_assert_num_queries(6):
            assert _load(client, cohort, number).status_code == 200
    elsewhere = ManagerFactory()  # the manager of another cohort
    cohort_with(manager=elsewhere)
    client.force_login(elsewhere)
    assert _load(client, cohort, 1).status_code == 404
    client.force_login(expected[0].mentor)  # a mentor of the cohort's pairs
    assert _load(client, cohort, 1).status_code == 404
    client.force_login(expected[0].trainee)
    assert _load(client, cohort, 1).status_code == 404


# A mentor's list of mentees as mentoring/my_mentees.html wrote it before it was built in Python.
MENTEES_TEMPLATE = (
    "{% load i18n %}"
    + '  {% translate "Trainee" as l_trainee %}{% translate "Cohort" as l_cohort %}{% translate "Status" as l_status %}{% translate "Last meeting" as l_last %}\n  <tbody>{% for m in mentorships %}<tr>\n    <td dir="auto" data-label="{{ l_trainee }}"><a href="{% url \'mentoring:mentorship\' m.pk %}">{{ m.trainee.full_name }}</a></td>\n    <td dir="auto" data-label="{{ l_cohort }}">{{ m.cohort.display_name }}</td>\n    <td data-label="{{ l_status }}">{{ m.get_status_display }}</td>\n    <td data-label="{{ l_last }}">{% if m.last_meeting %}{{ m.last_meeting|when:"DATE_FORMAT" }}{% else %}{% translate "never" %}{% endif %}</td>\n  </tr>{% endfor %}</tbody>'
)


def _pair(pk, status, last_meeting, trainee_name, cohort_name, cohort_name_en=""):
    pair = Mentorship(pk=pk, status=status)
    pair.trainee = User(full_name=trainee_name)
    pair.cohort = Cohort(name=cohort_name, name_en=cohort_name_en)
    pair.last_meeting = last_meeting
    return pair


MENTEES = [
    _pair(3, Mentorship.Status.ACTIVE, datetime.date(2026, 11, 2), 'زينب <b>"ع"</b>', "دفعة & ١"),
    _pair(4, Mentorship.Status.PROPOSED, None, "Hazhar هه‌ژار", "C <2>", "Cohort <two>"),
    _pair(5, "odd", None, "x", "y"),
]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_mentees_equal_the_template_rows(language):
    with translation.override(language):
        expected = engines["django"].from_string(MENTEES_TEMPLATE).render({"mentorships": MENTEES})
        built = "<tbody>" + str(load_rows.mentees_html(MENTEES)) + "</tbody>"
        assert re.sub(r">\s*\n\s*<", "><", built) == re.sub(r">\s*\n\s*<", "><", expected.strip())
