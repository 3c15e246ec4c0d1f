"""Forms of the course pages. They only shape and check input; every change goes through
courses.services, whose own validation errors are shown on the same forms (see `add_errors`).

Plain forms (not ModelForms) on purpose: a ModelForm writes the posted values into the instance
while validating, and the services decide what changed by comparing against that instance."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import (  # noqa: F401
    ENGLISH_HELP,
    LTR_ATTRS,
    ModelIdsField,
    add_errors,
    english_field,
    model_field,
)

from .html import clean_html, render_markdown
from .models import Course, Lesson, Module, Question

# Lesson content is sanitised when it is stored (courses.html); an author who pastes a script,
# an embedded frame or an event handler is told so instead of seeing it silently disappear.
_ACTIVE_CONTENT = re.compile(
    r"<\s*/?\s*(script|iframe|object|embed|style|template|noscript|frame|frameset|applet|form)\b"
    r"|<[^>]*\son[a-z]+\s*="  # an event handler attribute
    r"|<[^>]*=\s*[\"']?\s*(java|vb)script\s*:"  # a script address in an attribute
    r"|<[^>]*=\s*[\"']?\s*data\s*:\s*text/html",
    re.IGNORECASE,
)


class DateTimeLocalInput(forms.DateTimeInput):
    """The browser's own date and time picker: no JavaScript needed."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


def _datetime_field(model, name):
    return model_field(model, name, widget=DateTimeLocalInput())


def refuse_active_content(value: str) -> str:
    if value and _ACTIVE_CONTENT.search(value):
        raise forms.ValidationError(
            _(
                "Lesson content cannot contain scripts, embedded frames, forms or event "
                "handlers. Remove them and save again."
            ),
            code="active_content",
        )
    return value


# --- Authoring ------------------------------------------------------------------------------------


class CourseForm(forms.Form):
    title = model_field(Course, "title")
    title_en = english_field(Course, "title_en")
    summary = model_field(Course, "summary")
    summary_en = english_field(Course, "summary_en")
    track = model_field(Course, "track")
    level = model_field(Course, "level")
    estimated_hours = model_field(Course, "estimated_hours")
    sequential_modules = model_field(Course, "sequential_modules")

    @classmethod
    def initial_for(cls, course: Course) -> dict:
        return {name: getattr(course, name) for name in cls.base_fields}


class ModuleForm(forms.Form):
    title = model_field(Module, "title")
    title_en = english_field(Module, "title_en")
    summary = model_field(Module, "summary")
    summary_en = english_field(Module, "summary_en")
    available_from = _datetime_field(Module, "available_from")

    @classmethod
    def initial_for(cls, module: Module) -> dict:
        return {name: getattr(module, name) for name in cls.base_fields}


# Which lesson fields an author fills in for each kind (besides the common ones).
COMMON_LESSON_FIELDS = [
    "title",
    "title_en",
    "is_required",
    "estimated_minutes",
    "available_from",
]
LESSON_KIND_FIELDS = {
    Lesson.Kind.TEXT: ["body", "body_en"],
    Lesson.Kind.VIDEO: ["video_url", "transcript", "transcript_en", "body", "body_en"],
    Lesson.Kind.RESOURCE: ["resource", "body", "body_en"],
    Lesson.Kind.QUIZ: ["body", "body_en", "pass_mark", "max_attempts", "shuffle_questions"],
    Lesson.Kind.ASSIGNMENT: [
        "body",
        "body_en",
        "allow_text",
        "allow_file",
        "due_at",
        "due_days_after_start",
        "late_policy",
    ],
}
_BODY_LABELS = {
    Lesson.Kind.TEXT: (_("content (Arabic)"), _("content (English)")),
    Lesson.Kind.VIDEO: (_("description (Arabic)"), _("description (English)")),
    Lesson.Kind.RESOURCE: (_("description (Arabic)"), _("description (English)")),
    Lesson.Kind.QUIZ: (_("introduction (Arabic)"), _("introduction (English)")),
    Lesson.Kind.ASSIGNMENT: (_("instructions (Arabic)"), _("instructions (English)")),
}
_BODY_HELP = _(
    "HTML with headings, paragraphs, lists, links and tables. Scripts, frames and styles are not "
    "allowed."
)
_MARKDOWN_HELP = _(
    "Markdown: leave an empty line between paragraphs; start a line with “- ” for a list, "
    "“1. ” for a numbered list, “## ” for a heading; **bold**, [text](https://link). "
    "Use “Preview” to see the lesson before saving."
)


