import io

import pytest

from accounts import demo as accounts_demo
from courses import demo
from courses.models import (
    AssignmentSubmission,
    Course,
    CourseEnrollment,
    Lesson,
    LessonProgress,
    Question,
    QuizAttempt,
)
from courses.progress import course_status

pytestmark = pytest.mark.django_db


def _seed():
    out = io.StringIO()
    accounts_demo.seed(stdout=out)
    demo.seed(stdout=out)
    return out.getvalue()


def _counts():
    return [
        model.objects.count()
        for model in (
            Course,
            Lesson,
            Question,
            CourseEnrollment,
            LessonProgress,
            QuizAttempt,
            AssignmentSubmission,
        )
    ]


def test_demo_builds_published_courses_of_every_lesson_kind_and_is_idempotent(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    _seed()
    first = _counts()
    _seed()
    assert _counts() == first

    assert Course.objects.count() == len(demo.COURSES)
    assert not Course.objects.filter(is_published=False).exists()
    assert set(Course.objects.values_list("track", flat=True)) == {
        "political",
        "institutions",
        "foreign",
        "youth",
    }
    assert set(Lesson.objects.values_list("kind", flat=True)) == set(Lesson.Kind.values)
    assert all(lesson.resource for lesson in Lesson.objects.filter(kind="resource"))
    trainee = CourseEnrollment.objects.get(
        user__email="trainee1@ishtar.example", course__title_en="Political literacy"
    ).user
    assert CourseEnrollment.objects.filter(user=trainee).count() >= 3
    assert QuizAttempt.objects.exists() and AssignmentSubmission.objects.exists()
    literacy = Course.objects.get(title_en="Political literacy")
    percents = [
        course_status(e.user, literacy).percent
        for e in CourseEnrollment.objects.filter(course=literacy).select_related("user")
    ]
    assert any(0 < percent < 100 for percent in percents)
    assert percents.count(0) > len(percents) // 2  # most have not started yet
