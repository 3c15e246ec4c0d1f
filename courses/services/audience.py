"""A course's audience: enrolling and unenrolling trainees."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.models import record
from notifications.services import notify

from ..models import (
    Course,
    CourseEnrollment,
)
from .common import ENROLLED, _require_manager

# --- Audience ---------------------------------------------------------------------------------------


@transaction.atomic
def enroll_trainee(*, actor, course: Course, user, send_notification: bool = True):
    """Give a person a course directly (until cohorts deliver courses through curricula)."""
    _require_manager(actor)
    if not user.is_active:
        raise ValidationError(_("This account is not active."), code="inactive")
    enrollment, created = CourseEnrollment.objects.get_or_create(
        user=user, course=course, defaults={"enrolled_by": actor}
    )
    if created:
        record(actor=actor, action="courses.enroll", target=course, user=user.pk)
        if send_notification and course.is_published:
            notify(
                recipient=user,
                kind=ENROLLED.key,
                params={"course": course.title, "course_en": course.title_en},
                url=course.get_absolute_url(),
            )
    return enrollment


@transaction.atomic
def unenroll_trainee(*, actor, course: Course, user) -> bool:
    """Withdraw a direct enrollment; the trainee's progress is kept for the record."""
    _require_manager(actor)
    deleted, _rows = CourseEnrollment.objects.filter(user=user, course=course).delete()
    if deleted:
        record(actor=actor, action="courses.unenroll", target=course, user=user.pk)
    return bool(deleted)
