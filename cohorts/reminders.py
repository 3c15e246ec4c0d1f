"""What cohorts declare due (issue 12), registered with notifications.reminders from ready():

- `cohorts.session_soon`: 24 h and 2 h before a session, to its cohort's active trainees and to
  its facilitator while they hold a facilitating membership, with the venue or the link.
  Occurrences "24h" (from 24 h to 2 h before) and "2h" (the last 2 h), each stamped with the
  start (`stamped`: "24h:2026-12-04T14:00Z"), so a session moved after its reminder is
  reminded again for its new time. A scan that missed the 24 h window (beat down) and runs
  within the last 2 h sends only the "2h" reminder: two messages minutes apart about the same
  session would be noise.
- `cohorts.work_due` / `cohorts.work_overdue`: a quiz or an assignment of a curriculum course,
  due within 48 h ("48h") and not done by an active trainee; overdue from the day after its
  due date ("overdue", Baghdad calendar) for a week, after which a late scan no longer nags.
  Both stamped with the deadline, so a deadline moved later brings a new reminder.
  The deadline is `Lesson.deadline()` (absolute, or relative to the cohort's start); done is a
  passed quiz attempt or a handed-in submission (any state, as the dashboard counts it). Course
  work is scanned here rather than in courses because the audience is cohort membership, which
  courses cannot read (accounts <- courses <- cohorts).
- `cohorts.trainee_inactive`: an active trainee of a running cohort with no activity for 7 days
  (counted from joining or the cohort's first day at the earliest); the occurrence is the date
  of their last activity, so each stretch of inactivity brings one nudge.
  `with_last_activity()` is the activity rule, shared with mentoring's 14-day notice.

Only cohorts that are recruiting or running remind: a cohort that is archived (cancelled),
draft or completed sends nothing, and a deleted session is no longer due. Sessions cannot be
cancelled one by one (there is no such state), so there is no cancellation notice yet.

Every scan runs a fixed number of queries (two to four), whatever the number of people."""

import datetime
from collections import defaultdict

from django.db.models import DateTimeField, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest

from core.pages import page_url
from courses.models import AssignmentSubmission, Lesson, QuizAttempt
from notifications import reminders
from notifications.reminders import Due, Reminder

from .models import BAGHDAD, FACILITATING_ROLES, AttendanceTally, Cohort, Membership, Session

REMINDING = (Cohort.Status.RECRUITING, Cohort.Status.RUNNING)

SESSION_EARLY = datetime.timedelta(hours=24)
SESSION_LATE = datetime.timedelta(hours=2)
WORK_SOON = datetime.timedelta(hours=48)
OVERDUE_FOR = datetime.timedelta(days=7)
INACTIVE_AFTER = datetime.timedelta(days=7)

SESSION_SOON = "cohorts.session_soon"
WORK_DUE = "cohorts.work_due"
WORK_OVERDUE = "cohorts.work_overdue"
TRAINEE_INACTIVE = "cohorts.trainee_inactive"


def stamped(window: str, moment) -> str:
    """An occurrence: the reminder's window and the moment (or day) it is about, so that a
    session moved or a deadline changed after its reminder went out is reminded again, while
    the same state scanned twice gives the same key. E.g. "24h:2026-12-04T14:00Z"."""
    if isinstance(moment, datetime.datetime):
        moment = moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%MZ")
    else:
        moment = moment.isoformat()
    return f"{window}:{moment}"


def key_pk(due: Due) -> int:
    """The primary key in a `Due.object_key` ("<app>.<model>:<pk>")."""
    return int(due.object_key.rsplit(":", 1)[1])


# --- Sessions ----------------------------------------------------------------------------------


def session_occurrence(starts_at: datetime.datetime, now: datetime.datetime) -> str | None:
    """Which reminder of a session starting at `starts_at` is due at `now`, if any."""
    if now >= starts_at:
        return None
    if now >= starts_at - SESSION_LATE:
        return "2h"
    if now >= starts_at - SESSION_EARLY:
        return "24h"
    return None


def _session_dues(session: Session, people, occurrence: str) -> list[Due]:
    # The parameters and link are the same for everyone: built once per session, not per person.
    params = {
        "cohort": session.cohort.name,
        "cohort_en": session.cohort.name_en,
        "session": session.title,
        "session_en": session.title_en,
        "starts_at": session.starts_at.isoformat(),
        "place": session.place,
    }
    key = reminders.object_key(session)
    url = page_url("cohorts:detail", pk=session.cohort_id)
    return [Due(user_id, key, occurrence, params, url) for user_id in people]


