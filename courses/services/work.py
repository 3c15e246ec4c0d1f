"""A trainee's work: opening, starting and completing lessons, quiz attempts and assignment submissions."""

import random
from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.compiled import Change
from core.errors import Conflict

from .. import access, files, lookups, snapshots
from ..models import (
    AssignmentSubmission,
    Lesson,
    LessonProgress,
    Question,
    QuizAttempt,
)
from ..progress import CourseStatus, course_status
from .common import LessonLocked

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
    # `get_or_create`, its get read as stored SQL (courses.lookups): the same queries.
    progress = lookups.progress_row(user, lesson)
    if progress is None:
        now = timezone.now()
        try:
            with transaction.atomic():
                progress = LessonProgress.objects.create(
                    user=user, lesson=lesson, started_at=now, last_seen_at=now
                )
        except IntegrityError:
            progress = lookups.progress_row(user, lesson)  # created meanwhile
            if progress is None:
                raise
    if lock:
        progress = LessonProgress.objects.select_for_update().get(pk=progress.pk)
    return progress


def reopen_lesson(*, user, lesson: Lesson, status: CourseStatus) -> None:
    """The lesson page's `start_lesson`, with the status it shows (see `open_lesson_status`).

    Opening a lesson again, the usual case, only moves its last-seen time and the person's last
    activity: two single-row updates, each its own statement, in place of reading the progress
    row and writing both inside a transaction (five round trips on every lesson page). They need
    no transaction together: the activity time only ever moves forward (GREATEST), and the
    nightly rebuild of the tallies recounts it from these rows. The first opening, or a row gone
    since the status was read, takes `start_lesson`."""
    status = open_lesson_status(user, lesson, status)
    state = status.lesson(lesson.pk)
    if state.started_at is not None:
        now = timezone.now()
        # A last-seen time ahead of this clock (another server's) is left as it is.
        if _SEEN.run(user.pk, lesson.pk, now) or lookups.progress_row(user, lesson) is not None:
            snapshots.note_activity(user=user, course=lesson.module.course, at=now)
            return
    start_lesson(user=user, lesson=lesson, status=status)


def _seen(user_id, lesson_id, now):
    rows = LessonProgress.objects.filter(user=user_id, lesson=lesson_id, last_seen_at__lt=now)
    return rows, {"last_seen_at": now}


# Compiled once per connection (core.compiled.Change): run as stored SQL.
_SEEN = Change(_seen)


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
    questions = lookups.questions_with_choices(lesson)
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
    """Score one attempt: {question id: [choice ids]}. An attempt that answers no question at
    all is refused and uses up nothing (it is a slip, not an attempt); otherwise unanswered
    questions count as wrong. A question is right when exactly its correct choices are chosen.
    Passing completes the lesson. The attempt limit holds under concurrency (row lock, then a
    unique number)."""
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
    if not any(chosen.values()):
        raise ValidationError(
            {"answers": [_("Choose an answer to the questions first. No attempt was used.")]},
            code="no_answer",
        )
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
