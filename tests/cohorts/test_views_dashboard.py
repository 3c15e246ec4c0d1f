"""The manager's dashboard page: a row per trainee with completion, attendance, last activity and
risk reasons, charts drawn without scripts or inline styles, filters, sorting, pagination, and
CSV/XLSX exports holding exactly the rows the filters select; the query count does not grow."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cohorts import services
from cohorts.models import Attendance
from courses import services as course_services
from tests.cohorts.factories import (
    CurriculumItemFactory,
    MembershipFactory,
    SessionFactory,
    at,
    cohort_with,
    today,
)
from tests.courses.factories import build_course, lessons_of
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def _url(name, cohort, **query):
    url = reverse(f"cohorts:{name}", args=[cohort.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def build(manager, trainees, *, sessions=3):
    """A running cohort with one curriculum course and held sessions, filled through the services
    (as the pages and the API fill it): trainee n completes n % 3 of the course's three lessons
    and is marked present at every session, or absent from all of them when n % 4 == 0."""
    cohort = cohort_with(manager=manager, min_attendance_percent=75)
    course = build_course(modules=1, lessons_per_module=3)
    CurriculumItemFactory(cohort=cohort, course=course)
    lessons = lessons_of(course)
    held = [
        SessionFactory(
            cohort=cohort,
            starts_at=at(today() - datetime.timedelta(days=10 - i), 17),
            ends_at=at(today() - datetime.timedelta(days=10 - i), 19),
        )
        for i in range(sessions)
    ]
    joined = timezone.now() - datetime.timedelta(days=20)
    people = []
    for n in range(trainees):
        person = TraineeFactory(
            full_name=f"متدرب {n:03d}", governorate="basra" if n % 2 else "najaf"
        )
        people.append(person)
        MembershipFactory(cohort=cohort, user=person, joined_at=joined)
        for lesson in lessons[: n % 3]:
            course_services.complete_lesson(user=person, lesson=lesson)
    for session in held:
        services.mark_roll_call(
            actor=manager,
            session=session,
            marks={
                p.pk: Attendance.Status.ABSENT if n % 4 == 0 else Attendance.Status.PRESENT
                for n, p in enumerate(people)
            },
        )
    return cohort, people


def test_dashboard_shows_a_row_per_trainee_with_figures_and_risk_reasons(login, manager):
    cohort, people = build(manager, 4)

    response = login(manager).get(_url("dashboard", cohort, sort="name"))

    assert response.status_code == 200
    rows = response.context["board"].rows
    assert [r.name for r in rows] == [p.full_name for p in people]
    assert [r.completion_percent for r in rows] == [0, 33, 66, 0]
    assert [r.attendance_percent for r in rows] == [0, 100, 100, 100]
    assert rows[0].flags[0].code == "attendance"
    html = response.content.decode()
    assert rows[0].flags[0].message in html
    assert '<progress max="100" value="33">' in html
    assert "<meter" in html


def test_dashboard_has_no_script_and_no_inline_style(login, manager):
    cohort, _people = build(manager, 3)

    html = login(manager).get(_url("dashboard", cohort)).content.decode()

    assert "<script" not in html
    assert not re.search(r"\sstyle=", html)


def test_filters_by_name_risk_and_governorate(login, manager):
    cohort, people = build(manager, 8)
    client = login(manager)

    by_name = client.get(_url("dashboard", cohort, q="متدرب 005")).context["board"]
    at_risk = client.get(_url("dashboard", cohort, flag="attendance")).context["board"]
    basra = client.get(_url("dashboard", cohort, governorate="basra")).context["board"]

    assert [r.user_id for r in by_name.rows] == [people[5].pk]
    assert {r.user_id for r in at_risk.rows} == {people[0].pk, people[4].pk}
    assert {r.user_id for r in basra.rows} == {p.pk for n, p in enumerate(people) if n % 2}
    assert basra.total_trainees == 8


def test_sorting_links_toggle_the_direction(login, manager):
    cohort, people = build(manager, 3)
    client = login(manager)

    ascending = client.get(_url("dashboard", cohort, sort="completion"))
    descending = client.get(_url("dashboard", cohort, sort="-completion"))

    assert [r.completion_percent for r in ascending.context["board"].rows] == [0, 33, 66]
    assert [r.completion_percent for r in descending.context["board"].rows] == [66, 33, 0]
    completion = next(c for c in ascending.context["columns"] if c["key"] == "completion")
    assert completion["next"] == "-completion" and completion["active"]
    assert "sort=-completion" in ascending.content.decode()


def test_pages_of_fifty(login, manager):
    cohort, _people = build(manager, 53, sessions=1)
    client = login(manager)

    first = client.get(_url("dashboard", cohort, sort="name"))
    second = client.get(_url("dashboard", cohort, sort="name", page=2))

    assert len(first.context["board"].rows) == 50
    assert [r.name for r in second.context["board"].rows] == [
        "متدرب 050",
        "متدرب 051",
        "متدرب 052",
    ]
    assert "page=2" in first.content.decode()


def test_bad_filter_values_fall_back_to_the_defaults(login, manager):
    cohort, _people = build(manager, 2)

    response = login(manager).get(_url("dashboard", cohort, sort="nonsense", page="x", flag="zz"))

    assert response.status_code == 200
    assert response.context["board"].sort == "risk"
    assert len(response.context["board"].rows) == 2


def test_csv_export_holds_the_filtered_rows_in_the_order_shown_on_every_page(login, manager):
    cohort, people = build(manager, 55, sessions=1)
    client = login(manager)
    query = {"governorate": "najaf", "sort": "-name"}
    board = client.get(_url("dashboard", cohort, **query)).context["board"]

    response = client.get(_url("dashboard_export", cohort, **query, page=1))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) - 1 == board.count == 28  # every page, not just the first fifty
    assert [r[0] for r in rows[1:]] == [r.name for r in board.matching]


def test_xlsx_export_matches_the_page(login, manager):
    cohort, _people = build(manager, 5)
    client = login(manager)
    board = client.get(_url("dashboard", cohort, flag="at_risk")).context["board"]

    response = client.get(_url("dashboard_export", cohort, flag="at_risk", file="xlsx"))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert [v[0] for v in values[1:]] == [r.name for r in board.matching]
    assert len(values) - 1 == board.at_risk_count


def test_an_unknown_export_format_is_not_found(login, manager):
    cohort, _people = build(manager, 1)

    assert login(manager).get(_url("dashboard_export", cohort, file="pdf")).status_code == 404


@pytest.mark.parametrize("name", ["dashboard", "dashboard_export"])
def test_dashboard_and_export_cost_the_same_queries_at_two_sizes(
    login, manager, django_assert_max_num_queries, name
):
    small_cohort, _p = build(manager, 3)
    large_cohort, _q = build(manager, 40, sessions=6)
    client = login(manager)
    counts = []
    for cohort in (small_cohort, large_cohort):
        client.get(reverse("core:home"))  # the shell's unread count is then read from the cache
        with django_assert_max_num_queries(14) as captured:
            response = client.get(_url(name, cohort))
            if name == "dashboard_export":
                b"".join(response.streaming_content)
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    # Counted exactly: the page and the export read their rows with their figures in one query;
    # the certificate column reads the issued certificates (one query; the completion policy and
    # the required courses' names are the curriculum the figures read, handed over).
    assert counts == [10, 10]
