"""What the course services share: the LessonLocked error and the notification kinds they send."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from core.errors import Refused
from notifications import kinds

from ..progress import LessonState


class LessonLocked(Refused):
    """The lesson is visible but not open yet (sequencing, prerequisites or dates)."""

    code = "lesson_locked"

    def __init__(self, state: LessonState):
        self.state = state
        self.reason = state.lock_reason
        super().__init__(state.lock_message)


def _lesson_params(params: dict) -> dict:
    return {
        "lesson": kinds.localized(params, "lesson"),
        "course": kinds.localized(params, "course"),
    }


SUBMISSION_RETURNED = kinds.register(
    "courses.submission_returned",
    title=_("Your assignment was returned with feedback"),
    body=_(
        "Your submission for “%(lesson)s” in the course “%(course)s” was returned for revision. "
        "Read the feedback and submit it again."
    ),
    prepare=_lesson_params,
)
SUBMISSION_ACCEPTED = kinds.register(
    "courses.submission_accepted",
    title=_("Your assignment was accepted"),
    body=_("Your submission for “%(lesson)s” in the course “%(course)s” was accepted."),
    prepare=_lesson_params,
)
ENROLLED = kinds.register(
    "courses.enrolled",
    title=_("You have a new course"),
    body=_("You have been enrolled in the course “%(course)s”."),
    prepare=_lesson_params,
)


def _require_manager(actor):
    if not actor.can_manage():
        raise PermissionDenied(_("Only program managers can edit courses."))
