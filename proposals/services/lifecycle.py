"""A proposal from draft to completion: writing it (with optimistic concurrency), its team, its
files, and one named function per transition. Illegal transitions raise Conflict."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from cohorts.models import Membership
from core.errors import Conflict, Refused
from notifications.services import notify

from .. import files
from ..models import (
    MAX_QUANTITY,
    MAX_UNIT_COST_IQD,
    Attachment,
    BudgetLine,
    Proposal,
    TeamMember,
)
from . import revisions
from .common import (
    atomic,
    is_team,
    lock,
    move,
    now,
    require_manager,
    require_status,
    require_team,
)

S = Proposal.Status
EDITABLE_FIELDS = (*revisions.SNAPSHOT_FIELDS, "showcase_consent", "showcase_first_names_only")


def is_active_trainee(user, cohort) -> bool:
    return Membership.objects.active().trainees().filter(cohort=cohort, user=user).exists()


def _clean_fields(data: dict) -> dict:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    probe = Proposal(**dict(data.items()))
    errors = {}
    try:
        probe.clean_fields(exclude=[f.name for f in Proposal._meta.fields if f.name not in data])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts and ends and ends < starts:
        errors.setdefault("ends_on", []).append(_("The end date cannot be before the start date."))
    if "title" in data and not str(data["title"]).strip():
        errors.setdefault("title", []).append(_("Give the initiative a title."))
    if errors:
        raise ValidationError(errors)
    return data


def clean_budget(lines) -> list[dict]:
    """Budget lines as [{item, quantity, unit_cost_iqd}], whole numbers within sane bounds."""
    cleaned, errors = [], []
    for index, line in enumerate(lines, start=1):
        item = str(line.get("item", "")).strip()
        quantity, cost = line.get("quantity"), line.get("unit_cost_iqd")
        if not item:
            errors.append(_("Line %(n)s: name the item.") % {"n": index})
        if (
            not isinstance(quantity, int)
            or isinstance(quantity, bool)
            or not (1 <= quantity <= MAX_QUANTITY)
        ):
            errors.append(
                _("Line %(n)s: the quantity must be a whole number from 1 to %(max)s.")
                % {"n": index, "max": MAX_QUANTITY}
            )
        if (
            not isinstance(cost, int)
            or isinstance(cost, bool)
            or not (0 <= cost <= MAX_UNIT_COST_IQD)
        ):
            errors.append(
                _("Line %(n)s: the unit cost must be whole dinars from 0 to %(max)s.")
                % {"n": index, "max": MAX_UNIT_COST_IQD}
            )
        cleaned.append({"item": item[:200], "quantity": quantity, "unit_cost_iqd": cost})
    if errors:
        raise ValidationError({"budget_lines": errors})
    return cleaned


def _replace_budget(proposal, lines):
    proposal.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(proposal=proposal, position=i, **line) for i, line in enumerate(lines)
    )


def create_proposal(*, actor, cohort, data: dict, budget_lines=(), form_token=None) -> Proposal:
    """A new draft led by `actor`, an active trainee of the cohort. The same form token twice
    (a double-submitted form) gives the one proposal it created."""
    if not is_active_trainee(actor, cohort):
        raise Refused(
            _("Only the cohort's trainees can propose an initiative."), code="not_trainee"
        )
    if form_token is not None:
        existing = Proposal.objects.filter(lead=actor, form_token=form_token).first()
        if existing is not None:
            return existing
    data = _clean_fields(dict(data))
    lines = clean_budget(budget_lines)
    try:
        with atomic():
            proposal = Proposal.objects.create(
                cohort=cohort, lead=actor, form_token=form_token, **data
            )
            _replace_budget(proposal, lines)
    except IntegrityError:
        # The twin request won the race on (lead, form_token).
        existing = Proposal.objects.filter(lead=actor, form_token=form_token).first()
        if existing is None:
            raise
        return existing
    return proposal


def update_proposal(
    *, actor, proposal, expected_version: int, data: dict, budget_lines=None
) -> Proposal:
    """Save the team's edits, unless someone else saved since `expected_version` was read."""
    data = _clean_fields(dict(data))
    lines = clean_budget(budget_lines) if budget_lines is not None else None
    with atomic():
        proposal = lock(proposal)
        require_team(actor, proposal)
        if proposal.version != expected_version:
            raise Conflict(
                _("Someone else saved changes to this proposal. Reload it to see them."),
                code="stale",
            )
        require_status(proposal, *Proposal.EDITABLE)
        for name, value in data.items():
            setattr(proposal, name, value)
        proposal.version += 1
        proposal.save(update_fields=[*data, "version", "updated_at"])
        if lines is not None:
            _replace_budget(proposal, lines)
    return proposal


