"""The team's pages: my proposals, the edit form with its budget lines, the detail page with the
history and revision comparison, files, co-authors, and the transition buttons."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from cohorts.models import Cohort, Membership
from core.compiled import Shape
from core.errors import Conflict
from core.forms import add_errors
from core.pages import form_page, problem
from core.paging import Paginator, ShapedList

from .. import services, shapes
from ..forms import (
    AttachmentForm,
    BudgetFormSet,
    CommentForm,
    InviteForm,
    ProposalForm,
    budget_lines,
)
from ..models import (
    Attachment,
    ProgressPhoto,
    Proposal,
    TeamMember,
)
from ..shapes import detail_proposal, submitted_reviews
from ..tables import budget_rows_html, reviews_html
from .common import PAGE_SIZE, visible_proposal


def _mine(user_id):
    """The person's proposals as lead or accepted co-author, latest first, with budget totals."""
    return (
        Proposal.objects.of_team(user_id)
        .select_related("cohort")
        .with_budget_total()
        .order_by("-updated_at", "-id")
    )


def _invitations(user_id):
    return TeamMember.objects.filter(user=user_id, status=TeamMember.Status.INVITED).select_related(
        "proposal__lead"
    )


def _proposing_cohorts(user_id):
    """The cohorts where the person is an active trainee (where they may propose)."""
    return Cohort.objects.filter(
        pk__in=Membership.objects.active().trainees().filter(user=user_id).values("cohort_id")
    )


# "My proposals" runs as stored SQL (core.compiled).
_INVITATIONS = Shape(_invitations)
_PROPOSING_COHORTS = Shape(_proposing_cohorts)


@login_required
@require_GET
def mine(request):
    """The person's proposals (as lead or co-author) and their open invitations."""
    person = request.user.pk  # login_required: signed in
    page = Paginator(ShapedList(_mine, person), PAGE_SIZE).get_page(request.GET.get("page"))
    invitations = _INVITATIONS.list(person)
    cohorts = _PROPOSING_COHORTS.list(person)
    return render(
        request,
        "proposals/my_proposals.html",
        {"page": page, "invitations": invitations, "cohorts": cohorts},
    )


def _edit_page(request, form, formset, *, proposal=None, cohort=None, status=None):
    response = form_page(
        request,
        form,
        template="proposals/proposal_form.html",
        title=_("Edit the proposal") if proposal else _("New initiative proposal"),
        formset=formset,
        proposal=proposal,
        cohort=cohort or proposal.cohort,
    )
    if status:
        response.status_code = status
    elif formset.total_error_count():
        response.status_code = 400
    return response


