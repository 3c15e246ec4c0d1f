"""Authoring by program managers: courses (create, edit, publish), modules, lessons and questions (add, edit, reorder, delete), prerequisites."""

from collections.abc import Iterable, Mapping
from typing import Literal

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.errors import Conflict
from core.models import record

from .. import files
from ..models import (
    AssignmentSubmission,
    Choice,
    Course,
    Lesson,
    LessonProgress,
    Module,
    Question,
    QuizAttempt,
)
from .common import _require_manager

# --- Authoring ------------------------------------------------------------------------------------

COURSE_FIELDS = {
    "title", "title_en", "summary", "summary_en", "track", "level", "estimated_hours",
    "sequential_modules",
}  # fmt: skip
MODULE_FIELDS = {"title", "title_en", "summary", "summary_en", "available_from"}
LESSON_FIELDS = {
    "kind", "title", "title_en", "body", "body_en", "body_format", "body_markdown",
    "body_en_markdown", "is_required", "estimated_minutes",
    "available_from", "video_url", "transcript", "transcript_en", "pass_mark", "max_attempts",
    "shuffle_questions", "due_at", "due_days_after_start", "late_policy", "allow_text",
    "allow_file",
}  # fmt: skip
QUESTION_FIELDS = {"kind", "text", "text_en", "explanation", "explanation_en"}

Direction = Literal["up", "down"]


def _apply(obj, data: Mapping, allowed: set) -> list[str]:
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"fields not editable here: {sorted(unknown)}")
    changed = []
    for name, value in data.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def _store_file(obj, field_name: str, upload, allowed) -> None:
    """Validate an upload by content and attach it under a random name (saved with the row)."""
    try:
        content_type = files.validate_upload(upload, allowed=allowed)
    except ValidationError as exc:
        raise ValidationError({field_name: exc.messages}) from exc
    setattr(obj, field_name, File(upload, name=files.stored_name(content_type)))


@transaction.atomic
def create_course(
    *,
    actor,
    title: str,
    track: str,
    title_en: str = "",
    summary: str = "",
    summary_en: str = "",
    level: str = Course.Level.INTRODUCTORY,
    estimated_hours: int = 1,
    sequential_modules: bool = False,
    cover=None,
) -> Course:
    """A new draft course (unpublished until `publish_course`)."""
    _require_manager(actor)
    course = Course(
        title=title,
        title_en=title_en,
        summary=summary,
        summary_en=summary_en,
        track=track,
        level=level,
        estimated_hours=estimated_hours,
        sequential_modules=sequential_modules,
        created_by=actor,
    )
    if cover is not None:
        _store_file(course, "cover", cover, files.COVER_TYPES)
    course.full_clean()
    course.save()
    return course


@transaction.atomic
def update_course(*, actor, course: Course, cover=None, **fields) -> Course:
    _require_manager(actor)
    changed = _apply(course, fields, COURSE_FIELDS)
    if cover is not None:
        _store_file(course, "cover", cover, files.COVER_TYPES)
        changed.append("cover")
    if changed:
        course.full_clean()
        course.save(update_fields=[*changed, "updated_at"])
    return course


@transaction.atomic
def publish_course(*, actor, course: Course) -> Course:
    """Open a course to its audience. A course without lessons, or with a quiz that cannot be
    passed, is refused."""
    _require_manager(actor)
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.is_published:
        return course
    problems = _publication_problems(course)
    if problems:
        raise ValidationError(problems, code="not_publishable")
    course.is_published = True
    course.published_at = timezone.now()
    course.save(update_fields=["is_published", "published_at", "updated_at"])
    record(actor=actor, action="courses.publish", target=course)
    return course


