"""The proposal pages and list endpoint run the same number of queries whatever the number of
proposals, reviews and showcased initiatives: counted exactly, at two sizes."""

import pytest
from django.urls import reverse

from proposals.models import Proposal, ReviewNote
from tests.proposals.factories import proposal_at, team_world

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
    # One of them asks whether the lead still belongs to the cohort (a removed trainee no
    # longer acts for the team).
    page(reverse("proposals:detail", args=[done.pk]), 13)
    page(reverse("proposals:implementation", args=[done.pk]), 6)
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
