"""Factories and a small world for proposals tests: a running cohort with a manager, a lead
trainee, a co-author, a mentor reviewer; proposals at any stage, reached through the services."""

import datetime

from django.utils import timezone

from proposals import services
from proposals.models import Proposal
from tests.cohorts.factories import cohort_with
from tests.factories import ManagerFactory, MentorFactory, TraineeFactory


def complete_data(**overrides):
    today = timezone.localdate()
    data = {
        "title": "طاولة حوار شبابية في النجف",
        "problem": "ضعف مشاركة الشباب في الشأن العام المحلي.",
        "target_group": "طلبة الجامعات",
        "governorate": "najaf",
        "objectives": "فتح حوار بين الشباب وصناع القرار.",
        "activities": "ثلاث جلسات حوار وورقة توصيات.",
        "starts_on": today + datetime.timedelta(days=30),
        "ends_on": today + datetime.timedelta(days=90),
        "partners": "جامعة الكوفة",
        "expected_impact": "توصيات يتبناها مجلس المحافظة.",
        "indicators": "٥٠ مشاركاً، ورقة سياسات واحدة.",
        "risks": "تأخر الموافقات.",
    }
    data.update(overrides)
    return data


BUDGET = [
    {"item": "قاعة", "quantity": 3, "unit_cost_iqd": 150_000},
    {"item": "ضيافة", "quantity": 50, "unit_cost_iqd": 5_000},
]


def team_world(*, lead=None, manager=None, reviewer=None, coauthor=None):
    lead = lead or TraineeFactory()
    coauthor = coauthor or TraineeFactory()
    manager = manager or ManagerFactory()
    reviewer = reviewer or MentorFactory()
    cohort = cohort_with(manager=manager, trainees=[lead, coauthor], mentors=[reviewer])
    return {
        "cohort": cohort,
        "lead": lead,
        "coauthor": coauthor,
        "manager": manager,
        "reviewer": reviewer,
    }


def proposal_at(world, status=Proposal.Status.DRAFT, **data) -> Proposal:
    """A proposal in `status`, walked there through the services."""
    S = Proposal.Status
    lead, manager, reviewer = world["lead"], world["manager"], world["reviewer"]
    proposal = services.create_proposal(
        actor=lead, cohort=world["cohort"], data=complete_data(**data), budget_lines=BUDGET
    )
    if status == S.DRAFT:
        return proposal
    if status == S.WITHDRAWN:
        return services.withdraw_proposal(actor=lead, proposal=proposal)
    services.submit_proposal(actor=lead, proposal=proposal)
    if status == S.SUBMITTED:
        return _fresh(proposal)
    services.assign_reviewers(
        actor=manager,
        proposals=[proposal],
        reviewers=[reviewer],
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    if status == S.IN_REVIEW:
        return _fresh(proposal)
    if status in (S.CHANGES_REQUESTED, S.RESUBMITTED):
        services.request_changes(actor=manager, proposal=proposal, comment="وضّحوا الميزانية.")
        if status == S.RESUBMITTED:
            services.resubmit_proposal(actor=lead, proposal=proposal)
        return _fresh(proposal)
    score_all(proposal, reviewer)
    services.decide_proposal(
        actor=manager, proposal=proposal, approve=status != S.REJECTED, message="قرار اللجنة."
    )
    if status in (S.APPROVED, S.REJECTED):
        return _fresh(proposal)
    services.start_implementation(actor=lead, proposal=proposal)
    if status == S.IN_IMPLEMENTATION:
        return _fresh(proposal)
    services.complete_proposal(actor=manager, proposal=proposal)
    return _fresh(proposal)


def score_all(proposal, reviewer, value=4):
    assignment = proposal.assignments.get(reviewer=reviewer)
    criteria = services.rubric_for(proposal.cohort).criteria.all()
    return services.submit_review(
        actor=reviewer,
        assignment=assignment,
        scores={c.pk: value for c in criteria},
        comments="مقترح واعد.",
    )


def _fresh(proposal):
    return Proposal.objects.get(pk=proposal.pk)