@transaction.atomic
def unpublish_course(*, actor, course: Course) -> Course:
    """Take a course back to draft: trainees stop seeing it; their progress is kept."""
    _require_manager(actor)
    course = Course.objects.select_for_update().get(pk=course.pk)
    if not course.is_published:
        return course
    course.is_published = False
    course.published_at = None
    course.save(update_fields=["is_published", "published_at", "updated_at"])
    record(actor=actor, action="courses.unpublish", target=course)
    return course


def _publication_problems(course: Course) -> list:
    lessons = list(Lesson.objects.filter(module__course=course).defer("body", "body_en"))
    if not lessons:
        return [_("Add at least one lesson before publishing.")]
    quiz_ids = [lesson.pk for lesson in lessons if lesson.kind == Lesson.Kind.QUIZ]
    with_correct = set(
        Question.objects.filter(lesson_id__in=quiz_ids, choices__is_correct=True).values_list(
            "lesson_id", flat=True
        )
    )
    problems = []
    for lesson in lessons:
        if lesson.kind == Lesson.Kind.QUIZ and lesson.pk not in with_correct:
            problems.append(
                _("The quiz “%(title)s” has no questions with a correct answer.")
                % {"title": lesson.title}
            )
        if lesson.kind == Lesson.Kind.RESOURCE and not lesson.resource:
            problems.append(_("The resource “%(title)s” has no file.") % {"title": lesson.title})
        if lesson.kind == Lesson.Kind.VIDEO and not lesson.video_url:
            problems.append(_("The video “%(title)s” has no link.") % {"title": lesson.title})
    return problems


def _next_position(queryset) -> int:
    return (queryset.aggregate(m=Max("position"))["m"] or 0) + 1


@transaction.atomic
def add_module(
    *,
    actor,
    course: Course,
    title: str,
    title_en: str = "",
    summary: str = "",
    summary_en: str = "",
    available_from=None,
) -> Module:
    """Append a module at the end of the course."""
    _require_manager(actor)
    Course.objects.select_for_update().filter(pk=course.pk).first()  # serialise positions
    module = Module(
        course=course,
        position=_next_position(course.modules.all()),
        title=title,
        title_en=title_en,
        summary=summary,
        summary_en=summary_en,
        available_from=available_from,
    )
    module.full_clean()
    module.save()
    return module


@transaction.atomic
def update_module(*, actor, module: Module, **fields) -> Module:
    _require_manager(actor)
    changed = _apply(module, fields, MODULE_FIELDS)
    if changed:
        module.full_clean()
        module.save(update_fields=changed)
    return module


@transaction.atomic
def delete_module(*, actor, module: Module) -> None:
    """Remove a module and its lessons; refused once trainees have worked in it."""
    _require_manager(actor)
    if _has_activity(Lesson.objects.filter(module=module)):
        raise Conflict(
            _("Trainees have already worked in this module; make its lessons optional instead."),
            code="has_activity",
        )
    record(actor=actor, action="courses.delete_module", target=module, title=module.title)
    module.delete()


@transaction.atomic
def add_lesson(*, actor, module: Module, kind: str, title: str, resource=None, **fields) -> Lesson:
    """Append a lesson at the end of the module. Fields: see LESSON_FIELDS. Its rich text is
    sanitised when saved; a resource file must be a PDF by its content."""
    _require_manager(actor)
    Module.objects.select_for_update().filter(pk=module.pk).first()
    lesson = Lesson(
        module=module, position=_next_position(module.lessons.all()), kind=kind, title=title
    )
    _apply(lesson, fields, LESSON_FIELDS - {"kind", "title"})
    if resource is not None:
        _store_file(lesson, "resource", resource, files.RESOURCE_TYPES)
    lesson.full_clean()
    lesson.save()
    return lesson


@transaction.atomic
def update_lesson(*, actor, lesson: Lesson, resource=None, **fields) -> Lesson:
    _require_manager(actor)
    changed = _apply(lesson, fields, LESSON_FIELDS)
    if resource is not None:
        _store_file(lesson, "resource", resource, files.RESOURCE_TYPES)
        changed.append("resource")
    if changed:
        lesson.full_clean()
        lesson.save(update_fields=changed)
    return lesson