def add_attachment(*, actor, proposal, upload) -> Attachment:
    content_type = files.validate(upload)
    with files.cleanup_on_failure(), atomic():
        proposal = lock(proposal)
        require_team(actor, proposal)
        require_status(proposal, *Proposal.EDITABLE)
        name = files.store(upload, folder="proposals/attachments", content_type=content_type)
        attachment = Attachment(
            proposal=proposal,
            original_name=(upload.name or "file")[-200:],
            content_type=content_type,
            size=upload.size,
            uploaded_by=actor,
        )
        attachment.file.name = name
        attachment.save()
    return attachment


def remove_attachment(*, actor, attachment) -> None:
    with atomic():
        proposal = lock(attachment.proposal)
        require_team(actor, proposal)
        require_status(proposal, *Proposal.EDITABLE)
        name = attachment.file.name
        attachment.delete()
        storage = attachment.file.storage
        transaction.on_commit(lambda: storage.delete(name))


# --- The team -----------------------------------------------------------------------------------


def invite_coauthor(*, actor, proposal, user) -> TeamMember:
    """The lead invites a trainee of the same cohort; they become a co-author once they accept."""
    with atomic():
        proposal = lock(proposal)
        if proposal.lead_id != actor.pk:
            raise Refused(_("Only the lead can invite co-authors."), code="not_lead")
        require_status(proposal, *Proposal.EDITABLE)
        if user.pk == proposal.lead_id:
            raise ValidationError({"user": [_("The lead is already on the team.")]})
        if not is_active_trainee(user, proposal.cohort):
            raise ValidationError({"user": [_("Co-authors must be trainees of the same cohort.")]})
        member, created = TeamMember.objects.get_or_create(proposal=proposal, user=user)
        if not created:
            if member.status != TeamMember.Status.DECLINED:
                return member
            member.status = TeamMember.Status.INVITED
            member.responded_at = None
            member.save(update_fields=["status", "responded_at"])
        notify(
            recipient=user,
            kind="proposals.invited",
            params={"title": proposal.title, "lead": proposal.lead.full_name},
        )
    return member


def _require_can_join(actor, proposal):
    """An invitation is accepted while the proposal is still open (a decided team is final: it
    alone reads the reviews) and by a trainee still in the proposal's cohort."""
    if proposal.status not in Proposal.OPEN:
        raise Conflict(
            _("This invitation can no longer be accepted: the proposal is “%(status)s”.")
            % {"status": proposal.get_status_display()},
            code="closed",
        )
    in_cohort = (
        Membership.objects.trainees()
        .filter(cohort_id=proposal.cohort_id, user=actor)
        .exclude(status=Membership.Status.WITHDRAWN)
    )
    if not in_cohort.exists():
        raise Refused(
            _("Only trainees of the proposal's cohort can join its team."), code="not_trainee"
        )


def respond_to_invitation(*, actor, proposal, accept: bool) -> TeamMember:
    with atomic():
        proposal = lock(proposal)
        member = (
            TeamMember.objects.select_for_update().filter(proposal=proposal, user=actor).first()
        )
        if member is None:
            raise Refused(_("You have no invitation to this proposal."), code="not_invited")
        if member.status != TeamMember.Status.INVITED:
            raise Conflict(_("You have already answered this invitation."), code="answered")
        if accept:
            _require_can_join(actor, proposal)
        member.status = TeamMember.Status.ACCEPTED if accept else TeamMember.Status.DECLINED
        member.responded_at = now()
        member.save(update_fields=["status", "responded_at"])
    return member


def accept_invitation(*, actor, proposal) -> TeamMember:
    return respond_to_invitation(actor=actor, proposal=proposal, accept=True)


def decline_invitation(*, actor, proposal) -> TeamMember:
    return respond_to_invitation(actor=actor, proposal=proposal, accept=False)


