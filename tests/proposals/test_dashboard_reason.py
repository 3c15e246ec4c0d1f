"""The at-risk reason proposals adds to the cohort dashboard: a trainee with no submitted proposal
from DEADLINE_WARNING_DAYS days before the cohort's proposal deadline on; one query for the
whole cohort, whatever its size."""

import datetime

import pytest
from django.utils import timezone, translation

from cohorts.dashboard import cohort_dashboard
from proposals import completion, services
from proposals.models import Proposal
from tests.cohorts.factories import MembershipFactory
from tests.factories import TraineeFactory
from tests.proposals.factories import proposal_at

pytestmark = pytest.mark.django_db


def _deadline_in(world, days):
    services.configure_rubric(
        actor=world["manager"],
        cohort=world["cohort"],
        proposal_deadline=timezone.localdate() + datetime.timedelta(days=days),
    )


def _reasons(world):
    with translation.override("en"):
        board = cohort_dashboard(world["cohort"])
    return {
        row.user_id: [f.message for f in row.flags if f.code == "proposal_deadline"]
        for row in board.matching
    }, board


def test_no_flag_without_a_deadline_or_long_before_it(world):
    assert all(not found for found in _reasons(world)[0].values())
    _deadline_in(world, completion.DEADLINE_WARNING_DAYS + 1)
    assert all(not found for found in _reasons(world)[0].values())


def test_flags_who_has_not_submitted_close_to_the_deadline(world):
    idle = TraineeFactory()
    MembershipFactory(cohort=world["cohort"], user=idle)
    proposal_at(world, Proposal.Status.SUBMITTED)
    _deadline_in(world, 5)

    reasons, board = _reasons(world)

    assert reasons[idle.pk] == ["No proposal submitted 5 days before the deadline."]
    assert reasons[world["lead"].pk] == []
    assert board.flag_counts["proposal_deadline"] >= 1
    # A draft is not a submitted proposal.
    draft_lead = TraineeFactory()
    MembershipFactory(cohort=world["cohort"], user=draft_lead)
    proposal_at({**world, "lead": draft_lead}, Proposal.Status.DRAFT)
    assert _reasons(world)[0][draft_lead.pk]


def test_after_the_deadline_the_reason_says_how_long_ago(world):
    idle = TraineeFactory()
    MembershipFactory(cohort=world["cohort"], user=idle)
    _deadline_in(world, -2)

    assert _reasons(world)[0][idle.pk] == ["No proposal submitted; the deadline passed 2 days ago."]


@pytest.mark.parametrize("size", [1, 8])
def test_one_query_for_the_whole_cohort(world, size, django_assert_num_queries):
    for _n in range(size):
        MembershipFactory(cohort=world["cohort"], user=TraineeFactory())
    _deadline_in(world, 3)
    rows = cohort_dashboard(world["cohort"], extensions=False).matching

    with django_assert_num_queries(1):
        found = completion.no_proposal_near_deadline(world["cohort"], rows, timezone.now())

    assert len(found) == len(rows)
