"""The proposal pages and list endpoint run the same number of queries whatever the number of
proposals, reviews and showcased initiatives: counted exactly, at two sizes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from proposals import services
from proposals.models import Proposal, Review, ReviewNote
from tests.factories import MentorFactory
from tests.proposals.factories import BUDGET, complete_data, proposal_at, score_all, team_world

S = Proposal.Status
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [2, 6])
def test_proposal_pages_run_constant_queries(client, size, django_assert_num_queries):
    world = team_world()
    for i in range(size):
        proposal_at(world, S.IN_REVIEW, title=f"قيد المراجعة {i}")
        done = proposal_at(world, S.COMPLETED, title=f"منجزة {i}")
        Proposal.objects.filter(pk=done.pk).update(showcase_consent=True)
    in_review = Proposal.objects.filter(status=S.IN_REVIEW).first()
    for i in range(size):
        ReviewNote.objects.create(proposal=in_review, author=world["manager"], body=f"ملاحظة {i}")
    assignment = in_review.assignments.get(reviewer=world["reviewer"])

    def page(url, queries):
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200

    # Each person's first page counts their unread notifications for the badge; the next ones
    # read the count from the cache (one query fewer). A list whose first page holds it all
    # runs no count query for its pager (core.paging).
    client.force_login(world["lead"])
    page(reverse("proposals:mine"), 6)
    # Whether the lead still belongs to the cohort (a removed trainee no longer acts for the
    # team), runs it and hides reviewers' names is asked with the proposal itself.
    page(reverse("proposals:detail", args=[done.pk]), 10)
    # So are, on the implementation page, whether they are of the team and may comment.
    page(reverse("proposals:implementation", args=[done.pk]), 5)
    page(reverse("proposals:compare", args=[in_review.pk]), 4)
    client.force_login(world["reviewer"])
    page(reverse("proposals:queue") + "?state=all", 4)
    page(reverse("proposals:review", args=[assignment.pk]), 6)
    client.force_login(world["manager"])
    page(reverse("proposals:manage", args=[world["cohort"].pk]), 5)
    page(reverse("proposals:decide", args=[in_review.pk]), 6)
    page("/api/v1/proposals/", 3)
    client.logout()
    page(reverse("proposals:showcase"), 2)
    page(reverse("proposals:showcase_item", args=[done.pk]), 2)


@pytest.mark.parametrize("size", [1, 4])
def test_detail_page_runs_constant_queries(client, size, django_assert_num_queries):
    """The detail page reads the same number of queries whatever the number of reviews,
    revisions, transitions and budget lines of the proposal, for the team and the manager."""
    mentors = [MentorFactory() for _ in range(size)]
    world = team_world()
    cohort = world["cohort"]
    for mentor in mentors:
        Membership.objects.create(cohort=cohort, user=mentor, role=Membership.Role.MENTOR)
    proposal = services.create_proposal(
        actor=world["lead"], cohort=cohort, data=complete_data(), budget_lines=BUDGET * size
    )
    services.submit_proposal(actor=world["lead"], proposal=proposal)
    services.assign_reviewers(
        actor=world["manager"],
        proposals=[Proposal.objects.get(pk=proposal.pk)],
        reviewers=[world["reviewer"], *mentors],
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    for _ in range(size):
        services.request_changes(actor=world["manager"], proposal=proposal, comment="وضّحوا.")
        services.resubmit_proposal(
            actor=world["lead"], proposal=Proposal.objects.get(pk=proposal.pk)
        )
    for reviewer in [world["reviewer"], *mentors]:
        score_all(proposal, reviewer)
    services.decide_proposal(
        actor=world["manager"],
        proposal=Proposal.objects.get(pk=proposal.pk),
        approve=True,
        message="قرار اللجنة.",
    )
    assert Review.objects.filter(assignment__proposal=proposal).count() == size + 1
    url = reverse("proposals:detail", args=[proposal.pk])
    for person in (world["lead"], world["manager"]):
        client.force_login(person)
        client.get(url)  # the unread notifications' count, cached for the next request
        with django_assert_num_queries(10):
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.count(b'<section class="card"><h3>') == size + 1
