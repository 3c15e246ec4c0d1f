"""What the hostile walks of the authorization matrix share: the catalogue of hostile values, the
query parameters the product reads, the world every persona walks, and the check that a refusal
is a clear 4xx in the language of the request.

The walks (test_matrix_queries.py, test_matrix_paths.py, test_matrix_bodies.py) take their routes,
personas and objects from tests/authz/matrix.py, so a route added there is walked here too."""

import json
import re
from html import unescape

from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.authz.cases import ALL_ROLES, EXTRA_ROLES
from tests.authz.matrix import MATRIX
from tests.cohorts.world import cohort_world, remove_facilitator
from tests.courses.world import course_world
from tests.mentoring.world import mentoring_world
from tests.proposals.world import proposal_world

# Every value a probe sends, in every place a value can go.
HOSTILE = [
    "\x00",  # NUL: PostgreSQL refuses it in text
    "١٢٣",  # Arabic-Indic digits: int() reads them, a database column does not
    "۱۲",  # Extended Arabic-Indic (Persian) digits
    "１２",  # full-width digits
    "²",  # str.isdigit() says yes, int() says no
    "9" * 30,  # beyond any integer column
    "-1",
    "0",
    "1.5",
    " 1",
    "1e3",
    "x" * 3000,
]
NUL = "\x00"

# Every query parameter a view or endpoint of the product reads (request.GET, query_params,
# id_param, filter forms and serializers), and those of the libraries behind the routes (allauth's
# `next`, the schema's `lang` and `version`).
ID_PARAMS = ["cohort", "session", "lesson", "mentorship"]
TEXT_PARAMS = ["q", "role", "governorate", "status", "kind", "file", "flag", "sort", "state"]
TEXT_PARAMS += ["as", "code", "next", "a", "b", "upcoming", "lang", "version"]
QUERY_PARAMS = ["page", "page_size", *ID_PARAMS, *TEXT_PARAMS]

ARABIC_LETTER = re.compile(r"[\u0621-\u064a]")
LEAKS = ("Traceback", "OperationalError", "IntegrityError", "DataError", "sqlite3", "psycopg")
# allauth's headless API is a library's JSON shape: its messages are checked where they exist.
_ERROR_ITEM = re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S)
_LI = re.compile(r"<li[^>]*>(.*?)</li>", re.S)
_MAIN = re.compile(r"<main\b[^>]*>(.*?)</main>", re.S)
_TAG = re.compile(r"<[^>]+>")


def build_world(world: dict, name: str) -> dict:
    """A list (a route without kwargs) gets the objects of every app, so that its filters have
    rows to work on (proposals only where the list is theirs: their files make them the slowest
    to build). A route with kwargs builds what its objects need, as in the matrix."""
    if not MATRIX[name].kwargs:
        cohort_world(world)
        course_world(world)
        mentoring_world(world)
        if "proposal" in name or "review-assignment" in name:
            proposal_world(world)
    return world


def walking_order(roles):
    """The extra personas walk last, the removed facilitator at the very end (see `enter`)."""
    return sorted(roles, key=lambda role: (role in EXTRA_ROLES, role == "removed_facilitator"))


def enter(world: dict, role: str):
    """Prepares the world for `role` as the matrix does (the other manager meets the whole cohorts
    world; removing the removed facilitator rewrites the sessions' facilitator) and returns its
    user. Rate-limit counters start afresh for each persona."""
    if role in EXTRA_ROLES:
        cohort_world(world)
    if role == "removed_facilitator" and not world.get("_removed"):
        remove_facilitator(world)
        world["_removed"] = True
    fresh_limits()
    return world[role]


def fresh_limits():
    """Rate-limit counters start afresh, so that a probe's next value reaches the view instead of
    the limit (a real store is left alone: the per-test prefix keeps it apart)."""
    if isinstance(cache, LocMemCache):
        cache.clear()


def resolve(value, world):
    return value(world) if callable(value) else value


def matrix_data(case, w: dict) -> dict:
    """The matrix's body for the route, with the world's objects filled in."""
    data = resolve(case.data, w) if callable(case.data) else case.data or {}
    return {key: resolve(value, w) for key, value in data.items()}


def url_for(name, case, world, **override) -> str:
    kwargs = {k: resolve(v, world) for k, v in case.kwargs.items()}
    kwargs.update(override)
    return reverse(name, kwargs=kwargs or None)


def client_for(case, user, lang="ar"):
    client = APIClient() if case.api else Client()
    if user is not None:
        if case.api:
            client.force_authenticate(user)
        else:
            client.force_login(user)
    # The cookie wins over a profile's saved language, as the language switcher's does.
    client.cookies["lang"] = lang
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = lang
    return client


def roles_answered(case, codes) -> list[str]:
    return walking_order([role for role in ALL_ROLES if case.code_for(role) in codes])


def _text(html: str) -> str:
    return unescape(_TAG.sub(" ", html))


def messages_of(response) -> list[str]:
    """The words a refusal says: the API's error message and field messages, allauth's messages,
    or on a page the form's error lists (else the text of the page's main part)."""
    content_type = response.get("Content-Type", "")
    body = response.content.decode("utf-8", "replace")
    if "json" in content_type:
        data = json.loads(body or "null")
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            error = data["error"]
            fields = [m for ms in (error.get("fields") or {}).values() for m in ms]
            return [error.get("message", ""), *fields]
        if isinstance(data, dict) and isinstance(data.get("errors"), list):
            return [e.get("message", "") for e in data["errors"]]
        return [json.dumps(data, ensure_ascii=False)]
    if "html" in content_type:
        items = [_text(li) for ul in _ERROR_ITEM.findall(body) for li in _LI.findall(ul)]
        if items:
            return items
        main = _MAIN.search(body)
        return [_text(main.group(1) if main else body)]
    return [body]


def problem(response, lang="ar") -> str | None:
    """Why this answer is not acceptable to a probe, or None: a 5xx, a database error in the body,
    or a 4xx whose words are not in the request's language."""
    status = response.status_code
    if status >= 500:
        return f"{status}"
    body = response.content.decode("utf-8", "replace") if not response.streaming else ""
    leaked = [word for word in LEAKS if word in body]
    if leaked:
        return f"{status} leaks {leaked}"
    if status < 400 or status in (405,):
        return None
    words = [m for m in messages_of(response) if m.strip()]
    if not words:
        return f"{status} without a message"
    if lang == "ar":
        english = [m[:80] for m in words if not ARABIC_LETTER.search(m)]
        if english:
            return f"{status} not in Arabic: {english}"
    else:
        arabic = [m[:80] for m in words if ARABIC_LETTER.search(m) and m.isascii() is False]
        arabic = [m for m in arabic if not _echoes_input(m)]
        if arabic:
            return f"{status} not in English: {arabic}"
    return None


def _echoes_input(message: str) -> bool:
    """An English message may quote Arabic the request itself carried (a name, a title)."""
    return bool(re.search(r"[A-Za-z]{3}", message))


def short(value) -> str:
    text = repr(value)
    return text if len(text) <= 24 else f"{text[:20]}…({len(str(value))})"
