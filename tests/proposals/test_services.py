"""Lifecycle, editing, team, review and implementation services: behaviour and database state."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, Refused
from notifications.models import Notification
from proposals import services
from proposals.models import (
    BudgetLine,
    Proposal,
    Review,
    ReviewNote,
    Revision,
    Score,
    TeamMember,
    Transition,
)
from tests.factories import MentorFactory, TraineeFactory
from tests.proposals.factories import BUDGET, complete_data, proposal_at, score_all

S = Proposal.Status
pytestmark = pytest.mark.django_db


def test_create_proposal_stores_budget_and_computes_total(world):
    proposal = proposal_at(world)
    assert proposal.status == S.DRAFT
    assert proposal.budget_lines.count() == 2
    assert proposal.budget_total() == 3 * 150_000 + 50 * 5_000
    annotated = Proposal.objects.with_budget_total().get(pk=proposal.pk)
    assert annotated.budget_total_iqd == 700_000


def test_create_with_same_form_token_twice_gives_one_proposal(world):
    token = uuid.uuid4()
    kwargs = {"actor": world["lead"], "cohort": world["cohort"], "data": complete_data()}
    first = services.create_proposal(form_token=token, **kwargs)
    second = services.create_proposal(form_token=token, **kwargs)
    assert first.pk == second.pk
    assert Proposal.objects.count() == 1


def test_only_cohort_trainees_create(world):
    with pytest.raises(Refused):
        services.create_proposal(
            actor=TraineeFactory(), cohort=world["cohort"], data={"title": "x"}
        )
    assert not Proposal.objects.exists()


@pytest.mark.parametrize(
    "line",
    [
        {"item": "قاعة", "quantity": -1, "unit_cost_iqd": 10},
        {"item": "قاعة", "quantity": 1, "unit_cost_iqd": -5},
        {"item": "قاعة", "quantity": 1, "unit_cost_iqd": 10**15},
        {"item": "قاعة", "quantity": 10**9, "unit_cost_iqd": 1},
        {"item": "", "quantity": 1, "unit_cost_iqd": 1},
        {"item": "قاعة", "quantity": "٣", "unit_cost_iqd": 1},
        {"item": "قاعة", "quantity": 1.5, "unit_cost_iqd": 1},
    ],
)
def test_bad_budget_lines_are_refused_and_nothing_written(world, line):
    with pytest.raises(ValidationError) as info:
        services.create_proposal(
            actor=world["lead"], cohort=world["cohort"], data=complete_data(), budget_lines=[line]
        )
    assert "budget_lines" in info.value.message_dict
    assert not Proposal.objects.exists()
    assert not BudgetLine.objects.exists()


def test_database_refuses_negative_unit_cost(world):
    proposal = proposal_at(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.create(proposal=proposal, item="x", quantity=1, unit_cost_iqd=-1)


def test_end_before_start_is_refused(world):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as info:
        services.create_proposal(
            actor=world["lead"],
            cohort=world["cohort"],
            data=complete_data(starts_on=today, ends_on=today - datetime.timedelta(days=1)),
        )
    assert "ends_on" in info.value.message_dict
    assert not Proposal.objects.exists()


def test_stale_update_is_a_conflict_and_keeps_the_first_save(world):
    proposal = proposal_at(world)
    services.invite_coauthor(actor=world["lead"], proposal=proposal, user=world["coauthor"])
    services.accept_invitation(actor=world["coauthor"], proposal=proposal)
    version = proposal.version
    services.update_proposal(
        actor=world["lead"], proposal=proposal, expected_version=version, data={"title": "أولى"}
    )
    with pytest.raises(Conflict) as info:
        services.update_proposal(
            actor=world["coauthor"],
            proposal=proposal,
            expected_version=version,
            data={"title": "ثانية"},
        )
    assert info.value.code == "stale"
    proposal.refresh_from_db()
    assert proposal.title == "أولى"
    assert proposal.version == version + 1


def test_update_replaces_budget_lines(world):
    proposal = proposal_at(world)
    services.update_proposal(
        actor=world["lead"],
        proposal=proposal,
        expected_version=proposal.version,
        data={},
        budget_lines=[{"item": "طباعة", "quantity": 100, "unit_cost_iqd": 250}],
    )
    assert list(proposal.budget_lines.values_list("item", flat=True)) == ["طباعة"]


def test_coauthor_must_be_from_the_same_cohort_and_accept(world):
    proposal = proposal_at(world)
    with pytest.raises(ValidationError):
        services.invite_coauthor(actor=world["lead"], proposal=proposal, user=TraineeFactory())
    member = services.invite_coauthor(
        actor=world["lead"], proposal=proposal, user=world["coauthor"]
    )
    assert member.status == TeamMember.Status.INVITED
    assert Notification.objects.filter(
        recipient=world["coauthor"], kind="proposals.invited"
    ).exists()
    assert not services.is_team(world["coauthor"], proposal)
    with pytest.raises(Refused):
        services.update_proposal(
            actor=world["coauthor"], proposal=proposal, expected_version=1, data={"title": "x"}
        )
    services.accept_invitation(actor=world["coauthor"], proposal=proposal)
    assert services.is_team(world["coauthor"], proposal)
    with pytest.raises(Conflict):
        services.decline_invitation(actor=world["coauthor"], proposal=proposal)


def test_submit_freezes_one_revision_even_when_doubled(world):
    proposal = proposal_at(world)
    services.submit_proposal(actor=world["lead"], proposal=proposal)
    services.submit_proposal(actor=world["lead"], proposal=proposal)
    assert Revision.objects.filter(proposal=proposal).count() == 1
    assert Transition.objects.filter(proposal=proposal, to_status=S.SUBMITTED).count() == 1
    revision = proposal.revisions.get()
    assert revision.snapshot["budget_total_iqd"] == 700_000


def test_submit_requires_the_core_fields(world):
    proposal = services.create_proposal(
        actor=world["lead"], cohort=world["cohort"], data={"title": "مسودة"}
    )
    with pytest.raises(ValidationError):
        services.submit_proposal(actor=world["lead"], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == S.DRAFT


@pytest.mark.parametrize(
    ("status", "call"),
    [
        (S.DRAFT, "start_review"),
        (S.DRAFT, "decide"),
        (S.SUBMITTED, "resubmit"),
        (S.APPROVED, "withdraw"),
        (S.REJECTED, "start_implementation"),
        (S.IN_REVIEW, "complete"),
        (S.WITHDRAWN, "submit"),
    ],
)
def test_illegal_transitions_are_conflicts(world, status, call):
    proposal = proposal_at(world, status)
    lead, manager = world["lead"], world["manager"]
    calls = {
        "start_review": lambda: services.start_review(actor=manager, proposal=proposal),
        "decide": lambda: services.decide_proposal(
            actor=manager, proposal=proposal, approve=True, message="ok"
        ),
        "resubmit": lambda: services.resubmit_proposal(actor=lead, proposal=proposal),
        "withdraw": lambda: services.withdraw_proposal(actor=lead, proposal=proposal),
        "start_implementation": lambda: services.start_implementation(
            actor=lead, proposal=proposal
        ),
        "complete": lambda: services.complete_proposal(actor=manager, proposal=proposal),
        "submit": lambda: services.submit_proposal(actor=lead, proposal=proposal),
    }
    before = Transition.objects.count()
    with pytest.raises(Conflict):
        calls[call]()
    assert Proposal.objects.get(pk=proposal.pk).status == status
    assert Transition.objects.count() == before


def test_full_journey_records_every_transition_and_notifies_the_team(world):
    proposal = proposal_at(world, S.COMPLETED)
    path = list(proposal.transitions.values_list("to_status", flat=True))
    assert path == [S.SUBMITTED, S.IN_REVIEW, S.APPROVED, S.IN_IMPLEMENTATION, S.COMPLETED]
    assert (
        Notification.objects.filter(
            recipient=world["lead"], kind="proposals.status_changed"
        ).count()
        == 3
    )  # in review, approved, completed (not the lead's own moves)


def test_changes_requested_then_resubmitted_freezes_a_second_revision_and_diff(world):
    proposal = proposal_at(world, S.CHANGES_REQUESTED)
    services.update_proposal(
        actor=world["lead"],
        proposal=proposal,
        expected_version=proposal.version,
        data={"risks": "مخاطر جديدة"},
    )
    services.resubmit_proposal(actor=world["lead"], proposal=proposal)
    first, second = proposal.revisions.order_by("number")
    changes = services.diff(first, second)
    assert [c["field"] for c in changes] == ["risks"]
    assert changes[0]["new"] == "مخاطر جديدة"


def test_request_changes_needs_a_comment(world):
    proposal = proposal_at(world, S.IN_REVIEW)
    with pytest.raises(ValidationError):
        services.request_changes(actor=world["manager"], proposal=proposal, comment="  ")


def test_only_managers_of_the_cohort_decide(world):
    proposal = proposal_at(world, S.IN_REVIEW)
    for person in (world["lead"], world["reviewer"], MentorFactory()):
        with pytest.raises(Refused):
            services.decide_proposal(actor=person, proposal=proposal, approve=True, message="x")
    assert Proposal.objects.get(pk=proposal.pk).status == S.IN_REVIEW


# --- Review -------------------------------------------------------------------------------------


def test_assign_reviewers_in_bulk(world):
    first = proposal_at(world, S.SUBMITTED)
    second = proposal_at(world, S.SUBMITTED, title="مبادرة ثانية")
    other = MentorFactory()
    assignments, skipped = services.assign_reviewers(
        actor=world["manager"],
        proposals=[first, second],
        reviewers=[world["reviewer"], other],
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    assert len(assignments) == 4
    assert skipped == []
    assert set(Proposal.objects.values_list("status", flat=True)) == {S.IN_REVIEW}
    assert (
        Notification.objects.filter(recipient=other, kind="proposals.review_assigned").count() == 2
    )


def test_trainees_cannot_be_reviewers(world):
    proposal = proposal_at(world, S.SUBMITTED)
    with pytest.raises(ValidationError):
        services.assign_reviewers(
            actor=world["manager"],
            proposals=[proposal],
            reviewers=[world["coauthor"]],
            due_on=timezone.localdate(),
        )
    assert not proposal.assignments.exists()


def test_due_date_in_the_past_is_refused(world):
    proposal = proposal_at(world, S.SUBMITTED)
    with pytest.raises(ValidationError):
        services.assign_reviewers(
            actor=world["manager"],
            proposals=[proposal],
            reviewers=[world["reviewer"]],
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )


def test_review_by_someone_not_assigned_is_refused(world):
    proposal = proposal_at(world, S.IN_REVIEW)
    assignment = proposal.assignments.get()
    with pytest.raises(Refused):
        services.submit_review(actor=MentorFactory(), assignment=assignment, scores={})
    assert not Review.objects.exists()


@pytest.mark.parametrize("bad", [0, 6, -1, "٣", 2.5, True])
def test_scores_outside_one_to_five_are_refused(world, bad):
    proposal = proposal_at(world, S.IN_REVIEW)
    assignment = proposal.assignments.get()
    criteria = list(services.rubric_for(proposal.cohort).criteria.all())
    scores = {c.pk: 3 for c in criteria}
    scores[criteria[0].pk] = bad
    with pytest.raises(ValidationError):
        services.submit_review(actor=world["reviewer"], assignment=assignment, scores=scores)
    assert not Review.objects.exists()
    assert not Score.objects.exists()


def test_every_criterion_must_be_scored(world):
    proposal = proposal_at(world, S.IN_REVIEW)
    criteria = list(services.rubric_for(proposal.cohort).criteria.all())
    with pytest.raises(ValidationError):
        services.submit_review(
            actor=world["reviewer"],
            assignment=proposal.assignments.get(),
            scores={criteria[0].pk: 3},
        )


def test_weighted_average_and_spread(world):
    proposal = proposal_at(world, S.IN_REVIEW)
    second = MentorFactory()
    services.assign_reviewers(
        actor=world["manager"],
        proposals=[proposal],
        reviewers=[second],
        due_on=timezone.localdate(),
    )
    score_all(proposal, world["reviewer"], value=5)
    score_all(proposal, second, value=2)
    summary = services.review_summary(proposal)
    assert summary["average"] == 3.5
    assert summary["spread"] == 3
    assert len(summary["reviews"]) == 2


def test_reviews_reach_the_team_only_after_the_decision(world):
    proposal = proposal_at(world, S.IN_REVIEW)
    score_all(proposal, world["reviewer"])
    assert not Review.objects.visible_to(world["lead"]).exists()
    assert Review.objects.visible_to(world["manager"]).count() == 1
    services.decide_proposal(
        actor=world["manager"], proposal=proposal, approve=True, message="مبروك"
    )
    assert Review.objects.visible_to(world["lead"]).count() == 1


def test_private_notes_for_reviewers_and_managers_with_replies(world):
    proposal = proposal_at(world, S.IN_REVIEW)
    note = services.add_note(actor=world["reviewer"], proposal=proposal, body="ملاحظة")
    reply = services.add_note(actor=world["manager"], proposal=proposal, body="رد", parent=note)
    assert reply.parent == note
    with pytest.raises(Refused):
        services.add_note(actor=world["lead"], proposal=proposal, body="أنا")
    assert not ReviewNote.objects.visible_to(world["lead"]).exists()
    assert ReviewNote.objects.visible_to(world["reviewer"]).count() == 2


# --- Implementation -------------------------------------------------------------------------------


def test_milestones_and_progress_compute_overall_and_notify(world):
    proposal = proposal_at(world, S.IN_IMPLEMENTATION)
    first = services.add_milestone(
        actor=world["manager"],
        proposal=proposal,
        title="الجلسة الأولى",
        due_on=timezone.localdate(),
    )
    second = services.add_milestone(
        actor=world["lead"], proposal=proposal, title="الورقة", due_on=timezone.localdate()
    )
    services.post_progress(
        actor=world["lead"],
        proposal=proposal,
        text="أنجزنا الجلسة الأولى",
        milestone_percents={first.pk: 100, second.pk: 20},
    )
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.overall_progress() == 60
    assert (
        Notification.objects.filter(
            recipient=world["lead"], kind="proposals.milestone_changed"
        ).count()
        == 1
    )  # the manager's milestone; the lead's own changes do not notify the lead


@pytest.mark.parametrize("percent", [-1, 101, "50"])
def test_progress_percent_must_be_0_to_100(world, percent):
    proposal = proposal_at(world, S.IN_IMPLEMENTATION)
    milestone = services.add_milestone(
        actor=world["lead"], proposal=proposal, title="م", due_on=timezone.localdate()
    )
    with pytest.raises(ValidationError):
        services.post_progress(
            actor=world["lead"],
            proposal=proposal,
            text="x",
            milestone_percents={milestone.pk: percent},
        )
    milestone.refresh_from_db()
    assert milestone.percent_complete == 0
    assert not proposal.updates.exists()


def test_milestones_only_once_approved(world):
    proposal = proposal_at(world, S.IN_REVIEW)
    with pytest.raises(Conflict):
        services.add_milestone(
            actor=world["lead"], proposal=proposal, title="م", due_on=timezone.localdate()
        )


def test_budget_fixture_is_valid():
    assert services.clean_budget(BUDGET)[0]["quantity"] == 3
