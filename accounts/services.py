"""State changes on people. Views, the API and the admin call these; none saves a role itself."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.models import record
from notifications.services import notify

from .models import PERSONAL_FIELDS, User
from .notifications import ROLE_CHANGED


@transaction.atomic
def set_role(*, actor: User, user: User, role: str) -> User:
    """A staff member gives someone a global role; recorded and notified. Program managers may
    not: a global role reaches beyond their cohorts (it would let them promote a trainee to
    manager or demote another manager)."""
    if not (actor.is_active and (actor.is_staff or actor.is_superuser)):
        raise PermissionDenied(_("Only staff can change a person's global role."))
    if role not in User.Role.values:
        raise ValueError(f"unknown role {role!r}")
    if user.role == role:
        return user
    previous = user.role
    user.role = role
    user.save(update_fields=["role"])
    record(actor=actor, action="accounts.set_role", target=user, previous=previous, role=role)
    notify(recipient=user, kind=ROLE_CHANGED.key, params={"role": role}, url="/accounts/profile/")
    return user


def update_profile(*, user: User, data: dict) -> User:
    """Save the fields a person may edit on their own profile (already cleaned by a form)."""
    fields = [name for name in data if name in _EDITABLE]
    for name in fields:
        setattr(user, name, data[name])
    if fields:
        user.save(update_fields=fields)
    return user


_EDITABLE = set(PERSONAL_FIELDS)