def scan_sessions(now: datetime.datetime):
    """Two queries: the sessions starting within 24 h, then the memberships that receive them."""
    sessions = list(
        Session.objects.filter(
            starts_at__gt=now,
            starts_at__lte=now + SESSION_EARLY,
            cohort__status__in=REMINDING,
        ).select_related("cohort")
    )
    if not sessions:
        return []
    trainees = defaultdict(list)
    facilitating = set()
    for cohort_id, user_id, role in (
        Membership.objects.active()
        .filter(
            cohort_id__in={s.cohort_id for s in sessions},
            role__in=(Membership.Role.TRAINEE, *FACILITATING_ROLES),
        )
        .values_list("cohort_id", "user_id", "role")
        .order_by()
    ):
        if role == Membership.Role.TRAINEE:
            trainees[cohort_id].append(user_id)
        else:
            facilitating.add((cohort_id, user_id))
    due = []
    for session in sessions:
        occurrence = stamped(session_occurrence(session.starts_at, now), session.starts_at)
        people = list(trainees[session.cohort_id])
        if (session.cohort_id, session.facilitator_id) in facilitating:
            people.append(session.facilitator_id)
        due.extend(_session_dues(session, people, occurrence))
    return due


def session_still_due(due: Due, now: datetime.datetime) -> bool:
    session = (
        Session.objects.filter(pk=key_pk(due), cohort__status__in=REMINDING)
        .select_related("cohort")
        .first()
    )
    if session is None:
        return False
    window = session_occurrence(session.starts_at, now)
    if window is None or stamped(window, session.starts_at) != due.occurrence:
        return False
    member = Membership.objects.active().filter(
        cohort_id=session.cohort_id, user_id=due.recipient_id
    )
    return member.filter(
        Q(role=Membership.Role.TRAINEE)
        | Q(role__in=FACILITATING_ROLES, user_id=session.facilitator_id)
    ).exists()


# --- Course work -------------------------------------------------------------------------------


def work_occurrence(deadline: datetime.datetime, now: datetime.datetime) -> str | None:
    """ "48h" while the deadline is less than 48 h away; "overdue" from the Baghdad day after the
    deadline's day, for OVERDUE_FOR."""
    if deadline - WORK_SOON <= now < deadline:
        return "48h"
    day = deadline.astimezone(BAGHDAD).date() + datetime.timedelta(days=1)
    overdue_from = datetime.datetime.combine(day, datetime.time.min, tzinfo=BAGHDAD)
    if overdue_from <= now < overdue_from + OVERDUE_FOR:
        return "overdue"
    return None


def _dated_work(now, *, cohort_ids=None, lesson_id=None):
    """(cohort, lesson, deadline, occurrence) of every quiz or assignment of an open cohort's
    curriculum whose deadline puts a reminder due at `now`. One query; the deadline comes from
    `Lesson.deadline` with the cohort's start."""
    # One filter() call: every condition on the curriculum item is about the same row (separate
    # calls would each join the curriculum again), and the annotations below read that row.
    conditions = {"module__course__curriculum_items__cohort__status__in": REMINDING}
    if cohort_ids is not None:
        conditions["module__course__curriculum_items__cohort_id__in"] = cohort_ids
    if lesson_id is not None:
        conditions["pk"] = lesson_id
    lessons = Lesson.objects.filter(
        Q(due_at__isnull=False) | Q(due_days_after_start__isnull=False),
        kind__in=(Lesson.Kind.QUIZ, Lesson.Kind.ASSIGNMENT),
        module__course__is_published=True,
        **conditions,
    )
    rows = lessons.annotate(
        cohort_pk=F("module__course__curriculum_items__cohort_id"),
        cohort_starts_on=F("module__course__curriculum_items__cohort__starts_on"),
        course_title=F("module__course__title"),
        course_title_en=F("module__course__title_en"),
    ).only("pk", "kind", "title", "title_en", "due_at", "due_days_after_start")
    found = []
    for lesson in rows:
        cohort = Cohort(pk=lesson.cohort_pk, starts_on=lesson.cohort_starts_on)
        deadline = lesson.deadline(starts_at=cohort.starts_at)
        occurrence = work_occurrence(deadline, now) if deadline else None
        if occurrence:
            found.append((lesson.cohort_pk, lesson, deadline, occurrence))
    return found


def _done(lesson_ids, trainees) -> set[tuple[int, int]]:
    """(user, lesson) pairs done: a passed attempt or a handed-in submission. Two queries."""
    passed = QuizAttempt.objects.filter(lesson_id__in=lesson_ids, passed=True)
    handed_in = AssignmentSubmission.objects.filter(lesson_id__in=lesson_ids)
    done = set()
    for facts in (passed, handed_in):
        done.update(
            facts.filter(user_id__in=trainees.values("user_id"))
            .values_list("user_id", "lesson_id")
            .distinct()
            .order_by()
        )
    return done


def _work_dues(lesson, people, deadline, occurrence) -> list[Due]:
    params = {
        "lesson": lesson.title,
        "lesson_en": lesson.title_en,
        "course": lesson.course_title,
        "course_en": lesson.course_title_en,
        "deadline": deadline.isoformat(),
    }
    key = reminders.object_key(lesson)
    url = page_url("courses:lesson", pk=lesson.pk)
    return [Due(user_id, key, occurrence, params, url) for user_id in people]


