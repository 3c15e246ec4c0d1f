"""The notification kinds of proposals (invitations, status changes, milestones, review
assignments), registered by `ProposalsConfig.ready()` through `register_kinds()`."""

import datetime

from django.utils.translation import gettext_lazy as _

from core.templatetags.dates import format_when
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


def _due_params(params: dict) -> dict:
    try:
        due = format_when(datetime.date.fromisoformat(params.get("due") or ""), "DATE_FORMAT")
    except ValueError:
        due = ""
    return {**params, "due": due}


# Reminders (proposals.reminders).
REVIEW_DUE = Kind(
    "proposals.review_due",
    title=_("A review is due soon"),
    body=_("Your review of the initiative “%(title)s” is due on %(due)s and is not submitted yet."),
    prepare=_due_params,
    digestible=False,
)
REVIEW_OVERDUE = Kind(
    "proposals.review_overdue",
    title=_("A review is overdue"),
    body=_(
        "%(reviewer)s's review of the initiative “%(title)s” was due on %(due)s and has not been "
        "submitted. Remind the reviewer or assign someone else."
    ),
    prepare=_due_params,
)
MILESTONE_DUE = Kind(
    "proposals.milestone_due",
    title=_("A milestone is due soon"),
    body=_("Milestone “%(milestone)s” of your initiative “%(title)s” is due on %(due)s."),
    prepare=_due_params,
)

KINDS = (
    INVITED,
    STATUS_CHANGED,
    MILESTONE_CHANGED,
    REVIEW_ASSIGNED,
    REVIEW_DUE,
    REVIEW_OVERDUE,
    MILESTONE_DUE,
)


def register_kinds() -> None:
    kinds.register_all(KINDS)
