"""The review of assignment submissions by managers and mentors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.paging import Paginator

from .. import access, services
from ..forms import (
    ReviewForm,
    add_errors,
)
from ..models import (
    AssignmentSubmission,
)
from ..services import Conflict
from .common import _URL_ID, PAGE_SIZE

# --- Reviews --------------------------------------------------------------------------------------


def _may_review_some(user) -> bool:
    return user.can_manage() or user.is_mentor


@login_required
@require_GET
def review_queue(request):
    """Submissions waiting for review that the reviewer may see: every one for managers, their
    mentees' for mentors (courses.access decides)."""
    user = request.user
    if not _may_review_some(user):
        raise PermissionDenied
    waiting = (
        AssignmentSubmission.objects.visible_to(user)
        .exclude(user=user)
        .filter(status__in=AssignmentSubmission.AWAITING_REVIEW)
        .select_related("user", "lesson__module__course")
        # Only what the rows show (no password hash, no lesson or answer text).
        .only(*_QUEUE_COLUMNS)
        .order_by("submitted_at", "id")
    )
    page = Paginator(waiting, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "courses/review_queue.html", {"page": page, "rows": _queue_rows(page)})


def _queue_rows(page) -> list[dict]:
    """The queue's rows as plain values: one reverse() for the links, the version label
    translated once per page instead of once per row in the template."""
    url = reverse("courses:review", args=[_URL_ID])
    version = _("version %(n)s")
    return [
        {
            "name": submission.user.full_name,
            "lesson": submission.lesson.display_title,
            "course": submission.lesson.module.course.display_title,
            "submitted_at": submission.submitted_at,
            "late": submission.is_late,
            "version": version % {"n": submission.revision} if submission.revision > 1 else "",
            "url": url.replace(str(_URL_ID), str(submission.pk)),
        }
        for submission in page
    ]


_QUEUE_COLUMNS = (
    "id", "status", "revision", "is_late", "submitted_at", "user", "lesson",
    "user__id", "user__full_name",
    "lesson__id", "lesson__title", "lesson__title_en", "lesson__module",
    "lesson__module__id", "lesson__module__course", "lesson__module__course__id",
    "lesson__module__course__title", "lesson__module__course__title_en",
)  # fmt: skip


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
