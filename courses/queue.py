"""The review queue: the submissions waiting for review that a reviewer may see, oldest first,
read a page at a time as compiled shapes (core.compiled), and its rows as HTML built in Python.

The rows and their count are each built and compiled once per connection and kind of reviewer,
then run with the reviewer's id: the visibility rules (`AssignmentSubmission.visible_to`,
which asks the rules cohorts and mentoring register) are built for a stand-in of the reviewer
holding what they read of a person besides the id (accounts.directory.person_key), which is the
shapes' key together with the registered rules themselves.

Fifty rows of four cells, a date and two conditions each went through the template engine's
lookups cell by cell, most of what the page cost to render: `rows_html` writes the markup that
tests/courses/test_review_queue.py renders with the template engine and compares."""

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts import access as people_access
from accounts.directory import only_row, person_key, stand_in
from core.compiled import Shape
from core.markup import esc as escape
from core.paging import counted
from core.templatetags.dates import format_when

from . import access
from .models import AssignmentSubmission

# A submission id no submission has: the links are one reverse() with each id put in it.
_URL_ID = 987654321

COLUMNS = (
    "id", "submitted_at", "is_late", "revision", "user__full_name",
    "lesson__title", "lesson__title_en",
    "lesson__module__course__title", "lesson__module__course__title_en",
)  # fmt: skip


def reviewer_key(user) -> dict:
    """What the visibility rules read of the reviewer besides the id, and the rules."""
    return {
        **person_key(user),
        "rules": access.progress_viewers() + people_access.manager_scopes(),
    }


def _waiting(user_id, *, rules, **person):
    """The waiting submissions the reviewer may see but their own, oldest first. Who may see
    each is asked as it is read, through the index of the waiting ones (`per_row`): a page
    reads its rows, not every trainee of the reviewer's cohorts."""
    return (
        AssignmentSubmission.objects.visible_to(stand_in(user_id, **person), per_row=True)
        .exclude(user=user_id)
        .filter(status__in=AssignmentSubmission.AWAITING_REVIEW)
        .order_by("submitted_at", "id")
    )


def _page(user_id, *, _start, _stop, **key):
    # Only what the rows show: no password hash, no lesson or answer text.
    return _waiting(user_id, **key).values_list(*COLUMNS)[_start:_stop]


_PAGE = Shape(_page)
_COUNT = Shape(lambda user_id, **key: counted(_waiting(user_id, **key)))


class Waiting:
    """The reviewer's queue as a list the paginator counts (one query, past one page) and
    slices (one query a page) as it does a queryset (core.paging: `sliced_in_sql`)."""

    sliced_in_sql = True

    def __init__(self, user):
        self.user_id, self.key = user.pk, reviewer_key(user)

    def count(self) -> int:
        return _COUNT.first(self.user_id, **self.key) or 0

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        if start == stop:
            return []
        return _PAGE.list(self.user_id, _start=start, _stop=stop, **self.key)


def rows(values) -> list[dict]:
    """The rows of a page as plain values: one reverse() for the links, the version label
    translated once per page and the titles in the page's language."""
    url = reverse("courses:review", args=[_URL_ID])
    version = _("version %(n)s")
    english = (get_language() or settings.LANGUAGE_CODE).startswith("en")
    return [
        {
            "id": pk,
            "name": name,
            "lesson": lesson_en if english and lesson_en else lesson,
            "course": course_en if english and course_en else course,
            "submitted_at": submitted_at,
            "late": late,
            "version": version % {"n": revision} if revision > 1 else "",
            "url": url.replace(str(_URL_ID), str(pk)),
        }
        for (
            pk, submitted_at, late, revision, name, lesson, lesson_en, course, course_en
        ) in values
    ]  # fmt: skip


def rows_html(rows: list[dict]) -> SafeString:
    """<tr> rows of the queue, from `rows` (name, lesson, course, submitted_at, late, version,
    url); a row saying so when nothing is waiting."""
    if not rows:
        return only_row(_("Nothing is waiting for review."), 4)
    l_trainee = escape(_("Trainee"))
    l_assignment = escape(_("Assignment"))
    l_submitted = escape(_("Submitted"))
    l_late = escape(_("late"))  # outside the f-string, where the message extractor sees it
    late = f' · <span class="error">{l_late}</span>'
    review = escape(_("Review"))
    parts = []
    for row in rows:
        version = f" · {escape(row['version'])}" if row["version"] else ""
        parts.append(
            f'<tr><td data-label="{l_trainee}">{escape(row["name"])}</td>'
            f'<td data-label="{l_assignment}"><span dir="auto">{escape(row["lesson"])}</span>'
            f'<br><small class="muted" dir="auto">{escape(row["course"])}</small></td>'
            f'<td data-label="{l_submitted}">'
            f"{escape(format_when(row['submitted_at'], 'DATETIME_FORMAT'))}"
            f"{late if row['late'] else ''}{version}</td>"
            f'<td><a href="{escape(row["url"])}">{review}</a></td></tr>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value is escaped above
