"""Review: rubrics, assigning reviewers (in bulk), scoring, private notes, and the figures of the
decision page (weighted average and spread)."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.errors import Conflict, Refused
from core.i18n import join_list
from core.pages import page_url
from notifications.services import notify

from .. import mentors
from ..models import (
    SCORE_MAX,
    SCORE_MIN,
    Criterion,
    Proposal,
    Review,
    ReviewAssignment,
    ReviewNote,
    Rubric,
    Score,
)
from .common import atomic, can_manage, lock, now, require_manager, require_status
from .lifecycle import start_review

S = Proposal.Status

DEFAULT_CRITERIA = (
    ("الصلة باحتياجات المجتمع", "Relevance to community needs", 3),
    ("قابلية التنفيذ", "Feasibility", 2),
    ("سلامة الميزانية", "Budget soundness", 2),
    ("الأثر المتوقع", "Expected impact", 3),
    ("الاستدامة", "Sustainability", 2),
    ("مشاركة الشباب", "Youth participation", 2),
)


def rubric_for(cohort) -> Rubric:
    """The cohort's rubric, created with the default criteria the first time it is needed."""
    rubric, created = Rubric.objects.get_or_create(cohort=cohort)
    if created:
        Criterion.objects.bulk_create(
            Criterion(rubric=rubric, name=ar, name_en=en, weight=weight, position=i)
            for i, (ar, en, weight) in enumerate(DEFAULT_CRITERIA)
        )
    return rubric


def configure_rubric(*, actor, cohort, criteria=None, **settings) -> Rubric:
    """Set a cohort's review settings and, when given, replace its criteria
    ([{name, name_en, description, description_en, weight}]) while no review uses them."""
    if not can_manage(actor, cohort):
        raise Refused(_("Only this cohort's managers can do this."), code="not_manager")
    allowed = {"hide_reviewer_names", "exclude_own_mentor", "proposal_deadline"}
    if set(settings) - allowed:
        raise ValidationError(_("Unknown settings."))
    with atomic():
        rubric = rubric_for(cohort)
        for name, value in settings.items():
            setattr(rubric, name, value)
        if settings:
            rubric.save(update_fields=list(settings))
        if criteria is not None:
            if Score.objects.filter(criterion__rubric=rubric).exists():
                raise Conflict(
                    _("Reviews already use this rubric; its criteria can no longer change."),
                    code="rubric_in_use",
                )
            for c in criteria:
                if not (1 <= int(c.get("weight", 1)) <= 100):
                    raise ValidationError({"weight": [_("A weight is from 1 to 100.")]})
            rubric.criteria.all().delete()
            Criterion.objects.bulk_create(
                Criterion(rubric=rubric, position=i, **c) for i, c in enumerate(criteria)
            )
    return rubric


def reviewer_choices(actor):
    """Whom a manager may ask to review: active mentors and managers among the people they may
    see (the people of the cohorts they run and the pool), and the mentors who offer mentoring
    (their profiles are shown to every manager for matching). Managers and mentors of other
    cohorts stay out of sight."""
    pool = mentors.profile_holders()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(role=User.Role.MENTOR) | Q(role=User.Role.MANAGER))
        .filter(Q(pk__in=User.objects.visible_to(actor).values("pk")) | Q(pk__in=pool))
    )


def assign_reviewers(
    *, actor, proposals, reviewers, due_on: datetime.date
) -> tuple[list[ReviewAssignment], list[tuple[Proposal, User]]]:
    """Assign every reviewer to every proposal (several per proposal, many at once) with a due
    date. Team members never review their own proposal; a trainee's own mentor is skipped when
    the cohort says so. Returns (assignments, skipped pairs). Proposals waiting for review move
    into review."""
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": [_("The due date cannot be in the past.")]})
    for reviewer in reviewers:
        if not (reviewer.is_active and (reviewer.is_mentor or reviewer.can_manage())):
            raise ValidationError(
                {"reviewers": [_("Reviewers must be mentors or managers with an account.")]}
            )
    allowed = set(
        reviewer_choices(actor)
        .filter(pk__in=[reviewer.pk for reviewer in reviewers])
        .values_list("pk", flat=True)
    )
    if any(reviewer.pk not in allowed for reviewer in reviewers):
        raise ValidationError({"reviewers": [_("Unknown person.")]})
    assignments, skipped = [], []
    with atomic():
        # Lock order: proposals by id, so two bulk assignments cannot deadlock.
        for proposal in sorted(proposals, key=lambda p: p.pk):
            proposal = lock(proposal)
            require_manager(actor, proposal)
            require_status(proposal, *Proposal.UNDER_REVIEW)
            rubric = rubric_for(proposal.cohort)
            team = proposal.team_user_ids()
            own_mentors = (
                mentors.mentor_of(proposal.lead_id, proposal.cohort_id)
                if rubric.exclude_own_mentor
                else set()
            )
            for reviewer in reviewers:
                if reviewer.pk in team or reviewer.pk in own_mentors:
                    skipped.append((proposal, reviewer))
                    continue
                assignment, created = ReviewAssignment.objects.get_or_create(
                    proposal=proposal,
                    reviewer=reviewer,
                    defaults={"due_on": due_on, "assigned_by": actor},
                )
                if not created and assignment.due_on != due_on:
                    assignment.due_on = due_on
                    assignment.save(update_fields=["due_on"])
                if created:
                    notify(
                        recipient=reviewer,
                        kind="proposals.review_assigned",
                        params={"title": proposal.title, "due": due_on.isoformat()},
                        url=page_url("proposals:review", pk=assignment.pk),
                    )
                assignments.append(assignment)
            if proposal.status != S.IN_REVIEW:
                start_review(actor=actor, proposal=proposal)
    return assignments, skipped


