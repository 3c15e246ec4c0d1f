"""Hostile values in form fields answer 400 and change nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cohorts import services
from cohorts.models import Attendance
from tests.cohorts.factories import SessionFactory, cohort_with
from tests.factories import TraineeFactory


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "١٢", "9" * 40, "-1", "1e3"])
def test_roll_call_refuses_a_trainee_id_that_is_not_a_plain_number(login, manager, value):
    trainee = TraineeFactory()
    cohort = cohort_with(manager=manager, trainees=[trainee])
    session = SessionFactory(cohort=cohort)
    response = login(manager).post(
        reverse("cohorts:roll_call", args=[session.pk]),
        {"shown": [str(trainee.pk), value], f"m{trainee.pk}": "present"},
    )
    assert response.status_code == 400
    assert not Attendance.objects.filter(session=session).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        b"email,status\nx@example.org,present\x00\n",
        "email,status\nx@example.org,present\x00\n",
        b"email,status\n" + b'"' + b"a" * (200 * 1024) + b'",present\n',
    ],
    ids=["nul-bytes", "nul-text", "cell-over-128-kib"],
)
def test_sheet_import_refuses_unreadable_sheets_and_writes_nothing(manager, data):
    trainee = TraineeFactory(email="x@example.org")
    cohort = cohort_with(manager=manager, trainees=[trainee])
    session = SessionFactory(cohort=cohort)
    report = services.import_attendance_csv(actor=manager, session=session, data=data)
    assert report.errors
    with pytest.raises(ValidationError):
        services.import_attendance_csv(actor=manager, session=session, data=data, dry_run=False)
    assert not Attendance.objects.filter(session=session).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "last"),
    [
        (datetime.date(1, 1, 1), datetime.date(9999, 12, 31)),
        (datetime.date(9999, 12, 1), datetime.date(9999, 12, 31)),
    ],
    ids=["year-1-to-9999", "end-of-the-calendar"],
)
def test_session_series_over_extreme_ranges_is_a_clear_error(manager, first, last):
    cohort = cohort_with(manager=manager)
    with pytest.raises(ValidationError) as caught:
        services.generate_series(
            actor=manager,
            cohort=cohort,
            title="ورشة",
            first_day=first,
            last_day=last,
            weekdays=[0],
            start_time=datetime.time(17),
            end_time=datetime.time(19),
        )
    assert caught.value.message_dict
    assert not cohort.sessions.exists()
