"""Bilingual fields: Arabic in `<field>`, the optional English in `<field>_en`; lists written in
the active language."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext


def localized(obj, field: str, language: str | None = None) -> str:
    """`obj.<field>_en` on English pages when it is filled in, else the Arabic `obj.<field>`."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language.startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


def join_list(items) -> str:
    """Items listed in the active language: «، » between them in Arabic, ", " in English."""
    return gettext(", ").join(str(item) for item in items)
