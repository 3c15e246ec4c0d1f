"""The proposals API: visibility, actions, error shapes in the user's language, query budgets."""

import pytest
from django.urls import reverse

from proposals import services
from proposals.models import Proposal, Review
from tests.factories import MentorFactory, TraineeFactory
from tests.proposals.factories import proposal_at, score_all, team_world

S = Proposal.Status
pytestmark = pytest.mark.django_db


def test_list_and_detail_follow_visible_to(api_client, world):
    proposal = proposal_at(world)
    api_client.force_authenticate(world["lead"])
    body = api_client.get(reverse("api:proposal-list")).json()
    assert [p["id"] for p in body["results"]] == [proposal.pk]
    assert body["results"][0]["budget_total_iqd"] == 700_000
    detail = api_client.get(reverse("api:proposal-detail", args=[proposal.pk])).json()
    assert detail["budget_lines"][0]["total"] == 450_000
    api_client.force_authenticate(TraineeFactory())
    assert api_client.get(reverse("api:proposal-detail", args=[proposal.pk])).status_code == 404
    assert api_client.get(reverse("api:proposal-list")).json()["results"] == []


def test_bad_filter_is_400(api_client, world):
    api_client.force_authenticate(world["lead"])
    assert api_client.get(reverse("api:proposal-list") + "?cohort=²").status_code == 400


def test_transition_and_wrong_state_in_the_users_language(api_client, world):
    proposal = proposal_at(world)
    api_client.force_authenticate(world["lead"])
    url = reverse("api:proposal-transition", args=[proposal.pk])
    response = api_client.post(url, {"action": "submit"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == S.SUBMITTED
    response = api_client.post(
        url, {"action": "complete"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code in (403, 409)
    response = api_client.post(url, {"action": "resubmit"}, format="json")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "wrong_state"
    transitions = api_client.get(reverse("api:proposal-transitions", args=[proposal.pk])).json()
    assert [t["to_status"] for t in transitions] == [S.SUBMITTED]


def test_reviews_hidden_until_decision_and_names_hidden(api_client, world):
    proposal = proposal_at(world, S.IN_REVIEW)
    score_all(proposal, world["reviewer"])
    url = reverse("api:proposal-reviews", args=[proposal.pk])
    api_client.force_authenticate(world["lead"])
    assert api_client.get(url).json() == []
    api_client.force_authenticate(world["manager"])
    decide = reverse("api:proposal-decide", args=[proposal.pk])
    assert (
        api_client.post(decide, {"approve": True, "message": "مبروك"}, format="json").status_code
        == 200
    )
    api_client.force_authenticate(world["lead"])
    reviews = api_client.get(url).json()
    assert len(reviews) == 1
    assert reviews[0]["reviewer"] is None
    assert reviews[0]["weighted_score"] == 4


def test_review_by_non_assignee_and_bad_scores(api_client, world):
    proposal = proposal_at(world, S.IN_REVIEW)
    assignment = proposal.assignments.get()
    criteria = list(services.rubric_for(proposal.cohort).criteria.all())
    url = reverse("api:review-assignment-review", args=[assignment.pk])
    scores = {str(c.pk): 3 for c in criteria}
    api_client.force_authenticate(MentorFactory())
    assert api_client.post(url, {"scores": scores}, format="json").status_code == 404
    api_client.force_authenticate(world["manager"])  # sees it, may not write it
    assert api_client.post(url, {"scores": scores}, format="json").status_code == 403
    api_client.force_authenticate(world["reviewer"])
    bad = {**scores, str(criteria[0].pk): 7}
    response = api_client.post(url, {"scores": bad}, format="json")
    assert response.status_code == 400
    assert "5" in response.json()["error"]["fields"]["scores"][0]
    assert not Review.objects.exists()
    assert api_client.post(url, {"scores": scores}, format="json").status_code == 200


@pytest.mark.parametrize("size", [2, 6])
def test_list_runs_constant_queries(api_client, size, django_assert_max_num_queries):
    world = team_world()
    for i in range(size):
        proposal_at(world, S.SUBMITTED, title=f"م {i}")
    api_client.force_authenticate(world["manager"])
    with django_assert_max_num_queries(6):
        assert api_client.get(reverse("api:proposal-list")).status_code == 200


def test_schema_lists_the_proposals_endpoints(client):
    schema = client.get(reverse("schema")).content.decode()
    assert "/api/v1/proposals/{id}/transitions/" in schema
    assert "/api/v1/review-assignments/{id}/review/" in schema
