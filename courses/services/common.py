"""What the course services share: the LessonLocked error and the notification kinds they send
(declared in courses.notifications)."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from core.errors import Refused

from ..notifications import ENROLLED, SUBMISSION_ACCEPTED, SUBMISSION_RETURNED
from ..progress import LessonState

__all__ = [
    "ENROLLED",
    "SUBMISSION_ACCEPTED",
    "SUBMISSION_RETURNED",
    "LessonLocked",
]


class LessonLocked(Refused):
    """The lesson is visible but not open yet (sequencing, prerequisites or dates)."""

    code = "lesson_locked"

    def __init__(self, state: LessonState):
        self.state = state
        self.reason = state.lock_reason
        super().__init__(state.lock_message)


def _require_manager(actor):
    if not actor.can_manage():
        raise PermissionDenied(_("Only program managers can edit courses."))
