"""Mentoring objects for the authorization matrix (tests/authz/matrix.py), built on the cohorts
world: the mentor persona mentors the trainee persona in "running" (published, accepted, one
meeting, so the fit can be reported); "waiting", another trainee of "running", is in the cohort's
next draft round ("round")."""

from django.utils import timezone

from cohorts.models import Membership
from mentoring import services
from mentoring.models import Mentorship
from tests.cohorts.factories import MembershipFactory
from tests.cohorts.world import cohort_world
from tests.factories import TraineeFactory


def mentoring_world(w: dict) -> dict:
    if "mentoring" not in w:
        cohorts = cohort_world(w)
        running, manager, mentor = cohorts["running"], w["manager"], w["mentor"]
        services.save_mentor_profile(actor=mentor, user=mentor, languages=["ar"], capacity=3)
        services.save_intake(
            actor=w["trainee"], membership=cohorts["trainee_membership"], languages=["ar"]
        )
        published = services.run_match_round(actor=manager, cohort=running)
        services.publish_match_round(actor=manager, round=published)
        mentorship = Mentorship.objects.get(cohort=running, trainee=w["trainee"])
        services.accept(actor=mentor, mentorship=mentorship)
        services.log_meeting(
            actor=mentor, mentorship=mentorship, date=timezone.localdate(), duration_minutes=30
        )
        waiting = TraineeFactory(email="waiting.trainee@example.org")
        membership = MembershipFactory(cohort=running, user=waiting, role=Membership.Role.TRAINEE)
        services.save_intake(actor=waiting, membership=membership, languages=["ar"])
        draft = services.run_match_round(actor=manager, cohort=running)
        w["mentoring"] = {"mentorship": mentorship, "round": draft, "waiting": waiting}
    return w["mentoring"]


def get(key):
    """`get("mentorship")` -> lambda w: its pk (likewise "round", "waiting")."""
    return lambda w: mentoring_world(w)[key].pk
