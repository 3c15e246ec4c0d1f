"""The courses panel of the signed-in home page (registered with core.home from the app's
ready()): "continue where you left off" and the trainee's courses with their progress; for
managers, links to authoring and to the submissions waiting for review."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery

from courses import progress
from courses.models import (
    AssignmentSubmission,
    Course,
    CourseProgressSnapshot,
    Lesson,
    LessonProgress,
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
    courses = list(
        Course.objects.visible_to(user)
        .only("id", "title", "title_en", "track", "level", "sequential_modules", "is_published")
        .annotate(**stored_figures(user))
    )
    figures = {course.pk: Figures.of(course) for course in courses}
    resume = _resume(user, courses)
    # Courses not yet completed first, in the order they are listed.
    ordered = sorted(courses, key=lambda c: figures[c.pk].completed)
    return {
        "manager": False,
        "mentor": user.is_mentor,
        "resume": resume,
        "rows": [(course, figures[course.pk]) for course in ordered[:HOME_COURSES]],
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
    """The trainee's stored snapshot of each course, read in the courses' own query (one
    round-trip), and the count of required lessons for courses without one."""
    snapshot = CourseProgressSnapshot.objects.filter(user=user, course=OuterRef("pk"))
    required = (
        Lesson.objects.filter(module__course=OuterRef("pk"), is_required=True)
        .order_by()
        .values("module__course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        "snap_total": Subquery(snapshot.values("required_total")[:1]),
        "snap_done": Subquery(snapshot.values("required_done")[:1]),
        "snap_percent": Subquery(snapshot.values("percent")[:1]),
        "snap_completed": Subquery(snapshot.values("completed")[:1]),
        "required_count": Subquery(required[:1]),
    }


def _resume(user, courses):
    """The lesson opened last if it is still to do, else the next open lesson of that course:
    the rule of `progress.resume_point`, the lesson states computed for that one course only."""
    if not courses:
        return None
    last = (
        LessonProgress.objects.filter(user=user, lesson__module__course__in=courses)
        .order_by("-last_seen_at", "-id")
        .values_list("lesson_id", "lesson__module__course_id")
        .first()
    )
    if last is None:
        return None
    lesson_id, course_id = last
    course = next(c for c in courses if c.pk == course_id)
    status = progress.course_status(user, course)
    state = status.lesson(lesson_id)
    if state is None or state.completed or state.locked:
        state = status.next_lesson()
    if state is None:
        return None
    return {"course": status.course, "state": state, "status": status}
