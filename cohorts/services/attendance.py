"""Attendance: marks (one path writes them, with the dashboard's counters), roll call, self
check-in with the room's code, and excuse requests."""

import datetime
import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.errors import Conflict
from core.models import record
from core.pages import page_url
from core.throttling import hit
from notifications.services import notify

from .. import tallies
from ..models import CHECK_IN_CODE_LENGTH, Attendance, ExcuseRequest, Membership, Session
from ..notifications import (
    EXCUSE_APPROVED,
    EXCUSE_DECLINED,
    EXCUSE_REQUESTED,
    cohort_managers,
    cohort_names,
)
from .permissions import is_facilitating, require_attendance_taker

logger = logging.getLogger(__name__)

# Self check-in opens a little before the start (people arrive early) and closes at the end.
CHECK_IN_OPENS_BEFORE = datetime.timedelta(minutes=15)
# Checking in later than this after the start counts as late.
LATE_AFTER = datetime.timedelta(minutes=10)
# Wrong codes allowed per person and session before check-in is refused (guessing).
MAX_CHECK_IN_FAILURES = 10


def check_in_window(session: Session) -> tuple[datetime.datetime, datetime.datetime]:
    return session.starts_at - CHECK_IN_OPENS_BEFORE, session.ends_at


def active_trainee_ids(cohort_id: int) -> set[int]:
    return set(
        Membership.objects.active()
        .trainees()
        .filter(cohort_id=cohort_id)
        .values_list("user_id", flat=True)
    )


def is_active_trainee(user, cohort_id: int) -> bool:
    return Membership.objects.active().trainees().filter(cohort_id=cohort_id, user=user).exists()


@dataclass
class RosterRow:
    user: User
    attendance: Attendance | None
    excuse: ExcuseRequest | None


def session_roster(session: Session) -> list[RosterRow]:
    """The roll-call list: the cohort's active trainees with their mark and excuse, by name. Three
    queries whatever the size of the cohort."""
    users = list(
        User.objects.filter(
            cohort_memberships__cohort_id=session.cohort_id,
            cohort_memberships__status=Membership.Status.ACTIVE,
            cohort_memberships__role=Membership.Role.TRAINEE,
        )
        .only("id", "full_name", "full_name_latin", "email")
        .order_by("full_name", "id")
    )
    marks = {a.user_id: a for a in Attendance.objects.filter(session=session)}
    excuses = {e.user_id: e for e in ExcuseRequest.objects.filter(session=session)}
    return [RosterRow(user=u, attendance=marks.get(u.pk), excuse=excuses.get(u.pk)) for u in users]


def set_mark(
    *, session, user_id, status, source, actor=None, note="", excuse=None, now=None, count=True
) -> tuple[Attendance, bool]:
    """Create or change one mark; returns (attendance, changed). The counters are recounted in
    the same transaction, unless `count` is False: then the caller calls
    `tallies.marks_changed` once for all the marks it wrote (a roll call)."""
    now = now or timezone.now()
    values = {
        "status": status,
        "source": source,
        "marked_by": actor if getattr(actor, "pk", None) else None,
        "marked_at": now,
        "note": note,
        "excuse": excuse,
    }
    # The session's counter is locked before the mark (the lock order of cohorts.tallies).
    tallies.lock_session(session)
    # Ordered by id: the model's default order would join the person's row and lock it too,
    # which stalls every transaction that commits a row pointing at that person (PostgreSQL
    # checks foreign keys at commit with a share lock) and can close a deadlock.
    current = (
        Attendance.objects.select_for_update()
        .filter(session=session, user_id=user_id)
        .order_by("pk")
        .first()
    )
    if current is None:
        try:
            with transaction.atomic():
                created = Attendance.objects.create(session=session, user_id=user_id, **values)
        except IntegrityError:
            # A check-in and a roll call racing for the same person: the later write wins.
            current = Attendance.objects.select_for_update().get(session=session, user_id=user_id)
        else:
            if count:
                tallies.marks_changed(session, [user_id])
            return created, True
    if current.status == status and current.note == note:
        return current, False
    for key, value in values.items():
        setattr(current, key, value)
    current.save(update_fields=list(values))
    # The dashboard's counters change with the mark, in the same transaction.
    if count:
        tallies.marks_changed(session, [user_id])
    return current, True