@login_required
@require_http_methods(["GET", "POST"])
def create(request, pk):
    cohort = get_object_or_404(Cohort.objects.visible_to(request.user), pk=pk)
    if not services.is_active_trainee(request.user, cohort):
        raise PermissionDenied
    if request.method == "POST":
        form = ProposalForm(request.POST)
        formset = BudgetFormSet(request.POST, prefix="budget")
        if form.is_valid() and formset.is_valid():
            try:
                proposal = services.create_proposal(
                    actor=request.user,
                    cohort=cohort,
                    data=form.proposal_data(),
                    budget_lines=budget_lines(formset),
                    form_token=form.cleaned_data.get("form_token"),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            except PermissionDenied as exc:
                return problem(request, str(exc), back=reverse("proposals:mine"), status=403)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("proposals:detail", pk=proposal.pk)
    else:
        form = ProposalForm(initial={"form_token": uuid.uuid4(), "governorate": cohort.governorate})
        formset = BudgetFormSet(prefix="budget")
    return _edit_page(request, form, formset, cohort=cohort)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    proposal = visible_proposal(request, pk)
    back = reverse("proposals:detail", args=[proposal.pk])
    if not services.is_team(request.user, proposal):
        raise PermissionDenied
    if not proposal.is_editable:
        return problem(request, _("The proposal cannot be edited in its current state."), back=back)
    if request.method == "POST":
        form = ProposalForm(request.POST, instance=Proposal(cohort=proposal.cohort))
        formset = BudgetFormSet(request.POST, prefix="budget")
        if form.is_valid() and formset.is_valid():
            try:
                services.update_proposal(
                    actor=request.user,
                    proposal=proposal,
                    expected_version=form.cleaned_data.get("version") or 0,
                    data=form.proposal_data(),
                    budget_lines=budget_lines(formset),
                )
            except ValidationError as exc:
                add_errors(form, exc)
            except Conflict as exc:
                form.add_error(None, exc.message)
                return _edit_page(request, form, formset, proposal=proposal, status=409)
            else:
                messages.success(request, _("Your changes are saved."))
                return redirect(back)
    else:
        form = ProposalForm(instance=proposal, initial={"version": proposal.version})
        formset = BudgetFormSet(
            prefix="budget",
            initial=[
                {"item": b.item, "quantity": b.quantity, "unit_cost_iqd": b.unit_cost_iqd}
                for b in proposal.budget_lines.all()
            ],
        )
    return _edit_page(request, form, formset, proposal=proposal)


@login_required
@require_GET
def detail(request, pk):
    # The one access path (visible_to) with everything the page shows, as compiled shapes.
    proposal = detail_proposal(request.user, pk)
    user = request.user
    is_team = proposal.is_team
    is_manager = proposal.is_manager
    reviews = []
    if proposal.is_decided or is_manager:
        hide = proposal.hide_names
        if hide is None:  # no rubric yet: created with its defaults, as before
            hide = services.rubric_for(proposal.cohort).hide_reviewer_names
        # Hidden from everyone who does not run the cohort (the team, and past members of it).
        hide_names = not is_manager and hide
        reviews = [
            (review, None if hide_names else review.assignment.reviewer)
            for review in submitted_reviews(user, proposal)
        ]
    invitation = next(
        (
            m
            for m in proposal.team_members.all()  # prefetched above
            if m.user_id == user.pk and m.status == TeamMember.Status.INVITED
        ),
        None,
    )
    return render(
        request,
        "proposals/proposal_detail.html",
        {
            "proposal": proposal,
            "is_team": is_team,
            "is_lead": proposal.lead_id == user.pk,
            "is_manager": is_manager,
            "reviews": reviews,
            "reviews_html": reviews_html(reviews),
            "budget_rows": budget_rows_html(proposal.budget_lines.all()),
            "invitation": invitation,
            "attachment_form": AttachmentForm(),
            "invite_form": InviteForm(),
            "comment_form": CommentForm(),
            "S": Proposal.Status,
        },
    )


TEAM_ACTIONS = {
    "submit": services.submit_proposal,
    "resubmit": services.resubmit_proposal,
    "withdraw": services.withdraw_proposal,
    "start_implementation": services.start_implementation,
    "start_review": services.start_review,
    "request_changes": services.request_changes,
    "complete": services.complete_proposal,
}


@login_required
@require_POST
def transition(request, pk, action):
    proposal = visible_proposal(request, pk)
    back = reverse("proposals:detail", args=[proposal.pk])
    service = TEAM_ACTIONS.get(action)
    if service is None:
        raise Http404
    form = CommentForm(request.POST)
    if not form.is_valid():
        return problem(request, _("Check the comment."), back=back, status=400)
    try:
        service(actor=request.user, proposal=proposal, comment=form.cleaned_data["comment"])
    except ValidationError as exc:
        return problem(request, " ".join(exc.messages), back=back, status=400)
    except PermissionDenied as exc:
        return problem(request, str(exc) or _("This is not yours to do."), back=back, status=403)
    except Conflict as exc:
        return problem(request, exc.message, back=back)
    messages.success(request, _("Done."))
    return redirect(back)


@login_required
@require_POST
def attach(request, pk):
    proposal = visible_proposal(request, pk)
    back = reverse("proposals:detail", args=[proposal.pk])
    if not services.is_team(request.user, proposal):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return problem(
            request,
            " ".join(e for errs in form.errors.values() for e in errs),
            back=back,
            status=400,
        )
    try:
        services.add_attachment(
            actor=request.user, proposal=proposal, upload=form.cleaned_data["file"]
        )
    except ValidationError as exc:
        return problem(request, " ".join(exc.messages), back=back, status=400)
    except PermissionDenied as exc:
        return problem(request, str(exc), back=back, status=403)
    except Conflict as exc:
        return problem(request, exc.message, back=back)
    messages.success(request, _("The file is attached."))
    return redirect(back)


def _file_response(field, *, content_type, filename):
    response = FileResponse(
        field.open("rb"), as_attachment=True, content_type=content_type, filename=filename
    )
    response["Cache-Control"] = "private, max-age=0"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def attachment(request, pk):
    """A proposal's file, only for people who may see the proposal, always as a download."""
    item = get_object_or_404(
        Attachment.objects.filter(proposal__in=Proposal.objects.visible_to(request.user)), pk=pk
    )
    extension = item.file.name.rsplit(".", 1)[-1]
    return _file_response(
        item.file,
        content_type=item.content_type,
        filename=f"proposal-{item.proposal_id}-{item.pk}.{extension}",
    )


@login_required
@require_GET
def photo(request, pk):
    item = get_object_or_404(
        ProgressPhoto.objects.filter(
            update__proposal__in=Proposal.objects.visible_to(request.user)
        ),
        pk=pk,
    )
    extension = item.file.name.rsplit(".", 1)[-1]
    return _file_response(
        item.file, content_type=item.content_type, filename=f"photo-{item.pk}.{extension}"
    )


@login_required
@require_POST
def invite(request, pk):
    proposal = visible_proposal(request, pk)
    back = reverse("proposals:detail", args=[proposal.pk])
    if proposal.lead_id != request.user.pk:
        raise PermissionDenied
    form = InviteForm(request.POST)
    if not form.is_valid():
        return problem(request, _("Enter a valid e-mail address."), back=back, status=400)
    person = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
    if person is None:
        return problem(
            request, _("Co-authors must be trainees of the same cohort."), back=back, status=400
        )
    try:
        services.invite_coauthor(actor=request.user, proposal=proposal, user=person)
    except ValidationError as exc:
        return problem(request, " ".join(exc.messages), back=back, status=400)
    except PermissionDenied as exc:
        return problem(request, str(exc), back=back, status=403)
    except Conflict as exc:
        return problem(request, exc.message, back=back)
    messages.success(request, _("The invitation is sent."))
    return redirect(back)


@login_required
@require_POST
def respond(request, pk):
    proposal = visible_proposal(request, pk)
    back = reverse("proposals:mine")
    try:
        services.respond_to_invitation(
            actor=request.user, proposal=proposal, accept=request.POST.get("answer") == "accept"
        )
    except PermissionDenied as exc:
        return problem(request, str(exc), back=back, status=403)
    except Conflict as exc:
        return problem(request, exc.message, back=back)
    return redirect(back)


@login_required
@require_GET
def compare(request, pk):
    """Two revisions side by side, field by field (default: the last two)."""
    proposal = visible_proposal(request, pk)
    revisions = shapes.revisions(proposal)
    numbers = {r.number: r for r in revisions}

    def pick(name, default):
        raw = request.GET.get(name, "")
        if raw.isascii() and raw.isdigit() and int(raw) in numbers:
            return numbers[int(raw)]
        return default

    older = pick(
        "a", revisions[-2] if len(revisions) > 1 else (revisions[0] if revisions else None)
    )
    newer = pick("b", revisions[-1] if revisions else None)
    changes = services.diff(older, newer) if older and newer else []
    return render(
        request,
        "proposals/compare.html",
        {
            "proposal": proposal,
            "revisions": revisions,
            "older": older,
            "newer": newer,
            "changes": changes,
        },
    )
