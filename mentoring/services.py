"""Mentoring's services: keyword-only arguments, `actor=` first, errors from core.errors.

Match rounds: run (compute the draft), pin / unpin / forbid / unforbid (each re-runs the draft in
the same transaction, so a pin that breaks a hard constraint saves nothing), publish (creates the
mentorships and notifies both sides). Mentorships: accept / decline (a decline frees the trainee
for the next round), report_fit (a poor fit ends the mentorship and queues re-matching),
log_meeting, set_goal; a trainee who leaves the cohort ends their mentorships there
(end_for_leaver). Decisions are audited with core.models.record.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cohorts.models import Cohort, Membership
from core.errors import Conflict
from core.models import record
from notifications.services import notify

from . import matching
from .explain import error_text
from .models import (
    Goal,
    MatchForbid,
    MatchPin,
    MatchProposal,
    MatchRound,
    Meeting,
    MentorProfile,
    Mentorship,
    TraineeIntake,
)
from .vocabulary import TOPIC_TRACK, Topic


def _require_manager(actor, cohort):
    if not Cohort.objects.managed_by(actor).filter(pk=cohort.pk).exists():
        raise PermissionDenied(_("Only the cohort's managers may do this."))


def _require_draft(round_):
    if round_.status != MatchRound.Status.DRAFT:
        raise Conflict(_("This round is already published."), code="round_published")


# -- inputs of the engine ---------------------------------------------------------------------


def waiting_trainees(cohort):
    """Active trainee memberships of the cohort without a current mentorship in it."""
    current = Mentorship.objects.current().filter(cohort=cohort).values("trainee_id")
    return (
        Membership.objects.active()
        .trainees()
        .filter(cohort=cohort)
        .exclude(user_id__in=current)
        .select_related("user", "mentoring_intake")
    )


def _engine_inputs(round_):
    cohort = round_.cohort
    trainees = []
    for membership in waiting_trainees(cohort):
        intake = getattr(membership, "mentoring_intake", None)
        user = membership.user
        trainees.append(
            matching.Trainee(
                id=user.pk,
                languages=frozenset(intake.languages if intake and intake.languages else ["ar"]),
                topics=frozenset(intake.topics if intake else ()),
                governorate=(intake.governorate if intake else "") or user.governorate,
                gender=user.gender,
                availability=frozenset(intake.availability if intake else ()),
                same_gender=bool(intake and intake.same_gender_preference),
            )
        )
    profiles = (
        MentorProfile.objects.taking_mentees()
        .select_related("user")
        .annotate(
            held=Count(
                "user__mentorships_as_mentor",
                filter=Q(user__mentorships_as_mentor__status__in=Mentorship.CURRENT),
            )
        )
    )
    mentors = [
        matching.Mentor(
            id=p.user_id,
            languages=frozenset(p.languages),
            capacity=p.capacity,
            topics=frozenset(p.topics),
            governorate=p.governorate or p.user.governorate,
            gender=p.gender or p.user.gender,
            availability=frozenset(p.availability),
            current=p.held,
        )
        for p in profiles
    ]
    pins = list(round_.matchpin_set.values_list("trainee_id", "mentor_id"))
    forbids = list(round_.matchforbid_set.values_list("trainee_id", "mentor_id"))
    track_topics = frozenset(t.value for t, track in TOPIC_TRACK.items() if track == cohort.track)
    return trainees, mentors, pins, forbids, track_topics


def _compute(round_):
    trainees, mentors, pins, forbids, track_topics = _engine_inputs(round_)
    try:
        result = matching.match(
            trainees,
            mentors,
            weights=matching.Weights(**round_.weights),
            pins=pins,
            forbids=forbids,
            track_topics=track_topics,
            known_topics=frozenset(Topic.values),
        )
    except matching.MatchingError as error:
        raise ValidationError(error_text(error.code), code=error.code) from error
    MatchProposal.objects.filter(round=round_).delete()
    rows = [
        MatchProposal(
            round=round_,
            trainee_id=p.trainee,
            mentor_id=p.mentor,
            score=p.score,
            pinned=p.pinned,
            reasons=list(p.parts),
        )
        for p in result.pairs
    ] + [
        MatchProposal(
            round=round_,
            trainee_id=u.trainee,
            unmatched_reason={"code": u.code, "languages": list(u.languages)},
        )
        for u in result.unmatched
    ]
    MatchProposal.objects.bulk_create(rows)
    round_.computed_at = timezone.now()
    round_.save(update_fields=["computed_at"])
    return result


# -- rounds -----------------------------------------------------------------------------------


@transaction.atomic
def run_match_round(*, actor, cohort, weights: dict | None = None) -> MatchRound:
    """Start (or re-run with new weights) the cohort's draft round and compute its proposals."""
    _require_manager(actor, cohort)
    round_ = (
        MatchRound.objects.select_for_update()
        .filter(cohort=cohort, status=MatchRound.Status.DRAFT)
        .first()
    )
    if round_ is None:
        round_ = MatchRound.objects.create(cohort=cohort, created_by=actor)
    for key, value in (weights or {}).items():
        if key not in round_.weights or not isinstance(value, int) or not 0 <= value <= 100:
            raise ValidationError(_("Weights must be between 0 and 100."), code="bad_weight")
        setattr(round_, f"weight_{key}", value)
    round_.save()
    result = _compute(round_)
    record(
        actor=actor,
        action="mentoring.round_run",
        target=round_,
        matched=len(result.pairs),
        unmatched=len(result.unmatched),
        total=result.total,
    )
    return round_


