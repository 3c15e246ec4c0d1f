"""Every page of the authorization matrix that a manager or staff opens with GET, walked with one
catalogue of hostile query values in every filter a page reads: a 2xx, 3xx or 4xx, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.authz.matrix import MATRIX
from tests.authz.test_matrix import world  # noqa: F401 (the fixture)

HOSTILE = ["²", "9" * 30, "x" * 3000]
FILTERS = ["q", "page", "status", "cohort", "session", "role", "governorate", "flag", "sort"]
FILTERS += ["next", "file", "as", "mentorship", "lesson", "show"]

PAGES = sorted(
    name
    for name, case in MATRIX.items()
    if not case.api and case.method == "get" and case.expect.get("manager") == 200
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_manager_pages_survive_hostile_query_values(name, world):  # noqa: F811
    case = MATRIX[name]
    kwargs = {k: (v(world) if callable(v) else v) for k, v in case.kwargs.items()}
    url = reverse(name, kwargs=kwargs or None)
    failures = []
    # The manager: the persona whose pages read the most filters within a scope.
    for role in ("manager",):
        client = Client()
        client.force_login(world[role])
        for key in FILTERS:
            for value in HOSTILE:
                status = client.get(url, {key: value}).status_code
                if status >= 500:
                    failures.append((role, key, value[:12], status))
    assert not failures, failures
