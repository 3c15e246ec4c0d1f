"""Every state change of courses and progress, one module per area: authoring (create, edit,
reorder, publish courses, modules, lessons and questions), audience (enrolment), work (a trainee
starting and completing lessons, quiz attempts, assignment submissions) and reviews (the review of
submissions); common holds the LessonLocked error, the notification kinds and the managers' check.
Pages, the API and the admin call these as `services.<name>`; none saves a status itself.

Errors: bad input raises django ValidationError (a 400 in the API), a locked lesson
`LessonLocked` (403), no right to act PermissionDenied, a state that forbids the action
`Conflict` (409). Every function is atomic, so nothing is half-saved."""

from core.errors import Conflict, Refused

from .audience import (
    enroll_trainee,
    unenroll_trainee,
)
from .authoring import (
    COURSE_FIELDS,
    LESSON_FIELDS,
    MODULE_FIELDS,
    QUESTION_FIELDS,
    Direction,
    add_lesson,
    add_module,
    add_question,
    create_course,
    delete_lesson,
    delete_module,
    delete_question,
    move_lesson,
    move_module,
    move_question,
    publish_course,
    set_prerequisites,
    unpublish_course,
    update_course,
    update_lesson,
    update_module,
    update_question,
)
from .common import (
    ENROLLED,
    SUBMISSION_ACCEPTED,
    SUBMISSION_RETURNED,
    LessonLocked,
)
from .reviews import (
    review_submission,
)
from .work import (
    DEADLINE_PASSED_MESSAGE,
    complete_lesson,
    next_attempt_number,
    open_lesson_status,
    quiz_questions,
    reopen_lesson,
    reveals_correct_answers,
    start_lesson,
    submit_assignment,
    submit_quiz_attempt,
)

__all__ = [
    "COURSE_FIELDS",
    "Conflict",
    "DEADLINE_PASSED_MESSAGE",
    "Direction",
    "ENROLLED",
    "LESSON_FIELDS",
    "LessonLocked",
    "MODULE_FIELDS",
    "QUESTION_FIELDS",
    "Refused",
    "SUBMISSION_ACCEPTED",
    "SUBMISSION_RETURNED",
    "add_lesson",
    "add_module",
    "add_question",
    "complete_lesson",
    "create_course",
    "delete_lesson",
    "delete_module",
    "delete_question",
    "enroll_trainee",
    "move_lesson",
    "move_module",
    "move_question",
    "next_attempt_number",
    "open_lesson_status",
    "publish_course",
    "quiz_questions",
    "reopen_lesson",
    "reveals_correct_answers",
    "review_submission",
    "set_prerequisites",
    "start_lesson",
    "submit_assignment",
    "submit_quiz_attempt",
    "unenroll_trainee",
    "unpublish_course",
    "update_course",
    "update_lesson",
    "update_module",
    "update_question",
]
