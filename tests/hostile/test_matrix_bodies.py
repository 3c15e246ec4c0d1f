"""Every POST route of the authorization matrix, and every form page of it (the create and edit
pages post to themselves), walked by the personas who act there with hostile values in each
field of the body: the matrix's own fields, the fields the API documents for the route, and the
fields the page's own form shows. Each value goes into all the fields of one request; JSON bodies
also get wrong types (a list, an object, null, a boolean, a huge number, a fraction).

Each answer is a 2xx, 3xx or 4xx in the request's language, never a 500; and a refused request
changes nothing: no write it made outlives it."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

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

WRONG_TYPES = [["1", "2"], {"value": "1"}, None, True, 10**30, -1.5]
# Lists of ids with hostile members.
WRONG_TYPES += [[10**30], ["١٢٣"], ["²"], [None], [-1]]
# One field at a time, the others valid.
ONE_FIELD_FORM = ["9" * 30, "١٢٣", "²", "\x00", "-1", "x" * 3000]
ONE_FIELD_API = [*ONE_FIELD_FORM, 10**30, [10**30], None, {"value": 1}]
# Who acts on a POST route: a redirect after the action, a success, or a refusal in words.
ACTED = {200, 201, 202, 302, 400, 409}
# Writes that belong to the visit rather than to the refused action: the signed-in session.
VISIT_TABLES = ("django_session",)

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)


def _documented_fields(url: str) -> set[str]:
    """The request body's fields the API documents for this address (its path with ids)."""
    for path, operations in SCHEMA["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", r"[^/]+", path) + "$"
        if re.match(pattern, url) and "post" in operations:
            content = operations["post"].get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema", {})
            ref = body.get("$ref", "").rsplit("/", 1)[-1]
            component = SCHEMA["components"]["schemas"].get(ref, body)
            return set(component.get("properties", {}))
    return set()


_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S | re.I)
_FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', re.I)
_ACTION = re.compile(r'\baction="([^"]*)"', re.I)
_SKIP = {"csrfmiddlewaretoken", "confirmed", "next"}
# Forms of every page's frame, walked through their own matrix rows.
FRAME_FORMS = ("core:set_language", "account_logout", "notifications:mark_all_read")


def _page_forms(client, url: str) -> dict[str, set[str]]:
    """{address: fields} of the forms a page shows that post on this site."""
    response = client.get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return {}
    frame = {reverse(name) for name in FRAME_FORMS}
    forms: dict[str, set[str]] = {}
    for attributes, inner in _FORM.findall(response.content.decode()):
        if "post" not in attributes.lower():
            continue
        action = _ACTION.search(attributes)
        target = unescape(action.group(1)) if action and action.group(1) else url
        if not target.startswith("/") or target.split("?")[0] in frame:
            continue
        forms.setdefault(target, set()).update(set(_FIELD.findall(inner)) - _SKIP)
    return forms


def _committed_writes(queries) -> list[str]:
    """The INSERT, UPDATE and DELETE statements that outlived their savepoints."""
    stack: list[list[str]] = [[]]
    for query in queries:
        sql = query["sql"].strip()
        head = sql.split(" ", 1)[0].upper()
        if head == "SAVEPOINT":
            stack.append([])
        elif sql.upper().startswith("ROLLBACK TO SAVEPOINT"):
            stack.pop() if len(stack) > 1 else stack[0].clear()
        elif sql.upper().startswith("RELEASE SAVEPOINT"):
            if len(stack) > 1:
                done = stack.pop()
                stack[-1].extend(done)
        elif head in ("INSERT", "UPDATE", "DELETE") and not any(t in sql for t in VISIT_TABLES):
            stack[-1].append(sql[:120])
    return [sql for level in stack for sql in level]


POSTS = sorted(name for name, case in MATRIX.items() if case.method == "post")
PAGES = sorted(
    name
    for name, case in MATRIX.items()
    if case.method == "get"
    and not case.api
    and roles_answered(case, {200})
    and not name.startswith(("account", "mfa", "headless"))
    and name not in ("schema", "api_docs")
)


def _bodies(case, fields, values, base):
    """Each value in all the fields at once; then, where the matrix gives a valid body, each of
    its fields in turn with the others valid (a refusal of one field stops a form from reading
    the rest)."""
    for value in values:
        yield dict.fromkeys(sorted(fields or {"value"}), value)
    one_field = ONE_FIELD_API if case.api else ONE_FIELD_FORM
    for key in sorted(base):
        for value in one_field:
            yield {**base, key: value}


def _post(client, case, url, fields, values, base=None):
    """Posts the hostile bodies; the problems of the answers."""
    failures = []
    for body in _bodies(case, fields, values, base or {}):
        fresh_limits()
        value = next(iter(body.values()), None) if not base else body
        with CaptureQueriesContext(connection) as queries:
            extra = {"format": "json"} if case.api else {}
            response = client.post(url, body, **extra)
        why = problem(response)
        if why is None and 400 <= response.status_code < 500:
            writes = _committed_writes(queries.captured_queries)
            if writes:
                why = f"{response.status_code} but wrote {writes}"
        if why is not None:
            failures.append((url, short(value), why))
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize("name", POSTS)
def test_post_route_survives_hostile_fields(name, world):  # noqa: F811
    """The matrix's POST routes with the fields of their matrix body (and, for the API, the
    fields its schema documents), as each persona who acts there."""
    case = MATRIX[name]
    roles = [role for role in roles_answered(case, ACTED) if role != "anonymous"]
    failures = []
    for role in roles or ["anonymous"]:
        client = client_for(case, enter(world, role))
        url = url_for(name, case, world)
        fields = set(matrix_data(case, world))
        if case.api:
            fields |= _documented_fields(url)
        values = HOSTILE + (WRONG_TYPES if case.api else [])
        base = matrix_data(case, world)
        failures += [(role, *failure) for failure in _post(client, case, url, fields, values, base)]
    assert not failures, failures


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_forms_of_a_page_survive_hostile_fields(name, world):  # noqa: F811
    """Every form a page shows (create and edit pages post to themselves; detail pages carry the
    forms of their actions), posted with the fields it shows, as each persona who opens it."""
    case = MATRIX[name]
    build_world(world, name)
    failures = []
    # The first persona, and the last (the extra personas walk last): the forms' fields are the
    # same for everyone who sees them, and the POST routes' walk takes every actor.
    roles = roles_answered(case, {200})
    for role in sorted({roles[0], roles[-1]}, key=roles.index):
        client = client_for(case, enter(world, role))
        for url, fields in _page_forms(client, url_for(name, case, world)).items():
            failures += [(role, *failure) for failure in _post(client, case, url, fields, HOSTILE)]
    assert not failures, failures
