"""The stored figures the cohort dashboard reads instead of every mark and lesson state:

- attendance counters: AttendanceTally per person and cohort, SessionTally per session, counting
  the marks as stored. Each has one writer that recounts it from the marks, idempotent and safe
  to call twice: `refresh_session` and `refresh_trainees` (any number of people of a cohort in
  three queries and one write). services.attendance calls them through `marks_changed`, in the
  transaction that wrote the marks (once per mark, or once for a whole roll call);
  `mark_deleted` receives the post_delete signal of Attendance, so a mark deleted outside the
  services (the admin, a session or a person deleted with their marks) is recounted too.
- curriculum progress, in the same AttendanceTally row of each active trainee: a copy of their
  course progress snapshots (the figures of courses.progress) for the cohort's curriculum, with
  their last activity in it. Refreshed by `snapshots_changed` and `activity_noted` (listeners
  registered with courses.snapshots, called in the transaction that changed a snapshot or
  noted an activity), by `membership_saved` (post_save of Membership: someone became an active
  trainee) and by the curriculum services (`refresh_progress`).
- `rebuild` recounts and recopies everything from the records (manage.py
  refresh_progress_snapshots, the nightly task, the migration that created them); running it
  twice changes nothing.

Lock order, the same everywhere so that concurrent writers wait instead of deadlocking: a course
snapshot, then the session's counter (`lock_session`, taken by set_mark before the mark
itself), the marks, then the person's rows (counters, curriculum progress) in user id order
(mark_roll_call and the sheet import write their marks in that order). Marks of one session are
therefore written one transaction at a time; a check-in transaction is short, so a room of
trainees checking in at once only queues for milliseconds."""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Count, DateTimeField, Exists, Max, Q, Value
from django.db.models.functions import Coalesce, Greatest

from core.compiled import Change
from courses import snapshots
from courses.models import CourseProgressSnapshot

from .models import (
    Attendance,
    AttendanceTally,
    Cohort,
    CurriculumItem,
    Membership,
    Session,
    SessionTally,
)

STATUSES = tuple(Attendance.Status.values)
ATTENDED = (Attendance.Status.PRESENT, Attendance.Status.LATE)
_BY_STATUS = {status: Count("id", filter=Q(status=status)) for status in STATUSES}
# What a person without marks has, where it is not 0.
_EMPTY = {"last_attended_at": None, "active_trainee": False}


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


def marks_changed(session: Session, user_ids) -> None:
    """The marks of `user_ids` at `session` were written: their counters are recounted from the
    marks (`refresh_session`, then `refresh_trainees`, the lock order above). Called by
    services.attendance in the transaction that wrote the marks, once per mark or once for a
    whole roll call."""
    refresh_session(session.pk)
    refresh_trainees(session.cohort_id, user_ids)


def mark_deleted(sender, instance: Attendance, origin=None, **kwargs) -> None:
    """post_delete of Attendance: the counters of the mark's session and person are recounted
    without it (a counter deleted in the same cascade, with its session or person, is simply
    not found, and none is created). Deleting a whole cohort takes its counters with it."""
    if isinstance(origin, Cohort):
        return
    refresh_session(instance.session_id, create=False)
    cohort_id = (
        Session.objects.filter(pk=instance.session_id).values_list("cohort_id", flat=True).first()
    )
    if cohort_id is not None:
        refresh_trainees(cohort_id, [instance.user_id], create=False)


def refresh_session(session_id: int, *, create: bool = True) -> None:
    """The one writer of a session's counter: recount it from the session's marks, creating it
    when missing (unless `create` is False). Idempotent; the caller holds the session's lock
    (`lock_session`) when it writes marks, so the count sees every committed mark."""
    counts = _session_counts(session_id)
    if SessionTally.objects.filter(session_id=session_id).update(**counts) or not create:
        return
    try:
        with transaction.atomic():
            SessionTally.objects.create(session_id=session_id, **counts)
    except IntegrityError:
        # Created by a concurrent transaction meanwhile: count again over its marks too.
        SessionTally.objects.filter(session_id=session_id).update(**_session_counts(session_id))


ATTENDANCE_FIELDS = (*STATUSES, "last_attended_at", "active_trainee")