class LessonForm(forms.Form):
    """The fields of one lesson kind, plus its prerequisites (lessons of the same course)."""

    prerequisites = ModelIdsField(
        queryset=Lesson.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("prerequisites"),
        help_text=_("Lessons that must be complete before this one opens."),
    )

    def __init__(self, *args, kind: str, course: Course, lesson: Lesson | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.lesson = lesson
        prerequisites = self.fields.pop("prerequisites")
        # New lessons are written in Markdown; a lesson written in HTML before Markdown existed
        # stays HTML until its author chooses to rewrite it in Markdown.
        if lesson is not None and lesson.body_format == Lesson.BodyFormat.HTML:
            self.fields["body_format"] = forms.ChoiceField(
                label=_("content format"),
                choices=Lesson.BodyFormat.choices,
                required=False,
                help_text=_(
                    "This lesson was written in HTML. Choose Markdown to rewrite its content in "
                    "Markdown."
                ),
            )
        for name in [*COMMON_LESSON_FIELDS, *LESSON_KIND_FIELDS[kind]]:
            self.fields[name] = self._make_field(name, kind)
        others = (
            Lesson.objects.filter(module__course=course)
            .in_outline_order()
            .only("id", "title", "title_en", "module_id")
        )
        if lesson is not None:
            others = others.exclude(pk=lesson.pk)
        prerequisites.queryset = others
        prerequisites.label_from_instance = lambda other: other.display_title
        self.fields["prerequisites"] = prerequisites

    def _make_field(self, name, kind):
        if name in ("available_from", "due_at"):
            return _datetime_field(Lesson, name)
        field = english_field(Lesson, name) if name.endswith("_en") else model_field(Lesson, name)
        if name in ("body", "body_en"):
            field.label = _BODY_LABELS[kind][name == "body_en"]
            if name == "body_en":
                field.help_text = ENGLISH_HELP
            elif "body_format" in self.fields:
                field.help_text = _BODY_HELP
            else:
                field.help_text = _MARKDOWN_HELP
            field.required = name == "body" and kind in (Lesson.Kind.TEXT, Lesson.Kind.ASSIGNMENT)
            field.widget.attrs.update({"rows": 12, "dir": "ltr" if name == "body_en" else "auto"})
        elif name == "video_url":
            field = forms.URLField(
                label=field.label,
                max_length=500,
                assume_scheme="https",
                help_text=_("A link to the video (opened on its own site, never embedded)."),
            )
        elif name == "resource":
            field.help_text = _("A PDF file.")
            field.required = self.lesson is None or not self.lesson.resource
            field.widget = forms.FileInput(attrs={"accept": "application/pdf"})
        elif name in ("transcript", "transcript_en"):
            field.widget.attrs.update({"rows": 8, "dir": "auto"})
        return field

    @classmethod
    def initial_for(cls, lesson: Lesson) -> dict:
        names = [*COMMON_LESSON_FIELDS, *LESSON_KIND_FIELDS[lesson.kind]]
        initial = {name: getattr(lesson, name) for name in names if name != "resource"}
        initial["prerequisites"] = [p.pk for p in lesson.prerequisites.all()]
        initial["body_format"] = lesson.body_format
        if lesson.body_format == Lesson.BodyFormat.MARKDOWN:
            initial["body"] = lesson.body_markdown
            initial["body_en"] = lesson.body_en_markdown
        return initial

    @property
    def body_format(self) -> str:
        """The format the author writes the content in (valid once the form is cleaned)."""
        if "body_format" not in self.fields:
            return Lesson.BodyFormat.MARKDOWN
        return self.cleaned_data.get("body_format") or Lesson.BodyFormat.HTML

    def clean_body(self):
        return self._checked_body("body")

    def clean_body_en(self):
        return self._checked_body("body_en")

    def _checked_body(self, name):
        # Markdown may hold HTML too: both are sanitised when stored, and both tell the author.
        # Browsers send line breaks as CRLF; the text is stored as written, with plain LF.
        return refuse_active_content((self.cleaned_data.get(name) or "").replace("\r\n", "\n"))

    def preview(self) -> dict:
        """The content as trainees will see it, rendered and sanitised as on save, unsaved."""
        render = render_markdown if self.body_format == Lesson.BodyFormat.MARKDOWN else clean_html
        return {
            name: render(self.cleaned_data.get(name) or "")
            for name in ("body", "body_en")
            if name in self.cleaned_data
        }

    def clean(self):
        data = super().clean()
        if self.kind == Lesson.Kind.ASSIGNMENT:
            if not data.get("allow_text") and not data.get("allow_file"):
                self.add_error("allow_text", _("Allow a text answer, a file upload, or both."))
            if data.get("due_at") and data.get("due_days_after_start") is not None:
                self.add_error(
                    "due_days_after_start",
                    _("Give either a due date or a number of days after the start, not both."),
                )
        return data

    def service_fields(self) -> dict:
        """The cleaned lesson fields as the services take them (files and prerequisites apart)."""
        data = dict(self.cleaned_data)
        data.pop("prerequisites", None)
        data.pop("resource", None)
        for name in ("title_en", "body", "body_en", "transcript", "transcript_en", "video_url"):
            if name in data and data[name] is None:
                data[name] = ""
        data["body_format"] = self.body_format
        if self.body_format == Lesson.BodyFormat.MARKDOWN:
            # What the author wrote is kept as Markdown; the model renders it into `body`.
            for name in ("body", "body_en"):
                if name in data:
                    data[f"{name}_markdown"] = data.pop(name)
        return data


CHOICE_ROWS = 6


class QuestionForm(forms.Form):
    """A question and up to CHOICE_ROWS answers; empty rows are ignored."""

    kind = model_field(Question, "kind")
    text = model_field(Question, "text", widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}))
    text_en = english_field(Question, "text_en", widget=forms.Textarea(attrs={"rows": 3}))
    explanation = model_field(
        Question, "explanation", widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"})
    )
    explanation_en = english_field(
        Question, "explanation_en", widget=forms.Textarea(attrs={"rows": 3})
    )
    # True or false: the author says which; both answers are created (services.true_false_choices).
    statement_is_true = forms.ChoiceField(
        label=_("For a true-or-false question, the statement is"),
        choices=[
            ("true", pgettext_lazy("quiz answer", "True")),
            ("false", pgettext_lazy("quiz answer", "False")),
        ],
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Its two answers are created for you; leave the answer rows below empty."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, CHOICE_ROWS + 1):
            self.fields[f"choice_{i}_text"] = forms.CharField(
                label=_("Answer %(n)s (Arabic)") % {"n": i},
                max_length=500,
                required=False,
                widget=forms.TextInput(attrs={"dir": "auto"}),
            )
            self.fields[f"choice_{i}_text_en"] = forms.CharField(
                label=_("Answer %(n)s (English)") % {"n": i},
                max_length=500,
                required=False,
                widget=forms.TextInput(attrs=LTR_ATTRS),
            )
            self.fields[f"choice_{i}_correct"] = forms.BooleanField(
                label=_("correct"), required=False
            )

    @property
    def question_fields(self):
        return [
            self[name]
            for name in (
                "kind",
                "statement_is_true",
                "text",
                "text_en",
                "explanation",
                "explanation_en",
            )
        ]

    @property
    def choice_rows(self):
        return [
            (
                i,
                self[f"choice_{i}_text"],
                self[f"choice_{i}_text_en"],
                self[f"choice_{i}_correct"],
            )
            for i in range(1, CHOICE_ROWS + 1)
        ]

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        initial = {
            name: getattr(question, name)
            for name in ("kind", "text", "text_en", "explanation", "explanation_en")
        }
        choices = list(question.choices.all())
        if question.kind == Question.Kind.TRUE_FALSE and choices:
            # "True" is the first answer (services.true_false_choices).
            initial["statement_is_true"] = "true" if choices[0].is_correct else "false"
            return initial
        for i, choice in enumerate(choices, 1):
            initial[f"choice_{i}_text"] = choice.text
            initial[f"choice_{i}_text_en"] = choice.text_en
            initial[f"choice_{i}_correct"] = choice.is_correct
        return initial

    def clean(self):
        data = super().clean()
        if data.get("kind") == Question.Kind.TRUE_FALSE and not data.get("statement_is_true"):
            self.add_error("statement_is_true", _("Say whether the statement is true or false."))
        return data

    def choices(self) -> list[dict] | None:
        """The answer rows filled in (None for a true-or-false question: the service makes its
        two answers)."""
        if self.cleaned_data.get("kind") == Question.Kind.TRUE_FALSE:
            return None
        rows = []
        for i in range(1, CHOICE_ROWS + 1):
            text = self.cleaned_data.get(f"choice_{i}_text", "").strip()
            text_en = self.cleaned_data.get(f"choice_{i}_text_en", "").strip()
            correct = self.cleaned_data.get(f"choice_{i}_correct", False)
            if text or text_en or correct:
                rows.append({"text": text, "text_en": text_en, "is_correct": correct})
        return rows

    def question_data(self) -> dict:
        data = {
            name: self.cleaned_data[name]
            for name in ("kind", "text", "text_en", "explanation", "explanation_en")
        }
        if data["kind"] == Question.Kind.TRUE_FALSE:
            data["statement_is_true"] = self.cleaned_data["statement_is_true"] == "true"
        return data


class EnrollForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of the trainee"))


# --- A trainee's work ----------------------------------------------------------------------------


class AssignmentForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "dir": "auto"}),
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, Word (DOCX), PNG or JPEG."),
        widget=forms.FileInput(
            attrs={
                "accept": ".pdf,.docx,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )

    def __init__(self, *args, lesson: Lesson, **kwargs):
        super().__init__(*args, **kwargs)
        if not lesson.allow_text:
            del self.fields["text"]
        if not lesson.allow_file:
            del self.fields["file"]


class ReviewForm(forms.Form):
    ACCEPT = "accept"
    RETURN = "return"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept")), (RETURN, _("Return for revision"))],
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("Feedback"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "dir": "auto"}),
        help_text=_("Required when you return the submission: say what should change."),
    )
