"""Whom a program manager may see: the plug-in point for the apps above accounts.

accounts comes first in the dependency order, so it cannot ask cohorts who belongs to which
cohort. cohorts registers `fn(manager) -> Q` over User here (in its AppConfig.ready()): the people
of the cohorts that manager runs. Staff see everyone; a program manager sees themselves and the
people the registered rules give; without any rule (accounts alone) managers see everyone.

A rule reads the manager's id in its SQL only, and otherwise only their role, staff flags and
whether they are active: a list may compile it once for every manager of a kind (core.compiled),
with the rules themselves (`manager_scopes`) in its key."""

from collections.abc import Callable

from django.db.models import Q

_manager_scopes: list[Callable] = []


def register_manager_scope(fn: Callable) -> Callable:
    if fn not in _manager_scopes:
        _manager_scopes.append(fn)
    return fn


def manager_scopes() -> tuple:
    """The registered rules, for the key of a compiled query that applies them (core.compiled):
    one registered later (a test's) compiles the query anew."""
    return tuple(_manager_scopes)


def manager_scope(manager) -> Q | None:
    """The condition over User for the people this manager may see, or None for everyone."""
    if not _manager_scopes:
        return None
    condition = Q(pk=manager.pk)
    for scope in _manager_scopes:
        condition |= scope(manager)
    return condition
