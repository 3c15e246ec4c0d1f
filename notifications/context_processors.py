"""The unread count of the signed-in person's notifications, for the badge in the navigation."""

import functools

from . import unread as counts


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    # A callable the template calls only where it shows the badge, cached so that a page which
    # shows it twice reads it once; the count itself is kept in the cache (notifications.unread).
    return {"unread_notifications": functools.cache(functools.partial(counts.count, user))}
