"""Blank forms rendered once (core.templatetags.form_fields): a form class that says its blank
HTML is the same for everyone is rendered once per language, prefix and initial values while it
is unbound; the HTML is the one rendered afresh, a bound form (typed values, errors) is never
taken from what was kept, and other forms are never kept."""

import pytest
from django import forms
from django.utils import translation

from core.templatetags import form_fields
from mentoring.forms import FitForm, GoalForm, MeetingForm, WeightsForm
from proposals.forms import (
    AttachmentForm,
    CommentForm,
    DecisionForm,
    InviteForm,
    MilestoneForm,
    NoteForm,
)


class _Kept(forms.Form):
    same_html_when_blank = True
    name = forms.CharField(label="name", max_length=20)
    size = forms.IntegerField(label="size", min_value=0)


class _NotKept(forms.Form):
    name = forms.CharField(label="name", max_length=20)


@pytest.fixture(autouse=True)
def _fresh():
    form_fields.forget()
    yield
    form_fields.forget()


@pytest.mark.parametrize(
    "form_class",
    [
        FitForm,
        GoalForm,
        MeetingForm,
        WeightsForm,
        AttachmentForm,
        CommentForm,
        DecisionForm,
        InviteForm,
        MilestoneForm,
        NoteForm,
        _Kept,
    ],
)
@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_kept_blank_form_is_the_html_rendered_afresh(form_class, language):
    with translation.override(language):
        first = str(form_fields.form_fields(form_class()))
        again = str(form_fields.form_fields(form_class()))
        assert first == again == form_fields.fields_html(form_class())
    assert len(form_fields._blank) == 1


def test_each_language_prefix_and_initial_has_its_own_html():
    with translation.override("ar"):
        arabic = str(form_fields.form_fields(FitForm()))
    with translation.override("en"):
        english = str(form_fields.form_fields(FitForm()))
        prefixed = str(form_fields.form_fields(FitForm(prefix="p")))
        low = str(form_fields.form_fields(_Kept(initial={"size": 1})))
        high = str(form_fields.form_fields(_Kept(initial={"size": 2})))
    assert arabic != english and "How is the fit?" in english
    assert 'name="p-fit"' in prefixed and 'name="p-fit"' not in english
    assert 'value="1"' in low and 'value="2"' in high
    assert len(form_fields._blank) == 5


def test_a_bound_form_is_rendered_afresh_with_its_values_and_errors():
    with translation.override("en"):
        blank = str(form_fields.form_fields(_Kept()))
        bound = str(form_fields.form_fields(_Kept(data={"name": "<b>x</b>", "size": "-1"})))
    assert "&lt;b&gt;x&lt;/b&gt;" in bound and 'class="error"' in bound
    assert "&lt;b&gt;" not in blank and 'class="error"' not in blank
    assert len(form_fields._blank) == 1


def test_forms_that_do_not_say_so_are_never_kept():
    form_fields.form_fields(_NotKept())
    assert len(form_fields._blank) == 0


def test_the_kept_forms_are_bounded(monkeypatch):
    monkeypatch.setattr(form_fields, "BLANK_KEPT", 3)
    for size in range(5):
        form_fields.form_fields(_Kept(initial={"size": size}))
    assert len(form_fields._blank) == 3
