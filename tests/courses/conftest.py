"""Course fixtures: an enrolled trainee's course with a text lesson, a quiz and an assignment."""

import pytest

from courses.models import Lesson, Question
from tests.courses.factories import (
    ChoiceFactory,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    QuestionFactory,
    lesson_of,
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def course(trainee):
    """Published, trainee enrolled: module 1 = text lesson + quiz, module 2 = assignment."""
    course = CourseFactory(title="الثقافة السياسية", title_en="Political literacy")
    first = ModuleFactory(course=course, position=1, title="مدخل")
    second = ModuleFactory(course=course, position=2, title="تطبيق")
    LessonFactory(module=first, position=1, title="ما السياسة؟", title_en="What is politics?")
    quiz = LessonFactory(
        module=first, position=2, kind=Lesson.Kind.QUIZ, title="اختبار", pass_mark=50, body=""
    )
    single = QuestionFactory(lesson=quiz, position=1, kind=Question.Kind.SINGLE, with_choices=False)
    ChoiceFactory(question=single, position=1, text="أ", is_correct=True)
    ChoiceFactory(question=single, position=2, text="ب")
    ChoiceFactory(question=single, position=3, text="ج")
    multiple = QuestionFactory(
        lesson=quiz, position=2, kind=Question.Kind.MULTIPLE, with_choices=False
    )
    ChoiceFactory(question=multiple, position=1, text="١", is_correct=True)
    ChoiceFactory(question=multiple, position=2, text="٢", is_correct=True)
    ChoiceFactory(question=multiple, position=3, text="٣")
    LessonFactory(
        module=second, position=1, kind=Lesson.Kind.ASSIGNMENT, title="ورقة سياسات", body="<p>x</p>"
    )
    EnrollmentFactory(user=trainee, course=course)
    return course


@pytest.fixture
def text_lesson(course):
    return lesson_of(course, Lesson.Kind.TEXT)


@pytest.fixture
def quiz(course):
    return lesson_of(course, Lesson.Kind.QUIZ)


@pytest.fixture
def assignment(course):
    return lesson_of(course, Lesson.Kind.ASSIGNMENT)
