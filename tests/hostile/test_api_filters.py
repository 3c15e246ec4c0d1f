"""Every GET endpoint of the API, walked with one catalogue of hostile values in every filter it
might read: each answers a 2xx or a 4xx, never a 500.

The endpoints come from the OpenAPI schema, so an endpoint added later is walked without anyone
remembering to list it; the filter names are the union of those the schema documents and those
the list views read."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.cohorts.world import cohort_world
from tests.courses.world import course_world

HOSTILE = [
    "²",  # str.isdigit() says yes, int() says no
    "١٢",  # Arabic-Indic digits
    "9" * 30,  # beyond any integer column
    "-1",
    "0",
    "1e3",
    " 7 ",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "x" * 5000,
    "\u202eevil",  # right-to-left override
]
# Every name a list view of ours reads (lists also get the names their schema documents).
FILTERS = {"cohort", "session", "lesson", "status", "q", "page", "page_size", "flag", "governorate"}
FILTERS |= {"sort", "role", "file"}


def _get_paths():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, operations in sorted(schema["paths"].items()):
        if "get" in operations:
            documented = {
                p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"
            }
            yield path, documented


PATHS = list(_get_paths())


def _object_for(path: str, w: dict):
    """An object the path's {id} can name, so the filters behind it are reached."""
    cohorts, courses = cohort_world(w), course_world(w)
    table = [
        ("/api/v1/cohorts/{id}/my-application/", cohorts["open"]),
        ("/api/v1/lessons/{id}/quiz-attempts/", courses["quiz"]),
        ("/api/v1/cohorts/", cohorts["running"]),
        ("/api/v1/sessions/", cohorts["session"]),
        ("/api/v1/applications/", cohorts["trainee_application"]),
        ("/api/v1/memberships/", cohorts["trainee_membership"]),
        ("/api/v1/excuses/", cohorts["trainee_excuse"]),
        ("/api/v1/courses/", courses["course"]),
        ("/api/v1/lessons/", courses["assignment"]),
        ("/api/v1/submissions/", courses["outsider_submission"]),
    ]
    for prefix, obj in table:
        if path.startswith(prefix):
            return obj.pk
    return None


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "documented"), PATHS, ids=[p for p, _ in PATHS])
def test_every_api_filter_survives_hostile_values(path, documented, personas):
    world = dict(personas)
    raw_path = path
    if "{" in path:
        pk = _object_for(path, world)
        if pk is None:
            pytest.skip(f"no object for {path}")
        path = path.replace("{id}", str(pk)).replace("{pk}", str(pk))
    client = APIClient()
    failures = []
    # Object endpoints read only what their schema documents; lists get every known filter.
    names = documented if "{" in raw_path else FILTERS | documented
    for role in ("staff", "manager"):
        client.force_authenticate(world[role])
        for name in sorted(names):
            for value in HOSTILE:
                response = client.get(path, {name: value}, HTTP_ACCEPT_LANGUAGE="ar")
                if response.status_code >= 500:
                    failures.append((role, name, value[:20], response.status_code))
    assert not failures, failures
