"""The reminders proposals declare (proposals.reminders): a review due in 48 h to its reviewer,
overdue to the cohort's managers, a milestone due in 3 days to the whole team."""

import datetime

import pytest

from cohorts.models import BAGHDAD, Membership
from notifications import kinds, reminders
from proposals import services
from proposals.models import Milestone, Proposal, ReviewAssignment
from proposals.reminders import MILESTONE_DUE, REVIEW_DUE, REVIEW_OVERDUE
from tests.factories import ManagerFactory
from tests.proposals.factories import proposal_at, score_all, team_world

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=BAGHDAD)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def clock_at_now(time_machine):
    """The services refuse due dates in the past; the scans are given NOW, so the clock stands there
    too and the module reads the same whichever day it runs."""
    time_machine.move_to(NOW, tick=False)


def scan(kind, now=NOW):
    return sorted(reminders.get(kind).scan(now), key=lambda d: (d.object_key, d.recipient_id))


def still_due(kind, due, now=NOW):
    return reminders.get(kind).still_due(due, now)


def in_review(due_on, world=None):
    world = world or team_world()
    proposal = proposal_at(world, Proposal.Status.IN_REVIEW)
    ReviewAssignment.objects.filter(proposal=proposal).update(due_on=due_on)
    return world, proposal, ReviewAssignment.objects.get(proposal=proposal)


def test_review_due_tomorrow_reminds_the_reviewer_until_submitted():
    world, proposal, assignment = in_review(TODAY + datetime.timedelta(days=1))
    due = scan(REVIEW_DUE)
    assert [(d.recipient_id, d.object_key, d.occurrence) for d in due] == [
        (world["reviewer"].pk, reminders.object_key(assignment), f"48h:{assignment.due_on}")
    ]
    assert still_due(REVIEW_DUE, due[0])
    title, body = kinds.get(REVIEW_DUE).render(due[0].params)
    assert proposal.title in body
    # A new due date is a new reminder; the one for the old date is no longer due.
    ReviewAssignment.objects.filter(pk=assignment.pk).update(due_on=TODAY)
    assert not still_due(REVIEW_DUE, due[0])
    assert [d.occurrence for d in scan(REVIEW_DUE)] == [f"48h:{TODAY}"]
    score_all(proposal, world["reviewer"])
    assert scan(REVIEW_DUE) == []


def test_review_due_later_is_not_yet_due():
    in_review(TODAY + datetime.timedelta(days=3))
    assert scan(REVIEW_DUE) == []
    assert scan(REVIEW_OVERDUE) == []


def test_overdue_review_is_escalated_to_every_manager_of_the_cohort():
    world, proposal, assignment = in_review(TODAY - datetime.timedelta(days=1))
    second = ManagerFactory()
    Membership.objects.create(cohort=world["cohort"], user=second, role=Membership.Role.MANAGER)
    assert scan(REVIEW_DUE) == []
    due = scan(REVIEW_OVERDUE)
    assert {(d.recipient_id, d.occurrence) for d in due} == {
        (world["manager"].pk, f"overdue:{assignment.due_on}"),
        (second.pk, f"overdue:{assignment.due_on}"),
    }
    assert all(still_due(REVIEW_OVERDUE, d) for d in due)
    assert world["reviewer"].full_name in kinds.get(REVIEW_OVERDUE).render(due[0].params)[1]
    # A manager who left is no longer told; a week after the due date nobody is.
    Membership.objects.filter(cohort=world["cohort"], user=second).update(
        status=Membership.Status.WITHDRAWN
    )
    assert not still_due(REVIEW_OVERDUE, next(d for d in due if d.recipient_id == second.pk))
    assert scan(REVIEW_OVERDUE, NOW + datetime.timedelta(days=8)) == []


def test_decided_proposal_needs_no_more_reviews():
    world, proposal, assignment = in_review(TODAY + datetime.timedelta(days=1))
    due = scan(REVIEW_DUE)[0]
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.WITHDRAWN)
    assert not still_due(REVIEW_DUE, due)
    assert scan(REVIEW_DUE) == []


def implementing(world=None):
    world = world or team_world()
    proposal = proposal_at(world, Proposal.Status.DRAFT)
    services.invite_coauthor(actor=world["lead"], proposal=proposal, user=world["coauthor"])
    services.accept_invitation(actor=world["coauthor"], proposal=proposal)
    services.submit_proposal(actor=world["lead"], proposal=proposal)
    services.assign_reviewers(
        actor=world["manager"], proposals=[proposal], reviewers=[world["reviewer"]], due_on=TODAY
    )
    score_all(proposal, world["reviewer"])
    services.decide_proposal(actor=world["manager"], proposal=proposal, approve=True, message="نعم")
    services.start_implementation(actor=world["lead"], proposal=proposal)
    return world, Proposal.objects.get(pk=proposal.pk)


def test_milestone_due_in_3_days_goes_to_the_whole_team():
    world, proposal = implementing()
    soon = Milestone.objects.create(
        proposal=proposal, title="ورشة أولى", due_on=TODAY + datetime.timedelta(days=3)
    )
    Milestone.objects.create(
        proposal=proposal, title="لاحقاً", due_on=TODAY + datetime.timedelta(days=4)
    )
    Milestone.objects.create(
        proposal=proposal,
        title="أنجز",
        due_on=TODAY + datetime.timedelta(days=1),
        percent_complete=100,
    )
    due = scan(MILESTONE_DUE)
    assert {(d.recipient_id, d.object_key, d.occurrence) for d in due} == {
        (world["lead"].pk, reminders.object_key(soon), f"3d:{soon.due_on}"),
        (world["coauthor"].pk, reminders.object_key(soon), f"3d:{soon.due_on}"),
    }
    assert all(still_due(MILESTONE_DUE, d) for d in due)
    assert "ورشة أولى" in kinds.get(MILESTONE_DUE).render(due[0].params)[1]
    Milestone.objects.filter(pk=soon.pk).update(percent_complete=100)
    assert not still_due(MILESTONE_DUE, due[0])
    assert scan(MILESTONE_DUE) == []


@pytest.mark.parametrize("n", [1, 4])
def test_review_and_milestone_scans_run_a_fixed_number_of_queries(n, django_assert_num_queries):
    for _ in range(n):
        world, proposal, _assignment = in_review(TODAY - datetime.timedelta(days=2))
        in_review(TODAY + datetime.timedelta(days=1))
        world, proposal = implementing()
        Milestone.objects.create(proposal=proposal, title="م", due_on=TODAY)
    with django_assert_num_queries(1):
        assert len(scan(REVIEW_DUE)) == n
    with django_assert_num_queries(2):
        assert len(scan(REVIEW_OVERDUE)) == n
    with django_assert_num_queries(2):
        assert len(scan(MILESTONE_DUE)) == 2 * n


def test_status_change_and_decision_reach_every_team_member_as_events():
    """A decision and a status change are events, sent by services.common.move to the lead and
    every accepted co-author (not the person who made the change)."""
    from notifications.models import Notification

    world, proposal = implementing()
    told = set(
        Notification.objects.filter(
            kind="proposals.status_changed", params__status="approved"
        ).values_list("recipient_id", flat=True)
    )
    assert told == {world["lead"].pk, world["coauthor"].pk}
