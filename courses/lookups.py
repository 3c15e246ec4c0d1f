"""The course or lesson a page opens, by id, through the access rule of the models
(`CourseQuerySet.for_person`, which `visible_to` uses too), as stored SQL (core.compiled): the
trainee pages, the outline and lesson API ask one of these on every request.

Also the quiz page's questions with their choices, the trainee's attempts, and the trainee's
progress row of a lesson (read whenever a lesson is opened).

The person's id is a value of the shapes; whether they manage (which widens the rule to every
course, drafts included) and the audience rules registered with courses.access are their key.
An anonymous or deactivated person sees nothing, without a query, as with `visible_to`."""

from collections import defaultdict

from core.compiled import Shape, attach_related

from . import access
from .models import Choice, Course, Lesson, LessonProgress, Question, QuizAttempt


def _course(course_id, user_id, *, manager, audiences):
    # `audiences` (access.course_audiences()) only keys the SQL to the rules it applies.
    # order_by(): as `QuerySet.get()`, which these lookups replace, leaves it.
    return Course.objects.for_person(user_id, manager=manager).filter(pk=course_id).order_by()


def _lesson(lesson_id, user_id, *, manager, audiences):
    return (
        Lesson.objects.for_person(user_id, manager=manager)
        .select_related("module__course")
        .filter(pk=lesson_id)
        .order_by()
    )


def _questions(lesson_id):
    return Question.objects.filter(lesson_id=lesson_id).order_by("position", "id")


def _choices(lesson_id):
    # Choice's own ordering, as the prefetch of `question.choices` reads them.
    return Choice.objects.filter(question__lesson_id=lesson_id)


def _attempts(user_id, lesson_id):
    return QuizAttempt.objects.filter(user_id=user_id, lesson_id=lesson_id).order_by("number")


def _progress_row(user_id, lesson_id):
    # order_by(): as `QuerySet.get()` leaves it.
    return LessonProgress.objects.filter(user_id=user_id, lesson_id=lesson_id).order_by()


_COURSE = Shape(_course)
_LESSON = Shape(_lesson)
_QUESTIONS = Shape(_questions)
_CHOICES = Shape(_choices)
_ATTEMPTS = Shape(_attempts)
_PROGRESS_ROW = Shape(_progress_row)


def sees_something(user) -> bool:
    """Whether `Course.objects.visible_to(user)` may hold anything (else it is `none()`)."""
    return user.is_authenticated and user.is_active


def person_key(user) -> dict:
    """The keywords of `Course.objects.for_person` and of a shape built on it."""
    return {"manager": user.can_manage(), "audiences": access.course_audiences()}


def visible_course(user, pk: int) -> Course | None:
    """The course with this id if `Course.objects.visible_to(user)` holds it, else None."""
    if not sees_something(user):
        return None
    return _COURSE.first(pk, user.pk, **person_key(user))


def visible_lesson(user, pk: int) -> Lesson | None:
    """The lesson with this id, its module and course read with it, if
    `Lesson.objects.visible_to(user)` holds it, else None."""
    if not sees_something(user):
        return None
    return _LESSON.first(pk, user.pk, **person_key(user))


def questions_with_choices(lesson) -> list[Question]:
    """The quiz's questions in order, each with its choices as
    `lesson.questions.prefetch_related("choices")` leaves them (`question.choices.all()` asks
    nothing more, `question.lesson` is this lesson): two queries, none without questions."""
    questions = _QUESTIONS.list(lesson.pk)
    if not questions:
        return questions
    choices = defaultdict(list)
    for choice in _CHOICES.list(lesson.pk):
        choices[choice.question_id].append(choice)
    for question in questions:
        question.lesson = lesson
        attach_related(question, "choices", choices.get(question.pk, []), back="question")
    return questions


def quiz_attempts(user, lesson) -> list[QuizAttempt]:
    """The trainee's attempts at this quiz, first to last."""
    return _ATTEMPTS.list(user.pk, lesson.pk)


def progress_row(user, lesson) -> LessonProgress | None:
    """The trainee's progress row of this lesson, if there is one."""
    return _PROGRESS_ROW.first(user.pk, lesson.pk)
