"""Forms for sign-up (plugged into allauth) and for the profile page."""

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.forms import LTR_ATTRS
from core.widgets import plain_selects

from .models import User, birth_year_bounds, clean_latin_name, clean_phone, validate_birth_year

PROFILE_FIELDS = [
    "full_name",
    "full_name_latin",
    "phone",
    "governorate",
    "gender",
    "birth_year",
]


# Phones type digits with the telephone keypad; numbers, e-mails and Latin names read left to right.
PHONE_ATTRS = {"inputmode": "tel", "dir": "ltr", "autocomplete": "tel"}
LATIN_ATTRS = LTR_ATTRS


def birth_year_widget():
    low, high = birth_year_bounds()
    return forms.NumberInput(attrs={"inputmode": "numeric", "min": low, "max": high})


class PersonFieldsMixin:
    """Cleaning shared by sign-up and the profile page."""

    def _tune_widgets(self):
        if "phone" in self.fields:
            self.fields["phone"].widget.input_type = "tel"
            self.fields["phone"].widget.attrs.update(PHONE_ATTRS)
        if "full_name_latin" in self.fields:
            self.fields["full_name_latin"].widget.attrs.update(LATIN_ATTRS)
        if "birth_year" in self.fields:
            self.fields["birth_year"].widget = birth_year_widget()
        if "email" in self.fields:
            self.fields["email"].widget.attrs["dir"] = "ltr"
        # The governorate list and the other selects render without a template per option.
        plain_selects(self)

    def clean_phone(self):
        return clean_phone(self.cleaned_data.get("phone", ""))

    def clean_full_name_latin(self):
        return clean_latin_name(self.cleaned_data.get("full_name_latin", ""))

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
    # allauth reorders the combined form by this list: who you are, then how you sign in, then
    # the optional details.
    field_order = [
        "full_name",
        "email",
        "password1",
        "password2",
        "governorate",
        "full_name_latin",
        "phone",
        "gender",
        "birth_year",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tune_widgets()

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tune_widgets()


class RoleForm(forms.Form):
    """A manager gives someone a global role (accounts.services.set_role)."""

    role = forms.ChoiceField(label=_("Role"), choices=User.Role.choices)
