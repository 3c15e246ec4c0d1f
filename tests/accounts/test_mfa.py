"""Managers and staff must enrol a second factor when production requires it."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED_FOR_PRIVILEGED = True


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "staff"])
def test_privileged_people_without_totp_are_sent_to_enrol(mfa_required, login, personas, persona):
    response = login(personas[persona]).get(reverse("accounts:people"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_enrolment_pages_stay_reachable(mfa_required, login, manager):
    client = login(manager)
    assert client.get(reverse("mfa_index")).status_code == 200


@pytest.mark.django_db
def test_trainees_are_not_forced(mfa_required, login, trainee):
    assert login(trainee).get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_manager_with_totp_passes(mfa_required, login, manager):
    Authenticator.objects.create(user=manager, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert login(manager).get(reverse("accounts:people")).status_code == 200


# --- The API: the same rule whatever the authentication path --------------------------------


def _totp(user):
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": "x"}
    )


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["manager", "staff"])
def test_a_drf_token_does_not_skip_the_second_factor(mfa_required, personas, persona):
    token = Token.objects.create(user=personas[persona])
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    for url in ("/api/v1/people/", "/api/v1/me/", "/api/v1/cohorts/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 403, url
        assert response.json()["error"]["code"] == "mfa_required"
        assert "two-factor" in response.json()["error"]["message"]


@pytest.mark.django_db
def test_a_token_works_once_the_second_factor_is_set_up(mfa_required, manager):
    _totp(manager)
    token = Token.objects.create(user=manager)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_a_trainee_token_is_not_asked_for_a_second_factor(mfa_required, trainee):
    token = Token.objects.create(user=trainee)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/me/").status_code == 200


@pytest.mark.django_db
def test_a_session_on_the_api_is_refused_with_403_not_redirected(mfa_required, client, manager):
    client.force_login(manager)
    response = client.get("/api/v1/people/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "mfa_required"


@pytest.mark.django_db
def test_without_the_requirement_tokens_work_for_managers(manager):
    token = Token.objects.create(user=manager)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/v1/people/").status_code == 200


# --- App clients obtain a session token through the headless sign-in API ---------------------

LOGIN = "/_allauth/app/v1/auth/login"


def _app_login(client, user, password):
    return client.post(LOGIN, {"email": user.email, "password": password}, format="json")


@pytest.mark.django_db
def test_an_app_signs_in_and_uses_the_session_token_on_the_api(trainee, password):
    client = APIClient()
    response = _app_login(client, trainee, password)
    assert response.status_code == 200, response.content
    token = response.json()["meta"]["session_token"]
    api = APIClient(HTTP_X_SESSION_TOKEN=token)
    me = api.get("/api/v1/me/")
    assert me.status_code == 200
    assert me.json()["email"] == trainee.email
    assert APIClient(HTTP_X_SESSION_TOKEN="forged").get("/api/v1/me/").status_code == 401


@pytest.mark.django_db
def test_an_app_session_token_of_a_manager_without_totp_is_refused(mfa_required, manager, password):
    response = _app_login(APIClient(), manager, password)
    token = response.json()["meta"]["session_token"]
    api = APIClient(HTTP_X_SESSION_TOKEN=token)
    assert api.get("/api/v1/people/").json()["error"]["code"] == "mfa_required"


@pytest.mark.django_db
def test_an_app_sign_in_with_totp_stops_at_the_second_factor(manager, password):
    _totp(manager)
    response = _app_login(APIClient(), manager, password)
    assert response.status_code == 401
    flows = {flow["id"]: flow for flow in response.json()["data"]["flows"]}
    assert flows["mfa_authenticate"].get("is_pending") is True
    token = response.json()["meta"]["session_token"]
    assert APIClient(HTTP_X_SESSION_TOKEN=token).get("/api/v1/me/").status_code == 401
