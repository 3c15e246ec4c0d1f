"""On the trainee's cohort page, a session offers "check in" and "I cannot attend" only while
they still mean something: not once the trainee is recorded as there."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Attendance
from tests.cohorts.factories import AttendanceFactory, SessionFactory, cohort_with

pytestmark = pytest.mark.django_db


def _starting_soon(cohort):
    """A session starting in ten minutes: check-in is open, excuses still possible."""
    now = timezone.now()
    return SessionFactory(
        cohort=cohort,
        starts_at=now + datetime.timedelta(minutes=10),
        ends_at=now + datetime.timedelta(minutes=70),
    )


def _actions(html, session):
    return (
        reverse("cohorts:check_in", args=[session.pk]) in html,
        reverse("cohorts:request_excuse", args=[session.pk]) in html,
    )


def test_a_session_with_nothing_recorded_offers_check_in_and_an_excuse(login, trainee, manager):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    session = _starting_soon(cohort)

    html = login(trainee).get(reverse("cohorts:detail", args=[cohort.pk])).content.decode()

    assert _actions(html, session) == (True, True)


@pytest.mark.parametrize("status", [Attendance.Status.PRESENT, Attendance.Status.LATE])
def test_a_session_already_attended_offers_neither(login, trainee, manager, status):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    session = _starting_soon(cohort)
    AttendanceFactory(session=session, user=trainee, status=status)

    response = login(trainee).get(reverse("cohorts:detail", args=[cohort.pk]))

    (row,) = response.context["upcoming"]
    assert (row["mark"], row["check_in_open"], row["can_excuse"]) == (status, False, False)
    assert _actions(response.content.decode(), session) == (False, False)
    assert str(row["mark_label"]) in response.content.decode()
