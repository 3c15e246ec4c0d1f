"""`{% form_fields %}` and `{% field_block %}` write in Python what the templates
includes/form_fields.html and includes/field.html wrote with one include per field: the same
HTML (up to the white space between tags) for every kind of field, state and language."""

import re

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from accounts.forms import ProfileForm
from core.widgets import plain_selects

# The templates as they were, kept here as the reference.
FIELD_TEMPLATE = '<div class="field{% if field.errors %} invalid{% endif %}">\n  {% if field.widget_type == "checkbox" %}\n    {{ field }} <label for="{{ field.id_for_label }}">{{ field.label }}</label>\n  {% else %}\n    <label for="{{ field.id_for_label }}">{{ field.label }}{% if field.field.required %} <span aria-hidden="true">*</span>{% endif %}</label>\n    {{ field }}\n  {% endif %}\n  {% if field.help_text %}<small class="help" id="{{ field.auto_id }}_helptext">{{ field.help_text|safe }}</small>{% endif %}\n  {% for error in field.errors %}<p class="error" role="alert">{{ error }}</p>{% endfor %}\n</div>\n'
FORM_FIELDS_TEMPLATE = '{% for error in form.non_field_errors %}<p class="error" role="alert">{{ error }}</p>{% endfor %}\n{% for field in form.hidden_fields %}{{ field }}{% endfor %}\n{% for field in form.visible_fields %}{% include "includes/field.html" %}{% endfor %}\n'.replace(
    '{% include "includes/field.html" %}', FIELD_TEMPLATE
)


class EveryKind(forms.Form):
    name = forms.CharField(label="Name <b>", help_text="Your <em>full</em> name", max_length=20)
    age = forms.IntegerField(required=False, min_value=1)
    agree = forms.BooleanField(label="I agree & accept")
    colour = forms.ChoiceField(choices=[("r", "Red"), ("g", "Green & <blue>")])
    topics = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple, required=False
    )
    mode = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect)
    notes = forms.CharField(widget=forms.Textarea, required=False, label="ملاحظات")
    when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)
    changed = forms.CharField(required=False, show_hidden_initial=True, initial="a")

    def clean(self):
        raise forms.ValidationError("The whole form <is> wrong.")


class NoIds(EveryKind):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, auto_id=False, **kwargs)


def _squeeze(html) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


def _both(form):
    context = {"form": form}
    old = Template(FORM_FIELDS_TEMPLATE).render(Context(context))
    new = Template("{% load form_fields %}{% form_fields form %}").render(Context(context))
    return _squeeze(old), _squeeze(new)


def _plain(form):
    plain_selects(form)
    return form


FORMS = {
    "unbound": lambda: EveryKind(),
    "bound with errors": lambda: EveryKind(
        data={"name": "x" * 30, "age": "-1", "colour": "nope", "mode": "y", "token": "t<"}
    ),
    "without ids": lambda: NoIds(data={"name": "ok"}),
    "python widgets": lambda: _plain(EveryKind(data={"name": "<script>", "colour": "g"})),
}


@pytest.mark.parametrize("language", ["ar", "en"])
@pytest.mark.parametrize("case", list(FORMS))
def test_the_tag_writes_what_the_templates_wrote(case, language):
    with translation.override(language):
        form = FORMS[case]()
        if form.is_bound:
            form.is_valid()
        old, new = _both(form)
    assert new == old
    assert "<script>" not in new
    assert 'class="field' in new


def test_one_field_block_is_the_field_template():
    form = EveryKind(data={"agree": ""})
    form.is_valid()
    for field in form.visible_fields():
        context = {"field": field}
        old = Template(FIELD_TEMPLATE).render(Context(context))
        new = Template("{% load form_fields %}{% field_block field %}").render(Context(context))
        assert _squeeze(new) == _squeeze(old), field.name


@pytest.mark.django_db
def test_the_profile_form_of_a_person(django_user_model):
    person = django_user_model.objects.create_user(
        email="p@example.org", password="x-long-password-1", full_name="علي <حسن>"
    )
    for data in (None, {"full_name": "", "birth_year": "abc", "phone": "٠٧٧"}):
        form = ProfileForm(data, instance=person)
        if form.is_bound:
            assert not form.is_valid()
        old, new = _both(form)
        assert new == old
        assert "&lt;حسن&gt;" in new or data
