"""Training content (course -> ordered modules -> ordered lessons, quiz questions) and each
trainee's progress through it (lesson progress, quiz attempts, assignment submissions).

Content is Arabic first: every text field has an optional English twin (`title_en`, ...) and
`localized(obj, "title")` picks the active language's version, falling back to Arabic.

One module per area: base (localized text), content (courses, modules, lessons, questions,
choices and direct enrolments) and progress (a trainee's progress, attempts, submissions and
stored course figures); everything is re-exported here, so callers write
`from courses.models import X` (and Django finds the models here)."""

from core.i18n import localized

from .base import Localized
from .content import (
    Choice,
    Course,
    CourseEnrollment,
    CourseQuerySet,
    Lesson,
    LessonQuerySet,
    Module,
    ModuleQuerySet,
    Question,
    http_url_validator,
)
from .progress import (
    AssignmentSubmission,
    CourseProgressSnapshot,
    LessonProgress,
    ProgressQuerySet,
    QuizAttempt,
    submission_upload_to,
)

__all__ = [
    "Localized",
    "AssignmentSubmission",
    "Choice",
    "Course",
    "CourseEnrollment",
    "CourseProgressSnapshot",
    "CourseQuerySet",
    "Lesson",
    "LessonProgress",
    "LessonQuerySet",
    "Module",
    "ModuleQuerySet",
    "ProgressQuerySet",
    "Question",
    "QuizAttempt",
    "http_url_validator",
    "localized",
    "submission_upload_to",
]
