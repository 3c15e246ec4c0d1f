"""Forms of the proposal pages. They parse and bound the input; the services decide."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from core.forms import ModelIdsField

from .models import (
    MAX_QUANTITY,
    MAX_UNIT_COST_IQD,
    SCORE_MAX,
    SCORE_MIN,
    Proposal,
)
from .services.lifecycle import EDITABLE_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})


class ProposalForm(forms.ModelForm):
    # The version the author started from: a save based on an older one is refused (409).
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    form_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Proposal
        fields = EDITABLE_FIELDS
        widgets = {"starts_on": DATE, "ends_on": DATE}

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return data

    def proposal_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in EDITABLE_FIELDS}


class BudgetLineForm(forms.Form):
    item = forms.CharField(label=_("item"), max_length=200)
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, max_value=MAX_QUANTITY)
    unit_cost_iqd = forms.IntegerField(
        label=_("unit cost (IQD)"), min_value=0, max_value=MAX_UNIT_COST_IQD
    )


BudgetFormSet = formset_factory(BudgetLineForm, extra=2, max_num=50, validate_max=True)


def budget_lines(formset) -> list[dict]:
    return [
        {k: f.cleaned_data[k] for k in ("item", "quantity", "unit_cost_iqd")}
        for f in formset.forms
        if f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]


class AttachmentForm(forms.Form):
    same_html_when_blank = True  # rendered once while blank (core.templatetags.form_fields)
    file = forms.FileField(label=_("file"), help_text=_("PDF, DOCX, PNG or JPEG, at most 10 MB."))


class CommentForm(forms.Form):
    same_html_when_blank = True  # rendered once while blank (core.templatetags.form_fields)
    comment = forms.CharField(
        label=_("comment"), widget=forms.Textarea, required=False, max_length=5000
    )


class DecisionForm(forms.Form):
    same_html_when_blank = True  # rendered once while blank (core.templatetags.form_fields)
    decision = forms.ChoiceField(
        label=_("decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    message = forms.CharField(
        label=_("message to the team"), widget=forms.Textarea, max_length=5000
    )


class InviteForm(forms.Form):
    same_html_when_blank = True  # rendered once while blank (core.templatetags.form_fields)
    email = forms.EmailField(label=_("e-mail of the co-author"))


class AssignForm(forms.Form):
    reviewers = ModelIdsField(label=_("reviewers"), queryset=None)
    proposals = ModelIdsField(label=_("proposals"), queryset=None)
    due_on = forms.DateField(label=_("due date"), widget=DATE)

    def __init__(self, *args, reviewers, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = reviewers
        self.fields["proposals"].queryset = proposals


class ReviewForm(forms.Form):
    comments = forms.CharField(
        label=_("comments"), widget=forms.Textarea, required=False, max_length=10000
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.display_name,
                help_text=criterion.display_description,
                choices=[(n, n) for n in range(SCORE_MIN, SCORE_MAX + 1)],
                coerce=int,
                widget=forms.RadioSelect,
            )

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class NoteForm(forms.Form):
    same_html_when_blank = True  # rendered once while blank (core.templatetags.form_fields)
    body = forms.CharField(label=_("private note"), widget=forms.Textarea, max_length=5000)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)


class MilestoneForm(forms.Form):
    same_html_when_blank = True  # rendered once while blank (core.templatetags.form_fields)
    title = forms.CharField(label=_("title"), max_length=200)
    due_on = forms.DateField(label=_("due date"), widget=DATE)


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("what was done"), widget=forms.Textarea, max_length=5000)
    photo = forms.FileField(
        label=_("photo"), required=False, help_text=_("PNG or JPEG, at most 10 MB.")
    )

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.milestones = list(milestones)
        for m in self.milestones:
            self.fields[f"percent_{m.pk}"] = forms.IntegerField(
                label=m.title, min_value=0, max_value=100, initial=m.percent_complete
            )

    def percents(self) -> dict[int, int]:
        return {m.pk: self.cleaned_data[f"percent_{m.pk}"] for m in self.milestones}


class RubricSettingsForm(forms.Form):
    hide_reviewer_names = forms.BooleanField(
        label=_("hide reviewers' names from teams"), required=False
    )
    exclude_own_mentor = forms.BooleanField(
        label=_("a trainee's own mentor does not review their proposal"), required=False
    )
    proposal_deadline = forms.DateField(label=_("proposal deadline"), required=False, widget=DATE)