def _clean_scores(rubric, scores: dict) -> dict[int, int]:
    criteria = {c.pk: c for c in rubric.criteria.all()}
    errors, cleaned = [], {}
    for key, value in scores.items():
        try:
            criterion_id = int(key)
        except (TypeError, ValueError):
            criterion_id = None
        if criterion_id not in criteria:
            errors.append(_("Unknown criterion."))
            continue
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not (SCORE_MIN <= value <= SCORE_MAX)
        ):
            errors.append(
                _("“%(criterion)s”: a score is a whole number from 1 to 5.")
                % {"criterion": criteria[criterion_id].display_name}
            )
            continue
        cleaned[criterion_id] = value
    missing = [c.display_name for pk, c in criteria.items() if pk not in cleaned]
    if missing and not errors:
        errors.append(_("Score every criterion: %(names)s.") % {"names": join_list(missing)})
    if errors:
        raise ValidationError({"scores": errors})
    return cleaned


def submit_review(*, actor, assignment, scores: dict, comments: str = "", criterion_comments=None):
    """The assigned reviewer scores every criterion 1–5; until the decision they may revise."""
    with atomic():
        proposal = lock(assignment.proposal)
        assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.reviewer_id != actor.pk:
            raise Refused(
                _("Only the assigned reviewer can review this proposal."), code="not_assigned"
            )
        require_status(proposal, *Proposal.UNDER_REVIEW)
        cleaned = _clean_scores(rubric_for(proposal.cohort), scores)
        review, _created = Review.objects.get_or_create(assignment=assignment)
        review.comments = comments
        review.submitted_at = now()
        review.save(update_fields=["comments", "submitted_at", "updated_at"])
        review.scores.all().delete()
        notes = criterion_comments or {}
        Score.objects.bulk_create(
            Score(review=review, criterion_id=cid, score=value, comment=notes.get(cid, ""))
            for cid, value in cleaned.items()
        )
    return review


def add_note(*, actor, proposal, body: str, parent=None) -> ReviewNote:
    """A private note for the proposal's reviewers and managers, or a reply to one."""
    body = body.strip()
    if not body:
        raise ValidationError({"body": [_("Write the note.")]})
    if not (
        can_manage(actor, proposal.cohort)
        or ReviewAssignment.objects.filter(proposal=proposal, reviewer=actor).exists()
    ):
        raise Refused(_("Private notes are for reviewers and managers."), code="not_reviewer")
    if parent is not None and parent.proposal_id != proposal.pk:
        raise ValidationError({"parent": [_("A reply belongs to a note of the same proposal.")]})
    return ReviewNote.objects.create(proposal=proposal, author=actor, body=body, parent=parent)


def review_summary(proposal) -> dict:
    """The decision page's figures: each submitted review's weighted score, their mean and the
    spread (highest minus lowest)."""
    return summarize(
        list(
            Review.objects.submitted()
            .filter(assignment__proposal=proposal)
            .select_related("assignment__reviewer")
            .prefetch_related("scores__criterion")
        )
    )


def summarize(reviews: list) -> dict:
    """`review_summary` of these submitted reviews (their scores and criteria loaded)."""
    weighted = [w for w in (r.weighted_score() for r in reviews) if w is not None]
    return {
        "reviews": reviews,
        "average": round(sum(weighted) / len(weighted), 2) if weighted else None,
        "spread": round(max(weighted) - min(weighted), 2) if weighted else None,
    }
