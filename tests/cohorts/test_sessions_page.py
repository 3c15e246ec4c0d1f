"""The manager's sessions list tells a session whose attendance was never taken from one where
nobody came."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.cohorts.factories import AttendanceFactory, SessionFactory, at, cohort_with, today
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def test_an_ended_session_without_roll_call_says_attendance_not_taken(client, manager):
    trainee = TraineeFactory()
    cohort = cohort_with(manager=manager, trainees=[trainee])
    untaken = SessionFactory(
        cohort=cohort,
        title="جلسة بلا تسجيل حضور",
        starts_at=at(today() - datetime.timedelta(days=3), 17),
        ends_at=at(today() - datetime.timedelta(days=3), 19),
    )
    taken = SessionFactory(
        cohort=cohort,
        title="جلسة سُجِّل حضورها",
        starts_at=at(today() - datetime.timedelta(days=6), 17),
        ends_at=at(today() - datetime.timedelta(days=6), 19),
    )
    AttendanceFactory(session=taken, user=trainee, status="absent")
    excused_only = SessionFactory(
        cohort=cohort,
        title="جلسة فيها عذر فقط",
        starts_at=timezone.now() - datetime.timedelta(days=1, hours=3),
        ends_at=timezone.now() - datetime.timedelta(days=1, hours=1),
    )
    AttendanceFactory(session=excused_only, user=trainee, status="excused")
    client.force_login(manager)
    html = client.get(reverse("cohorts:sessions", args=[cohort.pk])).content.decode()
    rows = {s.title: html.split(s.title, 1)[1].split("</tr>", 1)[0] for s in (untaken, taken)}
    rows[excused_only.title] = html.split(excused_only.title, 1)[1].split("</tr>", 1)[0]
    assert "لم يُسجَّل الحضور" in rows[untaken.title]
    assert "لم يُسجَّل الحضور" in rows[excused_only.title]
    assert "لم يُسجَّل الحضور" not in rows[taken.title]
