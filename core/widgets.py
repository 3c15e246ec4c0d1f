"""Widgets that render their HTML in Python. Django renders a select through one template per
option (and one more for each option's attributes): on a form with the eighteen governorates that
is most of the page's time. These produce the same markup as Django's templates."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.markup import esc as escape


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
        return mark_safe(_input(self.get_context(name, value, attrs)["widget"]))  # noqa: S308


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
    bare name, False left out, every name and value escaped."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {escape(name)}")
        else:
            parts.append(f' {escape(name)}="{escape(value)}"')
    return "".join(parts)


# --- Every form's widgets (settings.FORM_RENDERER) ----------------------------------------------
# Django renders a widget through templates: an input is three of them (its type's, input.html and
# attrs.html), and a list of checkboxes or a select one more set per option, so a form with a few
# lists of topics, languages or time slots spent most of its page there. The renderer below
# writes the widgets below in Python from the same context Django builds (`get_context`), the
# markup of Django's templates character for character (tests/core/test_form_renderer.py compares
# both for every kind, and checks that those templates are still the ones these mirror). Any
# other template, or an option template of a custom widget, renders through the templates.

INPUT = "django/forms/widgets/input.html"
INPUT_TYPES = [
    "text",
    "checkbox",
    "color",
    "date",
    "datetime",
    "email",
    "file",
    "hidden",
    "number",
    "password",
    "search",
    "tel",
    "time",
    "url",
]
SELECT_OPTION = "django/forms/widgets/select_option.html"
INPUT_OPTIONS = (
    "django/forms/widgets/checkbox_option.html",
    "django/forms/widgets/radio_option.html",
)


def _input(widget) -> str:
    value = widget["value"]
    value_attr = "" if value is None else f' value="{escape(value)}"'
    return (
        f'<input type="{escape(widget["type"])}" name="{escape(widget["name"])}"'
        f"{value_attr}{_attrs(widget['attrs'])}>"
    )


def _select(widget) -> str | None:
    parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{escape(group_name)}">')
        for option in options:
            if option["template_name"] != SELECT_OPTION:
                return None
            # Each option's template ends with a line break, which the select keeps.
            parts.append(
                f'\n  <option value="{escape(option["value"])}"{_attrs(option["attrs"])}>'
                f"{escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _multiple_input(widget) -> str | None:
    attrs = widget["attrs"]
    id_attr = f' id="{escape(attrs["id"])}"' if attrs.get("id") else ""
    class_attr = f' class="{escape(attrs["class"])}"' if attrs.get("class") else ""
    parts = [f"<div{id_attr}{class_attr}>"]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(f"\n  <div><label>{escape(group)}</label>")
        for option in options:
            if option["template_name"] not in INPUT_OPTIONS:
                return None
            # input.html, input_option.html and the option's template each end with a line
            # break, which the list keeps.
            html = f"{_input(option)}\n"
            if option["wrap_label"]:
                option_id = option["attrs"].get("id")
                label_for = f' for="{escape(option_id)}"' if option_id else ""
                html = f"<label{label_for}>{html} {escape(option['label'])}</label>"
            parts.append(f"<div>\n    {html}\n\n</div>")
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


def _textarea(widget) -> str:
    value = escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
    )


WRITERS = {f"django/forms/widgets/{kind}.html": _input for kind in INPUT_TYPES}
WRITERS["django/forms/widgets/select.html"] = _select
WRITERS["django/forms/widgets/checkbox_select.html"] = _multiple_input
WRITERS["django/forms/widgets/radio.html"] = _multiple_input
WRITERS["django/forms/widgets/textarea.html"] = _textarea


class PythonWidgets(DjangoTemplates):
    """Django's default form renderer, with the common widgets written in Python."""

    def render(self, template_name, context, request=None):
        writer = WRITERS.get(template_name)
        html = writer(context["widget"]) if writer is not None else None
        if html is None:
            return super().render(template_name, context, request)
        return html
