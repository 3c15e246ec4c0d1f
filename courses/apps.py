from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self):
        from core import home

        from . import home_panels, notifications, snapshots, structure
        from .models import AssignmentSubmission, Lesson, LessonProgress, Module, QuizAttempt

        # The cached structure of courses follows every change to it (courses.structure);
        # connected first, so that it has moved on before the snapshots' receivers run.
        for model in (Module, Lesson):
            for signal in (post_save, post_delete):
                signal.connect(
                    structure.structure_changed,
                    sender=model,
                    dispatch_uid=f"structure-{signal is post_save}-{model.__name__}",
                )
        m2m_changed.connect(
            structure.structure_changed,
            sender=Lesson.prerequisites.through,
            dispatch_uid="structure-prerequisites",
        )

        # The e-mail worker renders notifications by key: this app's kinds must be known.
        notifications.register_kinds()
        # The signed-in home page shows the person's courses (core.home).
        home.register_panel(
            "courses", order=10, template="courses/home_panel.html", collect=home_panels.my_courses
        )

        # Progress snapshots follow the course's structure, however it is edited (services,
        # admin, shell), and records deleted outside the services (see courses.snapshots).
        pre_save.connect(snapshots.lesson_pre_save, sender=Lesson, dispatch_uid="snapshots-pre")
        post_save.connect(snapshots.lesson_saved, sender=Lesson, dispatch_uid="snapshots-save")
        post_delete.connect(snapshots.lesson_deleted, sender=Lesson, dispatch_uid="snapshots-del")
        for model in (LessonProgress, QuizAttempt, AssignmentSubmission):
            post_delete.connect(
                snapshots.fact_deleted, sender=model, dispatch_uid=f"snapshots-{model.__name__}"
            )
