"""THE rules of progress and completion: which lessons are open, which are complete, whether a
trainee has completed a course, and the course percentage. Dashboards, the trainee pages, the API
and (later) certificates all read them from here.

A lesson is complete when
- text, video, resource: the trainee marked it complete (LessonProgress.completed_at);
- quiz: the trainee has a passing attempt;
- assignment: the trainee's submission was accepted.
A course is complete when every required lesson is complete; the percentage is the share of
required lessons complete. A course without required lessons is never complete (nothing to
certify).

A lesson is locked (until it is complete) when
- its module or itself is not yet available (available_from in the future);
- the course takes modules in order and an earlier module is locked or has required lessons
  not complete;
- one of its prerequisites is not complete.

Every function here runs a constant number of queries whatever the number of modules, lessons,
attempts, users or courses: `statuses()` loads everything in six queries (three when the
courses' structure is in the cache, courses.structure) and computes in Python.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.compiled import Shape

from . import structure
from .models import (
    AssignmentSubmission,
    Course,
    Lesson,
    LessonProgress,
    Module,
    QuizAttempt,
)


class State:
    LOCKED = "locked"
    AVAILABLE = "available"
    STARTED = "started"
    COMPLETED = "completed"


class LockReason:
    NONE = ""
    DATES = "dates"
    MODULE_ORDER = "module_order"
    PREREQUISITES = "prerequisites"


LOCK_MESSAGES = {
    LockReason.DATES: _("This lesson is not available yet."),
    LockReason.MODULE_ORDER: _("Complete the previous module first."),
    LockReason.PREREQUISITES: _("Complete the prerequisite lessons first."),
}


@dataclass
class LessonState:
    lesson: Lesson
    state: str = State.AVAILABLE
    lock_reason: str = LockReason.NONE
    available_from: object = None
    started_at: object = None
    completed_at: object = None
    attempts: int = 0
    best_score: int | None = None
    passed: bool = False
    submission_status: str = ""
    prerequisite_ids: list = field(default_factory=list)

    @property
    def locked(self) -> bool:
        return self.state == State.LOCKED

    @property
    def completed(self) -> bool:
        return self.state == State.COMPLETED

    @property
    def started(self) -> bool:
        return self.state in (State.STARTED, State.COMPLETED)

    @property
    def lock_message(self) -> str:
        return str(LOCK_MESSAGES.get(self.lock_reason, ""))


@dataclass
class ModuleState:
    module: Module
    lessons: list[LessonState]
    lock_reason: str = LockReason.NONE
    completed: bool = False

    @property
    def locked(self) -> bool:
        return bool(self.lock_reason)


@dataclass
class CourseStatus:
    course: Course
    user_id: int
    modules: list[ModuleState]
    required_total: int = 0
    required_done: int = 0

    @property
    def completed(self) -> bool:
        return self.required_total > 0 and self.required_done == self.required_total

    @property
    def percent(self) -> int:
        if not self.required_total:
            return 0
        return self.required_done * 100 // self.required_total

    @property
    def lessons(self) -> list[LessonState]:
        """Every lesson in outline order."""
        return [state for module in self.modules for state in module.lessons]

    def lesson(self, lesson_id: int) -> LessonState | None:
        for state in self.lessons:
            if state.lesson.pk == lesson_id:
                return state
        return None

    @property
    def started(self) -> bool:
        return any(state.started for state in self.lessons)

    def note_started(self, lesson_id: int, started_at) -> None:
        """The trainee has just opened the lesson (its progress row now exists): the state it
        would have if computed again, without computing the whole course again."""
        state = self.lesson(lesson_id)
        if state is None:
            return
        if state.started_at is None:
            state.started_at = started_at
        if state.state == State.AVAILABLE:
            state.state = State.STARTED

    def next_lesson(self) -> LessonState | None:
        """Where to continue: the first open lesson not complete, required ones first."""
        open_lessons = [s for s in self.lessons if not s.completed and not s.locked]
        for state in open_lessons:
            if state.lesson.is_required:
                return state
        return open_lessons[0] if open_lessons else None

    def neighbours(self, lesson_id: int) -> tuple[LessonState | None, LessonState | None]:
        """The previous and next lesson in outline order (for the lesson page)."""
        lessons = self.lessons
        for index, state in enumerate(lessons):
            if state.lesson.pk == lesson_id:
                previous = lessons[index - 1] if index > 0 else None
                following = lessons[index + 1] if index + 1 < len(lessons) else None
                return previous, following
        return None, None


def statuses(
    users: Iterable, courses: Iterable, *, now=None
) -> dict[tuple[int, int], CourseStatus]:
    """{(user id, course id): CourseStatus} for every pair, in six queries (three with the
    structure cached)."""
    now = now or timezone.now()
    user_ids = _ids(users)
    course_list = list(courses)
    course_ids = [c.pk for c in course_list]
    if not user_ids or not course_ids:
        return {}

    # The courses' structure (three queries, or none while the cache holds it).
    found = structure.structures(course_list)
    modules_by_course = {course_id: s.modules for course_id, s in found.items()}
    lessons_by_module = defaultdict(list)
    prerequisites = {}
    for s in found.values():
        lessons_by_module.update(s.lessons)
        prerequisites.update(s.prerequisites)

    # The trainees' facts about these lessons, by lesson id (no join through the structure).
    lesson_ids = [lesson.pk for lessons in lessons_by_module.values() for lesson in lessons]
    if not lesson_ids:
        rows = ([], [], [])  # what the ORM answers for an empty `__in`, without asking
    elif len(user_ids) == 1:
        # One trainee (their own pages): the stored SQL of these queries (core.compiled).
        values, key = (user_ids[0], *lesson_ids), {"lessons": len(lesson_ids)}
        rows = tuple(shape.list(*values, **key) for shape in _FACTS)
    else:
        rows = tuple(list(build(user_ids, lesson_ids)) for build in _FACT_QUERIES)
    progress = {
        (user_id, lesson_id): (started, completed)
        for user_id, lesson_id, started, completed in rows[0]
    }
    attempts = {(row["user_id"], row["lesson_id"]): row for row in rows[1]}
    submissions = {(user_id, lesson_id): status for user_id, lesson_id, status in rows[2]}

    result = {}
    for course in course_list:
        for user_id in user_ids:
            result[(user_id, course.pk)] = _course_status(
                course,
                user_id,
                modules_by_course[course.pk],
                lessons_by_module,
                prerequisites,
                progress,
                attempts,
                submissions,
                now,
            )
    return result


def _progress_rows(user_ids, lesson_ids):
    return (
        LessonProgress.objects.filter(user_id__in=user_ids, lesson_id__in=lesson_ids)
        .order_by()
        .values_list("user_id", "lesson_id", "started_at", "completed_at")
    )


def _attempt_rows(user_ids, lesson_ids):
    return (
        QuizAttempt.objects.filter(user_id__in=user_ids, lesson_id__in=lesson_ids)
        .order_by()
        .values("user_id", "lesson_id")
        .annotate(n=Count("id"), best=Max("score"), passes=Count("id", filter=Q(passed=True)))
    )


def _submission_rows(user_ids, lesson_ids):
    return (
        AssignmentSubmission.objects.filter(user_id__in=user_ids, lesson_id__in=lesson_ids)
        .order_by()
        .values_list("user_id", "lesson_id", "status")
    )


_FACT_QUERIES = (_progress_rows, _attempt_rows, _submission_rows)


def _one_trainee(build):
    """A shape of one of the fact queries for one trainee: the values are the trainee's id and
    the lesson ids, the number of lessons is the key (it changes the SQL)."""

    def one(user_id, *lesson_ids, lessons):
        return build([user_id], list(lesson_ids))

    return Shape(one)


# Built and compiled once per connection and number of lessons (core.compiled).
_FACTS = tuple(_one_trainee(build) for build in _FACT_QUERIES)


def course_status(user, course: Course, *, now=None) -> CourseStatus:
    """One trainee's status in one course: completed, percent, and every lesson's state."""
    return statuses([user], [course], now=now)[(user.pk, course.pk)]


def progress_for(users, course: Course, *, now=None) -> dict[int, CourseStatus]:
    """{user id: CourseStatus} for many trainees in one course (manager and mentor dashboards)."""
    return {
        user_id: status
        for (user_id, _course_id), status in statuses(users, [course], now=now).items()
    }


def course_progress_map(user, courses, *, now=None) -> dict[int, CourseStatus]:
    """{course id: CourseStatus} for one trainee in many courses (the trainee's home page)."""
    return {
        course_id: status
        for (_user_id, course_id), status in statuses([user], courses, now=now).items()
    }


@dataclass
class CourseSummary:
    """The course figures without the lesson states: what a list of courses shows."""

    course_id: int
    required_total: int = 0
    required_done: int = 0

    # The same rules as the full status.
    completed = CourseStatus.completed
    percent = CourseStatus.percent


def course_summaries(user, courses: Iterable) -> dict[int, CourseSummary]:
    """{course id: CourseSummary} for one trainee in many courses (the "my courses" page), in
    four queries: the figures of `statuses()` (locking never changes them: a complete lesson
    stays complete), read as plain values instead of every lesson and module."""
    course_ids = [c.pk for c in courses]
    if not course_ids:
        return {}
    result = {course_id: CourseSummary(course_id=course_id) for course_id in course_ids}
    required = list(
        Lesson.objects.filter(module__course_id__in=course_ids, is_required=True)
        .order_by()
        .values_list("pk", "module__course_id", "kind")
    )
    if not required:
        return result
    in_scope = {"user": user, "lesson__module__course_id__in": course_ids}
    completed = set(
        LessonProgress.objects.filter(**in_scope, completed_at__isnull=False)
        .order_by()
        .values_list("lesson_id", flat=True)
    )
    passed = set(
        QuizAttempt.objects.filter(**in_scope, passed=True)
        .order_by()
        .values_list("lesson_id", flat=True)
    )
    submissions = dict(
        AssignmentSubmission.objects.filter(**in_scope)
        .order_by()
        .values_list("lesson_id", "status")
    )
    for lesson_id, course_id, kind in required:
        summary = result[course_id]
        summary.required_total += 1
        done_at = True if lesson_id in completed else None
        if is_done(kind, done_at, lesson_id in passed, submissions.get(lesson_id, "")):
            summary.required_done += 1
    return result


def has_completed(user, course: Course) -> bool:
    """Whether the trainee has completed the course: the question certificates will ask."""
    return course_status(user, course).completed


@dataclass
class ResumePoint:
    course: Course
    lesson_state: LessonState
    status: CourseStatus


def resume_point(user, *, now=None) -> ResumePoint | None:
    """ "Continue where you left off": the lesson the trainee opened last, if it is not complete,
    else the next open lesson of that course. None when nothing has been started yet or the last
    course is complete. Seven queries, whatever the history."""
    last = (
        LessonProgress.objects.filter(
            user=user, lesson__module__course__in=Course.objects.visible_to(user)
        )
        .select_related("lesson__module__course")
        .order_by("-last_seen_at", "-id")
        .first()
    )
    if last is None:
        return None
    course = last.lesson.module.course
    status = course_status(user, course, now=now)
    state = status.lesson(last.lesson_id)
    if state is None or state.completed or state.locked:
        state = status.next_lesson()
    if state is None:
        return None
    return ResumePoint(course=course, lesson_state=state, status=status)


def _ids(users) -> list[int]:
    if isinstance(users, QuerySet):
        return list(users.values_list("pk", flat=True))
    return [u if isinstance(u, int) else u.pk for u in users]


def _course_status(
    course, user_id, modules, lessons_by_module, prerequisites, progress, attempts, submissions, now
) -> CourseStatus:
    # First pass: completion of every lesson (prerequisites may point forward or backward).
    states: dict[int, LessonState] = {}
    for module in modules:
        for lesson in lessons_by_module[module.pk]:
            states[lesson.pk] = _lesson_facts(lesson, user_id, progress, attempts, submissions)

    status = CourseStatus(course=course, user_id=user_id, modules=[])
    previous_open_and_complete = True
    for module in modules:
        module_reason = LockReason.NONE
        if course.sequential_modules and not previous_open_and_complete:
            module_reason = LockReason.MODULE_ORDER
        elif module.available_from is not None and module.available_from > now:
            module_reason = LockReason.DATES
        lesson_states = []
        module_complete = True
        for lesson in lessons_by_module[module.pk]:
            state = states[lesson.pk]
            state.prerequisite_ids = prerequisites.get(lesson.pk, [])
            state.available_from = lesson.available_from or module.available_from
            if state.state != State.COMPLETED:
                reason = module_reason
                if not reason and lesson.available_from is not None and lesson.available_from > now:
                    reason = LockReason.DATES
                if not reason and any(
                    pid in states and not states[pid].completed for pid in state.prerequisite_ids
                ):
                    reason = LockReason.PREREQUISITES
                if reason:
                    state.state = State.LOCKED
                    state.lock_reason = reason
            if lesson.is_required:
                status.required_total += 1
                if state.completed:
                    status.required_done += 1
                else:
                    module_complete = False
            lesson_states.append(state)
        status.modules.append(
            ModuleState(
                module=module,
                lessons=lesson_states,
                lock_reason=module_reason,
                completed=module_complete,
            )
        )
        previous_open_and_complete = previous_open_and_complete and (
            not module_reason and module_complete
        )
    return status


def _lesson_facts(lesson, user_id, progress, attempts, submissions) -> LessonState:
    key = (user_id, lesson.pk)
    started_at, completed_at = progress.get(key, (None, None))
    state = LessonState(lesson=lesson, started_at=started_at)
    attempt = attempts.get(key)
    if attempt:
        state.attempts = attempt["n"]
        state.best_score = attempt["best"]
        state.passed = attempt["passes"] > 0
    state.submission_status = submissions.get(key, "")

    if is_done(lesson.kind, completed_at, state.passed, state.submission_status):
        state.state = State.COMPLETED
        state.completed_at = completed_at
    elif started_at is not None or state.attempts or state.submission_status:
        state.state = State.STARTED
    else:
        state.state = State.AVAILABLE
    return state


def is_done(kind, completed_at, passed: bool, submission_status: str) -> bool:
    """Whether a lesson of this kind is complete, given the trainee's facts about it."""
    if kind == Lesson.Kind.QUIZ:
        return passed
    if kind == Lesson.Kind.ASSIGNMENT:
        return submission_status == AssignmentSubmission.Status.ACCEPTED
    return completed_at is not None
