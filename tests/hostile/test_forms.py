"""Hostile values in form fields answer 400 and change nothing."""

import pytest
from django.urls import reverse

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
