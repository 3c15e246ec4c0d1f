from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self):
        # Imported here: models and the registries of the apps below must be loaded first.
        from cohorts.dashboard import register_mentor_lookup
        from courses.access import register_progress_viewer

        from . import hooks, notifications, reminders

        # The e-mail worker renders notifications by key: this app's kinds must be known.
        notifications.register_kinds()
        # What is due (no meeting for 30 days, an idle mentee), scanned by the notifications app.
        reminders.register_reminders()
        # A mentor sees their active mentees' progress; the dashboard shows each trainee's mentor.
        register_progress_viewer(hooks.active_mentees)
        register_mentor_lookup(hooks.mentor_column)
