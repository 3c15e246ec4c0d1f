"""Mentoring's forms: each one feeds a service; the services hold the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Goal, Meeting, MentorProfile, Mentorship, TraineeIntake
from .vocabulary import SLOT_CHOICES, Language, Topic


def _multi(choices, label):
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class _NoNul:
    """Refuses NUL characters in any text field with a message in the user's language."""

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, _("Invalid text."))
        return data


class MentorProfileForm(_NoNul, forms.ModelForm):
    topics = _multi(Topic.choices, _("expertise"))
    languages = _multi(Language.choices, _("languages"))
    availability = _multi(SLOT_CHOICES, _("availability"))

    class Meta:
        model = MentorProfile
        fields = [
            "topics",
            "languages",
            "governorate",
            "gender",
            "capacity",
            "availability",
            "bio",
            "is_available",
        ]
        help_texts = {"capacity": _("How many mentees at once; 0 pauses mentoring.")}


class IntakeForm(_NoNul, forms.ModelForm):
    topics = _multi(Topic.choices, _("interests and goals"))
    languages = _multi(Language.choices, _("languages"))
    availability = _multi(SLOT_CHOICES, _("availability"))

    class Meta:
        model = TraineeIntake
        fields = [
            "topics",
            "languages",
            "governorate",
            "availability",
            "same_gender_preference",
            "goals",
        ]


class DeclineForm(_NoNul, forms.Form):
    same_html_when_blank = True  # rendered once while blank (core.templatetags.form_fields)
    reason = forms.CharField(
        label=_("reason for declining"), max_length=1000, widget=forms.Textarea
    )


class MeetingForm(_NoNul, forms.ModelForm):
    same_html_when_blank = True  # rendered once while blank (core.templatetags.form_fields)
    topics = _multi(Topic.choices, _("topics"))

    class Meta:
        model = Meeting
        fields = ["date", "duration_minutes", "topics", "private_notes", "next_steps"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class GoalForm(_NoNul, forms.ModelForm):
    same_html_when_blank = True  # rendered once while blank (core.templatetags.form_fields)

    class Meta:
        model = Goal
        fields = ["text", "progress"]


class FitForm(forms.Form):
    same_html_when_blank = True  # rendered once while blank (core.templatetags.form_fields)
    fit = forms.ChoiceField(
        label=_("How is the fit?"), choices=Mentorship.Fit.choices, widget=forms.RadioSelect
    )


class WeightsForm(forms.Form):
    same_html_when_blank = True  # rendered once while blank (core.templatetags.form_fields)
    topics = forms.IntegerField(label=_("weight: each shared topic"), min_value=0, max_value=100)
    governorate = forms.IntegerField(
        label=_("weight: same governorate"), min_value=0, max_value=100
    )
    availability = forms.IntegerField(
        label=_("weight: each overlapping slot"), min_value=0, max_value=100
    )
    track = forms.IntegerField(
        label=_("weight: mentor in the cohort's track"), min_value=0, max_value=100
    )


class PairForm(forms.Form):
    """A trainee and a mentor of the round, by id (the view checks both belong to it)."""

    trainee = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    mentor = forms.IntegerField(min_value=1, max_value=2**31 - 1)
    undo = forms.BooleanField(required=False)
