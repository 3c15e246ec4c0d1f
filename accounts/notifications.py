"""The notification kinds of accounts, registered by `AccountsConfig.ready()`."""

from django.utils.translation import gettext_lazy as _

from notifications import kinds
from notifications.kinds import Kind

from .models import User

ROLE_CHANGED = Kind(
    "accounts.role_changed",
    title=_("Your role has changed"),
    body=_("Your role on the Ishtar youth leadership platform is now: %(role)s."),
    prepare=lambda params: {"role": User.Role(params["role"]).label},
)

KINDS = (ROLE_CHANGED,)


def register_kinds() -> None:
    kinds.register_all(KINDS)
