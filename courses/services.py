"""Every state change of courses and progress: authoring (create, edit, reorder, publish),
enrolment, and a trainee's work (start and complete lessons, quiz attempts, assignment
submissions and their review). Pages, the API and the admin call these; none saves a status
itself.

Errors: bad input raises django ValidationError (a 400 in the API), a locked lesson
`LessonLocked` (403), no right to act PermissionDenied, a state that forbids the action
`Conflict` (409). Every function is atomic, so nothing is half-saved."""

import random
from collections.abc import Iterable, Mapping
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict, Refused
from core.models import record
from notifications import kinds
from notifications.services import notify

from . import access, files, snapshots
from .models import (
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
from .progress import CourseStatus, LessonState, course_status


class LessonLocked(Refused):
    """The lesson is visible but not open yet (sequencing, prerequisites or dates)."""

    code = "lesson_locked"

    def __init__(self, state: LessonState):
        self.state = state
        self.reason = state.lock_reason
        super().__init__(state.lock_message)


def _lesson_params(params: dict) -> dict:
    return {
        "lesson": kinds.localized(params, "lesson"),
        "course": kinds.localized(params, "course"),
    }


SUBMISSION_RETURNED = kinds.register(
    "courses.submission_returned",
    title=_("Your assignment was returned with feedback"),
    body=_(
        "Your submission for “%(lesson)s” in the course “%(course)s” was returned for revision. "
        "Read the feedback and submit it again."
    ),
    prepare=_lesson_params,
)
SUBMISSION_ACCEPTED = kinds.register(
    "courses.submission_accepted",
    title=_("Your assignment was accepted"),
    body=_("Your submission for “%(lesson)s” in the course “%(course)s” was accepted."),
    prepare=_lesson_params,
)
ENROLLED = kinds.register(
    "courses.enrolled",
    title=_("You have a new course"),
    body=_("You have been enrolled in the course “%(course)s”."),
    prepare=_lesson_params,
)


# --- Authoring ------------------------------------------------------------------------------------

COURSE_FIELDS = {
    "title", "title_en", "summary", "summary_en", "track", "level", "estimated_hours",
    "sequential_modules",
}  # fmt: skip
MODULE_FIELDS = {"title", "title_en", "summary", "summary_en", "available_from"}
LESSON_FIELDS = {
    "kind", "title", "title_en", "body", "body_en", "is_required", "estimated_minutes",
    "available_from", "video_url", "transcript", "transcript_en", "pass_mark", "max_attempts",
    "shuffle_questions", "due_at", "due_days_after_start", "late_policy", "allow_text",
    "allow_file",
}  # fmt: skip
QUESTION_FIELDS = {"kind", "text", "text_en", "explanation", "explanation_en"}

Direction = Literal["up", "down"]


def _require_manager(actor):
    if not actor.can_manage():
        raise PermissionDenied(_("Only program managers can edit courses."))


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


@transaction.atomic
def add_question(
    *,
    actor,
    lesson: Lesson,
    kind: str,
    text: str,
    choices: list,
    text_en: str = "",
    explanation: str = "",
    explanation_en: str = "",
) -> Question:
    """Append a question with its answer choices to a quiz lesson. `choices` is a list of dicts
    {"text", "text_en", "is_correct"} (or (text, is_correct) pairs)."""
    _require_manager(actor)
    if lesson.kind != Lesson.Kind.QUIZ:
        raise ValidationError(_("Questions belong to quiz lessons only."), code="not_a_quiz")
    cleaned = _clean_choices(kind, choices)
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
    *, actor, question: Question, choices: list | None = None, **fields
) -> Question:
    """Edit a question; `choices`, when given, replaces all its answer choices."""
    _require_manager(actor)
    changed = _apply(question, fields, QUESTION_FIELDS)
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


# --- Audience ---------------------------------------------------------------------------------------


@transaction.atomic
def enroll_trainee(*, actor, course: Course, user, send_notification: bool = True):
    """Give a person a course directly (until cohorts deliver courses through curricula)."""
    _require_manager(actor)
    if not user.is_active:
        raise ValidationError(_("This account is not active."), code="inactive")
    enrollment, created = CourseEnrollment.objects.get_or_create(
        user=user, course=course, defaults={"enrolled_by": actor}
    )
    if created:
        record(actor=actor, action="courses.enroll", target=course, user=user.pk)
        if send_notification and course.is_published:
            notify(
                recipient=user,
                kind=ENROLLED.key,
                params={"course": course.title, "course_en": course.title_en},
                url=course.get_absolute_url(),
            )
    return enrollment


