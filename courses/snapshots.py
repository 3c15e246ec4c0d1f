"""Progress snapshots (CourseProgressSnapshot): the stored copy of `courses.progress`'s figures
for one trainee and one course, for pages over many trainees. Every figure is computed by calling
the rule (`progress.statuses`), never re-derived here, so a snapshot cannot disagree with the rule
in kind; it can only be late, and each path below keeps that window inside one transaction or one
task:

- a trainee's own work: the services call `refresh` in the transaction that completes a lesson,
  records a passing quiz attempt or reviews an assignment, and `note_activity` when the trainee
  only opens a lesson, attempts a quiz without passing or hands in work;
- the course's structure (a lesson added or deleted, made required or optional, its kind changed,
  moved to another course, by the services, the admin or the shell): the Lesson signal receivers
  below enqueue `tasks.refresh_course_progress` after commit, which refreshes every row of the
  course;
- a trainee's record deleted outside the services (the admin): refreshed at once;
- `manage.py refresh_progress_snapshots` (and its nightly task): `rebuild`, for recovery.

Locks: `refresh` locks the trainee's row before asking the rule, and `refresh_course` locks the
rows of the trainees it recomputes, so that of two concurrent refreshes the later one reads what
the earlier one committed."""

import logging
from itertools import islice

from django.db import IntegrityError, transaction
from django.db.models import DateTimeField, Max, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from .models import (
    AssignmentSubmission,
    Course,
    CourseProgressSnapshot,
    Lesson,
    LessonProgress,
    Module,
    QuizAttempt,
)
from .progress import statuses

logger = logging.getLogger(__name__)

FIGURES = ("required_total", "required_done", "percent", "completed", "last_activity_at")
FACTS = (LessonProgress, QuizAttempt, AssignmentSubmission)
CHUNK = 500


def refresh(*, user, course: Course) -> CourseProgressSnapshot:
    """Recompute one trainee's snapshot of one course from the rule (creating it if needed)."""
    user_id = getattr(user, "pk", user)
    with transaction.atomic():
        snapshot = _locked(user_id, course.pk)
        status = statuses([user_id], [course])[(user_id, course.pk)]
        _fill(snapshot, status, _last_activity([user_id], course.pk).get(user_id))
        snapshot.refreshed_at = timezone.now()
        snapshot.save(update_fields=[*FIGURES, "refreshed_at"])
    return snapshot


def note_activity(*, user, course: Course, at) -> None:
    """The trainee did something in the course that changes no figure of the rule (opened a
    lesson, attempted a quiz without passing, handed in work): only the last activity moves."""
    user_id = getattr(user, "pk", user)
    moment = Value(at, output_field=DateTimeField())
    updated = CourseProgressSnapshot.objects.filter(user_id=user_id, course_id=course.pk).update(
        last_activity_at=Greatest(Coalesce("last_activity_at", moment), moment)
    )
    if not updated:
        refresh(user=user_id, course=course)


def refresh_course(course_id: int) -> int:
    """Recompute the snapshots of everyone with a snapshot or any activity in the course (after
    its structure changed). Returns how many rows were wrong or missing; 0 when run again."""
    course = Course.objects.filter(pk=course_id).first()
    if course is None:
        return 0
    in_course = {"lesson__module__course_id": course_id}
    people = set(
        CourseProgressSnapshot.objects.filter(course_id=course_id).values_list("user_id", flat=True)
    )
    for model in FACTS:
        people.update(model.objects.filter(**in_course).values_list("user_id", flat=True))
    fixed = 0
    ordered = iter(sorted(people))
    while chunk := list(islice(ordered, CHUNK)):
        fixed += _refresh_chunk(course, chunk)
    return fixed


def rebuild() -> int:
    """Recompute every snapshot of every course; returns how many rows were wrong or missing."""
    course_ids = set(CourseProgressSnapshot.objects.values_list("course_id", flat=True).distinct())
    for model in FACTS:
        course_ids.update(
            model.objects.values_list("lesson__module__course_id", flat=True).distinct()
        )
    return sum(refresh_course(course_id) for course_id in sorted(course_ids))


@transaction.atomic
def _refresh_chunk(course: Course, user_ids: list[int]) -> int:
    CourseProgressSnapshot.objects.bulk_create(
        [CourseProgressSnapshot(user_id=pk, course=course) for pk in user_ids],
        ignore_conflicts=True,
    )
    snapshots = list(
        CourseProgressSnapshot.objects.select_for_update()
        .filter(course=course, user_id__in=user_ids)
        .order_by("pk")
    )
    # Asked after the rows are locked (see the module docstring).
    found = statuses(user_ids, [course])
    activity = _last_activity(user_ids, course.pk)
    now = timezone.now()
    wrong = []
    for snapshot in snapshots:
        before = [getattr(snapshot, name) for name in FIGURES]
        _fill(snapshot, found[(snapshot.user_id, course.pk)], activity.get(snapshot.user_id))
        if [getattr(snapshot, name) for name in FIGURES] != before:
            snapshot.refreshed_at = now
            wrong.append(snapshot)
    CourseProgressSnapshot.objects.bulk_update(wrong, [*FIGURES, "refreshed_at"], batch_size=500)
    return len(wrong)


