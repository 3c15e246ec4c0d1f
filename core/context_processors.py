"""Values every page of the shell needs: direction and the other language. Apps add their own
(e.g. notifications' unread count) with context processors of their own."""

from django.utils import translation


def shell(request):
    language = translation.get_language() or "ar"
    other = "en" if language.startswith("ar") else "ar"
    return {
        "page_dir": "rtl" if translation.get_language_bidi() else "ltr",
        "other_language": other,
        # Each language is offered in its own name, as people look for it.
        "other_language_name": "English" if other == "en" else "العربية",
    }
