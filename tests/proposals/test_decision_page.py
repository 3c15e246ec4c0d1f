"""The decision page reads its assignments and reviews as compiled shapes (proposals.shapes
.review_board): the same assignments, done flags, submitted reviews, scores and figures as the
ORM path, in the same order; its queries do not grow with the reviews; only the cohort's
managers (and staff) reach it."""

import datetime

import pytest
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from proposals import services, shapes
from proposals.models import Proposal, Review
from tests.factories import ManagerFactory, MentorFactory, StaffFactory
from tests.proposals.factories import proposal_at, score_all

S = Proposal.Status
pytestmark = pytest.mark.django_db


def _reviewers(world, proposal, n):
    reviewers = [MentorFactory() for _ in range(n)]
    for days, reviewer in enumerate(reviewers):
        services.assign_reviewers(
            actor=world["manager"],
            proposals=[proposal],
            reviewers=[reviewer],
            due_on=timezone.localdate() + datetime.timedelta(days=10 - days),
        )
    return reviewers


def test_review_board_is_the_orm_paths_assignments_and_reviews(world):
    proposal = proposal_at(world, S.IN_REVIEW)
    second, third, fourth = _reviewers(world, proposal, 3)
    score_all(proposal, world["reviewer"], value=5)
    score_all(proposal, third, value=2)
    # A review begun, not submitted; `fourth` has none.
    Review.objects.create(assignment=proposal.assignments.get(reviewer=second))
    done = Exists(Review.objects.submitted().filter(assignment=OuterRef("pk")))
    expected = list(proposal.assignments.select_related("reviewer").annotate(is_done=done))
    summary = services.review_summary(proposal)
    for _ in range(2):  # the second round runs the stored SQL only
        assignments, reviews = shapes.review_board(proposal)
        assert [(a.pk, a.reviewer.full_name, a.is_done) for a in assignments] == [
            (a.pk, a.reviewer.full_name, a.is_done) for a in expected
        ]
        assert [a.is_done for a in assignments].count(True) == 2
        assert reviews == summary["reviews"]
        assert [
            (
                r.assignment.reviewer.full_name,
                [(s.criterion.display_name, s.score) for s in r.scores.all()],
            )
            for r in reviews
        ] == [
            (
                r.assignment.reviewer.full_name,
                [(s.criterion.display_name, s.score) for s in r.scores.all()],
            )
            for r in summary["reviews"]
        ]
        assert services.summarize(reviews) == summary
        assert summary["average"] == 3.5 and summary["spread"] == 3


@pytest.mark.parametrize("reviews", [1, 3])
def test_decision_page_queries_do_not_grow_with_reviews(
    client, world, reviews, django_assert_num_queries
):
    proposal = proposal_at(world, S.IN_REVIEW)
    for reviewer in [world["reviewer"], *_reviewers(world, proposal, reviews - 1)]:
        score_all(proposal, reviewer)
    client.force_login(world["manager"])
    url = reverse("proposals:decide", args=[proposal.pk])
    client.get(url)  # the unread count is cached from the second page on
    # The session, the person, the proposal, whether they run its cohort, the assignments with
    # their reviews, the scores, the notes.
    with django_assert_num_queries(7):
        page = client.get(url).content.decode()
    assert page.count("مقترح واعد.") == reviews


def test_only_the_cohorts_managers_reach_the_decision_page(client, world):
    proposal = proposal_at(world, S.IN_REVIEW)
    url = reverse("proposals:decide", args=[proposal.pk])
    # Another cohort's manager does not see the proposal; its reviewer and lead see it, may not
    # decide.
    for person, status in [
        (ManagerFactory(), 404),
        (world["reviewer"], 403),
        (world["lead"], 403),
        (world["manager"], 200),
        (StaffFactory(), 200),
    ]:
        client.force_login(person)
        assert client.get(url).status_code == status