def _locked(user_id: int, course_id: int) -> CourseProgressSnapshot:
    rows = CourseProgressSnapshot.objects.select_for_update()
    snapshot = rows.filter(user_id=user_id, course_id=course_id).first()
    if snapshot is not None:
        return snapshot
    try:
        with transaction.atomic():
            return CourseProgressSnapshot.objects.create(user_id=user_id, course_id=course_id)
    except IntegrityError:
        # Created by a concurrent refresh, which has committed by now.
        return rows.get(user_id=user_id, course_id=course_id)


def _fill(snapshot, status, last_activity) -> None:
    snapshot.required_total = status.required_total
    snapshot.required_done = status.required_done
    snapshot.percent = status.percent
    snapshot.completed = status.completed
    snapshot.last_activity_at = last_activity


def _last_activity(user_ids, course_id: int) -> dict:
    """{user id: the latest lesson opened, quiz attempt or assignment handed in}, one query."""
    scope = {"user_id__in": user_ids, "lesson__module__course_id": course_id}
    per_fact = [
        model.objects.filter(**scope)
        .order_by()
        .values("user_id")
        .annotate(last=Max(moment))
        .values_list("user_id", "last")
        for model, moment in (
            (LessonProgress, "last_seen_at"),
            (QuizAttempt, "submitted_at"),
            (AssignmentSubmission, "submitted_at"),
        )
    ]
    latest: dict = {}
    for user_id, moment in per_fact[0].union(*per_fact[1:], all=True):
        if moment is not None and (user_id not in latest or moment > latest[user_id]):
            latest[user_id] = moment
    return latest


# --- Structure changes and deleted records --------------------------------------------------------

# A lesson's fields that change what the rule answers for a trainee.
STRUCTURE_FIELDS = {"is_required", "kind", "module"}


def schedule_course_refresh(course_id: int) -> None:
    """Refresh the course's snapshots in a task once the change is committed (the task must see
    it). A failure to enqueue is logged, not raised: the change itself stands, and the nightly
    rebuild catches up."""
    from . import tasks

    transaction.on_commit(lambda: tasks.refresh_course_progress.delay(course_id), robust=True)


def lesson_pre_save(sender, instance: Lesson, raw=False, update_fields=None, **kwargs) -> None:
    # A lesson moved to another module may leave its course: remember where it was.
    if raw or instance.pk is None:
        return
    if update_fields is not None and "module" not in update_fields:
        return
    instance._previous_course_id = (
        Lesson.objects.filter(pk=instance.pk).values_list("module__course_id", flat=True).first()
    )


def lesson_saved(
    sender, instance: Lesson, created=False, raw=False, update_fields=None, **kwargs
) -> None:
    if raw:
        return
    if update_fields is not None and not STRUCTURE_FIELDS & set(update_fields):
        return  # a new position, title or text changes nobody's progress
    if created and not instance.is_required:
        return
    course_ids = {
        Module.objects.filter(pk=instance.module_id).values_list("course_id", flat=True).first(),
        getattr(instance, "_previous_course_id", None),
    }
    for course_id in sorted(course_ids - {None}):
        schedule_course_refresh(course_id)


def lesson_deleted(sender, instance: Lesson, origin=None, **kwargs) -> None:
    if isinstance(origin, Course) or _is_queryset_of(origin, Course):
        return  # the snapshots go with the course
    course_id = (
        Module.objects.filter(pk=instance.module_id).values_list("course_id", flat=True).first()
    )
    if course_id is not None:
        schedule_course_refresh(course_id)


def fact_deleted(sender, instance, origin=None, **kwargs) -> None:
    """A lesson progress, quiz attempt or submission deleted by itself (the admin): refresh that
    trainee's snapshot. Deleted with a lesson, module, course or person, nothing to do here (the
    structure receivers or the cascade take care of it)."""
    if not (isinstance(origin, FACTS) or any(_is_queryset_of(origin, m) for m in FACTS)):
        return
    course = Course.objects.filter(modules__lessons__pk=instance.lesson_id).first()
    if course is not None:
        refresh(user=instance.user_id, course=course)


def _is_queryset_of(origin, model) -> bool:
    return isinstance(origin, QuerySet) and origin.model is model
