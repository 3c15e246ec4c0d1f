"""Course pages, one module per area: learner (a trainee's courses, outlines and lessons: quizzes,
assignments, downloads), reviews (the review of assignment submissions) and authoring (courses,
modules, lessons and questions by program managers); common holds what they share. urls.py names
every page from here.

Every object is reached through its model's `visible_to(user)` (out of scope: 404); whether a
visible lesson is open is `courses.progress`'s answer (locked: 403 with the reason); every change
is a call to `courses.services` (bad input: the page again with the error and 400; a state that
forbids the action: 409). Program managers see the trainee pages as a preview: the lock states
and content a trainee who has not started would see, with nothing recorded."""

from .authoring import (
    course_create,
    course_edit,
    course_publish,
    course_trainees,
    course_unpublish,
    lesson_add,
    lesson_delete,
    lesson_edit,
    lesson_move,
    manage,
    manage_course,
    module_add,
    module_delete,
    module_edit,
    module_move,
    question_add,
    question_delete,
    question_edit,
    question_move,
    unenroll,
)
from .learner import (
    complete_lesson,
    course,
    lesson,
    my_courses,
    resource,
    submission_file,
    submit_assignment,
    submit_quiz,
)
from .reviews import (
    review,
    review_queue,
)

__all__ = [
    "complete_lesson",
    "course",
    "course_create",
    "course_edit",
    "course_publish",
    "course_trainees",
    "course_unpublish",
    "lesson",
    "lesson_add",
    "lesson_delete",
    "lesson_edit",
    "lesson_move",
    "manage",
    "manage_course",
    "module_add",
    "module_delete",
    "module_edit",
    "module_move",
    "my_courses",
    "question_add",
    "question_delete",
    "question_edit",
    "question_move",
    "resource",
    "review",
    "review_queue",
    "submission_file",
    "submit_assignment",
    "submit_quiz",
    "unenroll",
]
