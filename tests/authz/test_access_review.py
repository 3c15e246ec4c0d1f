"""Access control tried as an attacker would: real tokens and sessions (with CSRF), deactivated
and removed people, and ids of other cohorts in request bodies."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cohorts.models import Membership, Session
from cohorts.services import withdraw_membership
from tests.cohorts.factories import SessionFactory, at, cohort_with, today
from tests.cohorts.world import series_data
from tests.factories import ManagerFactory, MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def _token_client(user):
    token = Token.objects.create(user=user)
    return APIClient(HTTP_AUTHORIZATION=f"Token {token.key}"), token


@pytest.fixture
def two_cohorts():
    """Cohort A (manager_a, trainee_a, mentor_a) and cohort B (manager_b, trainee_b, mentor_b)."""
    w = {
        "manager_a": ManagerFactory(),
        "manager_b": ManagerFactory(),
        "trainee_a": TraineeFactory(),
        "trainee_b": TraineeFactory(),
        "mentor_a": MentorFactory(),
        "mentor_b": MentorFactory(),
    }
    w["a"] = cohort_with(manager=w["manager_a"], trainees=[w["trainee_a"]], mentors=[w["mentor_a"]])
    w["b"] = cohort_with(manager=w["manager_b"], trainees=[w["trainee_b"]], mentors=[w["mentor_b"]])
    return w


# --- tokens and sessions --------------------------------------------------------------------


def test_a_revoked_token_opens_nothing(trainee):
    client, token = _token_client(trainee)
    assert client.get("/api/v1/me/").status_code == 200
    token.delete()
    assert client.get("/api/v1/me/").status_code == 401


def test_a_deactivated_account_token_opens_nothing(trainee):
    client, _token = _token_client(trainee)
    trainee.is_active = False
    trainee.save(update_fields=["is_active"])
    assert client.get("/api/v1/me/").status_code == 401


def test_a_deactivated_account_session_opens_nothing(trainee):
    client = Client()
    client.force_login(trainee)
    trainee.is_active = False
    trainee.save(update_fields=["is_active"])
    assert client.get("/api/v1/me/").status_code == 401
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_session_auth_on_unsafe_api_methods_needs_csrf(trainee):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(trainee)
    response = client.patch("/api/v1/me/", {"full_name": "اسم آخر"}, format="json")
    assert response.status_code == 403
    trainee.refresh_from_db()
    assert trainee.full_name != "اسم آخر"


def test_a_token_needs_no_csrf(trainee):
    token = Token.objects.create(user=trainee)
    client = APIClient(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.patch("/api/v1/me/", {"full_name": "اسم آخر"}, format="json")
    assert response.status_code == 200


def test_a_token_of_another_user_speaks_for_that_user_only(trainee, outsider):
    client, _ = _token_client(outsider)
    me = client.get("/api/v1/me/").json()
    assert me["email"] == outsider.email
    people = client.get("/api/v1/people/").json()["results"]
    assert [p["id"] for p in people] == [outsider.pk]


# --- ids of other cohorts in request bodies -------------------------------------------------


def test_a_manager_cannot_add_a_person_of_another_cohort_by_id(two_cohorts):
    w = two_cohorts
    client, _ = _token_client(w["manager_b"])
    response = client.post(
        f"/api/v1/cohorts/{w['b'].pk}/members/",
        {"user": w["trainee_a"].pk, "role": "trainee"},
        format="json",
    )
    assert response.status_code == 400
    assert w["trainee_a"].full_name not in response.content.decode()
    assert not Membership.objects.filter(cohort=w["b"], user=w["trainee_a"]).exists()


def test_a_manager_cannot_name_a_mentor_of_another_cohort_as_facilitator(two_cohorts):
    w = two_cohorts
    client, _ = _token_client(w["manager_b"])
    start = timezone.now() + datetime.timedelta(days=3)
    response = client.post(
        "/api/v1/sessions/",
        {
            "cohort": w["b"].pk,
            "title": "ورشة",
            "format": "workshop",
            "mode": "in_person",
            "facilitator": w["mentor_a"].pk,
            "starts_at": start.isoformat(),
            "ends_at": (start + datetime.timedelta(hours=2)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 400
    assert not Membership.objects.filter(cohort=w["b"], user=w["mentor_a"]).exists()


def test_a_series_cannot_name_a_mentor_of_another_cohort(two_cohorts):
    w = two_cohorts
    client, _ = _token_client(w["manager_b"])
    # The matrix's series, in cohort B, naming cohort A's mentor.
    data = {**series_data(), "cohort": w["b"].pk, "facilitator": w["mentor_a"].pk}
    response = client.post("/api/v1/sessions/series/", data, format="json")
    assert response.status_code == 400
    assert not Membership.objects.filter(cohort=w["b"], user=w["mentor_a"]).exists()


def test_roll_call_refuses_a_trainee_of_another_cohort(two_cohorts):
    w = two_cohorts
    session = SessionFactory(cohort=w["b"], starts_at=at(today(), 0, 1), ends_at=at(today(), 0, 2))
    client, _ = _token_client(w["manager_b"])
    response = client.post(
        f"/api/v1/sessions/{session.pk}/attendance/",
        {"marks": [{"user": w["trainee_a"].pk, "status": "present"}]},
        format="json",
    )
    assert response.status_code == 400
    assert not session.attendance.exists()


def test_a_session_of_another_cohort_is_not_found(two_cohorts):
    w = two_cohorts
    session = SessionFactory(cohort=w["a"])
    client, _ = _token_client(w["manager_b"])
    assert client.get(f"/api/v1/sessions/{session.pk}/").status_code == 404
    assert client.get(f"/api/v1/sessions/?cohort={w['a'].pk}").json()["count"] == 0
    assert client.get(f"/api/v1/memberships/?cohort={w['a'].pk}").json()["count"] == 0
    assert client.get(f"/api/v1/attendance/?cohort={w['a'].pk}").json()["count"] == 0
    assert Session.objects.filter(cohort=w["a"]).exists()


def test_withdrawn_facilitator_cannot_take_attendance(two_cohorts):
    w = two_cohorts
    membership = Membership.objects.get(cohort=w["a"], user=w["mentor_a"])
    session = SessionFactory(cohort=w["a"], facilitator=w["mentor_a"])
    withdraw_membership(actor=w["manager_a"], membership=membership)
    client, _ = _token_client(w["mentor_a"])
    response = client.get(f"/api/v1/sessions/{session.pk}/attendance/")
    assert response.status_code in (403, 404)


def test_a_made_up_app_session_token_opens_nothing(trainee):
    client = APIClient(HTTP_X_SESSION_TOKEN="not-a-session-token")
    assert client.get("/api/v1/me/").status_code == 401
    assert client.get("/api/v1/proposals/").status_code == 401


def test_a_manager_page_cannot_add_a_person_of_another_cohort(two_cohorts):
    w = two_cohorts
    client = Client()
    client.force_login(w["manager_b"])
    response = client.post(
        reverse("cohorts:members", args=[w["b"].pk]),
        {"email": w["trainee_a"].email, "role": "trainee"},
    )
    assert response.status_code == 400
    assert not Membership.objects.filter(cohort=w["b"], user=w["trainee_a"]).exists()
