"""Factories for course content and progress, with valid minimal defaults."""

import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.tracks import Track
from courses import snapshots
from courses.models import (
    AssignmentSubmission,
    Choice,
    Course,
    CourseEnrollment,
    Lesson,
    LessonProgress,
    Module,
    Question,
    QuizAttempt,
)
from tests.factories import TraineeFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0" + b"\x00" * 32


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"مقرر رقم {n}")
    title_en = factory.Sequence(lambda n: f"Course {n}")
    track = Track.YOUTH_INITIATIVES
    is_published = True
    published_at = factory.LazyFunction(timezone.now)


class ModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Module

    course = factory.SubFactory(CourseFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"وحدة {n}")


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    module = factory.SubFactory(ModuleFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = Lesson.Kind.TEXT
    title = factory.Sequence(lambda n: f"درس {n}")
    body = "<p>نص الدرس</p>"


class QuizFactory(LessonFactory):
    kind = Lesson.Kind.QUIZ
    body = ""
    pass_mark = 50


class AssignmentFactory(LessonFactory):
    kind = Lesson.Kind.ASSIGNMENT
    body = "<p>اكتب ورقة سياسات قصيرة.</p>"


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question
        skip_postgeneration_save = True

    lesson = factory.SubFactory(QuizFactory)
    position = factory.Sequence(lambda n: n + 1)
    kind = Question.Kind.SINGLE
    text = factory.Sequence(lambda n: f"سؤال {n}؟")

    @factory.post_generation
    def with_choices(self, create, extracted, **kwargs):
        """Two choices by default, the first one correct (with_choices=False for none)."""
        if not create or extracted is False:
            return
        ChoiceFactory(question=self, position=1, text="صح", is_correct=True)
        ChoiceFactory(question=self, position=2, text="خطأ", is_correct=False)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory, with_choices=False)
    position = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"خيار {n}")
    is_correct = False


class EnrollmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CourseEnrollment

    user = factory.SubFactory(TraineeFactory)
    course = factory.SubFactory(CourseFactory)


class KeepsSnapshotInStep:
    """A trainee's record made by a factory bypasses the services; refresh their progress
    snapshot as every service that writes one does (courses.snapshots), so that pages reading
    snapshots see it."""

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        record = super()._create(model_class, *args, **kwargs)
        snapshots.refresh(user=record.user_id, course=record.lesson.module.course)
        return record


class LessonProgressFactory(KeepsSnapshotInStep, factory.django.DjangoModelFactory):
    class Meta:
        model = LessonProgress

    user = factory.SubFactory(TraineeFactory)
    lesson = factory.SubFactory(LessonFactory)


class QuizAttemptFactory(KeepsSnapshotInStep, factory.django.DjangoModelFactory):
    class Meta:
        model = QuizAttempt

    user = factory.SubFactory(TraineeFactory)
    lesson = factory.SubFactory(QuizFactory)
    number = factory.Sequence(lambda n: n + 1)
    score = 0
    passed = False


class SubmissionFactory(KeepsSnapshotInStep, factory.django.DjangoModelFactory):
    class Meta:
        model = AssignmentSubmission

    user = factory.SubFactory(TraineeFactory)
    lesson = factory.SubFactory(AssignmentFactory)
    text = "إجابتي"


def build_course(*, modules=2, lessons_per_module=2, sequential=False, published=True, **kwargs):
    """A course with `modules` modules of `lessons_per_module` required text lessons each."""
    course = CourseFactory(sequential_modules=sequential, is_published=published, **kwargs)
    if not published:
        course.published_at = None
        course.save(update_fields=["published_at"])
    for m in range(1, modules + 1):
        module = ModuleFactory(course=course, position=m)
        for p in range(1, lessons_per_module + 1):
            LessonFactory(module=module, position=p)
    return course


def lessons_of(course):
    return list(Lesson.objects.filter(module__course=course).in_outline_order())


def lesson_of(course, kind):
    return Lesson.objects.filter(module__course=course, kind=kind).order_by("id").first()


def right_answers(quiz):
    return {
        q.pk: [c.pk for c in q.choices.all() if c.is_correct]
        for q in quiz.questions.prefetch_related("choices")
    }


def wrong_answers(quiz):
    return {
        q.pk: [next(c.pk for c in q.choices.all() if not c.is_correct)]
        for q in quiz.questions.prefetch_related("choices")
    }


def pdf_upload(name="answer.pdf", size=None):
    content = PDF_BYTES if size is None else PDF_BYTES + b"0" * (size - len(PDF_BYTES))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx_bytes(*, word=True):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        if word:
            archive.writestr("word/document.xml", "<w:document/>")
        else:
            archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()
