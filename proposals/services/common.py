"""What every proposals service shares: who may act, the transition recorder, notifications."""

from django.db import transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cohorts import shapes as cohort_shapes
from cohorts.models import Membership, is_staff
from core.errors import Conflict, Refused
from core.models import record
from core.pages import page_url
from notifications.services import notify

from ..models import Proposal, TeamMember, Transition


def is_team(user, proposal) -> bool:
    """The lead or an accepted co-author who still belongs to the proposal's cohort: a trainee
    removed from the cohort (membership withdrawn) no longer acts for the team. A completed
    membership keeps its rights, so the team carries its initiative out after the cohort ends."""
    if not (user.is_authenticated and user.is_active):
        return False
    in_cohort = Membership.objects.filter(cohort_id=proposal.cohort_id, user=user).exclude(
        status=Membership.Status.WITHDRAWN
    )
    if proposal.lead_id != user.pk:
        accepted = TeamMember.objects.filter(
            proposal=proposal, user=user, status=TeamMember.Status.ACCEPTED
        )
        in_cohort = in_cohort.filter(Exists(accepted))
    return in_cohort.exists()


def require_team(user, proposal):
    if not is_team(user, proposal):
        raise Refused(_("Only the proposal's team can do this."), code="not_team")


def can_manage(user, cohort) -> bool:
    """Staff, and the cohort's managers (`Cohort.objects.managed_by`, read as stored SQL)."""
    return is_staff(user) or cohort_shapes.manages(user, cohort.pk)


def require_manager(user, proposal):
    if not can_manage(user, proposal.cohort):
        raise Refused(_("Only this cohort's managers can do this."), code="not_manager")


def lock(proposal) -> Proposal:
    """Re-read the proposal under a row lock. Lock order: proposal first, then its children."""
    return Proposal.objects.select_for_update().select_related("cohort").get(pk=proposal.pk)


def require_status(proposal, *allowed):
    if proposal.status not in allowed:
        raise Conflict(
            _("This cannot be done while the proposal is “%(status)s”.")
            % {"status": proposal.get_status_display()},
            code="wrong_state",
        )


def move(proposal, *, to, actor, comment="", **extra_fields) -> Proposal:
    """Change the status of a locked proposal, record the transition and tell the team."""
    from_status = proposal.status
    proposal.status = to
    proposal.version += 1
    for name, value in extra_fields.items():
        setattr(proposal, name, value)
    proposal.save(update_fields=["status", "version", "updated_at", *extra_fields])
    Transition.objects.create(
        proposal=proposal, actor=actor, from_status=from_status, to_status=to, comment=comment
    )
    record(actor=actor, action=f"proposals.{to}", target=proposal, comment=comment)
    notify_team(
        proposal,
        kind="proposals.status_changed",
        params={"title": proposal.title, "status": to, "comment": comment},
        exclude=actor,
    )
    return proposal


def notify_team(proposal, *, kind, params, exclude=None):
    url = page_url("proposals:detail", pk=proposal.pk)
    members = {proposal.lead} | {
        m.user
        for m in proposal.team_members.select_related("user").filter(
            status=TeamMember.Status.ACCEPTED
        )
    }
    for user in sorted(members, key=lambda u: u.pk):
        if exclude is not None and user.pk == getattr(exclude, "pk", None):
            continue
        notify(recipient=user, kind=kind, params=params, url=url)


def now():
    return timezone.now()


atomic = transaction.atomic
