from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "proposals"
    verbose_name = _("Initiative proposals")

    def ready(self):
        # The e-mail worker renders notifications by key: this app's kinds must be known.
        from . import notifications

        notifications.register_kinds()
