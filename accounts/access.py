"""Whom a program manager may see: the plug-in point for the apps above accounts.

accounts comes first in the dependency order, so it cannot ask cohorts who belongs to which
cohort. cohorts registers `fn(manager) -> Q` over User here (in its AppConfig.ready()): the people
of the cohorts that manager runs. Staff see everyone; a program manager sees themselves and the
people the registered rules give; without any rule (accounts alone) managers see everyone."""

from collections.abc import Callable

from django.db.models import Q

_manager_scopes: list[Callable] = []


def register_manager_scope(fn: Callable) -> Callable:
    if fn not in _manager_scopes:
        _manager_scopes.append(fn)
    return fn


def manager_scope(manager) -> Q | None:
    """The condition over User for the people this manager may see, or None for everyone."""
    if not _manager_scopes:
        return None
    condition = Q(pk=manager.pk)
    for scope in _manager_scopes:
        condition |= scope(manager)
    return condition
