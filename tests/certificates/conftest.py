import datetime

import pytest
from django.utils import timezone

from certificates import services
from cohorts.models import Membership
from tests.cohorts.factories import AttendanceFactory, SessionFactory, at, cohort_with, today


@pytest.fixture
def cohort(manager, trainee, mentor, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    c = cohort_with(manager=manager, trainees=[trainee], mentors=[mentor])
    Membership.objects.filter(cohort=c).update(
        joined_at=timezone.now() - datetime.timedelta(days=30)
    )
    return c


@pytest.fixture
def held_sessions(cohort, mentor):
    """Two sessions held since the trainee joined, their roll call taken (the mentor is marked
    present), so that a trainee left unmarked counts as absent."""
    sessions = [
        SessionFactory(cohort=cohort, starts_at=at(today() - datetime.timedelta(days=d), 17))
        for d in (10, 3)
    ]
    for session in sessions:
        AttendanceFactory(session=session, user=mentor, status="present")
    return sessions


@pytest.fixture
def cert(cohort, trainee, manager, django_capture_on_commit_callbacks):
    """The trainee's certificate, issued by the manager (its PDF rendered on commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        issued = services.issue_certificate(cohort=cohort, trainee=trainee, actor=manager)
    issued.refresh_from_db()
    return issued
