"""PlainSelect renders the same HTML as Django's template-rendered Select."""

import re

import pytest
from django import forms
from django.utils.safestring import mark_safe

from accounts.forms import ProfileForm
from core.widgets import PlainNumberInput, PlainSelect, PlainTextInput

pytestmark = pytest.mark.django_db


def _tight(html: str) -> str:
    return re.sub(r">\s+<", "><", str(html)).strip()


@pytest.mark.parametrize(
    "value, attrs",
    [
        (None, {}),
        ("b", {"required": True, "dir": "auto"}),
        ("<x>", {"disabled": False, "aria-describedby": "a&b"}),
        (7, {}),
        ("", {}),
    ],
)
def test_plain_select_matches_django_select(value, attrs):
    choices = [
        ("", "---"),
        ("a", "Alpha"),
        ("b", "Bēta <b>"),
        ("<x>", '"quoted"'),
        ("b", "The same value again"),
        ("s", mark_safe("<em>safe</em>")),
        (None, "None"),
        (7, "A number"),
    ]
    grouped = [*choices, ("Group & co", [("g1", "One"), ("g2", "Two")])]
    for options in (choices, grouped):
        expected = forms.Select(choices=options).render(
            "field", value, attrs={"id": "id_f", **attrs}
        )
        got = PlainSelect(choices=options).render("field", value, attrs={"id": "id_f", **attrs})
        assert _tight(got) == _tight(expected)


def test_profile_form_renders_its_selects_in_python(trainee):
    form = ProfileForm(instance=trainee)
    assert isinstance(form.fields["governorate"].widget, PlainSelect)
    html = str(form["governorate"])
    assert html.count("<option") == len(list(form.fields["governorate"].choices))
    assert f'value="{trainee.governorate}" selected' in html or not trainee.governorate


@pytest.mark.parametrize("value", [None, "", 'ab<c>&"', 1990])
def test_plain_inputs_match_django_inputs(value):
    attrs = {"id": "id_f", "required": True, "dir": "ltr", "maxlength": "20", "disabled": False}
    for plain, django_widget in (
        (PlainTextInput, forms.TextInput),
        (PlainNumberInput, forms.NumberInput),
    ):
        expected = django_widget().render("field", value, attrs=attrs)
        widget = plain()
        assert _tight(widget.render("field", value, attrs=attrs)) == _tight(expected)
    tel = PlainTextInput()
    tel.input_type = "tel"
    assert tel.render("phone", "07", attrs={}) == '<input type="tel" name="phone" value="07">'
