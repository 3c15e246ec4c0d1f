"""Mentoring API: my mentor / my mentees, meetings, goals, rounds for managers."""

import pytest
from django.utils import timezone

from mentoring import services
from mentoring.models import Goal, MatchRound, Meeting, Mentorship
from tests.factories import TraineeFactory
from tests.mentoring.test_views import _published, _setup

pytestmark = pytest.mark.django_db


def test_rounds_run_and_publish(api_client, manager, mentor):
    cohort, trainees, _m = _setup(manager, 2, 1)
    api_client.force_authenticate(manager)
    bad = api_client.post(
        "/api/v1/match-rounds/run/", {"cohort": cohort.pk, "topics": 1000}, format="json"
    )
    assert bad.status_code == 400
    assert not MatchRound.objects.exists()
    response = api_client.post(
        "/api/v1/match-rounds/run/", {"cohort": cohort.pk, "topics": 20}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["weight_topics"] == 20
    assert len(body["proposals"]) == 2
    assert "+" in body["proposals"][0]["reasons_text"]
    published = api_client.post(f"/api/v1/match-rounds/{body['id']}/publish/")
    assert published.status_code == 200
    assert Mentorship.objects.filter(cohort=cohort).count() == 2
    assert api_client.post(f"/api/v1/match-rounds/{body['id']}/publish/").status_code == 409
    api_client.force_authenticate(mentor)
    assert api_client.get("/api/v1/match-rounds/").json()["count"] == 0
    assert api_client.post(f"/api/v1/match-rounds/{body['id']}/publish/").status_code == 404
    run = api_client.post("/api/v1/match-rounds/run/", {"cohort": cohort.pk}, format="json")
    assert run.status_code == 404


def test_mentor_and_trainee_flow(api_client, manager):
    cohort, trainees, mentors = _setup(manager, 2, 1)
    _published(manager, cohort)
    mentor = mentors[0]
    first = Mentorship.objects.get(trainee=trainees[0])
    api_client.force_authenticate(mentor)
    mine = api_client.get("/api/v1/mentorships/?as=mentor").json()
    assert {row["trainee"] for row in mine["results"]} == {t.pk for t in trainees}
    assert api_client.post(f"/api/v1/mentorships/{first.pk}/accept/").status_code == 200
    meeting = {
        "mentorship": first.pk,
        "date": timezone.localdate().isoformat(),
        "duration_minutes": 40,
        "private_notes": "سري",
    }
    assert api_client.post("/api/v1/meetings/", meeting, format="json").status_code == 201
    assert Meeting.objects.filter(mentorship=first).count() == 1
    bad = {**meeting, "duration_minutes": 100000}
    assert api_client.post("/api/v1/meetings/", bad, format="json").status_code == 400
    goal = {"mentorship": first.pk, "text": "هدف", "progress": 20}
    assert api_client.post("/api/v1/goals/", goal, format="json").status_code == 201
    assert Goal.objects.get(mentorship=first).progress == 20
    api_client.force_authenticate(trainees[0])
    mine = api_client.get("/api/v1/mentorships/?as=trainee").json()
    assert [row["mentor"] for row in mine["results"]] == [mentor.pk]
    notes = api_client.get(f"/api/v1/meetings/?mentorship={first.pk}").json()["results"]
    assert notes[0]["private_notes"] == ""
    assert api_client.get("/api/v1/meetings/?mentorship=²").status_code == 400
    fit = api_client.post(f"/api/v1/mentorships/{first.pk}/fit/", {"fit": "good"}, format="json")
    assert fit.status_code == 200
    assert api_client.post("/api/v1/meetings/", meeting, format="json").status_code == 403
    api_client.force_authenticate(TraineeFactory())
    assert api_client.get(f"/api/v1/mentorships/{first.pk}/").status_code == 404
    assert api_client.post("/api/v1/goals/", goal, format="json").status_code == 400


@pytest.mark.parametrize("size", [2, 6])
def test_list_endpoints_query_budget(api_client, manager, size, django_assert_max_num_queries):
    cohort, _t, mentors = _setup(manager, size, 1)
    _published(manager, cohort)
    services_round = MatchRound.objects.get(cohort=cohort)
    assert services_round.pk
    api_client.force_authenticate(manager)
    for url in (
        "/api/v1/mentorships/",
        "/api/v1/meetings/",
        "/api/v1/goals/",
        "/api/v1/match-rounds/",
    ):
        with django_assert_max_num_queries(8):
            assert api_client.get(url).status_code == 200


def test_round_list_counts_pairs_and_the_round_lists_them(api_client, manager):
    cohort, trainees, _mentors = _setup(manager, 3, 1)
    round_ = services.run_match_round(actor=manager, cohort=cohort)
    api_client.force_authenticate(manager)
    [listed] = api_client.get("/api/v1/match-rounds/").json()["results"]
    assert listed["id"] == round_.pk and "proposals" not in listed
    assert (listed["matched"], listed["unmatched"]) == (3, 0)
    detail = api_client.get(f"/api/v1/match-rounds/{round_.pk}/").json()
    assert {p["trainee"] for p in detail["proposals"]} == {t.pk for t in trainees}


def test_mentorship_names_in_the_list_and_in_one_mentorship(api_client, manager):
    """The list reads the names as columns of its query, one mentorship through its people:
    both give each side's name, and a renamed person shows renamed on the next request."""
    cohort, trainees, mentors = _setup(manager, 2, 1)
    _published(manager, cohort)
    mentor = mentors[0]
    api_client.force_authenticate(mentor)
    rows = api_client.get("/api/v1/mentorships/?as=mentor").json()["results"]
    assert {(row["mentor_name"], row["trainee_name"]) for row in rows} == {
        (mentor.full_name, t.full_name) for t in trainees
    }
    trainees[0].full_name = "زينب الجديدة"
    trainees[0].save(update_fields=["full_name"])
    first = Mentorship.objects.get(trainee=trainees[0])
    accepted = api_client.post(f"/api/v1/mentorships/{first.pk}/accept/").json()
    assert (accepted["mentor_name"], accepted["trainee_name"]) == (mentor.full_name, "زينب الجديدة")
    rows = api_client.get("/api/v1/mentorships/").json()["results"]
    assert {row["trainee_name"] for row in rows} == {"زينب الجديدة", trainees[1].full_name}