def refresh_trainees(cohort_id: int, user_ids, *, create: bool = True) -> None:
    """The one writer of the attendance figures of a person's tally in a cohort: recount them
    from the person's marks for each of `user_ids` (three queries and one write for any number
    of people), creating missing rows unless `create` is False. Their rows are locked first, in
    user id order, so that a concurrent mark of the same person in another session waits and
    then counts this one too. Idempotent."""
    ids = sorted({int(user_id) for user_id in user_ids})
    if not ids:
        return
    rows = {
        row.user_id: row
        for row in AttendanceTally.objects.select_for_update()
        .filter(cohort_id=cohort_id, user_id__in=ids)
        .order_by("user_id")
        .only("id", "cohort_id", "user_id", *ATTENDANCE_FIELDS)
    }
    counted = _people_counts(cohort_id, ids)
    changed = []
    for user_id, row in rows.items():
        values = counted[user_id]
        if any(getattr(row, field) != value for field, value in values.items()):
            for field, value in values.items():
                setattr(row, field, value)
            changed.append(row)
    if changed:
        AttendanceTally.objects.bulk_update(changed, ATTENDANCE_FIELDS)
    if not create:
        return
    for user_id in ids:
        if user_id in rows:
            continue
        try:
            with transaction.atomic():
                AttendanceTally.objects.create(
                    cohort_id=cohort_id, user_id=user_id, **counted[user_id]
                )
        except IntegrityError:
            # Created by a concurrent transaction meanwhile: count again, with its marks.
            refresh_trainees(cohort_id, [user_id], create=False)


def _people_counts(cohort_id: int, user_ids) -> dict[int, dict]:
    """{user id: the attendance figures of their tally}, from the marks, in two queries."""
    marks = {
        row.pop("user_id"): row
        for row in Attendance.objects.filter(session__cohort_id=cohort_id, user_id__in=user_ids)
        .order_by()
        .values("user_id")
        .annotate(
            **_BY_STATUS,
            last_attended_at=Max("marked_at", filter=Q(status__in=ATTENDED)),
        )
    }
    active = set(
        Membership.objects.active()
        .trainees()
        .filter(cohort_id=cohort_id, user_id__in=user_ids)
        .values_list("user_id", flat=True)
    )
    empty = {**dict.fromkeys(STATUSES, 0), "last_attended_at": None}
    return {
        user_id: {**marks.get(user_id, empty), "active_trainee": user_id in active}
        for user_id in user_ids
    }


def _attended(cohort_id: int):
    return Attendance.objects.filter(session__cohort_id=cohort_id, status__in=ATTENDED)


def _session_counts(session_id: int) -> dict:
    return Attendance.objects.filter(session_id=session_id).aggregate(**_BY_STATUS)


# --- Curriculum progress -------------------------------------------------------------------------

PROGRESS_FIELDS = ("course_percents", "course_activity_at", "handed_in", "active_trainee")


@transaction.atomic
def refresh_progress(cohort_ids=(), *, pairs=None) -> int:
    """Copy the snapshots of the curriculum's courses into the tally of every active trainee of
    `cohort_ids`, or of the given (cohort id, user id) pairs. Returns how many rows were wrong or
    missing."""
    if pairs is None:
        pairs = (
            Membership.objects.active()
            .trainees()
            .filter(cohort_id__in=list(cohort_ids))
            .values_list("cohort_id", "user_id")
        )
    pairs = set(pairs)
    if not pairs:
        return 0
    cohorts = {cohort_id for cohort_id, _user in pairs}
    people = {user_id for _cohort, user_id in pairs}
    curricula = defaultdict(list)
    for cohort_id, course_id in (
        CurriculumItem.objects.filter(cohort_id__in=cohorts)
        .order_by("cohort_id", "position", "id")
        .values_list("cohort_id", "course_id")
    ):
        curricula[cohort_id].append(course_id)
    courses = {course_id for ids in curricula.values() for course_id in ids}
    found = {
        (user_id, course_id): (percent, handed_in)
        for user_id, course_id, percent, handed_in in (
            CourseProgressSnapshot.objects.filter(user_id__in=people, course_id__in=courses)
            .values_list("user_id", "course_id", "percent", "handed_in")
            .order_by()
            if courses
            else ()
        )
    }
    activity = snapshots.last_activity(people, courses) if courses else {}
    rows = _locked_progress(cohorts, people)
    missing = pairs - rows.keys()
    if missing:
        AttendanceTally.objects.bulk_create(
            [AttendanceTally(cohort_id=c, user_id=u, active_trainee=True) for c, u in missing],
            ignore_conflicts=True,
        )
        rows = _locked_progress(cohorts, people)
    wrong = []
    for cohort_id, user_id in pairs:
        row = rows[(cohort_id, user_id)]
        courses_here = curricula[cohort_id]
        mine = [(c, *found[(user_id, c)]) for c in courses_here if (user_id, c) in found]
        handed = {lesson_id for _c, _p, lesson_ids in mine for lesson_id in lesson_ids or ()}
        moments = [activity.get((user_id, c)) for c in courses_here]
        values = {
            "course_percents": {str(c): percent for c, percent, _h in mine},
            "course_activity_at": max((t for t in moments if t is not None), default=None),
            "handed_in": sorted(handed),
            "active_trainee": True,
        }
        if any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            wrong.append(row)
    AttendanceTally.objects.bulk_update(wrong, PROGRESS_FIELDS, batch_size=500)
    return len(missing | {(row.cohort_id, row.user_id) for row in wrong})


