"""The courses panel of the signed-in home page (registered with core.home from the app's
ready()): "continue where you left off" and the trainee's courses with their progress; for
managers, links to authoring and to the submissions waiting for review."""

from courses import progress
from courses.models import AssignmentSubmission, Course, LessonProgress

HOME_COURSES = 6


def my_courses(request):
    """ "Continue where you left off" and the trainee's courses with their progress; for managers,
    links to authoring and to the submissions waiting for review. A constant number of queries:
    the courses, one status computation for all of them, and the last lesson opened."""
    user = request.user
    if user.can_manage():
        waiting = (
            AssignmentSubmission.objects.visible_to(user)
            .filter(status__in=AssignmentSubmission.AWAITING_REVIEW)
            .count()
        )
        return {"manager": True, "waiting": waiting}
    courses = list(
        Course.objects.visible_to(user).only(
            "id", "title", "title_en", "track", "level", "sequential_modules", "is_published"
        )
    )
    statuses = progress.course_progress_map(user, courses)
    resume = _resume(user, courses, statuses)
    # Courses not yet completed first, in the order they are listed.
    ordered = sorted(courses, key=lambda c: statuses[c.pk].completed)
    return {
        "manager": False,
        "mentor": user.is_mentor,
        "resume": resume,
        "rows": [(course, statuses[course.pk]) for course in ordered[:HOME_COURSES]],
        "more": len(courses) > HOME_COURSES,
    }


def _resume(user, courses, statuses):
    """The lesson opened last if it is still to do, else the next open lesson of that course:
    the rule of `progress.resume_point`, read from the statuses already computed."""
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
    status = statuses[course_id]
    state = status.lesson(lesson_id)
    if state is None or state.completed or state.locked:
        state = status.next_lesson()
    if state is None:
        return None
    return {"course": status.course, "state": state, "status": status}
