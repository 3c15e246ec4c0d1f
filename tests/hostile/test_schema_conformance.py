"""Real responses agree with the OpenAPI schema: every GET operation is called as staff, a manager
and a trainee, and each 200 body is validated against the schema's response for it."""

import copy

import jsonschema
import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.factories import TraineeFactory
from tests.hostile.test_api_filters import PATHS, _object_for

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)


def _json_schema(node):
    """OpenAPI 3.0 -> JSON Schema: `nullable` becomes a null alternative; refs point into the
    same document's components."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _json_schema(value) for key, value in node.items()}
    # "" for a blank URL matches both branches of spectacular's oneOf [blank, uri] when formats
    # are not checked; either branch matching is what the schema means.
    if "oneOf" in node:
        node["anyOf"] = node.pop("oneOf")
    if node.pop("nullable", False):
        if "$ref" in node or "allOf" in node or "oneOf" in node:
            node = {"anyOf": [dict(node), {"type": "null"}]}
        elif "type" in node:
            node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
    return node


COMPONENTS = _json_schema(copy.deepcopy(SCHEMA["components"]))


def _response_schema(path):
    content = SCHEMA["paths"][path]["get"]["responses"].get("200", {}).get("content", {})
    body = content.get("application/json")
    if not body:
        return None
    return {**_json_schema(body["schema"]), "components": COMPONENTS}


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "documented"), PATHS, ids=[p for p, _ in PATHS])
def test_every_get_response_matches_the_schema(path, documented, personas):
    schema = _response_schema(path)
    if schema is None:
        pytest.skip("not a JSON response")
    world = dict(personas)
    # A person without a governorate: the blank must be allowed wherever people are listed.
    TraineeFactory(governorate="")
    url = path
    if "{" in path:
        pk = _object_for(path, world)
        if pk is None:
            pytest.skip(f"no object for {path}")
        url = path.replace("{id}", str(pk))
    checked = 0
    for role in ("staff", "manager", "trainee"):
        client = APIClient()
        client.force_authenticate(world[role])
        response = client.get(url)
        if response.status_code != 200:
            continue
        jsonschema.validate(response.json(), schema, cls=jsonschema.Draft7Validator)
        checked += 1
    if not checked:
        pytest.skip(f"no persona of the world reads {url} without parameters")
