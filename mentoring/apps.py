from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self):
        # Imported here: models and the registries of the apps below must be loaded first.
        from django.db.models.signals import post_save

        from cohorts import dashboard
        from cohorts.models import Membership
        from core import home
        from courses.access import register_progress_viewer

        from . import home_panels, hooks, notifications, reminders, services

        # The e-mail worker renders notifications by key: this app's kinds must be known.
        notifications.register_kinds()
        # What is due (no meeting for 30 days, an idle mentee), scanned by the notifications app.
        reminders.register_reminders()
        # A mentor sees their active mentees' progress and pages; the dashboard shows each
        # trainee's mentor and flags a mentorship without a meeting for 30 days.
        register_progress_viewer(hooks.active_mentees)
        dashboard.register_column("mentor", _("Mentor"), hooks.mentor_column_lookup)
        dashboard.register_reason(
            "mentor_meeting",
            _("No mentor meeting in 30 days"),
            hooks.no_recent_meeting,
            hooks.no_recent_meeting_condition,
            condition_of_one=hooks.no_recent_meeting_condition_of_one,
        )
        dashboard.register_trainee_viewer(hooks.mentors_trainee)
        # A trainee who leaves the cohort is no longer anyone's mentee there.
        post_save.connect(
            services.trainee_left, sender=Membership, dispatch_uid="mentoring.trainee_left"
        )
        # A mentor's home leads to the trainees they mentor (before the courses panel).
        home.register_panel(
            "mentoring",
            order=5,
            template="mentoring/home_panel.html",
            collect=home_panels.my_mentees,
            audience=home_panels.is_mentor,
        )