def _validate_status(status: str) -> None:
    if status not in Attendance.Status.values:
        raise ValidationError({"status": [_("Unknown attendance status.")]})


def _require_attendance_open(session: Session, now) -> None:
    opens, _closes = check_in_window(session)
    if now < opens:
        raise Conflict(
            _("Attendance can be taken once the session opens."), code="session_not_started"
        )


@transaction.atomic
def mark_attendance(
    *, actor, session: Session, user, status: str, note: str = "", now=None
) -> Attendance:
    """The facilitator or a cohort manager marks one trainee (the roll-call page calls this per
    tap, or `mark_roll_call` for the whole list)."""
    return mark_roll_call(
        actor=actor, session=session, marks={user.pk: status}, note=note, now=now
    )[0]


@transaction.atomic
def mark_roll_call(
    *, actor, session: Session, marks: Mapping[int, str], note: str = "", now=None
) -> list[Attendance]:
    """Marks for several trainees at once ({user id: status}); all or nothing."""
    require_attendance_taker(actor, session)
    now = now or timezone.now()
    _require_attendance_open(session, now)
    trainees = active_trainee_ids(session.cohort_id)
    errors = []
    for user_id, status in marks.items():
        if status not in Attendance.Status.values:
            errors.append(_("Unknown attendance status: %(status)s") % {"status": status})
        if int(user_id) not in trainees:
            errors.append(_("This person is not a trainee of the cohort."))
    if errors:
        raise ValidationError({"marks": errors})
    written = {}
    changed = []
    # In user id order: the lock order of the attendance counters (see cohorts.tallies).
    for user_id, status in sorted(marks.items(), key=lambda mark: int(mark[0])):
        attendance, did_change = set_mark(
            session=session,
            user_id=int(user_id),
            status=status,
            source=Attendance.Source.ROLL_CALL,
            actor=actor,
            note=note.strip(),
            now=now,
            count=False,
        )
        if did_change:
            changed.append(int(user_id))
        written[user_id] = attendance
    if changed:
        # The counters of the session and of everyone marked, recounted once for the list.
        tallies.marks_changed(session, changed)
    result = [written[user_id] for user_id in marks]
    if changed:
        record(
            actor=actor,
            action="cohorts.mark_attendance",
            target=session,
            marks={str(k): v for k, v in marks.items()},
        )
    return result


def _normalise_code(code: str) -> str:
    table = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
    return "".join(ch for ch in (code or "").translate(table).upper() if not ch.isspace())


FAILURES_TTL = 60 * 60 * 12


def _failures(key: str) -> int:
    """Wrong codes counted so far; a cache that cannot be reached counts none (the window and
    the code still guard the check-in, and the trainee is not turned away by an outage)."""
    try:
        return cache.get(key) or 0
    except Exception:
        logger.exception("Could not read the check-in failures from the cache")
        return 0


def _count_failure(key: str) -> None:
    """One more wrong code, counted atomically (core.throttling); kept FAILURES_TTL after the
    last one."""
    try:
        hit(key, FAILURES_TTL)
    except Exception:
        logger.exception("Could not count a wrong check-in code in the cache")


