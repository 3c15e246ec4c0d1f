from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # The e-mail channel registers itself next to its task; the unread badge's cached count
        # listens to saved notifications.
        from . import tasks, unread  # noqa: F401

        unread.connect()
