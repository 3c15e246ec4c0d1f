"""Bilingual fields: Arabic in `<field>`, the optional English in `<field>_en`."""

from django.conf import settings
from django.utils import translation


def localized(obj, field: str, language: str | None = None) -> str:
    """`obj.<field>_en` on English pages when it is filled in, else the Arabic `obj.<field>`."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    if language.startswith("en"):
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)
