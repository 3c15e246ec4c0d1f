"""The panels of the signed-in home page, composed by the apps that own them.

`core` knows no app of ours: each app registers its own panels, and the home view asks this
registry which panels to show to the person signed in, in order.

Adding a panel
--------------
1. In your app, write a collect function ``collect(request) -> dict | None``. It returns the
   template context of the panel, or ``None`` to hide the panel for this person. Keep it cheap:
   a fixed, small number of queries whatever the person's data (no query per row), and hand the
   template plain values (no per-row includes or tags in loops). Read stored figures (course
   snapshots, tallies) rather than computing them; the home page is the most visited page.
2. Write its template, e.g. ``templates/<app>/home_panel.html``: a ``<section class="panels">``
   with an ``<h2>``; it loads the tag libraries it uses. It is rendered within the page's
   context (``request``, ``user``, ``LANGUAGE_CODE``) with the collected values on top.
3. Register it from your ``AppConfig.ready()``::

       from core import home
       home.register_panel(
           "courses", order=10, template="courses/home_panel.html",
           collect=home_panels.my_courses, audience=home.everyone,
       )

   ``order`` sorts the panels (lower first; the built-in ones use 10, 20, ...; leave gaps).
   ``audience`` is a predicate on the signed-in user (``home.everyone``, or e.g.
   ``lambda user: user.can_manage()``); the collect function is not called for people outside
   it. ``key`` is unique: registering the same key again replaces the panel (safe on reload).
4. Add a test that the panel shows for its audience, hides for the others, and update the home
   page's query budget in the tests (tests/courses/test_views.py, tests/cohorts/test_views.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def everyone(user) -> bool:
    """Every signed-in person."""
    return True


@dataclass(frozen=True)
class Panel:
    key: str
    order: int
    template: str
    collect: Callable[[Any], dict | None]
    audience: Callable[[Any], bool] = everyone


@dataclass(frozen=True)
class ShownPanel:
    key: str
    template: str
    context: dict


_PANELS: dict[str, Panel] = {}


def register_panel(
    key: str,
    *,
    order: int,
    template: str,
    collect: Callable[[Any], dict | None],
    audience: Callable[[Any], bool] = everyone,
) -> None:
    """Register (or replace) the home panel `key`; see the module docstring."""
    _PANELS[key] = Panel(key, order, template, collect, audience)


def unregister_panel(key: str) -> None:
    _PANELS.pop(key, None)


def registered() -> list[Panel]:
    return sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.key))


def panels_for(request) -> list[ShownPanel]:
    """The panels the signed-in person sees, in order, each with its collected context."""
    user = request.user
    if not user.is_authenticated:
        return []
    shown = []
    for panel in registered():
        if not panel.audience(user):
            continue
        context = panel.collect(request)
        if context is not None:
            shown.append(ShownPanel(panel.key, panel.template, context))
    return shown
