"""Widgets that render their HTML in Python. Django renders a select through one template per
option (and one more for each option's attributes): on a form with the eighteen governorates that
is most of the page's time. These produce the same markup as Django's templates."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """`forms.Select` with its options rendered in Python (same HTML)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        '<option value="{}"{}>{}</option>',
                        "" if option["value"] is None else str(option["value"]),
                        _attrs(option["attrs"]),
                        str(option["label"]),
                    )
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))


class _PlainInput:
    """An input rendered in Python (the HTML of django/forms/widgets/input.html)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value_attr = (
            "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
        )
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            widget["type"],
            widget["name"],
            value_attr,
            _attrs(widget["attrs"]),
        )


class PlainTextInput(_PlainInput, forms.TextInput):
    pass


class PlainNumberInput(_PlainInput, forms.NumberInput):
    pass


class PlainEmailInput(_PlainInput, forms.EmailInput):
    pass


_PLAIN_INPUTS = {
    forms.TextInput: PlainTextInput,
    forms.NumberInput: PlainNumberInput,
    forms.EmailInput: PlainEmailInput,
}


def plain_selects(form) -> None:
    """Swap the form's plain `forms.Select` and text, number and e-mail inputs for their
    Python-rendered twins, keeping attributes, input type and choices."""
    for field in form.fields.values():
        widget = field.widget
        if type(widget) is forms.Select:
            plain = PlainSelect(attrs=widget.attrs)
            plain.choices = getattr(field, "choices", widget.choices)
        elif type(widget) in _PLAIN_INPUTS:
            plain = _PLAIN_INPUTS[type(widget)](attrs=widget.attrs)
            plain.input_type = widget.input_type
        else:
            continue
        plain.is_required = widget.is_required
        field.widget = plain


def _attrs(attrs: dict) -> str:
    """Attributes in their order, as django/forms/widgets/attrs.html writes them: True as the
    bare name, False left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )
