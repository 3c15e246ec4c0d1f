"""The notification kinds of proposals (invitations, status changes, milestones, review
assignments), registered by `ProposalsConfig.ready()` through `register_kinds()`."""

from django.utils.translation import gettext_lazy as _

from notifications import kinds
from notifications.kinds import Kind

from .models import Proposal


def _status_params(params: dict) -> dict:
    status = params.get("status")
    return {"status": Proposal.Status(status).label if status in Proposal.Status.values else ""}


INVITED = Kind(
    "proposals.invited",
    title=_("You are invited to co-author an initiative"),
    body=_("%(lead)s invites you to co-author the initiative “%(title)s”. Accept or decline it."),
)
STATUS_CHANGED = Kind(
    "proposals.status_changed",
    title=_("Your initiative: %(status)s"),
    body=_("The initiative “%(title)s” is now: %(status)s. %(comment)s"),
    prepare=_status_params,
)
MILESTONE_CHANGED = Kind(
    "proposals.milestone_changed",
    title=_("A milestone of your initiative changed"),
    body=_("Milestone “%(milestone)s” of “%(title)s”: %(percent)s%% complete."),
)
REVIEW_ASSIGNED = Kind(
    "proposals.review_assigned",
    title=_("A proposal to review"),
    body=_("Please review the initiative “%(title)s” by %(due)s."),
)

KINDS = (INVITED, STATUS_CHANGED, MILESTONE_CHANGED, REVIEW_ASSIGNED)


def register_kinds() -> None:
    kinds.register_all(KINDS)
