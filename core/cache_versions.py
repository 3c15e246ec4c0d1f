"""Versions kept in the cache (the unread badge's per person, the courses' structure): an entry
is stored with the version it was read at and used only while that version is current, so moving
the version on leaves every older entry behind. Cache errors are the caller's to handle (each
logs them and reads the database instead)."""

import secrets

from django.core.cache import cache


def fresh_version() -> int:
    # Random, not 1: a version lost from the cache (evicted, restarted) must not come back as
    # one an entry was stored under before.
    return secrets.randbits(52)


def current_version(key: str, found: dict) -> int:
    """The version under `key` as `found` (a get_many answer asked for it) holds it, or a fresh
    one added now (when another process adds one first, theirs)."""
    version = found.get(key)
    if version is None:
        version = fresh_version()
        if not cache.add(key, version, timeout=None):
            version = cache.get(key, version)
    return version


def move_version(key: str) -> None:
    """Move the version under `key` on."""
    try:
        cache.incr(key)
    except ValueError:  # no version yet (or lost): any fresh one leaves old entries behind
        cache.set(key, fresh_version(), timeout=None)
