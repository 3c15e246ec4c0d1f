"""The notification kinds of courses, registered by `CoursesConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from notifications import kinds
from notifications.kinds import Kind


def _lesson_params(params: dict) -> dict:
    return {
        "lesson": kinds.localized(params, "lesson"),
        "course": kinds.localized(params, "course"),
    }


SUBMISSION_RETURNED = Kind(
    "courses.submission_returned",
    title=_("Your assignment was returned with feedback"),
    body=_(
        "Your submission for “%(lesson)s” in the course “%(course)s” was returned for revision. "
        "Read the feedback and submit it again."
    ),
    prepare=_lesson_params,
)
SUBMISSION_ACCEPTED = Kind(
    "courses.submission_accepted",
    title=_("Your assignment was accepted"),
    body=_("Your submission for “%(lesson)s” in the course “%(course)s” was accepted."),
    prepare=_lesson_params,
)
ENROLLED = Kind(
    "courses.enrolled",
    title=_("You have a new course"),
    body=_("You have been enrolled in the course “%(course)s”."),
    prepare=_lesson_params,
)

KINDS = (SUBMISSION_RETURNED, SUBMISSION_ACCEPTED, ENROLLED)


def register_kinds() -> None:
    kinds.register_all(KINDS)
