"""The review of assignment submissions by managers and mentors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.paging import Paginator

from .. import access, queue, services
from ..forms import (
    ReviewForm,
    add_errors,
)
from ..models import (
    AssignmentSubmission,
)
from ..services import Conflict
from .common import PAGE_SIZE

# --- Reviews --------------------------------------------------------------------------------------


def _may_review_some(user) -> bool:
    return user.can_manage() or user.is_mentor


@login_required
@require_GET
def review_queue(request):
    """Submissions waiting for review that the reviewer may see: every one for managers, their
    mentees' for mentors (courses.access decides; courses.queue reads them)."""
    user = request.user
    if not _may_review_some(user):
        raise PermissionDenied
    page = Paginator(queue.Waiting(user), PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = rows = queue.rows(page.object_list)
    return render(
        request,
        "courses/review_queue.html",
        {"page": page, "rows": rows, "rows_html": queue.rows_html(rows)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, pk):
    user = request.user
    submission = get_object_or_404(
        AssignmentSubmission.objects.visible_to(user).select_related(
            "user", "reviewed_by", "lesson__module__course"
        ),
        pk=pk,
    )
    if not access.can_review(user, submission):
        raise PermissionDenied
    status_code = 200
    if request.method == "POST":
        form = ReviewForm(request.POST)
        if form.is_valid():
            accept = form.cleaned_data["decision"] == ReviewForm.ACCEPT
            try:
                services.review_submission(
                    reviewer=user,
                    submission=submission,
                    accept=accept,
                    feedback=form.cleaned_data["feedback"],
                )
            except ValidationError as exc:
                add_errors(form, exc)
                status_code = 400
            except Conflict as exc:
                form.add_error(None, exc.message)
                status_code = 409
            else:
                messages.success(
                    request,
                    _("The submission was accepted.")
                    if accept
                    else _("The submission was returned with your feedback."),
                )
                return redirect("courses:review_queue")
        else:
            status_code = 400
    else:
        form = ReviewForm()
    return render(
        request,
        "courses/review.html",
        {"submission": submission, "form": form, "lesson": submission.lesson},
        status=status_code,
    )
