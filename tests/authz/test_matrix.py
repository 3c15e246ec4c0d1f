"""Walks every URL pattern and API route and checks each persona's status against MATRIX."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from notifications.models import Notification
from tests.authz.cases import ALL_ROLES
from tests.authz.matrix import ADMIN_NAMESPACE, MATRIX
from tests.cohorts.world import (
    add_other_manager,
    add_removed_facilitator,
    cohort_world,
    remove_facilitator,
)


def _named_routes(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            full = ":".join(filter(None, [namespace, inner])) if inner else namespace
            yield from _named_routes(pattern.url_patterns, full)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            yield namespace, (f"{namespace}:{name}" if namespace and name else name)


def test_every_route_is_in_the_matrix():
    routes = set()
    for namespace, name in _named_routes(get_resolver().url_patterns):
        if namespace == ADMIN_NAMESPACE:
            continue
        assert name, f"an unnamed route in namespace {namespace!r} cannot be checked"
        routes.add(name)
    missing = routes - set(MATRIX)
    stale = set(MATRIX) - routes
    assert not missing, f"routes missing from tests/authz/matrix.py: {sorted(missing)}"
    assert not stale, f"matrix rows for routes that no longer exist: {sorted(stale)}"


@pytest.fixture
def world(personas):
    outsider_notification = Notification.objects.create(
        recipient=personas["outsider"], kind="accounts.role_changed", params={"role": "trainee"}
    )
    w = {**personas, "outsider_notification": outsider_notification}
    return add_removed_facilitator(add_other_manager(w))


def _client_for(case, user):
    if case.api:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
    else:
        client = Client()
        if user is not None:
            client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", ALL_ROLES)
def test_route_answers_each_persona_as_the_matrix_says(name, role, world):
    case = MATRIX[name]
    if role == "other_manager":
        # The whole cohorts world exists, so that the other manager meets the people and
        # objects of cohorts they do not run (the outsider is a trainee of "elsewhere").
        cohort_world(world)
    if role == "removed_facilitator":
        remove_facilitator(world)
    kwargs = {k: (v(world) if callable(v) else v) for k, v in case.kwargs.items()}
    url = reverse(name, kwargs=kwargs or None)
    client = _client_for(case, world[role])
    if case.method == "get":
        response = client.get(url)
    else:
        response = getattr(client, case.method)(
            url,
            case.data(world)
            if callable(case.data)
            else {k: (v(world) if callable(v) else v) for k, v in (case.data or {}).items()},
            **({"format": "json"} if case.api else {}),
        )
    assert response.status_code == case.code_for(role), (
        f"{role} {case.method.upper()} {url}: got {response.status_code}, "
        f"matrix says {case.code_for(role)}"
    )


def _admin_urls():
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
    return urls


@pytest.mark.django_db
@pytest.mark.parametrize("role", ALL_ROLES)
def test_admin_is_for_staff_only(role, world):
    client = Client()
    if world[role] is not None:
        client.force_login(world[role])
    for url in _admin_urls():
        response = client.get(url)
        expected = 200 if role == "staff" else 302
        assert response.status_code == expected, f"{role} GET {url}: {response.status_code}"
        if expected == 302:
            assert response["Location"].startswith(reverse("admin:login"))
