"""The review of assignment submissions by managers and mentors."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict
from core.models import record
from notifications.services import notify

from .. import access, snapshots
from ..models import (
    AssignmentSubmission,
)
from .common import SUBMISSION_ACCEPTED, SUBMISSION_RETURNED
from .work import _mark_complete


@transaction.atomic
def review_submission(
    *, reviewer, submission: AssignmentSubmission, accept: bool, feedback: str = ""
):
    """A manager (or, once mentoring exists, the trainee's mentor) accepts a submission, which
    completes the lesson, or returns it with feedback for a resubmission. Recorded and notified."""
    if not access.can_review(reviewer, submission):
        raise PermissionDenied(_("You cannot review this submission."))
    submission = (
        AssignmentSubmission.objects.select_for_update()
        .select_related("lesson__module__course", "user")
        .get(pk=submission.pk)
    )
    if not submission.awaiting_review:
        raise Conflict(_("This submission is not waiting for review."), code="not_awaiting_review")
    feedback = (feedback or "").strip()
    if not accept and not feedback:
        raise ValidationError(
            {"feedback": [_("Say what should change when you return a submission.")]}
        )
    submission.status = (
        AssignmentSubmission.Status.ACCEPTED if accept else AssignmentSubmission.Status.RETURNED
    )
    submission.feedback = feedback
    submission.reviewed_by = reviewer
    submission.reviewed_at = timezone.now()
    submission.save(update_fields=["status", "feedback", "reviewed_by", "reviewed_at"])
    lesson = submission.lesson
    if accept:
        _mark_complete(submission.user, lesson)
    snapshots.refresh(user=submission.user, course=lesson.module.course)
    record(
        actor=reviewer,
        action="courses.accept_submission" if accept else "courses.return_submission",
        target=submission,
        revision=submission.revision,
        lesson=lesson.pk,
    )
    course = lesson.module.course
    notify(
        recipient=submission.user,
        kind=(SUBMISSION_ACCEPTED if accept else SUBMISSION_RETURNED).key,
        params={
            "lesson": lesson.title,
            "lesson_en": lesson.title_en,
            "course": course.title,
            "course_en": course.title_en,
        },
        url=lesson.get_absolute_url(),
    )
    return submission
