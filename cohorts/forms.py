"""Forms of the cohort pages. They shape and check input only; every change goes through
cohorts.services, whose own validation errors are shown on the same forms (see `add_errors`).

Plain forms, not ModelForms: a ModelForm writes the posted values into the instance while it
validates, and the services decide what changed by comparing against that instance."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import Governorate, User
from core.converters import is_id
from core.forms import ENGLISH_HELP, LTR_ATTRS, english_field, model_field
from courses.models import Course

from . import dashboard as dash
from .models import FACILITATING_ROLES, Application, Cohort, Membership, Session

# Shown next to the consent box of every application form: what the programme does with the
# answers. Participants are young people, some minors; consent comes before anything else.
DATA_USE_TEXT = _(
    "The Ishtar Center for Supporting Democracy uses the information in this application only to "
    "select the cohort's trainees and to run the programme. Only the cohort's managers read it; "
    "nothing about you is shown publicly without your consent, and you may ask the Center to "
    "delete your application at any time."
)


class DateInput(forms.DateInput):
    """The browser's own date picker: no JavaScript needed."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


# --- Cohort ---------------------------------------------------------------------------------------


class CohortForm(forms.Form):
    name = model_field(Cohort, "name")
    name_en = english_field(Cohort, "name_en")
    description = model_field(Cohort, "description")
    description_en = english_field(Cohort, "description_en")
    track = model_field(Cohort, "track")
    governorate = model_field(Cohort, "governorate")
    venue = model_field(Cohort, "venue")
    starts_on = model_field(Cohort, "starts_on", widget=DateInput())
    ends_on = model_field(Cohort, "ends_on", widget=DateInput())
    applications_close_on = model_field(Cohort, "applications_close_on", widget=DateInput())
    capacity = model_field(Cohort, "capacity")
    min_attendance_percent = model_field(Cohort, "min_attendance_percent")
    requires_approved_initiative = model_field(Cohort, "requires_approved_initiative")

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The cohort cannot end before it starts."))
        closes = data.get("applications_close_on")
        if closes and ends and closes > ends:
            self.add_error(
                "applications_close_on", _("Applications cannot close after the cohort ends.")
            )
        return data

    @classmethod
    def initial_for(cls, cohort: Cohort) -> dict:
        values = {name: getattr(cohort, name) for name in cls.base_fields}
        return {name: value for name, value in values.items() if value is not None}


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Cohort.Status.choices)


# --- Curriculum and application questions ---------------------------------------------------------


class CurriculumItemForm(forms.Form):
    course = forms.ModelChoiceField(queryset=Course.objects.none(), label=_("Course"))
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    required = forms.BooleanField(label=_("Required for completion"), required=False, initial=True)

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = courses
        self.fields["course"].label_from_instance = lambda course: course.display_title


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Question (Arabic)"), max_length=500, required=False)
    text_en = forms.CharField(
        label=_("Question (English)"),
        max_length=500,
        required=False,
        help_text=ENGLISH_HELP,
        widget=forms.TextInput(attrs=LTR_ATTRS),
    )
    required = forms.BooleanField(label=_("Answer required"), required=False, initial=True)


MAX_QUESTIONS = 10
QuestionFormSet = forms.formset_factory(
    QuestionForm,
    extra=0,
    can_order=True,
    can_delete=True,
    max_num=MAX_QUESTIONS,
    absolute_max=MAX_QUESTIONS,
    validate_max=True,
)


def question_formset(data=None, *, questions):
    """Existing questions first, then empty rows up to two (or the maximum of ten)."""
    initial = [
        {"text": q.text, "text_en": q.text_en, "required": q.required, "ORDER": n}
        for n, q in enumerate(questions, start=1)
    ]
    blanks = max(0, min(2, MAX_QUESTIONS - len(initial)))
    initial += [{"required": True} for _n in range(blanks)]
    return QuestionFormSet(data, initial=initial, prefix="q")


def questions_from(formset) -> list[dict]:
    """The rows that hold a question, in the order the manager chose."""
    rows = []
    for form in formset.ordered_forms if formset.can_order else formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not (data.get("text") or "").strip():
            continue
        rows.append(
            {"text": data["text"], "text_en": data.get("text_en", ""), "required": data["required"]}
        )
    return rows


# --- Applications ---------------------------------------------------------------------------------


class ApplicationForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why do you want to join this cohort?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
    )
    civic_experience = forms.CharField(
        label=_("Your prior civic experience"),
        help_text=_("Volunteering, initiatives, student unions, associations… (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    availability = forms.CharField(
        label=_("When can you attend?"),
        help_text=_("Days and times that suit you."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
    )

    def __init__(self, *args, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                label=question.display_text,
                widget=forms.Textarea(attrs={"rows": 2}),
                max_length=4000,
                required=question.required,
            )
        # The consent box comes last, right under the text that says what it agrees to.
        self.fields["consent"] = forms.BooleanField(
            label=_("I agree to the programme's use of my data as described above."),
            required=True,
            error_messages={
                "required": _("You must agree to the programme's use of your data to apply.")
            },
        )

    def answers(self) -> dict:
        return {
            str(q.pk): self.cleaned_data.get(f"answer_{q.pk}", "")
            for q in self.questions
            if self.cleaned_data.get(f"answer_{q.pk}")
        }

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "motivation": data["motivation"],
            "civic_experience": data.get("civic_experience", ""),
            "availability": data["availability"],
            "consent": data["consent"],
            "answers": self.answers(),
        }


DECISION_CHOICES = [
    (Application.Status.SHORTLISTED, _("Shortlist")),
    (Application.Status.ACCEPTED, _("Accept")),
    (Application.Status.WAITLISTED, _("Waitlist")),
    (Application.Status.REJECTED, _("Do not accept")),
]


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Application.Status.choices],
        required=False,
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class BulkDecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES)
    ids = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The ids are checked by the service (only this cohort's applications are decided); here
        # they only need to be ids the database can hold.
        self.fields["ids"].valid_value = is_id
        self.fields["ids"].error_messages["required"] = _("Select at least one application.")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES)
    note = forms.CharField(
        label=_("Internal note"),
        help_text=_("Seen by the cohort's managers only."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    waitlist_if_full = forms.BooleanField(
        label=_("Waitlist instead if the cohort is full"), required=False
    )


# --- Members and announcements --------------------------------------------------------------------


class AddMemberForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )


# --- Sessions -------------------------------------------------------------------------------------


class _PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return person.full_name or person.email


def _facilitator_field():
    return _PersonChoiceField(
        queryset=User.objects.none(),
        label=_("Facilitator"),
        required=False,
        help_text=_("The cohort's mentors, facilitators and managers."),
    )


def facilitator_choices(cohort: Cohort):
    return User.objects.filter(
        cohort_memberships__cohort=cohort,
        cohort_memberships__status=Membership.Status.ACTIVE,
        cohort_memberships__role__in=FACILITATING_ROLES,
        is_active=True,
    ).order_by("full_name", "id")


class _SessionDetailsMixin(forms.Form):
    title = model_field(Session, "title")
    title_en = english_field(Session, "title_en")
    description = model_field(Session, "description", widget=forms.Textarea(attrs={"rows": 3}))
    format = model_field(Session, "format")
    mode = model_field(Session, "mode")
    venue = model_field(Session, "venue")
    online_url = model_field(Session, "online_url")
    facilitator = _facilitator_field()

    def __init__(self, *args, cohort: Cohort, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = facilitator_choices(cohort)


class SessionForm(_SessionDetailsMixin):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeLocalInput())
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeLocalInput())

    field_order = ["title", "title_en", "starts_at", "ends_at"]

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        return data


WEEKDAYS = [
    (5, _("Saturday")),
    (6, _("Sunday")),
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
]


class SeriesForm(_SessionDetailsMixin):
    first_day = forms.DateField(label=_("First day"), widget=DateInput())
    last_day = forms.DateField(label=_("Last day"), widget=DateInput())
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Every week on"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(label=_("From"), widget=TimeInput())
    end_time = forms.TimeField(label=_("To"), widget=TimeInput())
    skip_fridays = forms.BooleanField(
        label=_("Skip Fridays (the weekend)"), required=False, initial=True
    )

    field_order = [
        "title", "title_en", "first_day", "last_day", "weekdays", "start_time", "end_time",
        "skip_fridays",
    ]  # fmt: skip

    def clean(self):
        data = super().clean()
        first, last = data.get("first_day"), data.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The series cannot end before it starts."))
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The session must end after it starts."))
        return data


def session_fields(form) -> dict:
    """The session fields the services take, from a valid SessionForm or SeriesForm."""
    names = ["title", "title_en", "description", "format", "mode", "venue", "online_url"]
    fields = {name: form.cleaned_data.get(name) or "" for name in names}
    fields["facilitator"] = form.cleaned_data.get("facilitator")
    return fields


# --- Attendance -----------------------------------------------------------------------------------


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=20,
        help_text=_("The six characters shown in the room."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "dir": "ltr"}
        ),
    )


class ExcuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not attend?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, sent to everyone)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=500,
        required=False,
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Sign-in sheet (CSV)"),
        required=False,
        help_text=_("Columns: email, status (present, late, excused, absent), note (optional)."),
    )
    text = forms.CharField(
        label=_("…or paste the sheet"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "ltr"}),
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise ValidationError(_("Choose a CSV file or paste the sheet."))
        return data

    def sheet(self) -> bytes | str:
        upload = self.cleaned_data.get("file")
        return upload.read() if upload is not None else self.cleaned_data["text"]


class DashboardFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    flag = forms.ChoiceField(
        label=_("At risk"),
        required=False,
        # A callable: reasons registered by higher apps are known once every app is ready.
        choices=lambda: [("", _("Everyone")), *dash.flag_choices()],
    )
    governorate = forms.ChoiceField(
        label=_("Governorate"),
        required=False,
        choices=[("", _("All governorates")), *Governorate.choices],
    )
    sort = forms.ChoiceField(required=False, choices=[(c, c) for c in dash.SORT_CHOICES])
    page = forms.IntegerField(required=False, min_value=1)

    def options(self) -> dict:
        """The arguments of dashboard.cohort_dashboard (invalid values fall back to defaults)."""
        # A value that does not validate falls back to its default; the others still apply.
        self.is_valid()
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "flag": data.get("flag") or "",
            "governorate": data.get("governorate") or "",
            "sort": data.get("sort") or "risk",
            "page": data.get("page") or 1,
        }
