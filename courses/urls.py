"""Trainee and authoring pages of courses. The page URL names the rest of the product links to:
`courses:course` and `courses:lesson`, each with one `pk` argument."""

from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    # A trainee's courses and work.
    path("", views.my_courses, name="mine"),
    path("<id:pk>/", views.course, name="course"),
    path("lessons/<id:pk>/", views.lesson, name="lesson"),
    path("lessons/<id:pk>/complete/", views.complete_lesson, name="complete_lesson"),
    path("lessons/<id:pk>/quiz/", views.submit_quiz, name="submit_quiz"),
    path("lessons/<id:pk>/assignment/", views.submit_assignment, name="submit_assignment"),
    path("lessons/<id:pk>/resource/", views.resource, name="resource"),
    path("submissions/<id:pk>/file/", views.submission_file, name="submission_file"),
    # Reviewing assignment submissions.
    path("reviews/", views.review_queue, name="review_queue"),
    path("submissions/<id:pk>/review/", views.review, name="review"),
    # Authoring (program managers).
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.course_create, name="course_create"),
    path("manage/<id:pk>/", views.manage_course, name="manage_course"),
    path("manage/<id:pk>/edit/", views.course_edit, name="course_edit"),
    path("manage/<id:pk>/publish/", views.course_publish, name="course_publish"),
    path("manage/<id:pk>/unpublish/", views.course_unpublish, name="course_unpublish"),
    path("manage/<id:pk>/trainees/", views.course_trainees, name="course_trainees"),
    path("manage/<id:pk>/trainees/<id:user_pk>/remove/", views.unenroll, name="unenroll"),
    path("manage/<id:pk>/modules/new/", views.module_add, name="module_add"),
    path("manage/modules/<id:pk>/edit/", views.module_edit, name="module_edit"),
    path("manage/modules/<id:pk>/move/", views.module_move, name="module_move"),
    path("manage/modules/<id:pk>/delete/", views.module_delete, name="module_delete"),
    path("manage/modules/<id:pk>/lessons/new/", views.lesson_add, name="lesson_add"),
    path("manage/lessons/<id:pk>/edit/", views.lesson_edit, name="lesson_edit"),
    path("manage/lessons/<id:pk>/move/", views.lesson_move, name="lesson_move"),
    path("manage/lessons/<id:pk>/delete/", views.lesson_delete, name="lesson_delete"),
    path("manage/lessons/<id:pk>/questions/new/", views.question_add, name="question_add"),
    path("manage/questions/<id:pk>/edit/", views.question_edit, name="question_edit"),
    path("manage/questions/<id:pk>/move/", views.question_move, name="question_move"),
    path("manage/questions/<id:pk>/delete/", views.question_delete, name="question_delete"),
]
