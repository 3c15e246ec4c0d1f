"""Attendance counters (AttendanceTally per person and cohort, SessionTally per session): how
marks are counted for the dashboard without aggregating every mark on every request.

- `count_mark` is called by services._set_mark, the one path that writes a mark, in the same
  transaction: the old status's counter goes down and the new one's up, with F() expressions so
  that concurrent marks add up. A counter that does not exist yet is counted from the marks.
- `mark_deleted` receives the post_delete signal of Attendance: a mark deleted outside the
  services (the admin, a session or a person deleted with their marks) takes its count with it.
- `rebuild` recounts everything from the marks (manage.py refresh_progress_snapshots, the nightly
  task, the migration that created the counters); running it twice changes nothing.

Lock order, the same everywhere so that concurrent writers wait instead of deadlocking: the
session's counter (`lock_session`, taken by _set_mark before the mark itself), the marks, then
the people's counters in user id order (mark_roll_call and the sheet import write their marks in
that order). Marks of one session are therefore written one transaction at a time; a check-in
transaction is short, so a room of trainees checking in at once only queues for milliseconds."""

from django.db import IntegrityError, transaction
from django.db.models import Count, DateTimeField, F, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

from .models import Attendance, AttendanceTally, Cohort, Session, SessionTally

STATUSES = tuple(Attendance.Status.values)
ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)
_BY_STATUS = {status: Count("id", filter=Q(status=status)) for status in STATUSES}


def lock_session(session: Session) -> None:
    """Lock the session's counter, counting it from the marks if it does not exist yet."""
    if SessionTally.objects.select_for_update().filter(session_id=session.pk).first():
        return
    try:
        with transaction.atomic():
            SessionTally.objects.create(session_id=session.pk, **_session_counts(session.pk))
    except IntegrityError:
        # Created by a concurrent transaction, which has committed by now.
        SessionTally.objects.select_for_update().filter(session_id=session.pk).first()


def count_mark(*, session: Session, user_id: int, old: str, new: str, marked_at=None) -> None:
    """One mark of `user_id` at `session` went from status `old` to `new` ("" for no mark);
    `marked_at` is when the new mark was made."""
    deltas = {}
    if old != new:
        if old:
            deltas[old] = F(old) - 1
        if new:
            deltas[new] = F(new) + 1
    if deltas:
        _apply(
            SessionTally,
            {"session_id": session.pk},
            deltas,
            lambda: _session_counts(session.pk),
        )
    person = {"cohort_id": session.cohort_id, "user_id": user_id}
    changes = dict(deltas)
    if old in ATTENDED:
        # The mark that changed may have been the latest attended one: ask the marks, with the
        # counter locked first so that the question sees every mark committed before.
        AttendanceTally.objects.select_for_update().filter(**person).first()
        changes["last_attended_at"] = Subquery(
            _attended(session.cohort_id)
            .filter(user_id=OuterRef("user_id"))
            .values("user_id")
            .annotate(last=Max("marked_at"))
            .values("last")[:1]
        )
    elif new in ATTENDED and marked_at is not None:
        moment = Value(marked_at, output_field=DateTimeField())
        changes["last_attended_at"] = Greatest(Coalesce("last_attended_at", moment), moment)
    if changes:
        _apply(
            AttendanceTally,
            person,
            changes,
            lambda: _person_counts(session.cohort_id, user_id),
        )


def mark_deleted(sender, instance: Attendance, origin=None, **kwargs) -> None:
    """post_delete of Attendance. Deleting a whole cohort takes its counters with it."""
    if isinstance(origin, Cohort):
        return
    cohort_id = (
        Session.objects.filter(pk=instance.session_id).values_list("cohort_id", flat=True).first()
    )
    if cohort_id is None:
        return
    count_mark(
        session=Session(pk=instance.session_id, cohort_id=cohort_id),
        user_id=instance.user_id,
        old=instance.status,
        new="",
    )


def _apply(model, keys: dict, changes: dict, counted) -> None:
    if model.objects.filter(**keys).update(**changes):
        return
    # No counter yet (the first mark, or marks written before counters existed): count the
    # marks, this one included.
    try:
        with transaction.atomic():
            model.objects.create(**keys, **counted())
    except IntegrityError:
        # Another transaction created it meanwhile, without this mark: add it.
        model.objects.filter(**keys).update(**changes)


def _attended(cohort_id: int):
    return Attendance.objects.filter(session__cohort_id=cohort_id, status__in=ATTENDED)


def _session_counts(session_id: int) -> dict:
    return Attendance.objects.filter(session_id=session_id).aggregate(**_BY_STATUS)


def _person_counts(cohort_id: int, user_id: int) -> dict:
    return Attendance.objects.filter(session__cohort_id=cohort_id, user_id=user_id).aggregate(
        **_BY_STATUS,
        last_attended_at=Max("marked_at", filter=Q(status__in=ATTENDED)),
    )


# --- Rebuilding from the marks ---------------------------------------------------------------------


def rebuild(cohort_ids=None) -> int:
    """Recount the counters of the given cohorts (all by default) from their marks; returns how
    many counters were wrong or missing (0 when everything was in step)."""
    if cohort_ids is None:
        cohort_ids = Cohort.objects.order_by("pk").values_list("pk", flat=True)
    return sum(_rebuild_cohort(cohort_id) for cohort_id in list(cohort_ids))


@transaction.atomic
def _rebuild_cohort(cohort_id: int) -> int:
    fixed = 0
    # Sessions first, then people (the lock order of count_mark).
    session_ids = list(Session.objects.filter(cohort_id=cohort_id).values_list("pk", flat=True))
    SessionTally.objects.bulk_create(
        [SessionTally(session_id=pk) for pk in session_ids], ignore_conflicts=True
    )
    tallies = list(
        SessionTally.objects.select_for_update().filter(session_id__in=session_ids).order_by("pk")
    )
    counts = {
        row.pop("session_id"): row
        for row in Attendance.objects.filter(session__cohort_id=cohort_id)
        .values("session_id")
        .annotate(**_BY_STATUS)
        .order_by()
    }
    fixed += _write(SessionTally, tallies, counts, lambda t: t.session_id, STATUSES)

    marked = set(
        Attendance.objects.filter(session__cohort_id=cohort_id)
        .values_list("user_id", flat=True)
        .distinct()
    )
    AttendanceTally.objects.bulk_create(
        [AttendanceTally(cohort_id=cohort_id, user_id=pk) for pk in marked], ignore_conflicts=True
    )
    tallies = list(
        AttendanceTally.objects.select_for_update().filter(cohort_id=cohort_id).order_by("user_id")
    )
    # Counted after the counters are locked: a mark written meanwhile is either counted here or
    # adds itself once this transaction commits.
    counts = {
        row.pop("user_id"): row
        for row in Attendance.objects.filter(session__cohort_id=cohort_id)
        .values("user_id")
        .annotate(**_BY_STATUS, last_attended_at=Max("marked_at", filter=Q(status__in=ATTENDED)))
        .order_by()
    }
    fields = (*STATUSES, "last_attended_at")
    fixed += _write(AttendanceTally, tallies, counts, lambda t: t.user_id, fields)
    return fixed


def _write(model, tallies, counts, key, fields) -> int:
    wrong = []
    for tally in tallies:
        wanted = counts.get(key(tally), {})
        values = {
            name: wanted.get(name, None if name == "last_attended_at" else 0) for name in fields
        }
        if any(getattr(tally, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(tally, name, value)
            wrong.append(tally)
    model.objects.bulk_update(wrong, fields, batch_size=500)
    return len(wrong)