@transaction.atomic
def rerun(*, actor, round) -> MatchRound:
    _require_manager(actor, round.cohort)
    round_ = MatchRound.objects.select_for_update().get(pk=round.pk)
    _require_draft(round_)
    _compute(round_)
    return round_


def _edit_pair(actor, round_, trainee, mentor, model, *, add: bool, action: str):
    _require_manager(actor, round_.cohort)
    with transaction.atomic():
        round_ = MatchRound.objects.select_for_update().get(pk=round_.pk)
        _require_draft(round_)
        if add and model is MatchPin and MentorProfile.objects.paused().filter(user=mentor):
            raise ValidationError(
                _("This mentor is paused (capacity 0 or not taking mentees)."),
                code="mentor_paused",
            )
        if add:
            if model is MatchPin:
                MatchPin.objects.update_or_create(
                    round=round_, trainee=trainee, defaults={"mentor": mentor, "created_by": actor}
                )
            else:
                model.objects.get_or_create(
                    round=round_, trainee=trainee, mentor=mentor, defaults={"created_by": actor}
                )
        else:
            model.objects.filter(round=round_, trainee=trainee, mentor=mentor).delete()
        _compute(round_)
        record(actor=actor, action=action, target=round_, trainee=trainee.pk, mentor=mentor.pk)
    return round_


def pin(*, actor, round, trainee, mentor):
    return _edit_pair(actor, round, trainee, mentor, MatchPin, add=True, action="mentoring.pin")


def unpin(*, actor, round, trainee, mentor):
    return _edit_pair(actor, round, trainee, mentor, MatchPin, add=False, action="mentoring.unpin")


def forbid(*, actor, round, trainee, mentor):
    return _edit_pair(
        actor, round, trainee, mentor, MatchForbid, add=True, action="mentoring.forbid"
    )


def unforbid(*, actor, round, trainee, mentor):
    return _edit_pair(
        actor, round, trainee, mentor, MatchForbid, add=False, action="mentoring.unforbid"
    )


@transaction.atomic
def publish_match_round(*, actor, round) -> list[Mentorship]:
    """Create a proposed mentorship per matched trainee and notify mentor and trainee."""
    _require_manager(actor, round.cohort)
    round_ = MatchRound.objects.select_for_update().select_related("cohort").get(pk=round.pk)
    _require_draft(round_)
    # Recompute: people, capacities and mentorships may have changed since the draft was shown.
    _compute(round_)
    proposals = list(
        round_.proposals.filter(mentor__isnull=False).select_related("trainee", "mentor")
    )
    mentorships = Mentorship.objects.bulk_create(
        [
            Mentorship(
                cohort=round_.cohort,
                round=round_,
                mentor=p.mentor,
                trainee=p.trainee,
                score=p.score,
                reasons=p.reasons,
            )
            for p in proposals
        ]
    )
    round_.status = MatchRound.Status.PUBLISHED
    round_.published_at = timezone.now()
    round_.save(update_fields=["status", "published_at"])
    cohort_name = round_.cohort.name
    for p in proposals:
        params = {
            "trainee": p.trainee.full_name,
            "mentor": p.mentor.full_name,
            "cohort": cohort_name,
        }
        notify(recipient=p.mentor, kind="mentoring.mentee_proposed", params=params)
        notify(recipient=p.trainee, kind="mentoring.mentor_assigned", params=params)
    record(actor=actor, action="mentoring.round_published", target=round_, pairs=len(proposals))
    return mentorships


