"""What the cohorts viewsets share: the manager check, flags."""

from django.utils.translation import gettext as _
from rest_framework import exceptions

from ... import services
from ...models import Cohort, Membership


def require_manager(user, cohort):
    if not services.can_manage_cohort(user, cohort):
        raise exceptions.PermissionDenied(_("Only this cohort's managers can do this."))


def managed_ids(user) -> set[int]:
    return set(Cohort.objects.managed_by(user).values_list("pk", flat=True))


def facilitating_ids(user) -> set[int]:
    """The cohorts where this person may facilitate sessions (an active mentor, facilitator or
    manager membership): a session's facilitator outside them takes no attendance."""
    return set(
        Membership.objects.facilitating().filter(user=user).values_list("cohort_id", flat=True)
    )


def flag(request, name: str) -> bool:
    return str(request.query_params.get(name, "")).lower() in ("1", "true", "yes")
