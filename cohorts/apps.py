from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CohortsConfig(AppConfig):
    name = "cohorts"
    verbose_name = _("Cohorts")

    def ready(self):
        # Imported here, not at the top: they load models, which Django allows only once the app
        # registry is ready (this method runs then).
        from accounts import access as people_access
        from core import home
        from courses import access, snapshots

        from . import course_rules, home_panels, notifications, people_scope, reminders, tallies
        from .models import Attendance, Membership

        # The e-mail worker renders notifications by key: this app's kinds must be known.
        notifications.register_kinds()
        # The signed-in home page shows the person's cohorts and their next session (core.home).
        home.register_panel(
            "cohorts", order=20, template="cohorts/home_panel.html", collect=home_panels.my_cohorts
        )
        # What is due (sessions soon, course work, inactivity), scanned by the notifications app.
        reminders.register_reminders()
        # Cohort membership is how courses, review rights and progress reach people.
        access.register_course_audience(course_rules.course_audience)
        access.register_course_start(course_rules.course_start)
        access.register_reviewer(course_rules.may_review)
        access.register_progress_viewer(course_rules.progress_people)
        # A program manager sees the people of the cohorts they run (and the unattached pool).
        people_access.register_manager_scope(people_scope.people_of_managed_cohorts)
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