@transaction.atomic
def unenroll_trainee(*, actor, course: Course, user) -> bool:
    """Withdraw a direct enrollment; the trainee's progress is kept for the record."""
    _require_manager(actor)
    deleted, _rows = CourseEnrollment.objects.filter(user=user, course=course).delete()
    if deleted:
        record(actor=actor, action="courses.unenroll", target=course, user=user.pk)
    return bool(deleted)


# --- A trainee's work -------------------------------------------------------------------------------


def open_lesson_status(user, lesson: Lesson, status: CourseStatus | None = None) -> CourseStatus:
    """The course status, after checking that the user may see the lesson and that it is open.
    Program managers may open any lesson (to preview as a trainee).

    A caller that loaded the lesson through `Lesson.objects.visible_to(user)` and computed the
    user's status in its course passes that status: neither is asked of the database again."""
    if status is None:
        if not Lesson.objects.visible_to(user).filter(pk=lesson.pk).exists():
            raise PermissionDenied(_("You do not have access to this lesson."))
        status = course_status(user, lesson.module.course)
    state = status.lesson(lesson.pk)
    if state is None or status.user_id != user.pk:
        raise PermissionDenied(_("You do not have access to this lesson."))
    if state.locked and not user.can_manage():
        raise LessonLocked(state)
    return status


def _progress_row(user, lesson, *, lock: bool = False) -> LessonProgress:
    now = timezone.now()
    progress, _created = LessonProgress.objects.get_or_create(
        user=user, lesson=lesson, defaults={"started_at": now, "last_seen_at": now}
    )
    if lock:
        progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
    return progress


@transaction.atomic
def start_lesson(*, user, lesson: Lesson, status: CourseStatus | None = None) -> LessonProgress:
    """The trainee opened the lesson: remember it (for "continue where you left off").

    `status`: see `open_lesson_status`; the lesson page passes the status it shows, which is
    brought up to date here (the lesson counts as started) instead of being computed again."""
    status = open_lesson_status(user, lesson, status)
    progress = _progress_row(user, lesson)
    now = timezone.now()
    if progress.last_seen_at < now:
        progress.last_seen_at = now
        progress.save(update_fields=["last_seen_at"])
    status.note_started(lesson.pk, progress.started_at)
    snapshots.note_activity(user=user, course=lesson.module.course, at=progress.last_seen_at)
    return progress


@transaction.atomic
def complete_lesson(*, user, lesson: Lesson) -> LessonProgress:
    """The trainee marks a text, video or resource lesson complete (idempotent). Quizzes are
    completed by a passing attempt, assignments by an accepted submission."""
    if not lesson.completes_by_itself:
        raise ValidationError(
            _("This lesson is completed by passing its quiz or by an accepted assignment."),
            code="completes_elsewhere",
        )
    open_lesson_status(user, lesson)
    progress = _mark_complete(user, lesson)
    snapshots.refresh(user=user, course=lesson.module.course)
    return progress


def _mark_complete(user, lesson) -> LessonProgress:
    progress = _progress_row(user, lesson, lock=True)
    if progress.completed_at is None:
        now = timezone.now()
        progress.completed_at = max(now, progress.started_at)
        progress.last_seen_at = now
        progress.save(update_fields=["completed_at", "last_seen_at"])
    return progress


# Quizzes.


def next_attempt_number(user, lesson: Lesson) -> int:
    return QuizAttempt.objects.filter(user=user, lesson=lesson).count() + 1


def quiz_questions(user, lesson: Lesson, number: int | None = None) -> list[Question]:
    """The quiz's questions with their choices (prefetched) in the order shown for attempt
    `number` (the next one by default): shuffled when the quiz says so, the same order every
    time the same attempt is shown, a different one for the next attempt."""
    questions = list(lesson.questions.prefetch_related("choices").order_by("position", "id"))
    if lesson.shuffle_questions:
        number = number or next_attempt_number(user, lesson)
        rng = random.Random(f"{lesson.pk}:{user.pk}:{number}")  # noqa: S311 - order, not secrecy
        rng.shuffle(questions)
        for question in questions:
            choices = list(question.choices.all())
            if question.kind != Question.Kind.TRUE_FALSE:
                rng.shuffle(choices)
            question.shown_choices = choices
    else:
        for question in questions:
            question.shown_choices = list(question.choices.all())
    return questions


