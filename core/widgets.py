"""Widgets that render their HTML in Python. Django renders a select through one template per
option (and one more for each option's attributes): on a form with the eighteen governorates that
is most of the page's time. These produce the same markup as Django's templates."""

from django import forms
from django.utils.html import conditional_escape as escape
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """`forms.Select` with its options rendered in Python (same HTML), straight from its
    choices: Django's option dictionaries (one per option, with their attributes) cost the
    profile page as much as the rest of its form."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        chosen = set(self.format_value(value))
        # A single select marks its first matching option only, as Django's does.
        state = {"open": True}
        parts = [f'<select name="{escape(name)}"{_attrs(final_attrs)}>']
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):
                parts.append(f'<optgroup label="{escape(option_value)}">')
                parts.extend(self._option(v, sub, chosen, state) for v, sub in label)
                parts.append("</optgroup>")
            else:
                parts.append(self._option(option_value, label, chosen, state))
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above

    def _option(self, value, label, chosen, state) -> str:
        value = "" if value is None else str(value)
        selected = ""
        if value in chosen and (state["open"] or self.allow_multiple_selected):
            selected = " selected"
            state["open"] = False
        return f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>'


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
