from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Importing the services registers this app's notification kinds; importing the schema
        # module registers the API's session-token scheme with drf-spectacular.
        from . import schema, services  # noqa: F401