def _normalise_answers(questions: list[Question], answers: Mapping) -> dict[int, list[int]]:
    by_id = {q.pk: q for q in questions}
    normalised: dict[int, list[int]] = {q.pk: [] for q in questions}
    errors = []
    for raw_question, raw_choices in answers.items():
        try:
            question_id = int(raw_question)
        except (TypeError, ValueError):
            errors.append(_("%(value)s is not a question id.") % {"value": raw_question})
            continue
        question = by_id.get(question_id)
        if question is None:
            errors.append(_("Question %(id)s is not part of this quiz.") % {"id": question_id})
            continue
        valid = {c.pk for c in question.choices.all()}
        chosen = []
        for raw_choice in raw_choices if isinstance(raw_choices, list | tuple) else [raw_choices]:
            try:
                choice_id = int(raw_choice)
            except (TypeError, ValueError):
                choice_id = None
            if choice_id not in valid:
                errors.append(
                    _("Answer %(choice)s is not a choice of question %(question)s.")
                    % {"choice": raw_choice, "question": question_id}
                )
                continue
            if choice_id not in chosen:
                chosen.append(choice_id)
        if question.kind != Question.Kind.MULTIPLE and len(chosen) > 1:
            errors.append(_("Question %(id)s takes a single answer.") % {"id": question_id})
        normalised[question_id] = sorted(chosen)
    if errors:
        raise ValidationError({"answers": errors}, code="invalid_answer")
    return normalised


@transaction.atomic
def submit_quiz_attempt(*, user, lesson: Lesson, answers: Mapping) -> QuizAttempt:
    """Score one attempt: {question id: [choice ids]}. Unanswered questions count as wrong;
    a question is right when exactly its correct choices are chosen. Passing completes the
    lesson. The attempt limit holds under concurrency (row lock, then a unique number)."""
    if lesson.kind != Lesson.Kind.QUIZ:
        raise ValidationError(_("This lesson is not a quiz."), code="not_a_quiz")
    open_lesson_status(user, lesson)
    # Serialise this trainee's attempts at this quiz: concurrent submissions wait here.
    _progress_row(user, lesson, lock=True)
    used = QuizAttempt.objects.filter(user=user, lesson=lesson).count()
    if lesson.max_attempts is not None and used >= lesson.max_attempts:
        raise Conflict(
            _("You have used all %(limit)s attempts at this quiz.")
            % {"limit": lesson.max_attempts},
            code="attempt_limit",
        )
    number = used + 1
    questions = quiz_questions(user, lesson, number)
    if not questions:
        raise ValidationError(_("This quiz has no questions yet."), code="empty_quiz")
    chosen = _normalise_answers(questions, answers)
    results = {}
    for question in questions:
        correct = sorted(c.pk for c in question.choices.all() if c.is_correct)
        results[str(question.pk)] = chosen[question.pk] == correct
    right = sum(results.values())
    # Rounded half up to a whole percent.
    score = (right * 200 + len(questions)) // (2 * len(questions))
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                user=user,
                lesson=lesson,
                number=number,
                answers={str(k): v for k, v in chosen.items()},
                question_order=[q.pk for q in questions],
                results=results,
                score=score,
                passed=score >= lesson.pass_mark,
            )
    except IntegrityError as exc:
        raise Conflict(
            _("Another attempt was submitted at the same moment. Reload the quiz."),
            code="attempt_conflict",
        ) from exc
    if attempt.passed:
        _mark_complete(user, lesson)
        snapshots.refresh(user=user, course=lesson.module.course)
    else:
        snapshots.note_activity(user=user, course=lesson.module.course, at=attempt.submitted_at)
    return attempt


def reveals_correct_answers(lesson: Lesson, attempts: list[QuizAttempt]) -> bool:
    """After any submitted attempt the trainee sees which of their answers were right. The correct
    choices themselves are shown only once another attempt could not use them: after a pass, or
    when the attempts are used up."""
    if not attempts:
        return False
    if any(a.passed for a in attempts):
        return True
    return lesson.max_attempts is not None and len(attempts) >= lesson.max_attempts


# Assignments.


