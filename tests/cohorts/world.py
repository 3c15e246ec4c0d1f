"""Cohort objects for the authorization matrix (tests/authz/matrix.py), built once per test on
top of the persona `world`:
- "running": a cohort managed by the manager persona, with the trainee persona as a trainee and
  the mentor persona as facilitator of its sessions ("session", held yesterday; "future", next
  week, for which the trainee asked to be excused);
- "elsewhere": a recruiting cohort of another manager, to which the outsider applied, with a
  session the outsider attended;
- "open": a recruiting cohort managed by the manager persona, to which the trainee persona applied
  ("trainee_application"); "curriculum_item": a course of the running cohort's curriculum.

Two more personas walk the matrix: "other_manager" runs a cohort of their own with nobody of the
world in it (`add_other_manager`); "removed_facilitator" was a facilitator of "running", removed
by its manager, and is still named as the facilitator of its sessions (`remove_facilitator`)."""

import datetime

from cohorts.models import Cohort, Membership, Session
from cohorts.services import calendar_feed_for, withdraw_membership
from tests.cohorts.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CurriculumItemFactory,
    ExcuseRequestFactory,
    MembershipFactory,
    SessionFactory,
    at,
    cohort_with,
    today,
)
from tests.factories import ManagerFactory, MentorFactory


def cohort_world(w: dict) -> dict:
    if "cohorts" not in w:
        running = cohort_with(manager=w["manager"], facilitators=[w["mentor"]])
        trainee_membership = MembershipFactory(
            cohort=running, user=w["trainee"], role=Membership.Role.TRAINEE
        )
        session = SessionFactory(cohort=running, facilitator=w["mentor"])
        next_week = today() + datetime.timedelta(days=7)
        future = SessionFactory(
            cohort=running,
            facilitator=w["mentor"],
            starts_at=at(next_week, 17),
            ends_at=at(next_week, 19),
        )
        elsewhere = cohort_with(
            manager=ManagerFactory(), status=Cohort.Status.RECRUITING, trainees=[w["outsider"]]
        )
        elsewhere_session = SessionFactory(cohort=elsewhere)
        w["cohorts"] = {
            "running": running,
            "elsewhere": elsewhere,
            "session": session,
            "future": future,
            "trainee_membership": trainee_membership,
            "trainee_excuse": ExcuseRequestFactory(session=future, user=w["trainee"]),
            "outsider_application": ApplicationFactory(cohort=elsewhere, applicant=w["outsider"]),
            "outsider_attendance": AttendanceFactory(session=elsewhere_session, user=w["outsider"]),
            "trainee_feed": calendar_feed_for(w["trainee"]),
        }
        open_cohort = cohort_with(manager=w["manager"], status=Cohort.Status.RECRUITING)
        w["cohorts"].update(
            {
                "open": open_cohort,
                "trainee_application": ApplicationFactory(
                    cohort=open_cohort, applicant=w["trainee"]
                ),
                "curriculum_item": CurriculumItemFactory(cohort=running),
            }
        )
    return w["cohorts"]


def add_other_manager(w: dict) -> dict:
    """A program manager who runs only their own cohort (running, nobody of the world in it)."""
    other = ManagerFactory(email="other.manager@example.org")
    w["other_manager"] = other
    w["other_manager_cohort"] = cohort_with(manager=other)
    return w


def add_removed_facilitator(w: dict) -> dict:
    """A mentor with no cohort yet; `remove_facilitator` makes them a removed facilitator."""
    w["removed_facilitator"] = MentorFactory(email="removed.facilitator@example.org")
    return w


def remove_facilitator(w: dict) -> None:
    """The removed facilitator's history: the manager added them as a facilitator of "running"
    and withdrew them; then the cohort's sessions (yesterday's and next week's) are pointed at
    them with a direct update, the data as it was before a withdrawal cleared the pointer."""
    cohorts = cohort_world(w)
    person = w["removed_facilitator"]
    membership = MembershipFactory(
        cohort=cohorts["running"], user=person, role=Membership.Role.FACILITATOR
    )
    withdraw_membership(actor=w["manager"], membership=membership)
    Session.objects.filter(pk__in=[cohorts["session"].pk, cohorts["future"].pk]).update(
        facilitator=person
    )


def get(key):
    """A matrix kwarg or data value: `get("running")` -> lambda w: the running cohort's pk."""

    def _value(w):
        obj = cohort_world(w)[key]
        return obj.token if key.endswith("_feed") else obj.pk

    return _value


def ids(key):
    return lambda w: [get(key)(w)]


def series_data():
    first = today() + datetime.timedelta(days=1)
    return {
        "cohort": get("running"),
        "title": "ورشة أسبوعية",
        "first_day": first.isoformat(),
        "last_day": (first + datetime.timedelta(days=13)).isoformat(),
        "weekdays": [0, 2],
        "start_time": "17:00",
        "end_time": "19:00",
    }
