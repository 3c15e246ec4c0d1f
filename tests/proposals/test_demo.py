"""The demo journey runs through the services and ends in implementation."""

import io

import pytest

from proposals import demo
from proposals.models import Proposal, Review
from tests.factories import ManagerFactory, MentorFactory
from tests.proposals.factories import team_world

pytestmark = pytest.mark.django_db


def test_demo_journey():
    world = team_world()
    proposal = demo.seed_journey(
        cohort=world["cohort"],
        lead=world["lead"],
        coauthor=world["coauthor"],
        manager=world["manager"],
        reviewers=[world["reviewer"], MentorFactory(), ManagerFactory()],
    )
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.status == Proposal.Status.IN_IMPLEMENTATION
    assert proposal.revisions.count() == 2
    assert Review.objects.submitted().count() == 3
    assert proposal.overall_progress() == 35
    path = list(proposal.transitions.values_list("to_status", flat=True))
    assert path[:4] == ["submitted", "in_review", "changes_requested", "resubmitted"]


def test_seed_skips_without_the_demo_cohort():
    out = io.StringIO()
    demo.seed(stdout=out)
    assert "skipped" in out.getvalue()
