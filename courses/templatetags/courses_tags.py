"""Template helpers of the course pages."""

from django import template

from courses.models import localized

register = template.Library()


@register.filter
def t(obj, field: str) -> str:
    """`{{ lesson|t:"summary" }}`: the English text on English pages when filled, else Arabic."""
    return localized(obj, field)
