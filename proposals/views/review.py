"""Reviewing: the reviewer's queue and review form, the managers' cohort list, assignment of
reviewers, the decision page (each review, weighted average, spread) and private notes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cohorts import shapes as cohorts_shapes
from cohorts.models import Cohort
from core.errors import Conflict
from core.forms import add_errors
from core.pages import form_page, problem, safe_next
from core.paging import Paginator, ShapedList

from .. import listings, services, shapes
from ..forms import AssignForm, DecisionForm, NoteForm, ReviewForm, RubricSettingsForm
from ..models import Proposal, ReviewAssignment, ReviewNote
from ..tables import manage_rows_html
from .common import PAGE_SIZE, visible_proposal

QUEUE_STATES = ("pending", "done", "all")


def _queue(reviewer_id, *, state):
    """The reviewer's assignments in one of the queue's states (its pages run as stored SQL)."""
    assignments = (
        ReviewAssignment.objects.filter(reviewer=reviewer_id)
        .select_related("proposal__cohort", "review")
        .order_by("due_on", "id")
    )
    if state == "pending":
        return assignments.pending()
    if state == "done":
        return assignments.done()
    return assignments


@login_required
@require_GET
def queue(request):
    """The reviewer's assignments, pending or done, soonest due first; filters live in the query
    string so they survive every action (the review form sends the person back here)."""
    state = request.GET.get("state", "pending")
    if state not in QUEUE_STATES:
        state = "pending"
    assignments = ShapedList(_queue, request.user.pk, state=state)
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/review_queue.html",
        {"page": page, "state": state, "states": QUEUE_STATES, "today": timezone.localdate()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    assignment = shapes.reviewer_assignment(request.user, pk)
    proposal = assignment.proposal
    criteria = shapes.criteria_for(proposal.cohort)
    existing = getattr(assignment, "review", None)
    back = safe_next(request, reverse("proposals:queue"))
    if request.method == "POST":
        form = ReviewForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                services.submit_review(
                    actor=request.user,
                    assignment=assignment,
                    scores=form.scores(),
                    comments=form.cleaned_data["comments"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
                return _review_page(request, form, assignment, back, status=409)
            else:
                messages.success(request, _("Your review is saved."))
                return redirect(back)
    else:
        initial = {"comments": existing.comments if existing else ""}
        if existing:
            initial.update({f"score_{s.criterion_id}": s.score for s in existing.scores.all()})
        form = ReviewForm(initial=initial, criteria=criteria)
    return _review_page(request, form, assignment, back)


def _review_page(request, form, assignment, back, status=None):
    response = form_page(
        request,
        form,
        template="proposals/review_form.html",
        title=_("Review"),
        assignment=assignment,
        proposal=assignment.proposal,
        back=back,
        # The notes the reviewers and managers leave each other, with their replies.
        notes=_notes(request.user, assignment.proposal),
        note_form=NoteForm(),
    )
    if status:
        response.status_code = status
    return response


@login_required
@require_GET
def manage(request, pk):
    """A cohort's proposals for its managers, with status filter."""
    cohort = cohorts_shapes.managed_cohort(request.user, pk)
    if cohort is None:
        raise Http404
    status = request.GET.get("status", "")
    # The columns shown as plain values, the rows built in Python (proposals.tables).
    rows = listings.cohort_rows(cohort.pk, status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/manage.html",
        {
            "cohort": cohort,
            "page": page,
            "table_rows": manage_rows_html(page.object_list),
            "status": status,
            "statuses": Proposal.Status.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, pk):
    cohort = get_object_or_404(Cohort.objects.managed_by(request.user), pk=pk)
    reviewers = services.reviewer_choices(request.user).order_by("full_name", "id")
    proposals = Proposal.objects.filter(cohort=cohort, status__in=Proposal.UNDER_REVIEW)
    form = AssignForm(request.POST or None, reviewers=reviewers, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        try:
            assignments, skipped = services.assign_reviewers(
                actor=request.user,
                proposals=list(form.cleaned_data["proposals"]),
                reviewers=list(form.cleaned_data["reviewers"]),
                due_on=form.cleaned_data["due_on"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("%(n)s assignments saved; %(s)s skipped.")
                % {"n": len(assignments), "s": len(skipped)},
            )
            return redirect("proposals:manage", pk=cohort.pk)
    return form_page(
        request, form, template="proposals/form.html", title=_("Assign reviewers"), cohort=cohort
    )


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk):
    proposal = visible_proposal(request, pk)
    if not services.can_manage(request.user, proposal.cohort):
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_proposal(
                actor=request.user,
                proposal=proposal,
                approve=form.cleaned_data["decision"] == "approve",
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The decision is published to the team."))
            return redirect("proposals:detail", pk=proposal.pk)
    assignments, reviews = shapes.review_board(proposal)
    response = form_page(
        request,
        form,
        template="proposals/decide.html",
        title=_("Decision"),
        proposal=proposal,
        summary=services.summarize(reviews),
        assignments=assignments,
        notes=_notes(request.user, proposal),
        note_form=NoteForm(),
    )
    if (
        form.non_field_errors()
        and request.method == "POST"
        and proposal.status not in Proposal.UNDER_REVIEW
    ):
        response.status_code = 409
    return response


def _notes(user, proposal):
    return shapes.notes(user, proposal)


@login_required
@require_POST
def note(request, pk):
    proposal = visible_proposal(request, pk)
    back = safe_next(request, reverse("proposals:detail", args=[proposal.pk]))
    form = NoteForm(request.POST)
    if not form.is_valid():
        return problem(request, _("Write the note."), back=back, status=400)
    parent = None
    if form.cleaned_data.get("parent"):
        parent = (
            ReviewNote.objects.visible_to(request.user)
            .filter(pk=form.cleaned_data["parent"])
            .first()
        )
    try:
        services.add_note(
            actor=request.user, proposal=proposal, body=form.cleaned_data["body"], parent=parent
        )
    except ValidationError as exc:
        return problem(request, " ".join(exc.messages), back=back, status=400)
    except PermissionDenied as exc:
        return problem(request, str(exc), back=back, status=403)
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def rubric(request, pk):
    """A cohort's review settings and its weighted criteria (edited in the admin)."""
    # Read as stored SQL (cohorts.shapes, proposals.shapes): the cohort the person runs, its
    # rubric (created the first time) and its criteria.
    cohort = cohorts_shapes.managed_cohort(request.user, pk)
    if cohort is None:
        raise Http404
    current, criteria = shapes.rubric_and_criteria(cohort)
    form = RubricSettingsForm(
        request.POST or None,
        initial={
            "hide_reviewer_names": current.hide_reviewer_names,
            "exclude_own_mentor": current.exclude_own_mentor,
            "proposal_deadline": current.proposal_deadline,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.configure_rubric(actor=request.user, cohort=cohort, **form.cleaned_data)
        messages.success(request, _("Your changes are saved."))
        return redirect("proposals:rubric", pk=cohort.pk)
    return form_page(
        request,
        form,
        template="proposals/rubric.html",
        title=_("Review rubric"),
        cohort=cohort,
        criteria=criteria,
    )
