"""Course objects for the authorization matrix (tests/authz/matrix.py), built once per test on
top of the persona `world`: a published course the trainee persona is enrolled in (a text lesson,
a quiz with one question, a PDF resource and an assignment the outsider has handed in with a
file), and a published course nobody in the world is enrolled in."""

from django.core.files.uploadedfile import SimpleUploadedFile

from courses.models import AssignmentSubmission, Lesson, Question
from tests.courses.factories import (
    PDF_BYTES,
    ChoiceFactory,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    QuestionFactory,
)


def course_world(w: dict) -> dict:
    if "courses" not in w:
        course = CourseFactory(title="القيادة الشبابية")
        module = ModuleFactory(course=course, position=1)
        lesson = LessonFactory(module=module, position=1)
        quiz = LessonFactory(module=module, position=2, kind=Lesson.Kind.QUIZ, body="")
        question = QuestionFactory(lesson=quiz, position=1, kind=Question.Kind.SINGLE)
        ChoiceFactory(question=question, position=3, text="ربما")
        resource = LessonFactory(module=module, position=3, kind=Lesson.Kind.RESOURCE, body="")
        resource.resource.save("guide.pdf", SimpleUploadedFile("guide.pdf", PDF_BYTES))
        assignment = LessonFactory(module=module, position=4, kind=Lesson.Kind.ASSIGNMENT)
        EnrollmentFactory(user=w["trainee"], course=course)
        submission = AssignmentSubmission(user=w["outsider"], lesson=assignment, text="ورقتي")
        submission.file.save("answer.pdf", SimpleUploadedFile("answer.pdf", PDF_BYTES), save=False)
        submission.file_type = "application/pdf"
        submission.save()

        other = CourseFactory(title="مقرر آخر")
        other_lesson = LessonFactory(module=ModuleFactory(course=other, position=1), position=1)
        w["courses"] = {
            "course": course,
            "module": module,
            "lesson": lesson,
            "quiz": quiz,
            "question": question,
            "resource": resource,
            "assignment": assignment,
            "outsider_submission": submission,
            "other_course": other,
            "other_lesson": other_lesson,
            "trainee": w["trainee"],
        }
    return w["courses"]


def get(key):
    """A matrix kwarg: `get("course")` -> lambda w: that course's pk."""

    def _value(w):
        return course_world(w)[key].pk

    return _value


def quiz_answer(w):
    """Matrix data for the quiz page: one answer to the world's quiz question (a submission that
    answers nothing is refused before any access question matters)."""
    question = course_world(w)["question"]
    return {f"q-{question.pk}": str(question.choices.order_by("position").first().pk)}
