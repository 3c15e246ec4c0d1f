from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts")

    def ready(self):
        from courses import access, snapshots

        # Importing the services registers this app's notification kinds (the e-mail worker
        # renders them by key).
        from . import course_rules, services, tallies  # noqa: F401
        from .models import Attendance, Membership

        # Cohort membership is how courses, review rights and progress reach people.
        access.register_course_audience(course_rules.course_audience)
        access.register_course_start(course_rules.course_start)
        access.register_reviewer(course_rules.may_review)
        access.register_progress_viewer(course_rules.progress_people)
        # The dashboard's stored figures (cohorts.tallies): a mark deleted outside the services
        # takes its count along; course snapshots are copied into the curriculum progress of
        # each cohort, also for whoever becomes an active trainee.
        post_delete.connect(tallies.mark_deleted, sender=Attendance, dispatch_uid="tallies-del")
        snapshots.register_listener(tallies.snapshots_changed)
        snapshots.register_activity_listener(tallies.activity_noted)
        post_save.connect(
            tallies.membership_saved, sender=Membership, dispatch_uid="tallies-membership"
        )
        post_delete.connect(
            tallies.membership_deleted, sender=Membership, dispatch_uid="tallies-membership-del"
        )
