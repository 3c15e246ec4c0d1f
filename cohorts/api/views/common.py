"""What the cohorts viewsets share: documented error responses, the manager check, flags."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions

from ... import services
from ...models import Cohort, Membership

ERRORS = {
    400: OpenApiResponse(description="Invalid input (error body with field messages)."),
    403: OpenApiResponse(description="Visible to you, but not yours to act on."),
    404: OpenApiResponse(description="Not found, or not visible to you."),
    409: OpenApiResponse(description="The current state forbids it (error code says why)."),
}


def errors(*codes):
    """The documented error responses with these status codes (for extend_schema)."""
    return {code: ERRORS[code] for code in codes}


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
