"""Cohort objects for the authorization matrix (tests/authz/matrix.py), built once per test on
top of the persona `world`: a running cohort managed by the manager persona with the trainee and
the mentor in it (the mentor facilitates its session), and a recruiting cohort of another manager
to which the outsider applied."""

from cohorts.models import Cohort
from cohorts.services import calendar_feed_for
from tests.cohorts.factories import (
    ApplicationFactory,
    SessionFactory,
    cohort_with,
)
from tests.factories import ManagerFactory


def cohort_world(w: dict) -> dict:
    if "cohorts" not in w:
        running = cohort_with(
            manager=w["manager"], trainees=[w["trainee"]], facilitators=[w["mentor"]]
        )
        elsewhere = cohort_with(manager=ManagerFactory(), status=Cohort.Status.RECRUITING)
        w["cohorts"] = {
            "running": running,
            "elsewhere": elsewhere,
            "session": SessionFactory(cohort=running, facilitator=w["mentor"]),
            "outsider_application": ApplicationFactory(cohort=elsewhere, applicant=w["outsider"]),
            "trainee_feed": calendar_feed_for(w["trainee"]),
        }
    return w["cohorts"]


def get(key):
    """A matrix kwarg: `get("running")` -> lambda w: the running cohort's pk."""

    def _value(w):
        obj = cohort_world(w)[key]
        return obj.token if key.endswith("_feed") else obj.pk

    return _value
