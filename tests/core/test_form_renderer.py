"""Every form's widgets are written in Python by core.widgets.PythonWidgets (settings.FORM_RENDERER):
the same markup, character for character, as Django's templates, for every kind of widget and
state, and for every field of the project's forms; a widget it does not write still renders
through the templates."""

import hashlib
import importlib
import inspect
from datetime import date

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe

from core.widgets import INPUT, INPUT_TYPES, WRITERS, PythonWidgets

TEMPLATES = DjangoTemplates()
PYTHON = PythonWidgets()

# Django's templates these writers mirror, as they were when the writers were written: a new
# Django that changes one fails here, and the writer must be checked against it.
MIRRORED = {
    "input.html": "770cf3acba1c18b6",
    "attrs.html": "f729483efe44660f",
    "select.html": "ed4d11ce3784486f",
    "select_option.html": "37fa6c7742580aa3",
    "multiple_input.html": "8f111646a577d9ae",
    "input_option.html": "3f244d9fd96613d0",
    "checkbox_option.html": "536745b405ef3a7f",
    "radio_option.html": "536745b405ef3a7f",
    "textarea.html": "02fd58fa1a57514d",
    "checkbox_select.html": "fa86f6eaeaa6beb1",
    "radio.html": "fa86f6eaeaa6beb1",
}


def _source(name: str) -> str:
    return TEMPLATES.engine.get_template(name).template.source


def test_the_mirrored_templates_are_unchanged():
    changed = {
        name: hashlib.sha256(_source(f"django/forms/widgets/{name}").encode()).hexdigest()[:16]
        for name in MIRRORED
    }
    assert changed == MIRRORED
    for kind in INPUT_TYPES:
        assert _source(f"django/forms/widgets/{kind}.html").strip() == (
            '{% include "' + INPUT + '" %}'
        ), kind
    assert len(WRITERS) == len(INPUT_TYPES) + 4


class EveryWidget(forms.Form):
    name = forms.CharField(max_length=20, widget=forms.TextInput(attrs={"dir": "auto"}))
    email = forms.EmailField()
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True))
    count = forms.IntegerField(min_value=0, max_value=9)
    ratio = forms.DecimalField(max_digits=4, decimal_places=2, required=False)
    link = forms.URLField(required=False, assume_scheme="https")
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), required=False)
    phone = forms.CharField(widget=forms.TextInput(attrs={"type": "tel"}), required=False)
    token = forms.CharField(widget=forms.HiddenInput)
    agree = forms.BooleanField(required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    colour = forms.ChoiceField(choices=[("", "---"), ("r", "Red & <b>"), ("g", "أخضر")])
    grouped = forms.ChoiceField(
        choices=[("Warm", [("r", "Red"), ("o", "Orange")]), ("Cold", [("b", "Blue")]), ("x", "X")]
    )
    numbers = forms.TypedChoiceField(choices=[(1, "One"), (2, 2)], coerce=int)
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    topics = forms.MultipleChoiceField(
        choices=[("a", "A <i>"), ("b", "ب")],
        widget=forms.CheckboxSelectMultiple(attrs={"class": "chips"}),
    )
    grouped_boxes = forms.MultipleChoiceField(
        choices=[("G", [("a", "A"), ("b", "B")]), ("c", "C")],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    mode = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)
    upload = forms.FileField(required=False, widget=forms.FileInput(attrs={"accept": ".pdf"}))
    safe_label = forms.ChoiceField(choices=[("s", mark_safe("<b>bold</b>"))])


VALUES = {
    "empty": {},
    "filled": {
        "name": 'He said "hi" & <left>',
        "email": "a@b.org",
        "secret": "p<w>",
        "count": "7",
        "ratio": "1.5",
        "when": "2026-12-04",
        "token": "t&t",
        "agree": "on",
        "notes": "line one\n<script>alert(1)</script>",
        "colour": "r",
        "grouped": "o",
        "numbers": "2",
        "many": ["a", "c"],
        "topics": ["a", "b"],
        "grouped_boxes": ["b"],
        "mode": "y",
        "safe_label": "s",
    },
    "wrong": {"count": "x", "colour": "nope", "mode": "z", "many": ["q"], "when": "soon"},
}


def _render_all(form, renderer):
    form.renderer = renderer
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("case", ["unbound", "initial", "no ids", *VALUES])
def test_every_widget_is_written_as_the_templates_write_it(case, language):
    with translation.override(language):
        if case == "unbound":
            make = EveryWidget
        elif case == "initial":
            initial = {"name": "x", "when": date(2026, 1, 2), "many": ["b"], "agree": True}
            make = lambda: EveryWidget(initial=initial)  # noqa: E731
        elif case == "no ids":
            make = lambda: EveryWidget(data=VALUES["filled"], auto_id=False)  # noqa: E731
        else:
            make = lambda: EveryWidget(data=VALUES[case])  # noqa: E731
        python, templates = _render_all(make(), PYTHON), _render_all(make(), TEMPLATES)
    assert python == templates
    assert "<script>" not in "".join(python.values())


def test_a_widget_it_does_not_write_renders_through_the_templates():
    class Other(forms.Form):
        day = forms.DateField(widget=forms.SelectDateWidget(years=[2026]))
        both = forms.SplitDateTimeField()

    python, templates = _render_all(Other(), PYTHON), _render_all(Other(), TEMPLATES)
    assert python == templates
    assert "<select" in python["day"]


def _project_forms():
    found = []
    for app in ("accounts", "cohorts", "core", "courses", "mentoring", "proposals"):
        module = importlib.import_module(f"{app}.forms")
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found.append(value)
    return found


@pytest.mark.django_db
def test_every_field_of_the_projects_forms():
    rendered = 0
    for form_class in _project_forms():
        try:
            python_form, template_form = form_class(), form_class()
        except TypeError:
            continue  # needs arguments (a cohort, a person): covered by the pages' own tests
        python, templates = _render_all(python_form, PYTHON), _render_all(template_form, TEMPLATES)
        assert python == templates, form_class
        rendered += len(python)
    assert rendered >= 20


def test_the_settings_use_it():
    assert settings.FORM_RENDERER == "core.widgets.PythonWidgets"
    assert isinstance(forms.Form().renderer, PythonWidgets)