def _locked_progress(cohorts, people) -> dict:
    return {
        (row.cohort_id, row.user_id): row
        for row in AttendanceTally.objects.select_for_update()
        .filter(cohort_id__in=cohorts, user_id__in=people)
        .order_by("user_id", "cohort_id")
    }


def snapshots_changed(user_ids, course_id: int) -> None:
    """courses.snapshots listener: these trainees' snapshots of the course were recomputed."""
    pairs = (
        Membership.objects.active()
        .trainees()
        .filter(user_id__in=list(user_ids), cohort__curriculum__course_id=course_id)
        .values_list("cohort_id", "user_id")
    )
    refresh_progress(pairs=pairs)


def _activity(user_id, course_id, at):
    moment = Value(at, output_field=DateTimeField())
    rows = AttendanceTally.objects.filter(user_id=user_id, cohort__curriculum__course_id=course_id)
    return rows, {"course_activity_at": Greatest(Coalesce("course_activity_at", moment), moment)}


# Compiled once per connection (core.compiled.Change): run as stored SQL on every lesson opened.
_ACTIVITY = Change(_activity)


def activity_noted(user_id: int, course_id: int, at) -> None:
    """courses.snapshots listener: only the trainee's last activity in the course moved."""
    _ACTIVITY.run(user_id, course_id, at)


def membership_saved(sender, instance: Membership, created=False, raw=False, **kwargs) -> None:
    """post_save of Membership: an active trainee gets their curriculum progress (someone
    accepted, added, or back after leaving may have worked in the courses already); anyone who
    stops being one is marked so in their tally."""
    update_fields = kwargs.get("update_fields")
    if raw or (
        not created and update_fields is not None and not {"status", "role"} & set(update_fields)
    ):
        return
    if instance.is_active and instance.role == Membership.Role.TRAINEE:
        refresh_progress(pairs=[(instance.cohort_id, instance.user_id)])
    else:
        _sync_active(instance.cohort_id, instance.user_id)


def membership_deleted(sender, instance: Membership, origin=None, **kwargs) -> None:
    """post_delete of Membership (the admin): the person may no longer be an active trainee."""
    if not isinstance(origin, Cohort):
        _sync_active(instance.cohort_id, instance.user_id)


def _sync_active(cohort_id: int, user_id: int) -> None:
    active = Membership.objects.active().trainees().filter(cohort_id=cohort_id, user_id=user_id)
    AttendanceTally.objects.filter(cohort_id=cohort_id, user_id=user_id).update(
        active_trainee=Exists(active)
    )


# --- Rebuilding from the records -----------------------------------------------------------------


def rebuild(cohort_ids=None) -> int:
    """Recount the attendance counters and recopy the curriculum progress of the given cohorts
    (all by default) from the records; returns how many rows were wrong or missing (0 when
    everything was in step)."""
    if cohort_ids is None:
        cohort_ids = Cohort.objects.order_by("pk").values_list("pk", flat=True)
    return sum(_rebuild_cohort(cohort_id) for cohort_id in list(cohort_ids))


@transaction.atomic
def _rebuild_cohort(cohort_id: int) -> int:
    fixed = 0
    # Sessions first, then people (the lock order of marks_changed).
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
    active = set(
        Membership.objects.active()
        .trainees()
        .filter(cohort_id=cohort_id)
        .values_list("user_id", flat=True)
    )
    AttendanceTally.objects.bulk_create(
        [
            AttendanceTally(cohort_id=cohort_id, user_id=pk, active_trainee=pk in active)
            for pk in marked | active
        ],
        ignore_conflicts=True,
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
    for tally in tallies:
        counts.setdefault(tally.user_id, {})["active_trainee"] = tally.user_id in active
    fields = (*STATUSES, "last_attended_at", "active_trainee")
    fixed += _write(AttendanceTally, tallies, counts, lambda t: t.user_id, fields)
    return fixed + refresh_progress([cohort_id])


def _write(model, tallies, counts, key, fields) -> int:
    wrong = []
    for tally in tallies:
        wanted = counts.get(key(tally), {})
        values = {name: wanted.get(name, _EMPTY.get(name, 0)) for name in fields}
        if any(getattr(tally, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(tally, name, value)
            wrong.append(tally)
    model.objects.bulk_update(wrong, fields, batch_size=500)
    return len(wrong)
