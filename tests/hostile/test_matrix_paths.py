"""Every route of the authorization matrix with a path parameter, walked with the hostile catalogue
in each of its parameters in turn (the others naming the matrix's real objects): ids, codes,
tokens, actions and keys alike. The URL converter decides what resolves (`<int:pk>` takes ASCII
digits only, so a huge id still reaches the view; the API's lookups take any text); whatever
reaches the view answers a 2xx, 3xx or 4xx in the request's language, never a 500.

Each route is walked by the personas the matrix lets in (the GET routes' 200s, the POST routes'
actors), with the matrix's own form or JSON body."""

from urllib.parse import quote

import pytest

from tests.authz.matrix import MATRIX
from tests.authz.test_matrix import world  # noqa: F401 (the fixture)
from tests.hostile.walk import (
    HOSTILE,
    build_world,
    client_for,
    enter,
    fresh_limits,
    matrix_data,
    problem,
    roles_answered,
    short,
    url_for,
)

# A path segment's hostile values: the catalogue, with a long value of 300 characters (a path
# segment of 3000 is refused by web servers before it reaches the product).
PATH_VALUES = [value if len(value) < 100 else "x" * 300 for value in HOSTILE]
PATH_VALUES += ["1" * 300, "\u202eevil"]
SENTINEL = "987654321"
# Who acts on a POST route: a redirect after the action, a success, or a refusal in words
# (the anonymous visitor's redirect is to the sign-in page).
ACTED = {200, 201, 202, 302, 400, 409}

ROUTES = sorted(name for name, case in MATRIX.items() if case.kwargs)
PARAMS = [(name, key) for name in ROUTES for key in sorted(MATRIX[name].kwargs)]


def _roles(case):
    if case.method == "get":
        return roles_answered(case, {200})
    return [role for role in roles_answered(case, ACTED) if role != "anonymous"] or ["anonymous"]


def _send(client, case, url, w):
    if case.method == "get":
        return client.get(url)
    return client.post(url, matrix_data(case, w), **({"format": "json"} if case.api else {}))


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "key"), PARAMS, ids=[f"{n}-{k}" for n, k in PARAMS])
def test_path_parameter_survives_hostile_values(name, key, world):  # noqa: F811
    case = MATRIX[name]
    build_world(world, name)
    failures = []
    for role in _roles(case) or ["anonymous"]:
        user = enter(world, role)
        client = client_for(case, user)
        template = url_for(name, case, world, **{key: SENTINEL})
        for value in PATH_VALUES:
            fresh_limits()
            url = template.replace(SENTINEL, quote(value, safe=""))
            response = _send(client, case, url, world)
            if (why := problem(response)) is not None:
                failures.append((role, short(value), response.status_code, why))
    assert not failures, failures