@transaction.atomic
def delete_lesson(*, actor, lesson: Lesson) -> None:
    """Remove a lesson; refused once trainees have worked on it (their records would go)."""
    _require_manager(actor)
    if _has_activity(Lesson.objects.filter(pk=lesson.pk)):
        raise Conflict(
            _("Trainees have already worked on this lesson; make it optional instead."),
            code="has_activity",
        )
    record(actor=actor, action="courses.delete_lesson", target=lesson, title=lesson.title)
    lesson.delete()


def _has_activity(lessons) -> bool:
    return (
        LessonProgress.objects.filter(lesson__in=lessons).exists()
        or QuizAttempt.objects.filter(lesson__in=lessons).exists()
        or AssignmentSubmission.objects.filter(lesson__in=lessons).exists()
    )


@transaction.atomic
def set_prerequisites(*, actor, lesson: Lesson, prerequisites: Iterable[Lesson]) -> Lesson:
    """The lessons that must be complete before this one opens: of the same course, not itself."""
    _require_manager(actor)
    wanted = list(prerequisites)
    course_id = lesson.module.course_id
    for other in wanted:
        if other.pk == lesson.pk:
            raise ValidationError(
                {"prerequisites": [_("A lesson cannot be its own prerequisite.")]}
            )
        if other.module.course_id != course_id:
            raise ValidationError(
                {"prerequisites": [_("Prerequisites must be lessons of the same course.")]}
            )
    lesson.prerequisites.set(wanted)
    return lesson


def _swap(obj, siblings, direction: Direction):
    if direction not in ("up", "down"):
        raise ValueError(f"unknown direction {direction!r}")
    ordered = list(siblings.select_for_update().order_by("position", "id"))
    index = next(i for i, item in enumerate(ordered) if item.pk == obj.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(ordered):
        return ordered[index]
    mine, theirs = ordered[index], ordered[target]
    mine_position, their_position = mine.position, theirs.position
    # Positions are unique per parent: park one row past the end while the other moves.
    mine.position = ordered[-1].position + 1
    mine.save(update_fields=["position"])
    theirs.position = mine_position
    theirs.save(update_fields=["position"])
    mine.position = their_position
    mine.save(update_fields=["position"])
    obj.position = their_position
    return mine


@transaction.atomic
def move_module(*, actor, module: Module, direction: Direction) -> Module:
    """Swap the module with its neighbour above or below (a no-op at either end)."""
    _require_manager(actor)
    Course.objects.select_for_update().filter(pk=module.course_id).first()
    return _swap(module, Module.objects.filter(course_id=module.course_id), direction)


@transaction.atomic
def move_lesson(*, actor, lesson: Lesson, direction: Direction) -> Lesson:
    _require_manager(actor)
    Module.objects.select_for_update().filter(pk=lesson.module_id).first()
    return _swap(lesson, Lesson.objects.filter(module_id=lesson.module_id), direction)


@transaction.atomic
def move_question(*, actor, question: Question, direction: Direction) -> Question:
    _require_manager(actor)
    Lesson.objects.select_for_update().filter(pk=question.lesson_id).first()
    return _swap(question, Question.objects.filter(lesson_id=question.lesson_id), direction)


def _clean_choices(kind: str, choices: list) -> list[dict]:
    """Choices as dicts {"text", "text_en", "is_correct"}; checked against the question kind."""
    cleaned = []
    for choice in choices:
        if isinstance(choice, tuple | list):
            text, is_correct = choice
            choice = {"text": text, "is_correct": is_correct}
        text = (choice.get("text") or "").strip()
        if not text:
            raise ValidationError({"choices": [_("Every answer needs a text.")]})
        cleaned.append(
            {
                "text": text,
                "text_en": (choice.get("text_en") or "").strip(),
                "is_correct": bool(choice.get("is_correct")),
            }
        )
    correct = sum(c["is_correct"] for c in cleaned)
    if kind == Question.Kind.TRUE_FALSE and len(cleaned) != 2:
        raise ValidationError({"choices": [_("A true-or-false question has exactly two answers.")]})
    if len(cleaned) < 2:
        raise ValidationError({"choices": [_("Give at least two answers.")]})
    if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE) and correct != 1:
        raise ValidationError({"choices": [_("Mark exactly one answer as correct.")]})
    if kind == Question.Kind.MULTIPLE and correct < 1:
        raise ValidationError({"choices": [_("Mark at least one answer as correct.")]})
    return cleaned


