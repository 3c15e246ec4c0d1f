"""The kinds of notification. Each app registers its own at import time (in its apps.ready or
services module); texts are lazy so that they render in the recipient's language."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Kind:
    key: str
    title: Promise | str
    body: Promise | str
    # Turns stored parameters (plain JSON) into display values in the active language, e.g. a
    # role code into its translated label.
    prepare: Callable[[dict], dict] | None = None
    # Delivery defaults of the kind: whether a person may turn it off (safety-critical messages,
    # such as a cancelled session, cannot be), whether it may wait for the daily digest, and the
    # channels it goes out on unless the person chose otherwise.
    can_turn_off: bool = True
    digestible: bool = True
    channels: tuple[str, ...] = ("inapp", "email")

    def render(self, params: dict) -> tuple[str, str]:
        """Title and body in the active language; missing parameters never crash a send."""
        params = dict(params or {})
        if self.prepare is not None:
            params.update({k: str(v) for k, v in self.prepare(params).items()})
        safe = _Defaulting(params)
        return str(self.title) % safe, str(self.body) % safe


class _Defaulting(dict):
    def __missing__(self, key):
        return ""


_REGISTRY: dict[str, Kind] = {}


def register(
    key: str,
    *,
    title,
    body,
    prepare=None,
    can_turn_off: bool = True,
    digestible: bool = True,
    channels: tuple[str, ...] = ("inapp", "email"),
) -> Kind:
    kind = Kind(
        key=key,
        title=title,
        body=body,
        prepare=prepare,
        can_turn_off=can_turn_off,
        digestible=digestible,
        channels=tuple(channels),
    )
    _REGISTRY[key] = kind
    return kind


def register_kind(kind: Kind) -> Kind:
    """Register a Kind declared in an app's `notifications.py`, keeping all its defaults."""
    _REGISTRY[kind.key] = kind
    return kind


def register_all(declared) -> None:
    """Register every Kind an app declares (its `notifications.KINDS`), from `ready()`."""
    for kind in declared:
        register_kind(kind)


def get(key: str) -> Kind:
    return _REGISTRY[key]


def registered() -> dict[str, Kind]:
    return dict(_REGISTRY)


def localized(params: dict, key: str) -> str:
    """A stored bilingual parameter in the active language: `key` holds the Arabic text and
    `key_en` the optional English one, which English readers get when it is there."""
    from django.utils import translation

    if (translation.get_language() or "").startswith("en") and params.get(f"{key}_en"):
        return params[f"{key}_en"]
    return params.get(key, "")
