"""What the course pages share: the preview of trainee pages by managers and the lookup of a visible lesson."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from .. import lookups, progress
from ..models import (
    Lesson,
)

PAGE_SIZE = 50

# No account has this id: the status computed for it is that of a trainee who has not started,
# which is what a manager's preview shows.
_NOBODY = 0

# A lesson id no lesson has: a list page reverses a URL once and puts each id in it.
_URL_ID = 987654321


def _is_preview(user) -> bool:
    """Program managers open the trainee pages to preview them; nothing they do there counts."""
    return user.can_manage()


def _refuse_preview(user):
    if _is_preview(user):
        raise PermissionDenied(_("Previews do not record progress."))


def _status_for(user, course):
    if _is_preview(user):
        return progress.statuses([_NOBODY], [course])[(_NOBODY, course.pk)]
    return progress.course_status(user, course)


def _visible_lesson(user, pk) -> Lesson:
    """The lesson of `Lesson.objects.visible_to(user)` with its module and course, or 404."""
    lesson = lookups.visible_lesson(user, pk)
    if lesson is None:
        raise Http404
    return lesson