# -- mentorships ------------------------------------------------------------------------------


def _locked(mentorship):
    return (
        Mentorship.objects.select_for_update()
        .select_related("cohort", "mentor", "trainee")
        .get(pk=mentorship.pk)
    )


@transaction.atomic
def accept(*, actor, mentorship) -> Mentorship:
    m = _locked(mentorship)
    if m.mentor_id != actor.pk:
        raise PermissionDenied(_("Only the mentor may accept."))
    if m.status != Mentorship.Status.PROPOSED:
        raise Conflict(_("This mentorship is not awaiting an answer."), code="not_proposed")
    m.status = Mentorship.Status.ACTIVE
    m.accepted_at = timezone.now()
    m.save(update_fields=["status", "accepted_at"])
    record(actor=actor, action="mentoring.accepted", target=m)
    return m


def _notify_managers(cohort, kind, params):
    managers = Membership.objects.active().filter(cohort=cohort, role=Membership.Role.MANAGER)
    for membership in managers.select_related("user"):
        notify(recipient=membership.user, kind=kind, params=params)


@transaction.atomic
def decline(*, actor, mentorship, reason: str) -> Mentorship:
    m = _locked(mentorship)
    if m.mentor_id != actor.pk:
        raise PermissionDenied(_("Only the mentor may decline."))
    if m.status != Mentorship.Status.PROPOSED:
        raise Conflict(_("This mentorship is not awaiting an answer."), code="not_proposed")
    reason = (reason or "").strip()
    if not reason or "\x00" in reason or len(reason) > 1000:
        raise ValidationError({"reason": _("Please give a reason (at most 1,000 characters).")})
    m.status = Mentorship.Status.DECLINED
    m.decline_reason = reason
    m.ended_at = timezone.now()
    m.save(update_fields=["status", "decline_reason", "ended_at"])
    record(actor=actor, action="mentoring.declined", target=m, reason=reason)
    _notify_managers(
        m.cohort,
        "mentoring.declined",
        {
            "mentor": m.mentor.full_name,
            "trainee": m.trainee.full_name,
            "cohort": m.cohort.name,
            "reason": reason,
        },
    )
    return m


@transaction.atomic
def report_fit(*, actor, mentorship, fit: str) -> Mentorship:
    m = _locked(mentorship)
    if actor.pk not in (m.mentor_id, m.trainee_id):
        raise PermissionDenied(_("Only the mentor or the mentee may report the fit."))
    if fit not in Mentorship.Fit.values:
        raise ValidationError({"fit": _("Choose a valid answer.")})
    if m.status != Mentorship.Status.ACTIVE or not m.meetings.exists():
        raise Conflict(_("The fit can be reported after the first meeting."), code="no_meeting")
    field = "mentor_fit" if actor.pk == m.mentor_id else "trainee_fit"
    setattr(m, field, fit)
    fields = [field]
    if fit == Mentorship.Fit.POOR:
        m.status = Mentorship.Status.ENDED
        m.ended_at = timezone.now()
        m.needs_rematch = True
        fields += ["status", "ended_at", "needs_rematch"]
        _notify_managers(
            m.cohort,
            "mentoring.poor_fit",
            {"mentor": m.mentor.full_name, "trainee": m.trainee.full_name, "cohort": m.cohort.name},
        )
    m.save(update_fields=fields)
    record(actor=actor, action="mentoring.fit_reported", target=m, fit=fit, side=field)
    return m


def _clean_text(value, name, limit):
    value = (value or "").strip()
    if "\x00" in value or len(value) > limit:
        raise ValidationError({name: _("Invalid text.")})
    return value


