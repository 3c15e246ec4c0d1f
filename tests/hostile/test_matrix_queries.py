"""Every GET route of the authorization matrix, pages and API alike, walked by every persona that
opens it (200 in the matrix) with the whole hostile catalogue in every query parameter the
product reads: each answer is a 2xx, 3xx or 4xx, never a 500, and a refusal speaks Arabic (or
English when the request asks for it).

One request carries one hostile value in all the parameters at once. Where that request is
refused (an endpoint that checks its ids first answers 400 before it reads the rest), a second
one carries the value in the text parameters alone, so they are reached too. A sample of the
routes is asked again in English."""

import pytest

from tests.authz.matrix import MATRIX
from tests.authz.test_matrix import world  # noqa: F401 (the fixture)
from tests.hostile.walk import (
    HOSTILE,
    QUERY_PARAMS,
    TEXT_PARAMS,
    build_world,
    client_for,
    enter,
    fresh_limits,
    problem,
    roles_answered,
    short,
    url_for,
)

ROUTES = sorted(
    name for name, case in MATRIX.items() if case.method == "get" and roles_answered(case, {200})
)
# What the text parameters are compared with (choices, searches): these values reach them again
# where the ids refused the first request.
TEXT_VALUES = ("١٢٣", "9" * 30, "x" * 3000)
# A sample of the routes asks in English (every third).
ENGLISH_ROUTES = ROUTES[::3]
# The schema is one document for everyone (SERVE_PUBLIC) and costs half a second to build: one
# persona walks it.
ONE_PERSONA = {"schema"}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ROUTES)
def test_get_route_survives_hostile_query_values(name, world):  # noqa: F811
    case = MATRIX[name]
    build_world(world, name)
    roles = roles_answered(case, {200})
    if name in ONE_PERSONA:
        roles = roles[:1]
    failures = []
    for role in roles:
        user = enter(world, role)
        url = url_for(name, case, world)
        client = client_for(case, user)
        for value in HOSTILE:
            fresh_limits()
            response = client.get(url, dict.fromkeys(QUERY_PARAMS, value))
            if (why := problem(response)) is not None:
                failures.append((role, "all", short(value), why))
            if 400 <= response.status_code < 500 and value in TEXT_VALUES:
                response = client.get(url, dict.fromkeys(TEXT_PARAMS, value))
                if (why := problem(response)) is not None:
                    failures.append((role, "text", short(value), why))
    assert not failures, failures


@pytest.mark.django_db
@pytest.mark.parametrize("name", ENGLISH_ROUTES)
def test_refusals_follow_an_english_request(name, world):  # noqa: F811
    """The same hostile query from someone who asked for English: the refusal is in English."""
    case = MATRIX[name]
    build_world(world, name)
    role = roles_answered(case, {200})[0]
    user = enter(world, role)
    client = client_for(case, user, lang="en")
    url = url_for(name, case, world)
    failures = []
    for value in ("\x00", "١٢٣", "9" * 30):
        response = client.get(url, dict.fromkeys(QUERY_PARAMS, value))
        if (why := problem(response, lang="en")) is not None:
            failures.append((role, short(value), why))
    assert not failures, failures
