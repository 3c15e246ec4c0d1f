"""The cohorts panel of the signed-in home page: each cohort's next session (its fields read
back from one JSON subquery, its time in the page's zone), the check-in button while the window
is open, and for the cohort's managers the work waiting for them."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Application
from tests.cohorts.factories import ApplicationFactory, SessionFactory, cohort_with

pytestmark = pytest.mark.django_db


def _home(login, person) -> str:
    return login(person).get(reverse("core:home")).content.decode()


def test_the_next_session_with_its_time_and_the_check_in_while_it_is_open(login, trainee, manager):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    soon = timezone.now().replace(microsecond=0) + datetime.timedelta(minutes=10)
    session = SessionFactory(
        cohort=cohort,
        title="جلسة الحوار",
        starts_at=soon,
        ends_at=soon + datetime.timedelta(hours=2),
    )
    SessionFactory(
        cohort=cohort,
        title="later",
        starts_at=soon + datetime.timedelta(days=7),
        ends_at=soon + datetime.timedelta(days=7, hours=2),
    )
    page = _home(login, trainee)
    assert "جلسة الحوار" in page and "later" not in page
    starts = timezone.localtime(session.starts_at).isoformat()
    assert f'<time datetime="{starts}">' in page
    assert reverse("cohorts:check_in", args=[session.pk]) in page


def test_no_check_in_before_the_window_and_no_session_when_none_is_left(login, trainee, manager):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    later = timezone.now() + datetime.timedelta(days=2)
    session = SessionFactory(
        cohort=cohort,
        title="ورشة الموازنة",
        starts_at=later,
        ends_at=later + datetime.timedelta(hours=2),
    )
    page = _home(login, trainee)
    assert "ورشة الموازنة" in page
    assert reverse("cohorts:check_in", args=[session.pk]) not in page
    session.delete()
    assert "ورشة الموازنة" not in _home(login, trainee)


def test_a_manager_sees_the_applications_waiting_a_trainee_nothing_of_them(login, trainee, manager):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    ApplicationFactory.create_batch(2, cohort=cohort, status=Application.Status.SUBMITTED)
    applications = reverse("cohorts:applications", args=[cohort.pk])
    assert applications in _home(login, manager)
    assert applications not in _home(login, trainee)


def test_the_next_session_moves_on_with_the_clock_on_the_same_connection(login, trainee):
    """The panel's query is stored SQL with `now` as a value (core.compiled): once the first
    session has ended, the next request shows the one after it."""
    cohort = cohort_with(trainees=[trainee])
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=1)
    SessionFactory(
        cohort=cohort, title="الأولى", starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )
    later = start + datetime.timedelta(days=2)
    SessionFactory(
        cohort=cohort, title="الثانية", starts_at=later, ends_at=later + datetime.timedelta(hours=1)
    )
    client = login(trainee)
    page = client.get(reverse("core:home")).content.decode()
    assert "الأولى" in page and "الثانية" not in page
    with time_machine.travel(start + datetime.timedelta(hours=3)):
        page = client.get(reverse("core:home")).content.decode()
    assert "الأولى" not in page and "الثانية" in page