_TRUE_FALSE_ANSWERS = (
    (True, pgettext_lazy("quiz answer", "True")),
    (False, pgettext_lazy("quiz answer", "False")),
)


def true_false_choices(statement_is_true: bool) -> list[dict]:
    """The two answers of a true-or-false question, "true" first, in both languages: the author
    only says which one is right."""
    choices = []
    for value, label in _TRUE_FALSE_ANSWERS:
        with translation.override("ar"):
            text = str(label)
        with translation.override("en"):
            text_en = str(label)
        choices.append({"text": text, "text_en": text_en, "is_correct": value == statement_is_true})
    return choices


@transaction.atomic
def add_question(
    *,
    actor,
    lesson: Lesson,
    kind: str,
    text: str,
    choices: list | None = None,
    statement_is_true: bool | None = None,
    text_en: str = "",
    explanation: str = "",
    explanation_en: str = "",
) -> Question:
    """Append a question with its answer choices to a quiz lesson. `choices` is a list of dicts
    {"text", "text_en", "is_correct"} (or (text, is_correct) pairs); a true-or-false question
    may instead say whether its statement is true (`statement_is_true`), and gets both answers."""
    _require_manager(actor)
    if lesson.kind != Lesson.Kind.QUIZ:
        raise ValidationError(_("Questions belong to quiz lessons only."), code="not_a_quiz")
    if kind == Question.Kind.TRUE_FALSE and statement_is_true is not None:
        choices = true_false_choices(statement_is_true)
    cleaned = _clean_choices(kind, choices or [])
    Lesson.objects.select_for_update().filter(pk=lesson.pk).first()
    question = Question(
        lesson=lesson,
        position=_next_position(lesson.questions.all()),
        kind=kind,
        text=text,
        text_en=text_en,
        explanation=explanation,
        explanation_en=explanation_en,
    )
    question.full_clean()
    question.save()
    Choice.objects.bulk_create(
        Choice(question=question, position=i, **choice) for i, choice in enumerate(cleaned, 1)
    )
    return question


@transaction.atomic
def update_question(
    *,
    actor,
    question: Question,
    choices: list | None = None,
    statement_is_true: bool | None = None,
    **fields,
) -> Question:
    """Edit a question; `choices`, when given, replaces all its answer choices (for a
    true-or-false question, `statement_is_true` does: see add_question)."""
    _require_manager(actor)
    changed = _apply(question, fields, QUESTION_FIELDS)
    if question.kind == Question.Kind.TRUE_FALSE and statement_is_true is not None:
        choices = true_false_choices(statement_is_true)
    if choices is not None:
        cleaned = _clean_choices(question.kind, choices)
        question.choices.all().delete()
        Choice.objects.bulk_create(
            Choice(question=question, position=i, **c) for i, c in enumerate(cleaned, 1)
        )
    elif "kind" in changed:
        _clean_choices(
            question.kind,
            list(question.choices.values("text", "text_en", "is_correct")),
        )
    if changed:
        question.full_clean()
        question.save(update_fields=changed)
    return question


@transaction.atomic
def delete_question(*, actor, question: Question) -> None:
    _require_manager(actor)
    question.delete()