@transaction.atomic
def log_meeting(
    *, actor, mentorship, date, duration_minutes: int, topics=(), private_notes="", next_steps=""
) -> Meeting:
    m = _locked(mentorship)
    if m.mentor_id != actor.pk:
        raise PermissionDenied(_("Only the mentor logs meetings."))
    if m.status != Mentorship.Status.ACTIVE:
        raise Conflict(_("Meetings are logged for active mentorships."), code="not_active")
    if not isinstance(duration_minutes, int) or not 5 <= duration_minutes <= 600:
        raise ValidationError({"duration_minutes": _("Between 5 and 600 minutes.")})
    if date > timezone.localdate():
        raise ValidationError({"date": _("A meeting cannot be in the future.")})
    unknown = set(topics) - set(Topic.values)
    if unknown:
        raise ValidationError({"topics": _("Unknown topic.")})
    meeting = Meeting.objects.create(
        mentorship=m,
        date=date,
        duration_minutes=duration_minutes,
        topics=list(topics),
        private_notes=_clean_text(private_notes, "private_notes", 4000),
        next_steps=_clean_text(next_steps, "next_steps", 2000),
    )
    record(actor=actor, action="mentoring.meeting_logged", target=meeting)
    return meeting


@transaction.atomic
def set_goal(*, actor, mentorship, text: str, progress: int = 0, goal=None) -> Goal:
    m = _locked(mentorship)
    if actor.pk not in (m.mentor_id, m.trainee_id):
        raise PermissionDenied(_("Only the mentor or the mentee may set goals."))
    if m.status != Mentorship.Status.ACTIVE:
        raise Conflict(_("Goals are set for active mentorships."), code="not_active")
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        raise ValidationError({"progress": _("Between 0 and 100.")})
    text = _clean_text(text, "text", 300)
    if not text:
        raise ValidationError({"text": _("This field is required.")})
    if goal is None:
        goal = Goal.objects.create(mentorship=m, text=text, progress=progress)
    else:
        goal = Goal.objects.select_for_update().get(pk=goal.pk, mentorship=m)
        goal.text, goal.progress = text, progress
        goal.save(update_fields=["text", "progress", "updated_at"])
    return goal


@transaction.atomic
def save_intake(*, actor, membership, **fields) -> TraineeIntake:
    if membership.user_id != actor.pk:
        raise PermissionDenied(_("Only the trainee fills in their intake."))
    intake = TraineeIntake.objects.filter(membership=membership).first() or TraineeIntake(
        membership=membership
    )
    for key, value in fields.items():
        setattr(intake, key, value)
    intake.full_clean()
    intake.save()
    return intake


@transaction.atomic
def save_mentor_profile(*, actor, user, **fields) -> MentorProfile:
    if user.pk != actor.pk and not (actor.is_staff or actor.is_superuser):
        raise PermissionDenied(_("Only the mentor edits their profile."))
    profile, _created = MentorProfile.objects.get_or_create(user=user)
    for key, value in fields.items():
        setattr(profile, key, value)
    profile.full_clean()
    profile.save()
    return profile


def end_for_leaver(membership) -> list[Mentorship]:
    """A trainee withdrawn from a cohort is no longer anyone's mentee there: their proposed or
    active mentorship ends (its meetings and goals stay on record) and the mentor is told. Taken
    back later, they wait for the next match round like anyone without a mentor. Called in the
    withdrawal's transaction (see MentoringConfig.ready)."""
    ended = list(
        Mentorship.objects.select_for_update()
        .filter(
            cohort_id=membership.cohort_id,
            trainee_id=membership.user_id,
            status__in=Mentorship.CURRENT,
        )
        .select_related("mentor", "trainee", "cohort")
    )
    now = timezone.now()
    for m in ended:
        m.status, m.ended_at, m.needs_rematch = Mentorship.Status.ENDED, now, False
        m.save(update_fields=["status", "ended_at", "needs_rematch"])
        record(actor=None, action="mentoring.ended", target=m, reason="trainee_left_cohort")
        notify(
            recipient=m.mentor,
            kind="mentoring.mentee_left",
            params={
                "trainee": m.trainee.full_name,
                "cohort": m.cohort.name,
                "cohort_en": m.cohort.name_en,
            },
        )
    return ended


def trainee_left(sender, instance, created=False, raw=False, **kwargs) -> None:
    """Membership post_save: a trainee's membership withdrawn ends their mentorships there."""
    if (
        not raw
        and instance.role == Membership.Role.TRAINEE
        and instance.status == Membership.Status.WITHDRAWN
    ):
        end_for_leaver(instance)