@transaction.atomic
def check_in(*, user, session: Session, code: str, now=None) -> Attendance:
    """A trainee checks themself in with the code shown in the room. Refused outside the session
    window (15 minutes before the start until the end), with a wrong code or one of another
    session; late after the first ten minutes. Checking in twice changes nothing."""
    now = now or timezone.now()
    if not is_active_trainee(user, session.cohort_id):
        raise PermissionDenied(_("Only the cohort's trainees check in to its sessions."))
    failures_key = f"cohorts:check-in-failures:{session.pk}:{user.pk}"
    if _failures(failures_key) >= MAX_CHECK_IN_FAILURES:
        raise Conflict(
            _("Too many wrong codes. Ask the facilitator to mark you present."),
            code="too_many_attempts",
        )
    opens, closes = check_in_window(session)
    if not opens <= now <= closes:
        raise Conflict(
            _("Check-in is open only from 15 minutes before the session until it ends."),
            code="check_in_closed",
        )
    entered = _normalise_code(code)
    # Constant-time comparison: the time taken says nothing about how much of the code matched.
    if len(entered) != CHECK_IN_CODE_LENGTH or not hmac.compare_digest(
        entered.encode(), session.check_in_code.encode()
    ):
        _count_failure(failures_key)
        raise ValidationError({"code": [_("This is not the code of this session.")]})
    current = Attendance.objects.filter(session=session, user=user).first()
    if current is not None and current.attended:
        return current
    status = (
        Attendance.Status.LATE
        if now > session.starts_at + LATE_AFTER
        else Attendance.Status.PRESENT
    )
    attendance, _changed = set_mark(
        session=session, user_id=user.pk, status=status, source=Attendance.Source.CHECK_IN, now=now
    )
    return attendance


@transaction.atomic
def request_excuse(*, user, session: Session, reason: str, now=None) -> ExcuseRequest:
    """A trainee asks to be excused, before the session starts."""
    now = now or timezone.now()
    if not is_active_trainee(user, session.cohort_id):
        raise PermissionDenied(_("Only the cohort's trainees can ask to be excused."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why you cannot attend.")]})
    if len(reason) > 2000:
        raise ValidationError({"reason": [_("Keep the reason under 2000 characters.")]})
    if now >= session.starts_at:
        raise Conflict(
            _("Excuses are requested before the session starts."), code="session_started"
        )
    try:
        with transaction.atomic():
            excuse = ExcuseRequest.objects.create(session=session, user=user, reason=reason)
    except IntegrityError as exc:
        raise Conflict(
            _("You have already asked to be excused from this session."), code="already_requested"
        ) from exc
    record(actor=user, action="cohorts.request_excuse", target=excuse, session=session.pk)
    # Whoever decides it: the session's facilitator and the cohort's managers.
    deciders = {person.pk: person for person in cohort_managers(session.cohort_id)}
    if session.facilitator_id and is_facilitating(session.facilitator, session):
        deciders.setdefault(session.facilitator_id, session.facilitator)
    params = {
        **cohort_names(session.cohort),
        "session": session.title,
        "session_en": session.title_en,
        "starts_at": session.starts_at.isoformat(),
        "name": user.full_name or user.email,
    }
    url = page_url("cohorts:session", pk=session.pk)
    for person in deciders.values():
        if person.pk != user.pk and person.is_active:
            notify(recipient=person, kind=EXCUSE_REQUESTED.key, params=params, url=url)
    return excuse


@transaction.atomic
def decide_excuse(*, actor, excuse: ExcuseRequest, approve: bool) -> ExcuseRequest:
    """The facilitator or a manager approves (the trainee is marked excused) or declines."""
    require_attendance_taker(actor, excuse.session)
    excuse = (
        ExcuseRequest.objects.select_for_update()
        .select_related("session__cohort")
        .get(pk=excuse.pk)
    )
    if excuse.status != ExcuseRequest.Status.PENDING:
        raise Conflict(_("This request was already decided."), code="already_decided")
    excuse.status = ExcuseRequest.Status.APPROVED if approve else ExcuseRequest.Status.DECLINED
    excuse.decided_by = actor
    excuse.decided_at = timezone.now()
    excuse.save(update_fields=["status", "decided_by", "decided_at"])
    session = excuse.session
    if approve:
        set_mark(
            session=session,
            user_id=excuse.user_id,
            status=Attendance.Status.EXCUSED,
            source=Attendance.Source.EXCUSE,
            actor=actor,
            excuse=excuse,
        )
    record(actor=actor, action="cohorts.decide_excuse", target=excuse, approved=approve)
    notify(
        recipient=excuse.user,
        kind=(EXCUSE_APPROVED if approve else EXCUSE_DECLINED).key,
        params={
            **cohort_names(session.cohort),
            "session": session.title,
            "session_en": session.title_en,
        },
    )
    return excuse
