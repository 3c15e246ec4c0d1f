from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring")

    def ready(self):
        # Imported here: the kinds module is light, but keep app loading order simple.
        from . import notifications

        # The e-mail worker renders notifications by key: this app's kinds must be known.
        notifications.register_kinds()