# --- Transitions ----------------------------------------------------------------------------------


def _require_complete(proposal):
    missing = [
        str(Proposal._meta.get_field(name).verbose_name)
        for name in ("title", "problem", "objectives", "activities", "starts_on", "ends_on")
        if not getattr(proposal, name)
    ]
    if missing:
        raise ValidationError(
            _("Fill in before submitting: %(fields)s.") % {"fields": "، ".join(missing)}
        )


def _already_frozen(proposal) -> bool:
    last = proposal.revisions.order_by("-number").first()
    return last is not None and last.proposal_version == proposal.version


def submit_proposal(*, actor, proposal, comment="") -> Proposal:
    """Draft → submitted, freezing a revision. A second submit of the same version (a double
    click) changes nothing."""
    with atomic():
        proposal = lock(proposal)
        require_team(actor, proposal)
        if proposal.status == S.SUBMITTED and _already_frozen(proposal):
            return proposal
        require_status(proposal, S.DRAFT)
        _require_complete(proposal)
        move(proposal, to=S.SUBMITTED, actor=actor, comment=comment, submitted_at=now())
        revisions.freeze(proposal, actor=actor)
    return proposal


def resubmit_proposal(*, actor, proposal, comment="") -> Proposal:
    """Changes requested → resubmitted, freezing a new revision."""
    with atomic():
        proposal = lock(proposal)
        require_team(actor, proposal)
        if proposal.status == S.RESUBMITTED and _already_frozen(proposal):
            return proposal
        require_status(proposal, S.CHANGES_REQUESTED)
        _require_complete(proposal)
        move(proposal, to=S.RESUBMITTED, actor=actor, comment=comment, submitted_at=now())
        revisions.freeze(proposal, actor=actor)
    return proposal


def start_review(*, actor, proposal, comment="") -> Proposal:
    with atomic():
        proposal = lock(proposal)
        require_manager(actor, proposal)
        if proposal.status == S.IN_REVIEW:
            return proposal
        require_status(proposal, S.SUBMITTED, S.RESUBMITTED)
        return move(proposal, to=S.IN_REVIEW, actor=actor, comment=comment)


def request_changes(*, actor, proposal, comment: str) -> Proposal:
    if not comment.strip():
        raise ValidationError({"comment": [_("Tell the team what to change.")]})
    with atomic():
        proposal = lock(proposal)
        require_manager(actor, proposal)
        require_status(proposal, S.IN_REVIEW, S.RESUBMITTED)
        return move(proposal, to=S.CHANGES_REQUESTED, actor=actor, comment=comment)


def decide_proposal(*, actor, proposal, approve: bool, message: str) -> Proposal:
    """Approve or reject with a message to the team; the reviews become visible to the team."""
    if not message.strip():
        raise ValidationError({"message": [_("Write a message to the team.")]})
    with atomic():
        proposal = lock(proposal)
        require_manager(actor, proposal)
        require_status(proposal, S.IN_REVIEW, S.RESUBMITTED)
        return move(
            proposal,
            to=S.APPROVED if approve else S.REJECTED,
            actor=actor,
            comment=message,
            decision_message=message,
            decided_at=now(),
        )


def withdraw_proposal(*, actor, proposal, comment="") -> Proposal:
    with atomic():
        proposal = lock(proposal)
        require_team(actor, proposal)
        require_status(proposal, S.DRAFT, *Proposal.UNDER_REVIEW, S.CHANGES_REQUESTED)
        return move(proposal, to=S.WITHDRAWN, actor=actor, comment=comment)


def start_implementation(*, actor, proposal, comment="") -> Proposal:
    with atomic():
        proposal = lock(proposal)
        if not is_team(actor, proposal):
            require_manager(actor, proposal)
        require_status(proposal, S.APPROVED)
        return move(proposal, to=S.IN_IMPLEMENTATION, actor=actor, comment=comment)


def complete_proposal(*, actor, proposal, comment="") -> Proposal:
    with atomic():
        proposal = lock(proposal)
        require_manager(actor, proposal)
        require_status(proposal, S.IN_IMPLEMENTATION)
        return move(proposal, to=S.COMPLETED, actor=actor, comment=comment)
