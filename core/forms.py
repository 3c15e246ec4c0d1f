"""Form helpers shared by every app's pages."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .converters import is_id

# Every text field in Arabic is required where the model requires it; its English twin is always
# optional and says so.
ENGLISH_HELP = _("Optional. Shown on English pages; the Arabic text is shown when it is empty.")

# English text, Latin names and addresses are typed and shown left to right on Arabic pages too.
LTR_ATTRS = {"dir": "ltr", "lang": "en"}


def model_field(model, name, **kwargs):
    """The form field of a model field (plain forms: the services write the models)."""
    return model._meta.get_field(name).formfield(**kwargs)


def english_field(model, name, **kwargs):
    """The optional English twin of a model's Arabic text field, typed left to right."""
    field = model_field(model, name, help_text=ENGLISH_HELP, **kwargs)
    field.widget.attrs.update(LTR_ATTRS)
    return field


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A choice of several objects by id. A value that is not an id the database can hold (a
    30-digit number, "²", "1.5") is refused as an invalid value before any query: Django's own
    field passes every number on to an `IN` lookup, which a 64-bit column cannot take."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        if key == "pk":
            for pk in value:
                if not is_id(str(pk).strip()):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": pk},
                    )
        return super()._check_values(value)


def add_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has it,
    otherwise above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class LanguageForm(forms.Form):
    """The language switch of every page (core.views.set_language)."""

    language = forms.ChoiceField(choices=settings.LANGUAGES)
    next = forms.CharField(required=False)
