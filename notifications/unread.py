"""The unread count of a person's notifications, for the badge on every signed-in page, kept in
the cache so that a page shown again reads no row for it.

The count is stored per person with the version it was counted at, beside the person's version
(both read in one round trip); every change to the person's unread notifications moves the
version on (`changed`), so the next page counts again from the database. The version moves at
once and again after the transaction commits: a page counting in between may see the rows as
they were and store that under the new version, which the second move leaves behind. A page
reads the version before it counts, so a count stored late is stored under a version already
left. The writers that call `changed`:

- a notification saved (`notify()`, the admin, any `.save()`/`.create()`): `post_save`, below,
  for its recipient and, when it was given to someone else, the former one;
- notifications marked read (`services.mark_read`, the inbox and the API) and deleted in the
  admin (`admin.NotificationAdmin`);
- rows written in bulk (`bulk_create`, `.update()`, `.delete()` on a queryset) call it
  themselves: the bench fixture does. The purge of old *read* notifications leaves every
  unread count as it was and calls nothing.

A count is kept for a while only (`TTL`), so a cache that failed to take a change cannot show a
wrong badge for long; a cache that cannot be reached costs the query, never the page."""

import logging

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import post_save
from django.utils.functional import LazyObject, empty

from core.cache_versions import current_version, move_version

from .models import Notification

logger = logging.getLogger(__name__)

# Part of every key: changing how the count is stored changes this, and old entries are ignored.
SCHEMA = 2
TTL = 10 * 60


def _version_key(user_id) -> str:
    return f"notifications:unread:{SCHEMA}:version:{user_id}"


def _count_key(user_id) -> str:
    # Holds (version, identity, count): read with the version in one round trip, and used only
    # when its version is the current one and it was counted for this very account.
    return f"notifications:unread:{SCHEMA}:count:{user_id}"


def _identity(user):
    """Who the account is beyond its id: when it joined. A test database rolled back (SQLite)
    hands the same id to the next test's person, whose badge must not read the first one's count.
    None when the account was read without it (then the count is not cached)."""
    if isinstance(user, LazyObject):  # request.user
        user = user._wrapped
    joined = None if user is empty else user.__dict__.get("date_joined")
    return None if joined is None else joined.isoformat()


def count(user) -> int:
    """The number of the person's unread notifications (0 for a visitor)."""
    if not user.is_authenticated:
        return 0
    identity = _identity(user)
    if identity is None:
        return Notification.objects.for_recipient(user).unread().count()
    version_key, count_key = _version_key(user.pk), _count_key(user.pk)
    try:
        found = cache.get_many([version_key, count_key])
        version = current_version(version_key, found)
        stored = found.get(count_key)
    except Exception:
        logger.exception("Could not read the unread count of person %s from the cache", user.pk)
        return Notification.objects.for_recipient(user).unread().count()
    if isinstance(stored, tuple) and len(stored) == 3 and stored[:2] == (version, identity):
        return stored[2]
    # Counted after the version was read: if the version moves on meanwhile, this count is
    # stored under the old one and no page will use it.
    value = Notification.objects.for_recipient(user).unread().count()
    try:
        cache.set(count_key, (version, identity, value), timeout=TTL)
    except Exception:
        logger.exception("Could not store the unread count of person %s", user.pk)
    return value


def _move(user_ids) -> None:
    for user_id in user_ids:
        try:
            move_version(_version_key(user_id))
        except Exception:
            logger.exception("Could not move the unread count of person %s on", user_id)


def changed(*user_ids, using: str = DEFAULT_DB_ALIAS) -> None:
    """The unread notifications of these people changed (or may have): their next page counts
    again. Call it from every code path that creates notifications, marks them read or unread,
    deletes them or gives them to another person."""
    ids = {pk for pk in user_ids if pk is not None}
    if not ids:
        return
    _move(ids)
    if connections[using].in_atomic_block:
        transaction.on_commit(lambda: _move(ids), using=using)


def _saved(sender, instance, using=DEFAULT_DB_ALIAS, **kwargs):
    # The former recipient too, when the row was loaded for someone else (Notification.from_db).
    changed(instance.recipient_id, getattr(instance, "_loaded_recipient_id", None), using=using)
    instance._loaded_recipient_id = instance.recipient_id


def connect() -> None:
    """Called once, from the app's ready()."""
    post_save.connect(_saved, sender=Notification, dispatch_uid="notifications.unread.saved")
