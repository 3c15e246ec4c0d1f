"""Implementation tracking (milestones, progress updates with photos, comments) and the public
showcase of completed initiatives shown with their team's consent."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.errors import Conflict
from core.pages import problem
from core.paging import Paginator

from .. import services, shapes
from ..forms import CommentForm, MilestoneForm, ProgressForm
from ..models import Proposal
from .common import PAGE_SIZE


@login_required
@require_http_methods(["GET", "POST"])
def implementation(request, pk):
    # Read as stored SQL (proposals.shapes), whether the person is of the team and may
    # comment with the proposal itself.
    proposal = shapes.implementation_proposal(request.user, pk)
    back = reverse("proposals:implementation", args=[proposal.pk])
    milestones = shapes.milestones(proposal)
    milestone_form = MilestoneForm(prefix="m")
    progress_form = ProgressForm(prefix="p", milestones=milestones)
    comment_form = CommentForm(prefix="c")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "milestone":
                milestone_form = MilestoneForm(request.POST, prefix="m")
                if milestone_form.is_valid():
                    services.add_milestone(
                        actor=request.user, proposal=proposal, **milestone_form.cleaned_data
                    )
                    return redirect(back)
            elif action == "progress":
                progress_form = ProgressForm(
                    request.POST, request.FILES, prefix="p", milestones=milestones
                )
                if progress_form.is_valid():
                    photo = progress_form.cleaned_data.get("photo")
                    services.post_progress(
                        actor=request.user,
                        proposal=proposal,
                        text=progress_form.cleaned_data["text"],
                        milestone_percents=progress_form.percents(),
                        photos=[photo] if photo else [],
                    )
                    messages.success(request, _("Progress posted."))
                    return redirect(back)
            elif action == "comment":
                comment_form = CommentForm(request.POST, prefix="c")
                if comment_form.is_valid():
                    services.comment_on_progress(
                        actor=request.user,
                        proposal=proposal,
                        text=comment_form.cleaned_data["comment"],
                    )
                    return redirect(back)
            else:
                return problem(request, _("Unknown action."), back=back, status=400)
        except ValidationError as exc:
            return problem(request, " ".join(exc.messages), back=back, status=400)
        except PermissionDenied as exc:
            return problem(request, str(exc), back=back, status=403)
        except Conflict as exc:
            return problem(request, exc.message, back=back)
        status = 400
    updates = shapes.updates(proposal)
    is_team = proposal.is_team
    response = render(
        request,
        "proposals/implementation.html",
        {
            "proposal": proposal,
            "milestones": milestones,
            "updates": updates,
            "overall": round(sum(m.percent_complete for m in milestones) / len(milestones))
            if milestones
            else 0,
            "milestone_form": milestone_form,
            "progress_form": progress_form,
            "comment_form": comment_form,
            "is_team": is_team,
            # The team posts progress; the cohort's managers and the lead's mentor comment.
            "can_comment": not is_team and proposal.can_comment,
            "can_plan": proposal.status in Proposal.IMPLEMENTING,
        },
        status=status,
    )
    return response


def _showcase_items(proposals) -> list[dict]:
    """Each showcased initiative with its team's names as the team chose to show them."""
    teams = shapes.accepted_teams(proposals)
    items = []
    for proposal in proposals:
        people = [proposal.lead] + [m.user for m in teams[proposal.pk]]
        names = [
            p.get_short_name() if proposal.showcase_first_names_only else p.full_name
            for p in people
        ]
        items.append({"proposal": proposal, "names": names})
    return items


@require_GET
def showcase(request):
    """Completed initiatives whose team consented; first names only when the team asked. The
    list and the teams are read as stored SQL (proposals.shapes)."""
    page = Paginator(shapes.showcase(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "proposals/showcase.html", {"page": page, "items": _showcase_items(page)}
    )


@require_GET
def showcase_item(request, pk):
    """One showcased initiative, the page a certificate's Open Badge links to as evidence; 404
    unless the initiative is completed and its team consented."""
    proposal = shapes.showcased_proposal(pk)
    if proposal is None:
        raise Http404(_("No initiative to show here."))
    return render(request, "proposals/showcase_item.html", {"item": _showcase_items([proposal])[0]})
