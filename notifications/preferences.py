"""A person's choice per kind of notification, as the senders read it: no query of its own
beyond one small lookup, and never "off" for a kind that cannot be turned off."""

from . import kinds
from .models import Preference

Mode = Preference.Mode


def effective_mode(kind: kinds.Kind, mode: str) -> str:
    if mode == Mode.OFF and not kind.can_turn_off:
        return Mode.IMMEDIATE
    if mode == Mode.DIGEST and not kind.digestible:
        return Mode.IMMEDIATE
    return mode


def preference_of(user_id: int, kind: str) -> str:
    """The person's mode for a kind: their choice, or "immediate". KeyError for an unknown kind."""
    mode = (
        Preference.objects.filter(user_id=user_id, kind=kind).values_list("mode", flat=True).first()
        or Mode.IMMEDIATE
    )
    return effective_mode(kinds.get(kind), mode)
