"""Who reaches which course, whose progress, and whose submissions: the plug-in points.

Courses come before cohorts and mentoring in the dependency order (accounts <- courses <- cohorts
<- mentoring), so this app cannot ask them anything. Instead they register here, in their
AppConfig.ready():

- cohorts: `register_course_audience(fn)` where `fn(user_id) -> Q` over Course, e.g. "the
  person is a trainee in a cohort whose curriculum contains the course" (it is given the
  person's id only, as the compiled lookups of courses.lookups build it once for any person:
  everything else it needs is in the database); and `register_course_start(fn)`
  where `fn(user, course) -> datetime | None` gives the start of the user's cohort, for
  assignment deadlines relative to it.
- mentoring: `register_progress_viewer(fn)` where `fn(viewer) -> QuerySet | None` returns the
  ids (a one-field values() queryset) of the people whose progress and submissions the viewer
  may see (a mentor's mentees). It reads the viewer's id in its SQL only, and otherwise only
  their role, staff flags and whether they are active (None only by these): the review queue
  compiles the rules once for every reviewer of a kind (courses.queue); and
  `register_reviewer(fn)` where `fn(reviewer, submission) -> bool` lets a mentor review the
  submissions of their mentees.

Until then a course reaches a trainee through a direct `CourseEnrollment`, progress is visible to
its owner and to managers, and submissions are reviewed by managers."""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

_course_audiences: list[Callable] = []
_course_starts: list[Callable] = []
_progress_viewers: list[Callable] = []
_reviewers: list[Callable] = []


def register_course_audience(fn: Callable) -> Callable:
    if fn not in _course_audiences:
        _course_audiences.append(fn)
    return fn


def register_course_start(fn: Callable) -> Callable:
    if fn not in _course_starts:
        _course_starts.append(fn)
    return fn


def register_progress_viewer(fn: Callable) -> Callable:
    if fn not in _progress_viewers:
        _progress_viewers.append(fn)
    return fn


def register_reviewer(fn: Callable) -> Callable:
    if fn not in _reviewers:
        _reviewers.append(fn)
    return fn


def trainee_course_filter(user_id, *, enrollments) -> Q:
    """The condition (over Course) under which a non-manager, known by id, may see a published
    course.

    Today: a direct enrollment, one of `enrollments` (the CourseEnrollment rows, passed in by
    the models, which this module sits below). Cohorts extend it with "member of a cohort whose
    curriculum contains the course" through `register_course_audience`; every condition is an
    Exists() or similar, so the course list never multiplies rows."""
    condition = Q(Exists(enrollments.filter(course=OuterRef("pk"), user=user_id)))
    for audience in _course_audiences:
        condition |= audience(user_id)
    return condition


def progress_viewers() -> tuple:
    """The registered progress viewer rules, for the key of a compiled query that applies them
    (core.compiled), as `course_audiences`."""
    return tuple(_progress_viewers)


def course_audiences() -> tuple:
    """The registered audience rules, for the key of a compiled query that applies them
    (core.compiled): one registered later (a test's) compiles the query anew."""
    return tuple(_course_audiences)


def progress_owner_filter(viewer, *, prefix: str = "user", per_row: bool = False) -> Q:
    """The condition (over a model with a user foreign key at `prefix`) for rows of progress the
    viewer may see besides everything a manager sees: their own, and their mentees' once
    mentoring registers a viewer rule. `per_row`: see `among`."""
    condition = Q(**{prefix: viewer})
    for viewer_rule in _progress_viewers:
        ids = viewer_rule(viewer)
        if ids is not None:
            condition |= among(ids, prefix, per_row=per_row)
    return condition


def among(ids: QuerySet, prefix: str, *, per_row: bool = False) -> Q:
    """`prefix IN ids`, where `ids` is a one-field values() queryset of people.

    PostgreSQL answers IN (and EXISTS) by hashing every row of `ids` before it reads the first
    outer row: a mentor of six cohorts pays for seven thousand trainees to show fifty
    submissions. With `per_row`, the condition is a scalar subquery, which cannot be hashed, so
    it is asked once for each row read, through the index on the person: for a list read a page
    at a time in the order of its own index (the review queue), or a single row. The same rows
    either way; the subquery answers true or false, never NULL, so it may be negated too."""
    fields = ids.query.values_select
    if not per_row or len(fields) != 1:
        return Q(**{f"{prefix}__in": ids})
    probe = ids.filter(**{fields[0]: OuterRef(prefix)}).order_by().values(found=Value(True))[:1]
    return Q(Coalesce(Subquery(probe, output_field=BooleanField()), Value(False)))


def course_start_for(user, course):
    """When this user's run of the course started (their cohort's start), or None if unknown."""
    for rule in _course_starts:
        start = rule(user, course)
        if start is not None:
            return start
    return None


def can_review(reviewer, submission) -> bool:
    """Staff review every submission; program managers those of the people they may see (the
    trainees of the cohorts they run); mentors those their mentoring rule allows."""
    if not reviewer.is_authenticated or not reviewer.is_active:
        return False
    if reviewer.is_staff or reviewer.is_superuser:
        return True
    if reviewer.pk == submission.user_id:
        return False
    if reviewer.can_manage() and (
        get_user_model().objects.visible_to(reviewer).filter(pk=submission.user_id).exists()
    ):
        return True
    return any(rule(reviewer, submission) for rule in _reviewers)
