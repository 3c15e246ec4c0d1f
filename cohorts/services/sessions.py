"""A cohort's sessions: one at a time, weekly series, and the check-in code shown in the room."""

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.errors import Conflict
from core.models import record
from core.pages import page_url
from notifications.services import notify

from ..models import BAGHDAD, Cohort, Membership, Session, new_check_in_code
from ..notifications import SESSION_CANCELLED, cohort_names
from .permissions import (
    require_attendance_taker,
    require_cohort_manager,
    require_person_in_scope,
)

SESSION_FIELDS = {
    "title", "title_en", "description", "format", "mode", "venue", "online_url", "facilitator",
    "starts_at", "ends_at",
}  # fmt: skip
MAX_SERIES = 200
MAX_SERIES_DAYS = 2 * 366


def _validate_session(session: Session, cohort: Cohort) -> None:
    errors = {}
    if not (session.title or "").strip():
        errors["title"] = [_("Give the session a title.")]
    if session.starts_at and session.ends_at and session.ends_at <= session.starts_at:
        errors["ends_at"] = [_("The session must end after it starts.")]
    if session.mode == Session.Mode.ONLINE and not session.online_url:
        errors["online_url"] = [_("An online session needs its link.")]
    if session.starts_at:
        day = timezone.localtime(session.starts_at, BAGHDAD).date()
        if not cohort.starts_on <= day <= cohort.ends_on:
            errors["starts_at"] = [_("The session must fall within the cohort's dates.")]
    if errors:
        raise ValidationError(errors)
    try:
        session.full_clean(exclude=["cohort", "facilitator"], validate_constraints=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def _ensure_facilitator_membership(*, actor, cohort: Cohort, facilitator) -> None:
    """A facilitator's role in the cohort is a membership like any other: add one if needed; a
    trainee of the cohort cannot facilitate its sessions."""
    if facilitator is None:
        return
    current = Membership.objects.active().filter(cohort=cohort, user=facilitator).first()
    if current is None:
        require_person_in_scope(actor, facilitator, field="facilitator")
        Membership.objects.create(
            cohort=cohort, user=facilitator, role=Membership.Role.FACILITATOR, added_by=actor
        )
    elif current.role == Membership.Role.TRAINEE:
        raise ValidationError(
            {"facilitator": [_("A trainee of this cohort cannot facilitate its sessions.")]}
        )


@transaction.atomic
def create_session(
    *,
    actor,
    cohort: Cohort,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    format: str = Session.Format.WORKSHOP,  # noqa: A002 - the model's field name
    mode: str = Session.Mode.IN_PERSON,
    **fields,
) -> Session:
    require_cohort_manager(actor, cohort)
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise ValueError(f"fields not settable here: {sorted(unknown)}")
    session = Session(
        cohort=cohort,
        title=(title or "").strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        format=format,
        mode=mode,
        **fields,
    )
    _validate_session(session, cohort)
    _ensure_facilitator_membership(actor=actor, cohort=cohort, facilitator=session.facilitator)
    session.save()
    record(actor=actor, action="cohorts.create_session", target=session, cohort=cohort.pk)
    return session


@transaction.atomic
def update_session(*, actor, session: Session, **fields) -> Session:
    require_cohort_manager(actor, session.cohort)
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise ValueError(f"fields not editable here: {sorted(unknown)}")
    changed = []
    for name, value in fields.items():
        if getattr(session, name) != value:
            setattr(session, name, value)
            changed.append(name)
    if not changed:
        return session
    _validate_session(session, session.cohort)
    if "facilitator" in changed:
        _ensure_facilitator_membership(
            actor=actor, cohort=session.cohort, facilitator=session.facilitator
        )
    session.save(update_fields=changed)
    record(actor=actor, action="cohorts.update_session", target=session, fields=sorted(changed))
    return session


@transaction.atomic
def generate_series(
    *,
    actor,
    cohort: Cohort,
    title: str,
    first_day: datetime.date,
    last_day: datetime.date,
    weekdays: Iterable[int],
    start_time: datetime.time,
    end_time: datetime.time,
    skip_fridays: bool = True,
    **fields,
) -> list[Session]:
    """Weekly sessions on the chosen weekdays (Monday=0 … Sunday=6) between two dates, at the
    same Baghdad times. Fridays, the weekend, are skipped unless `skip_fridays=False`."""
    require_cohort_manager(actor, cohort)
    days = sorted(set(weekdays))
    errors = {}
    if not days or any(d not in range(7) for d in days):
        errors["weekdays"] = [_("Choose at least one day of the week.")]
    if last_day < first_day:
        errors["last_day"] = [_("The series cannot end before it starts.")]
    elif (last_day - first_day).days > MAX_SERIES_DAYS:
        # Checked before walking the days: a range from year 1 to 9999 is 3.6 million days.
        errors["last_day"] = [_("A series spans at most two years.")]
    if end_time <= start_time:
        errors["end_time"] = [_("The session must end after it starts.")]
    if errors:
        raise ValidationError(errors)
    dates = []
    # Offsets from the first day never step past the last one (no date beyond 31 Dec 9999).
    for offset in range((last_day - first_day).days + 1):
        day = first_day + datetime.timedelta(days=offset)
        if day.weekday() in days and not (skip_fridays and day.weekday() == 4):
            dates.append(day)
    if not dates:
        raise ValidationError({"weekdays": [_("No day in this range matches the chosen days.")]})
    if len(dates) > MAX_SERIES:
        raise ValidationError(
            {"last_day": [_("A series has at most %(max)s sessions.") % {"max": MAX_SERIES}]}
        )
    series = uuid.uuid4()
    sessions = []
    for day in dates:
        session = Session(
            cohort=cohort,
            title=(title or "").strip(),
            starts_at=datetime.datetime.combine(day, start_time, tzinfo=BAGHDAD),
            ends_at=datetime.datetime.combine(day, end_time, tzinfo=BAGHDAD),
            series=series,
            **fields,
        )
        _validate_session(session, cohort)
        sessions.append(session)
    _ensure_facilitator_membership(
        actor=actor, cohort=cohort, facilitator=fields.get("facilitator")
    )
    Session.objects.bulk_create(sessions)
    record(
        actor=actor,
        action="cohorts.generate_series",
        target=cohort,
        series=str(series),
        count=len(sessions),
    )
    return sessions


@transaction.atomic
def release_facilitator(*, actor, cohort: Cohort, user, now=None) -> list[int]:
    """Someone who leaves the cohort stops facilitating its sessions that have not ended: their
    `facilitator` is cleared (a manager names someone else) and each change is audited. Sessions
    already over keep theirs, the record of who ran them. Called by the withdrawal, in its
    transaction, so no upcoming session points at a person who is no longer a member."""
    sessions = list(
        Session.objects.select_for_update()
        .filter(cohort=cohort, facilitator_id=user.pk, ends_at__gt=now or timezone.now())
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not sessions:
        return []
    Session.objects.filter(pk__in=sessions).update(facilitator=None)
    for session in Session.objects.filter(pk__in=sessions).order_by("pk"):
        record(
            actor=actor,
            action="cohorts.release_facilitator",
            target=session,
            cohort=cohort.pk,
            facilitator=user.pk,
        )
    return sessions


@transaction.atomic
def rotate_check_in_code(*, actor, session: Session) -> Session:
    """A new code, e.g. when the old one was shared outside the room."""
    require_attendance_taker(actor, session)
    session.check_in_code = new_check_in_code()
    session.save(update_fields=["check_in_code"])
    return session


MAX_CANCEL_REASON = 500


def expected_at(session: Session, *, actor=None) -> set[int]:
    """Who is expected at a session: the cohort's active trainees and mentors and its
    facilitator (active accounts), not counting `actor`."""
    expected = set(
        Membership.objects.active()
        .filter(
            cohort_id=session.cohort_id,
            role__in=[Membership.Role.TRAINEE, Membership.Role.MENTOR],
            user__is_active=True,
        )
        .values_list("user_id", flat=True)
    )
    if session.facilitator_id is not None and session.facilitator.is_active:
        expected.add(session.facilitator_id)
    if actor is not None:
        expected.discard(actor.pk)
    return expected


@transaction.atomic
def cancel_session(*, actor, session: Session, reason: str = "", now=None) -> int:
    """A manager calls off a session that has not started: it leaves the schedule (with its
    excuse requests; no attendance can exist yet) and everyone expected there (the cohort's
    active trainees and mentors and the facilitator) is told at once, in-app and by e-mail, a
    message nobody can turn off. Returns how many people were told."""
    require_cohort_manager(actor, session.cohort)
    reason = " ".join((reason or "").split())
    if "\x00" in reason:
        raise ValidationError({"reason": [_("Null characters are not allowed.")]})
    if len(reason) > MAX_CANCEL_REASON:
        raise ValidationError(
            {"reason": [_("Keep the reason under %(n)d characters.") % {"n": MAX_CANCEL_REASON}]}
        )
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("cohort", "facilitator")
        .get(pk=session.pk)
    )
    if session.starts_at <= (now or timezone.now()):
        raise Conflict(_("A session that has started cannot be cancelled."), code="session_started")
    cohort = session.cohort
    expected = expected_at(session, actor=actor)
    params = {
        **cohort_names(cohort),
        "session": session.title,
        "session_en": session.title_en,
        "starts_at": session.starts_at.isoformat(),
        "reason": reason,
    }
    record(
        actor=actor,
        action="cohorts.cancel_session",
        target=session,
        cohort=cohort.pk,
        starts_at=params["starts_at"],
        told=len(expected),
    )
    session.delete()
    url = page_url("cohorts:detail", pk=cohort.pk)
    for user in User.objects.filter(pk__in=expected).order_by("pk"):
        notify(recipient=user, kind=SESSION_CANCELLED.key, params=params, url=url)
    return len(expected)