@transaction.atomic
def submit_assignment(*, user, lesson: Lesson, text: str = "", file=None, now=None):
    """Hand in (or, after it was returned, hand in again) an assignment: text and/or a file
    (PDF, DOCX, PNG or JPEG by content). After the deadline the assignment's late policy decides:
    accept and flag late, or refuse. A resubmission after a return is always accepted."""
    if lesson.kind != Lesson.Kind.ASSIGNMENT:
        raise ValidationError(_("This lesson is not an assignment."), code="not_an_assignment")
    text = (text or "").strip()
    errors = {}
    if text and not lesson.allow_text:
        errors["text"] = [_("This assignment takes a file, not a text answer.")]
    if file is not None and not lesson.allow_file:
        errors["file"] = [_("This assignment takes a text answer, not a file.")]
    if not text and file is None:
        errors["text"] = [_("Write your answer or attach a file.")]
    content_type = ""
    if file is not None and "file" not in errors:
        try:
            content_type = files.validate_upload(file, allowed=files.SUBMISSION_TYPES)
        except ValidationError as exc:
            errors["file"] = exc.messages
    if errors:
        raise ValidationError(errors)

    open_lesson_status(user, lesson)
    now = now or timezone.now()
    submission = (
        AssignmentSubmission.objects.select_for_update().filter(user=user, lesson=lesson).first()
    )
    if submission is None:
        deadline = lesson.deadline(starts_at=access.course_start_for(user, lesson.module.course))
        late = deadline is not None and now > deadline
        if late and lesson.late_policy == Lesson.LatePolicy.REFUSE:
            raise ValidationError(DEADLINE_PASSED_MESSAGE, code="deadline_passed")
        submission = AssignmentSubmission(user=user, lesson=lesson, is_late=late)
        fields = None
    elif submission.status == AssignmentSubmission.Status.RETURNED:
        submission.status = AssignmentSubmission.Status.RESUBMITTED
        submission.revision += 1
        fields = ["text", "file", "file_type", "status", "revision", "submitted_at"]
    elif submission.status == AssignmentSubmission.Status.ACCEPTED:
        raise Conflict(_("This assignment has already been accepted."), code="already_accepted")
    else:
        raise Conflict(
            _("Your submission is waiting for review; you can submit again if it is returned."),
            code="awaiting_review",
        )
    previous_file = submission.file.name if submission.file else ""
    submission.text = text
    submission.submitted_at = now
    if file is not None:
        submission.file = File(file, name=files.stored_name(content_type))
        submission.file_type = content_type
    else:
        submission.file = ""
        submission.file_type = ""
    _progress_row(user, lesson)
    try:
        with transaction.atomic():
            submission.save(update_fields=fields)
    except IntegrityError as exc:
        _discard_file(submission.file.name if submission.file else "", submission)
        raise Conflict(
            _("Your submission is waiting for review; you can submit again if it is returned."),
            code="awaiting_review",
        ) from exc
    snapshots.refresh(user=user, course=lesson.module.course)
    if previous_file and previous_file != submission.file.name:
        # The replaced file goes only once the new state is committed.
        storage = submission.file.storage
        transaction.on_commit(lambda: storage.delete(previous_file))
    return submission


DEADLINE_PASSED_MESSAGE = _(
    "The deadline for this assignment has passed; it no longer accepts submissions."
)


def _discard_file(name: str, submission) -> None:
    if name:
        submission.file.storage.delete(name)


@transaction.atomic
def review_submission(
    *, reviewer, submission: AssignmentSubmission, accept: bool, feedback: str = ""
):
    """A manager (or, once mentoring exists, the trainee's mentor) accepts a submission, which
    completes the lesson, or returns it with feedback for a resubmission. Recorded and notified."""
    if not access.can_review(reviewer, submission):
        raise PermissionDenied(_("You cannot review this submission."))
    submission = (
        AssignmentSubmission.objects.select_for_update()
        .select_related("lesson__module__course", "user")
        .get(pk=submission.pk)
    )
    if not submission.awaiting_review:
        raise Conflict(_("This submission is not waiting for review."), code="not_awaiting_review")
    feedback = (feedback or "").strip()
    if not accept and not feedback:
        raise ValidationError(
            {"feedback": [_("Say what should change when you return a submission.")]}
        )
    submission.status = (
        AssignmentSubmission.Status.ACCEPTED if accept else AssignmentSubmission.Status.RETURNED
    )
    submission.feedback = feedback
    submission.reviewed_by = reviewer
    submission.reviewed_at = timezone.now()
    submission.save(update_fields=["status", "feedback", "reviewed_by", "reviewed_at"])
    lesson = submission.lesson
    if accept:
        _mark_complete(submission.user, lesson)
    snapshots.refresh(user=submission.user, course=lesson.module.course)
    record(
        actor=reviewer,
        action="courses.accept_submission" if accept else "courses.return_submission",
        target=submission,
        revision=submission.revision,
        lesson=lesson.pk,
    )
    course = lesson.module.course
    notify(
        recipient=submission.user,
        kind=(SUBMISSION_ACCEPTED if accept else SUBMISSION_RETURNED).key,
        params={
            "lesson": lesson.title,
            "lesson_en": lesson.title_en,
            "course": course.title,
            "course_en": course.title_en,
        },
        url=lesson.get_absolute_url(),
    )
    return submission
