"""Progress snapshots (CourseProgressSnapshot): the stored copy of `courses.progress`'s figures
for one trainee and one course, for pages over many trainees. Every figure is computed by calling
the rule (`progress.statuses`), never re-derived here, so a snapshot cannot disagree with the rule
in kind; it can only be late, and each path below keeps that window inside one transaction or one
task:

- a trainee's own work: the services call `refresh` in the transaction that completes a lesson,
  records a passing quiz attempt, hands in an assignment or reviews one;
- the course's structure (a lesson added or deleted, made required or optional, its kind changed,
  moved to another course, by the services, the admin or the shell): the Lesson signal receivers
  below enqueue the `refresh_course_progress` task after commit, which refreshes every row of the
  course;
- a trainee's record deleted outside the services (the admin): refreshed at once;
- `manage.py refresh_progress_snapshots` (and its nightly task): `rebuild`, for recovery.

Apps that keep copies of snapshots (cohorts copies a trainee's curriculum figures into one row
per cohort) cannot be imported here; they register listeners, called in the transaction that
wrote the snapshots: `register_listener(fn)`, `fn(user_ids, course_id)` after snapshots of the
course were recomputed. A trainee's last activity in a course is not a figure of the rule and
moves on every lesson opened, so it is not stored here: `note_activity` passes it on to
`register_activity_listener(fn)` listeners, `fn(user_id, course_id, at)`, and `last_activity`
answers it from the records.

Locks: `refresh` locks the trainee's row before asking the rule, and `refresh_course` locks the
rows of the trainees it recomputes, so that of two concurrent refreshes the later one reads what
the earlier one committed."""

import logging
from collections.abc import Callable
from itertools import islice

from celery import shared_task
from django.db import IntegrityError, transaction
from django.db.models import Max, QuerySet
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

FIGURES = ("required_total", "required_done", "percent", "completed", "handed_in")
FACTS = (LessonProgress, QuizAttempt, AssignmentSubmission)
CHUNK = 500

_listeners: list[Callable] = []
_activity_listeners: list[Callable] = []


def register_listener(fn: Callable) -> Callable:
    if fn not in _listeners:
        _listeners.append(fn)
    return fn


def register_activity_listener(fn: Callable) -> Callable:
    if fn not in _activity_listeners:
        _activity_listeners.append(fn)
    return fn


def refresh(*, user, course: Course) -> CourseProgressSnapshot:
    """Recompute one trainee's snapshot of one course from the rule (creating it if needed)."""
    user_id = getattr(user, "pk", user)
    with transaction.atomic():
        snapshot = _locked(user_id, course.pk)
        status = statuses([user_id], [course])[(user_id, course.pk)]
        _fill(snapshot, status)
        snapshot.refreshed_at = timezone.now()
        snapshot.save(update_fields=[*FIGURES, "refreshed_at"])
        for listener in _listeners:
            listener([user_id], course.pk)
    return snapshot


def note_activity(*, user, course: Course, at) -> None:
    """The trainee did something in the course that changes no figure of the rule (opened a
    lesson, attempted a quiz without passing): tell the apps that track the last activity."""
    user_id = getattr(user, "pk", user)
    for listener in _activity_listeners:
        listener(user_id, course.pk, at)


def last_activity(user_ids, course_ids) -> dict:
    """{(user id, course id): the latest lesson opened, quiz attempt or assignment handed in},
    in one query."""
    scope = {"user_id__in": list(user_ids), "lesson__module__course_id__in": list(course_ids)}
    per_fact = [
        model.objects.filter(**scope)
        .order_by()
        .values("user_id", "lesson__module__course_id")
        .annotate(last=Max(moment))
        .values_list("user_id", "lesson__module__course_id", "last")
        for model, moment in (
            (LessonProgress, "last_seen_at"),
            (QuizAttempt, "submitted_at"),
            (AssignmentSubmission, "submitted_at"),
        )
    ]
    latest: dict = {}
    for user_id, course_id, moment in per_fact[0].union(*per_fact[1:], all=True):
        key = (user_id, course_id)
        if moment is not None and (key not in latest or moment > latest[key]):
            latest[key] = moment
    return latest


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
    snapshots = {
        snapshot.user_id: snapshot
        for snapshot in CourseProgressSnapshot.objects.select_for_update()
        .filter(course=course, user_id__in=user_ids)
        .order_by("pk")
    }
    # Asked after the rows are locked (see the module docstring).
    found = statuses(user_ids, [course])
    now = timezone.now()
    missing, wrong = [], []
    for user_id in user_ids:
        snapshot = snapshots.get(user_id)
        if snapshot is None:
            # Only opened lessons or failed quizzes: no row says the same (0 %, nothing handed in).
            snapshot = CourseProgressSnapshot(user_id=user_id, course=course)
            _fill(snapshot, found[(user_id, course.pk)])
            if snapshot.required_done or snapshot.handed_in:
                missing.append(snapshot)
            continue
        before = [getattr(snapshot, name) for name in FIGURES]
        _fill(snapshot, found[(user_id, course.pk)])
        if [getattr(snapshot, name) for name in FIGURES] != before:
            snapshot.refreshed_at = now
            wrong.append(snapshot)
    # A row created meanwhile by the trainee's own refresh is newer than this one: kept.
    CourseProgressSnapshot.objects.bulk_create(missing, ignore_conflicts=True)
    CourseProgressSnapshot.objects.bulk_update(wrong, [*FIGURES, "refreshed_at"], batch_size=500)
    changed = [snapshot.user_id for snapshot in (*missing, *wrong)]
    if changed:
        for listener in _listeners:
            listener(changed, course.pk)
    return len(changed)


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


def _fill(snapshot, status) -> None:
    snapshot.required_total = status.required_total
    snapshot.required_done = status.required_done
    snapshot.percent = status.percent
    snapshot.completed = status.completed
    snapshot.handed_in = handed_in_list(
        state.lesson.pk
        for state in status.lessons
        if state.lesson.kind == Lesson.Kind.ASSIGNMENT and state.submission_status
    )


def handed_in_list(lesson_ids) -> list[int]:
    """The stored form of `handed_in`: the lesson ids, sorted, each once."""
    return sorted(set(lesson_ids))


# --- Structure changes and deleted records --------------------------------------------------------

# A lesson's fields that change what the rule answers for a trainee.
STRUCTURE_FIELDS = {"is_required", "kind", "module"}


def schedule_course_refresh(course_id: int) -> None:
    """Refresh the course's snapshots in a task once the change is committed (the task must see
    it). A failure to enqueue is logged, not raised: the change itself stands, and the nightly
    rebuild catches up."""
    transaction.on_commit(lambda: refresh_course_progress.delay(course_id), robust=True)


# The task keeps the name it had in courses.tasks, so messages already queued still find it.
@shared_task(name="courses.tasks.refresh_course_progress", acks_late=True)
def refresh_course_progress(course_id: int) -> int:
    # Recomputes from the rule under row locks: a duplicated or redelivered message finds every
    # snapshot already right and changes nothing.
    return refresh_course(course_id)


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
