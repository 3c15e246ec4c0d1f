"""The courses panel of the signed-in home page (registered with core.home from the app's
ready()): "continue where you left off" and the trainee's courses with their progress; for
managers, links to authoring and to the submissions waiting for review."""

from dataclasses import dataclass

from django.db.models import Count, Exists, F, FilteredRelation, OuterRef, Q, Subquery

from core.compiled import Shape
from courses import access, progress
from courses.cards import panel_cards_html
from courses.models import (
    AssignmentSubmission,
    Course,
    Lesson,
    LessonProgress,
    QuizAttempt,
)

HOME_COURSES = 6


def my_courses(request):
    """ "Continue where you left off" and the trainee's courses with their progress; for managers,
    links to authoring and to the submissions waiting for review. A constant number of queries,
    whatever the number of courses: the courses with the trainee's stored figures (snapshots, one
    query), the last lesson opened, and the lesson states of that one course."""
    user = request.user
    if user.can_manage():
        waiting = (
            AssignmentSubmission.objects.visible_to(user)
            .filter(status__in=AssignmentSubmission.AWAITING_REVIEW)
            .count()
        )
        return {"manager": True, "waiting": waiting}
    if user.is_mentor:
        # A mentor follows trainees rather than taking courses: links, no progress bars.
        return {"manager": False, "mentor_only": True}
    if not user.is_active:
        return {
            "manager": False,
            "mentor": False,
            "resume": None,
            "rows": [],
            "cards": panel_cards_html([]),
            "more": False,
        }
    courses = _COURSES.list(user.pk, audiences=access.course_audiences())
    figures = {course.pk: Figures.of(course) for course in courses}
    resume = _resume(user, courses, figures)
    # Courses not yet completed first, in the order they are listed.
    ordered = sorted(courses, key=lambda c: figures[c.pk].completed)
    rows = [(course, figures[course.pk]) for course in ordered[:HOME_COURSES]]
    return {
        "manager": False,
        "mentor": user.is_mentor,
        "resume": resume,
        "rows": rows,
        "cards": panel_cards_html(rows),
        "more": len(courses) > HOME_COURSES,
    }


@dataclass(frozen=True)
class Figures:
    """A course's figures for the trainee as the stored snapshot holds them (no snapshot: no
    activity yet, 0 of the course's required lessons)."""

    required_total: int
    required_done: int
    percent: int
    completed: bool

    @classmethod
    def of(cls, course):
        if course.snap_total is None:
            return cls(course.required_count or 0, 0, 0, False)
        return cls(course.snap_total, course.snap_done, course.snap_percent, course.snap_completed)


def stored_figures(user) -> dict:
    """The trainee's stored snapshot of each course, joined in the courses' own query (one
    round-trip, one join rather than a subquery per figure), and the count of required lessons
    for courses without one."""
    required = (
        Lesson.objects.filter(module__course=OuterRef("pk"), is_required=True)
        .order_by()
        .values("module__course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        "snap": FilteredRelation("progress_snapshots", condition=Q(progress_snapshots__user=user)),
        "snap_total": F("snap__required_total"),
        "snap_done": F("snap__required_done"),
        "snap_percent": F("snap__percent"),
        "snap_completed": F("snap__completed"),
        "required_count": Subquery(required[:1]),
    }


def _courses(user_id, *, audiences):
    """A trainee's courses (`Course.objects.visible_to` for someone who does not manage) with the
    stored figures. `audiences` (the registered rules) only keys the SQL to the rules it applies."""
    return (
        Course.objects.for_person(user_id, manager=False)
        # created_at: the cached structure is checked against it (courses.structure).
        .only(
            "id",
            "title",
            "title_en",
            "track",
            "level",
            "sequential_modules",
            "is_published",
            "created_at",
        )
        .annotate(**stored_figures(user_id))
    )


def _last_opened(user_id, *course_ids, courses):
    """The lesson of these courses the trainee opened last, with what says whether it is done."""
    mine = {"user": user_id, "lesson": OuterRef("lesson_id")}
    return (
        LessonProgress.objects.filter(user=user_id, lesson__module__course__in=course_ids)
        .select_related("lesson")
        .only(
            "id",
            "completed_at",
            "lesson__id",
            "lesson__title",
            "lesson__title_en",
            "lesson__kind",
            "lesson__module_id",
        )
        .annotate(
            course_id=F("lesson__module__course_id"),
            passed=Exists(QuizAttempt.objects.filter(**mine, passed=True)),
            accepted=Exists(
                AssignmentSubmission.objects.filter(
                    **mine, status=AssignmentSubmission.Status.ACCEPTED
                )
            ),
        )
        .order_by("-last_seen_at", "-id")[:1]
    )


# Built and compiled once per connection (core.compiled): the panel's queries run as stored SQL.
_COURSES = Shape(_courses)
_LAST_OPENED = Shape(_last_opened)


def _resume(user, courses, figures):
    """The lesson opened last if it is still to do, else the next open lesson of that course
    (the rule of `progress.resume_point`). The lesson opened last is read with the facts that say
    whether it is done, in one query; only when it is done are the lesson states of that one
    course computed to find the next. The progress bar shows the course's stored figures. (A
    lesson an author has locked since it was opened is still offered: its page says why.)"""
    if not courses:
        return None
    ids = [course.pk for course in courses]
    last = _LAST_OPENED.first(user.pk, *ids, courses=len(ids))
    if last is None:
        return None
    course = next(c for c in courses if c.pk == last.course_id)
    accepted = AssignmentSubmission.Status.ACCEPTED if last.accepted else ""
    if not progress.is_done(last.lesson.kind, last.completed_at, last.passed, accepted):
        # Opened and not done: where the trainee left off.
        return {"course": course, "lesson": last.lesson, "status": figures[course.pk]}
    status = progress.course_status(user, course)
    state = status.lesson(last.lesson.pk)
    if state is None or state.completed or state.locked:
        state = status.next_lesson()
    if state is None:
        return None
    return {"course": course, "lesson": state.lesson, "status": figures[course.pk]}
