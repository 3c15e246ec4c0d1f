"""Forms for sign-up (plugged into allauth) and for the profile page."""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import User, clean_phone, validate_birth_year

PROFILE_FIELDS = [
    "full_name",
    "full_name_latin",
    "phone",
    "governorate",
    "gender",
    "birth_year",
]


class PersonFieldsMixin:
    """Cleaning shared by sign-up and the profile page."""

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        validate_birth_year(year)
        return year

    def clean_full_name(self):
        name = " ".join(self.cleaned_data.get("full_name", "").split())
        if len(name) < 3:
            raise forms.ValidationError(_("Enter your full name."), code="full_name_short")
        return name


def _field(name, **kwargs):
    return User._meta.get_field(name).formfield(**kwargs)


class SignupForm(PersonFieldsMixin, forms.Form):
    """Extra fields allauth asks for at sign-up; allauth itself handles e-mail and password."""

    full_name = _field("full_name")
    full_name_latin = _field("full_name_latin")
    governorate = _field("governorate", required=True)
    phone = _field("phone")
    gender = _field("gender")
    birth_year = _field("birth_year")

    extra_fields = ["full_name", "full_name_latin", "governorate", "phone", "gender", "birth_year"]

    def signup(self, request, user):
        for name in self.extra_fields:
            setattr(user, name, self.cleaned_data.get(name) or getattr(user, name))
        language = translation.get_language() or "ar"
        user.preferred_language = "en" if language.startswith("en") else "ar"
        user.role = User.Role.TRAINEE
        user.save()


class ProfileForm(PersonFieldsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = [*PROFILE_FIELDS, "preferred_language"]
        widgets = {"birth_year": forms.NumberInput(attrs={"inputmode": "numeric"})}


class LanguageForm(forms.Form):
    language = forms.ChoiceField(choices=User.Language.choices)
    next = forms.CharField(required=False)
