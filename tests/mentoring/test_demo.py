import io

import pytest

from mentoring import demo
from mentoring.models import MatchProposal, MatchRound, MentorProfile
from tests.cohorts.factories import cohort_with
from tests.factories import ManagerFactory, MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def test_demo_seeds_profiles_and_a_draft_round_idempotently():
    manager = ManagerFactory(email="manager@ishtar.example")
    for i in range(3):
        MentorFactory(email=f"mentor{i}@ishtar.example")
    cohort = cohort_with(
        manager=manager, trainees=[TraineeFactory() for _ in range(4)], status="running"
    )
    demo.seed(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    assert MentorProfile.objects.count() == 3
    assert MatchRound.objects.filter(cohort=cohort).count() == 1
    assert MatchProposal.objects.filter(round__cohort=cohort).count() == 4
