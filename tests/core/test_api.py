"""API conventions: authentication, error shape, the OpenAPI schema."""

import pytest
import yaml
from django.core.management import call_command
from rest_framework.authtoken.models import Token

from accounts.models import User
from notifications.models import Notification


@pytest.mark.django_db
def test_anonymous_api_call_is_401_with_the_error_shape(api_client):
    response = api_client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    error = response.json()["error"]
    assert error["code"] == "not_authenticated"
    assert error["message"]
    assert error["fields"] == {}


@pytest.mark.django_db
def test_token_authentication(api_client, trainee):
    token = Token.objects.create(user=trainee)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api_client.get("/api/v1/me/").json()["email"] == trainee.email


@pytest.mark.django_db
def test_errors_speak_the_callers_language(api_client):
    english = api_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en").json()["error"]["message"]
    arabic = api_client.get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="ar").json()["error"]["message"]
    assert english == "Authentication credentials were not provided."
    assert arabic != english


@pytest.mark.django_db
def test_me_update_validates_and_saves_nothing_on_error(api_login, trainee):
    client = api_login(trainee)
    response = client.patch(
        "/api/v1/me/", {"phone": "123", "governorate": "mars", "role": "manager"}, format="json"
    )
    assert response.status_code == 400
    body = response.json()["error"]
    assert body["code"] == "invalid"
    assert set(body["fields"]) == {"phone", "governorate"}
    trainee.refresh_from_db()
    assert trainee.governorate == "najaf"

    response = client.patch(
        "/api/v1/me/", {"phone": "07712345678", "role": "manager"}, format="json"
    )
    assert response.status_code == 200
    trainee.refresh_from_db()
    assert trainee.phone == "07712345678"
    assert trainee.role == User.Role.TRAINEE  # read-only


@pytest.mark.django_db
def test_people_list_is_scoped_and_has_a_constant_query_count(
    api_login, trainee, manager, django_assert_num_queries
):
    from tests.factories import TraineeFactory

    assert [p["id"] for p in api_login(trainee).get("/api/v1/people/").json()["results"]] == [
        trainee.pk
    ]
    client = api_login(manager)
    with django_assert_num_queries(1):  # the page, which holds everyone: no count
        first = client.get("/api/v1/people/").json()
    TraineeFactory.create_batch(40)
    with django_assert_num_queries(2):  # count + page
        second = client.get("/api/v1/people/").json()
    assert first["count"] == 2
    assert second["count"] == 42
    assert len(second["results"]) == 25


@pytest.mark.django_db
def test_people_list_reads_only_the_columns_it_shows(api_login, manager, trainee):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        body = api_login(manager).get("/api/v1/people/").json()
    page_sql = captured.captured_queries[-1]["sql"]
    assert "password" not in page_sql
    assert "phone" not in page_sql
    assert set(body["results"][0]) == {
        "id",
        "email",
        "full_name",
        "full_name_latin",
        "role",
        "governorate",
        "is_active",
    }


@pytest.mark.django_db
def test_role_change_through_the_api(api_login, staff, trainee):
    response = api_login(staff).post(
        f"/api/v1/people/{trainee.pk}/role/", {"role": "mentor"}, format="json"
    )
    assert response.status_code == 200
    trainee.refresh_from_db()
    assert trainee.role == "mentor"
    bad = api_login(staff).post(
        f"/api/v1/people/{trainee.pk}/role/", {"role": "king"}, format="json"
    )
    assert bad.status_code == 400
    assert "role" in bad.json()["error"]["fields"]


@pytest.mark.django_db
def test_notifications_api_lists_own_and_marks_read(api_login, trainee, outsider):
    mine = Notification.objects.create(
        recipient=trainee, kind="accounts.role_changed", params={"role": "mentor"}
    )
    Notification.objects.create(
        recipient=outsider, kind="accounts.role_changed", params={"role": "mentor"}
    )
    client = api_login(trainee)
    rows = client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert [r["id"] for r in rows] == [mine.pk]
    assert rows[0]["title"] == "Your role has changed"
    assert rows[0]["body"].endswith("Mentor.")
    assert client.post("/api/v1/notifications/read/", {}, format="json").json() == {"marked": 1}
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert Notification.objects.filter(recipient=outsider, read_at__isnull=True).count() == 1


def test_openapi_schema_validates_and_lists_every_api_route(tmp_path):
    out = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    paths = set(schema["paths"])
    assert {
        "/api/v1/me/",
        "/api/v1/people/",
        "/api/v1/people/{id}/role/",
        "/api/v1/notifications/",
    } <= paths

    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern)

    api_routes = {
        r for r in walk(get_resolver().url_patterns) if r.startswith("api/v1/") and r != "api/v1/"
    }
    # Every API route appears in the schema (path converters become {name}).
    import re

    normalised = {"/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", r) for r in api_routes}
    normalised = {p.replace("{pk}", "{id}") for p in normalised}
    missing = {p for p in normalised if p not in paths}
    assert not missing, f"API routes missing from the schema: {sorted(missing)}"
