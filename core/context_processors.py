"""Values every page of the shell needs: direction, the other language, navigation."""

import functools

from django.utils import translation


def shell(request):
    language = translation.get_language() or "ar"
    other = "en" if language.startswith("ar") else "ar"
    return {
        "page_dir": "rtl" if translation.get_language_bidi() else "ltr",
        "other_language": other,
        # Each language is offered in its own name, as people look for it.
        "other_language_name": "English" if other == "en" else "العربية",
        "unread_notifications": _unread(request),
    }


def _unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    from notifications.models import Notification

    # A callable the template calls only where it shows the badge, cached so that a page which
    # shows it twice still runs one query.
    return functools.cache(Notification.objects.for_recipient(user).unread().count)
