"""Carrying out an approved initiative: milestones, progress updates with photos, comments."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cohorts.models import Cohort
from core.errors import Refused

from .. import files, mentors
from ..models import Milestone, ProgressPhoto, ProgressUpdate, Proposal
from .common import atomic, can_manage, is_team, lock, notify_team, require_status

MAX_PHOTOS = 5


def _require_team_or_manager(actor, proposal):
    if not (is_team(actor, proposal) or can_manage(actor, proposal.cohort)):
        raise Refused(_("Only the team and the cohort's managers can do this."), code="not_team")


def add_milestone(*, actor, proposal, title: str, due_on) -> Milestone:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Name the milestone.")]})
    with atomic():
        proposal = lock(proposal)
        _require_team_or_manager(actor, proposal)
        require_status(proposal, *Proposal.IMPLEMENTING)
        milestone = Milestone.objects.create(
            proposal=proposal,
            title=title[:200],
            due_on=due_on,
            position=proposal.milestones.count(),
        )
        notify_team(
            proposal,
            kind="proposals.milestone_changed",
            params={"title": proposal.title, "milestone": milestone.title, "percent": 0},
            exclude=actor,
        )
    return milestone


def _clean_percents(proposal, percents: dict) -> dict[int, int]:
    own = {m.pk: m for m in proposal.milestones.all()}
    cleaned = {}
    for key, value in (percents or {}).items():
        try:
            pk = int(key)
        except (TypeError, ValueError):
            pk = None
        if pk not in own:
            raise ValidationError({"milestones": [_("Unknown milestone.")]})
        if not isinstance(value, int) or isinstance(value, bool) or not (0 <= value <= 100):
            raise ValidationError(
                {"milestones": [_("Progress is a whole percentage from 0 to 100.")]}
            )
        cleaned[pk] = value
    return cleaned


def post_progress(
    *, actor, proposal, text: str, milestone_percents=None, photos=()
) -> ProgressUpdate:
    """The team reports progress: text, photos, and % complete per milestone. This is the one
    writer of Milestone.percent_complete; overall progress is computed from the milestones."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Describe the progress.")]})
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": [_("At most %(n)s photos.") % {"n": MAX_PHOTOS}]})
    types = [files.validate(photo, allowed=files.PHOTO_TYPES) for photo in photos]
    with files.cleanup_on_failure(), atomic():
        proposal = lock(proposal)
        if not is_team(actor, proposal):
            raise Refused(_("Only the proposal's team can do this."), code="not_team")
        require_status(proposal, *Proposal.IMPLEMENTING)
        percents = _clean_percents(proposal, milestone_percents)
        update = ProgressUpdate.objects.create(
            proposal=proposal,
            author=actor,
            text=text,
            milestone_percents={str(k): v for k, v in percents.items()},
        )
        for photo, content_type in zip(photos, types, strict=True):
            row = ProgressPhoto(update=update, content_type=content_type, size=photo.size)
            row.file.name = files.store(photo, folder="proposals/photos", content_type=content_type)
            row.save()
        for milestone in Milestone.objects.filter(pk__in=percents).order_by("pk"):
            if milestone.percent_complete == percents[milestone.pk]:
                continue
            milestone.percent_complete = percents[milestone.pk]
            milestone.save(update_fields=["percent_complete"])
            notify_team(
                proposal,
                kind="proposals.milestone_changed",
                params={
                    "title": proposal.title,
                    "milestone": milestone.title,
                    "percent": milestone.percent_complete,
                },
                exclude=actor,
            )
    return update


def can_comment(user, proposal) -> bool:
    """The cohort's managers and the lead's mentor (a mentorship in force) comment. Nobody else
    who may read the initiative: a reviewer's comment would name them to the team when the
    cohort hides reviewers' names."""
    if not (user.is_authenticated and user.is_active):
        return False
    managed = Q(cohort__in=Cohort.objects.managed_by(user))
    return Proposal.objects.filter(managed | mentors.mentee_filter(user), pk=proposal.pk).exists()


def comment_on_progress(*, actor, proposal, text: str) -> ProgressUpdate:
    """The mentor or a manager comments on the implementation."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the comment.")]})
    with atomic():
        proposal = lock(proposal)
        if not can_comment(actor, proposal):
            raise Refused(_("You cannot comment on this initiative."), code="not_visible")
        require_status(proposal, *Proposal.IMPLEMENTING, Proposal.Status.COMPLETED)
        return ProgressUpdate.objects.create(
            proposal=proposal, author=actor, text=text, is_comment=True
        )
