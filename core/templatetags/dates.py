"""One date format per language for every page, export and e-mail.

`{{ value|when:"WEEKDAY_DATETIME_FORMAT" }}` formats with a named format of the active language's
module in config/formats/<language>/formats.py, which holds Django's standard names
(DATE_FORMAT, DATETIME_FORMAT...) and this project's extra ones; the Arabic module writes Iraqi
month names (through the catalogue) and the Arabic comma. Installed as a template builtin."""

from functools import lru_cache

from django import template
from django.utils import dateformat, formats, timezone, translation

register = template.Library()

EXTRA_FORMATS = ("WEEKDAY_DATETIME_FORMAT", "WEEKDAY_FULL_DATETIME_FORMAT", "DAY_TIME_FORMAT")


def named_format(name: str, language: str | None = None) -> str:
    """The format string called `name` in the language's format module."""
    if name not in EXTRA_FORMATS:
        return formats.get_format(name, lang=language)
    language = language or translation.get_language()
    for module in formats.get_format_modules(lang=language):
        value = getattr(module, name, None)
        if value:
            return value
    return formats.get_format("DATETIME_FORMAT", lang=language)


def format_when(value, name: str = "DATETIME_FORMAT", language: str | None = None) -> str:
    """Format a date or an aware datetime (in the current time zone) with a named format."""
    if value in (None, ""):
        return ""
    zone = timezone.get_current_timezone() if getattr(value, "tzinfo", None) else None
    active = translation.get_language()
    try:
        hash(value)
    except TypeError:  # not a date: formatted (or refused) as Django does
        return _format(value, name, language, active, zone)
    return _formatted(value, name, language, active, zone)


def _format(value, name, language, active, zone) -> str:
    """`active`, the active language, is the month names' catalogue: part of the cache key."""
    if zone is not None:
        value = timezone.localtime(value, zone)
    return dateformat.format(value, named_format(name, language))


# A page formats the same few moments on every request (a session's start, a due date), and
# Django's formatter looks up each lazy month and day name anew: the text is kept per value,
# format, language asked, active language (the month names' catalogue) and time zone.
_formatted = lru_cache(maxsize=4096)(_format)


@register.filter
def when(value, name: str = "DATETIME_FORMAT"):
    return format_when(value, name)
