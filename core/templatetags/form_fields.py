"""A form's fields rendered in Python: `{% form_fields form %}` (the errors of the whole form, its
hidden fields, then each visible field) and `{% field_block field %}` (one field: its label, the
widget, help and errors). The same HTML the templates `includes/form_fields.html` and
`includes/field.html` wrote with one include per field, which cost a form page more than the rest
of what it renders; both templates now call these tags, so every form keeps its markup.

A form class that says `same_html_when_blank = True` (its fields, choices, labels and help are
the same for everyone: no per-person choices, no field initial computed on each call) is
rendered once per language, prefix and initial values while it is blank (unbound), then reused:
a page offering several empty forms, such as a mentorship's, rendered all their widgets on every
request. A bound form (errors, values typed) is always rendered afresh."""

from collections import OrderedDict

from django import template
from django.utils import translation
from django.utils.safestring import mark_safe

from core.markup import esc as escape

register = template.Library()


def field_html(field) -> str:
    """One bound field as `includes/field.html` writes it."""
    invalid = " invalid" if field.errors else ""
    parts = [f'<div class="field{invalid}">']
    label_for = escape(field.id_for_label)
    if field.widget_type == "checkbox":
        parts.append(f'{field} <label for="{label_for}">{escape(field.label)}</label>')
    else:
        required = ' <span aria-hidden="true">*</span>' if field.field.required else ""
        parts.append(f'<label for="{label_for}">{escape(field.label)}{required}</label>')
        parts.append(str(field))
    if field.help_text:
        # The template marked help texts safe: they are the project's own strings.
        helptext_id = f"{escape(field.auto_id)}_helptext"
        parts.append(f'<small class="help" id="{helptext_id}">{field.help_text}</small>')
    parts.extend(f'<p class="error" role="alert">{escape(error)}</p>' for error in field.errors)
    parts.append("</div>")
    # Line breaks where the template had them: between inline elements they are the space a
    # browser shows.
    return "\n".join(parts)


@register.simple_tag
def field_block(field):
    return mark_safe(field_html(field))  # noqa: S308 - every value is escaped in field_html


BLANK_KEPT = 256  # blank forms' HTML kept per process, the least recently used dropped first
_blank: OrderedDict[tuple, str] = OrderedDict()


def _blank_key(form) -> tuple | None:
    if form.is_bound or not getattr(type(form), "same_html_when_blank", False):
        return None
    initial = tuple(sorted((name, repr(value)) for name, value in form.initial.items()))
    return (type(form), form.prefix, form.auto_id, translation.get_language(), initial)


def fields_html(form) -> str:
    parts = [f'<p class="error" role="alert">{escape(e)}</p>' for e in form.non_field_errors()]
    parts.extend(str(field) for field in form.hidden_fields())
    parts.extend(field_html(field) for field in form.visible_fields())
    return "\n".join(parts)


@register.simple_tag
def form_fields(form):
    key = _blank_key(form)
    if key is None:
        return mark_safe(fields_html(form))  # noqa: S308 - every value is escaped in it
    html = _blank.get(key)
    if html is None:
        html = _blank[key] = fields_html(form)
        if len(_blank) > BLANK_KEPT:
            _blank.popitem(last=False)
    else:
        _blank.move_to_end(key)
    return mark_safe(html)  # noqa: S308 - rendered by fields_html, every value escaped


def forget() -> None:
    """Drop every kept blank form (tests that change translations or settings at run time)."""
    _blank.clear()