def _scan_work(now, wanted: str):
    work = [w for w in _dated_work(now) if w[3] == wanted]
    if not work:
        return []
    trainees = (
        Membership.objects.active()
        .trainees()
        .filter(cohort_id__in={cohort_id for cohort_id, *_ in work})
    )
    by_cohort = defaultdict(list)
    for cohort_id, user_id in trainees.values_list("cohort_id", "user_id").order_by():
        by_cohort[cohort_id].append(user_id)
    done = _done({lesson.pk for _, lesson, _, _ in work}, trainees)
    due = []
    for cohort_id, lesson, deadline, window in work:
        people = [u for u in by_cohort[cohort_id] if (u, lesson.pk) not in done]
        due.extend(_work_dues(lesson, people, deadline, stamped(window, deadline)))
    return due


def scan_work_due(now):
    """Four queries: the dated work, the trainees, the passed quizzes, the submissions."""
    return _scan_work(now, "48h")


def scan_work_overdue(now):
    return _scan_work(now, "overdue")


def work_still_due(due: Due, now) -> bool:
    cohorts = (
        Membership.objects.active()
        .trainees()
        .filter(user_id=due.recipient_id)
        .values_list("cohort_id", flat=True)
    )
    work = [
        w
        for w in _dated_work(now, cohort_ids=cohorts, lesson_id=key_pk(due))
        if stamped(w[3], w[2]) == due.occurrence
    ]
    if not work:
        return False
    mine = Membership.objects.active().trainees().filter(user_id=due.recipient_id)
    return (due.recipient_id, key_pk(due)) not in _done({key_pk(due)}, mine)


# --- Inactivity --------------------------------------------------------------------------------


def with_last_activity(memberships):
    """Annotate memberships with `last_activity`: the latest of the person's sign-in, a present
    or late mark in the cohort and work in its curriculum (the dashboard's rule, read from the
    same stored figures), and never earlier than joining or the cohort's first day, so neither a
    newcomer nor a trainee accepted weeks before the start is inactive."""
    tally = AttendanceTally.objects.filter(
        cohort_id=OuterRef("cohort_id"), user_id=OuterRef("user_id")
    )
    # The start as midnight in the database's time zone (UTC): three hours off Baghdad's, which
    # a count in days can bear.
    joined = Greatest(F("joined_at"), Cast("cohort__starts_on", DateTimeField()))
    return memberships.annotate(
        last_activity=Greatest(
            joined,
            Coalesce("user__last_login", joined),
            Coalesce(
                Subquery(tally.values("last_attended_at")[:1], output_field=DateTimeField()),
                joined,
            ),
            Coalesce(
                Subquery(tally.values("course_activity_at")[:1], output_field=DateTimeField()),
                joined,
            ),
        )
    )


def inactive_trainees(now, idle: datetime.timedelta):
    """Active trainees of running cohorts without activity for `idle`, with `last_activity`
    (a recruiting cohort has not started: nobody is expected to be active yet)."""
    return with_last_activity(
        Membership.objects.active().trainees().filter(cohort__status=Cohort.Status.RUNNING)
    ).filter(last_activity__lte=now - idle)


def activity_occurrence(last_activity: datetime.datetime) -> str:
    return last_activity.astimezone(BAGHDAD).date().isoformat()


def scan_inactive(now):
    """One query."""
    rows = inactive_trainees(now, INACTIVE_AFTER).values_list(
        "pk", "user_id", "last_activity", "cohort__name", "cohort__name_en", "cohort_id"
    )
    links = {}  # a cohort's page, reversed once per cohort rather than per trainee
    return [
        Due(
            recipient_id=user_id,
            object_key=f"cohorts.membership:{pk}",
            occurrence=activity_occurrence(last),
            params={
                "cohort": name,
                "cohort_en": name_en,
                "days": (now - last).days,
            },
            url=links.get(cohort_id)
            or links.setdefault(cohort_id, page_url("cohorts:detail", pk=cohort_id)),
        )
        for pk, user_id, last, name, name_en, cohort_id in rows.order_by()
    ]


def inactive_still_due(due: Due, now) -> bool:
    last = (
        inactive_trainees(now, INACTIVE_AFTER)
        .filter(pk=key_pk(due), user_id=due.recipient_id)
        .values_list("last_activity", flat=True)
        .first()
    )
    return last is not None and activity_occurrence(last) == due.occurrence


REMINDERS = (
    Reminder(kind=SESSION_SOON, scan=scan_sessions, still_due=session_still_due),
    Reminder(kind=WORK_DUE, scan=scan_work_due, still_due=work_still_due),
    Reminder(kind=WORK_OVERDUE, scan=scan_work_overdue, still_due=work_still_due),
    Reminder(kind=TRAINEE_INACTIVE, scan=scan_inactive, still_due=inactive_still_due),
)


def register_reminders() -> None:
    for reminder in REMINDERS:
        reminders.register(reminder)
