from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    # Not "Accounts": allauth's e-mail addresses section is called that, and both read «الحسابات».
    verbose_name = _("People")

    def ready(self):
        # Importing the schema module registers the API's session-token scheme with
        # drf-spectacular; the e-mail worker renders notifications by key, so the kinds are known.
        from . import notifications, schema  # noqa: F401

        notifications.register_kinds()
