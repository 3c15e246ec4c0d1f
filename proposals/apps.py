from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Initiative proposals")

    def ready(self):
        # Imported here, not at the top: they load models, which Django allows only once the app
        # registry is ready (this method runs then).
        from cohorts import dashboard

        from . import completion, notifications, reminders

        # The e-mail worker renders notifications by key: this app's kinds must be known.
        notifications.register_kinds()
        # What is due (reviews, milestones), scanned by the notifications app.
        reminders.register_reminders()
        # The cohort dashboard shows each trainee's initiative and its status, and flags those
        # without a submitted proposal close to the cohort's proposal deadline.
        dashboard.register_column("initiative", _("Initiative"), completion.initiative_column)
        dashboard.register_reason(
            "proposal_deadline",
            _("No proposal before the deadline"),
            completion.no_proposal_near_deadline,
            completion.no_proposal_near_deadline_condition,
        )
