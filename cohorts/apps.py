from django.apps import AppConfig
from django.db.models.signals import post_delete
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts")

    def ready(self):
        from courses import access

        # Importing the services registers this app's notification kinds (the e-mail worker
        # renders them by key).
        from . import course_rules, services, tallies  # noqa: F401
        from .models import Attendance

        # Cohort membership is how courses, review rights and progress reach people.
        access.register_course_audience(course_rules.course_audience)
        access.register_course_start(course_rules.course_start)
        access.register_reviewer(course_rules.may_review)
        access.register_progress_viewer(course_rules.progress_people)
        # A mark deleted outside the services takes its count out of the dashboard's counters.
        post_delete.connect(tallies.mark_deleted, sender=Attendance, dispatch_uid="tallies-del")
