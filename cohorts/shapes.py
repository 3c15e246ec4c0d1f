"""The cohort pages' frequent queries as compiled shapes (core.compiled.Shape): built and
compiled once per connection, then run as stored SQL with the request's ids.

The access rules are the models' own (`visible_to_person`, `managed_by_person`, the functions
`visible_to` and `managed_by` call too); what they read of a person besides the id (signed in,
staff) is the shape's key, from `access_key`. Someone signed out reaches no shape of a rule
that answers them nothing (`none()` has no SQL): the helpers answer without a query, as the ORM
does. A builder reads no clock, setting or language."""

from django.db.models import Count, OuterRef, Subquery

from accounts.models import User
from core.compiled import Shape
from courses.models import AssignmentSubmission

from .models import (
    Announcement,
    Application,
    Attendance,
    AttendanceTally,
    Cohort,
    CurriculumItem,
    ExcuseRequest,
    Membership,
    Session,
)
from .models.base import access_key, person_id

# --- Access: a cohort or session as the person's rule lets them reach it ------------------------


def _visible_cohort(pk, user_id, *, signed_in, staff):
    rule = Cohort.objects.visible_to_person(user_id, signed_in=signed_in, staff=staff)
    return rule.filter(pk=pk).order_by()[:1]


def _managed_cohort(pk, user_id, *, staff):
    rule = Cohort.objects.managed_by_person(user_id, signed_in=True, staff=staff)
    return rule.filter(pk=pk).order_by()[:1]


def _manages(pk, user_id, *, staff):
    rule = Cohort.objects.managed_by_person(user_id, signed_in=True, staff=staff)
    return rule.filter(pk=pk).values_list("pk", flat=True)[:1]


def _visible_session(pk, user_id, *, staff):
    rule = Session.objects.visible_to_person(user_id, signed_in=True, staff=staff)
    return rule.select_related("cohort", "facilitator").filter(pk=pk).order_by()[:1]


_VISIBLE_COHORT = Shape(_visible_cohort)
_MANAGED_COHORT = Shape(_managed_cohort)
_MANAGES = Shape(_manages)
_VISIBLE_SESSION = Shape(_visible_session)


def visible_cohort(user, pk: int) -> Cohort | None:
    """`Cohort.objects.visible_to(user)`'s cohort with this id, or None."""
    return _VISIBLE_COHORT.first(pk, person_id(user), **access_key(user))


def managed_cohort(user, pk: int) -> Cohort | None:
    """`Cohort.objects.managed_by(user)`'s cohort with this id, or None."""
    key = access_key(user)
    if not key["signed_in"]:
        return None
    return _MANAGED_COHORT.first(pk, user.pk, staff=key["staff"])


def manages(user, cohort_id: int) -> bool:
    """Whether `managed_by(user)` holds this cohort (services.can_manage_cohort)."""
    key = access_key(user)
    if not key["signed_in"]:
        return False
    return bool(_MANAGES.list(cohort_id, user.pk, staff=key["staff"]))


def visible_session(user, pk: int) -> Session | None:
    """`Session.objects.visible_to(user)`'s session with this id, its cohort and facilitator
    loaded, or None."""
    key = access_key(user)
    if not key["signed_in"]:
        return None
    return _VISIBLE_SESSION.first(pk, user.pk, staff=key["staff"])


# --- The cohort's page -----------------------------------------------------------------------


def _my_membership(cohort_id, user_id):
    return Membership.objects.filter(cohort_id=cohort_id, user_id=user_id).order_by(
        "-joined_at", "-id"
    )[:1]


def _my_application(cohort_id, user_id):
    return Application.objects.filter(cohort_id=cohort_id, applicant_id=user_id)[:1]


def _announcements(cohort_id, *, limit):
    return Announcement.objects.filter(cohort_id=cohort_id).order_by("-created_at", "-id")[:limit]


def _upcoming(cohort_id, now, *, limit):
    return Session.objects.filter(cohort_id=cohort_id).upcoming(now)[:limit]


def _my_upcoming(cohort_id, user_id, now, *, limit):
    """The next sessions with the person's own mark and excuse (each unique per session and
    person: read unordered)."""
    mine = {"session": OuterRef("pk"), "user_id": user_id}
    return (
        Session.objects.filter(cohort_id=cohort_id)
        .upcoming(now)
        .annotate(
            my_mark=Subquery(Attendance.objects.filter(**mine).order_by().values("status")[:1]),
            my_excuse=Subquery(
                ExcuseRequest.objects.filter(**mine).order_by().values("status")[:1]
            ),
        )[:limit]
    )


MY_MEMBERSHIP = Shape(_my_membership)
MY_APPLICATION = Shape(_my_application)
ANNOUNCEMENTS = Shape(_announcements)
UPCOMING = Shape(_upcoming)
MY_UPCOMING = Shape(_my_upcoming)


# --- The roll call (views.sessions) ------------------------------------------------------------


def _active_trainees(cohort_id):
    return User.objects.filter(
        cohort_memberships__cohort_id=cohort_id,
        cohort_memberships__status=Membership.Status.ACTIVE,
        cohort_memberships__role=Membership.Role.TRAINEE,
    )


def roster_rows(session_id, cohort_id):
    """The roll call's rows: (id, full name, e-mail, mark, excuse) of the cohort's active
    trainees at the session, in name order (a search filters these)."""
    theirs = {"session_id": session_id, "user": OuterRef("pk")}
    # A mark and an excuse are unique per session and person: read unordered, without the joins
    # the models' default order would add to each row's lookup.
    return (
        _active_trainees(cohort_id)
        .order_by("full_name", "id")
        .annotate(
            mark=Subquery(Attendance.objects.filter(**theirs).order_by().values("status")[:1]),
            excuse=Subquery(ExcuseRequest.objects.filter(**theirs).order_by().values("status")[:1]),
        )
        .values_list("id", "full_name", "email", "mark", "excuse")
    )


def _roster(session_id, cohort_id, *, start, stop):
    return roster_rows(session_id, cohort_id)[start:stop]


def _active_trainee_memberships(cohort_id):
    """`_active_trainees` counted or matched by id from the memberships alone: every membership
    has its person, so joining the people (a hash of all of them) adds nothing."""
    return Membership.objects.filter(
        cohort_id=cohort_id,
        status=Membership.Status.ACTIVE,
        role=Membership.Role.TRAINEE,
    ).order_by()


def _roster_count(cohort_id):
    return (
        _active_trainee_memberships(cohort_id)
        .values("cohort_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )


def _session_marks(session_id, cohort_id):
    return (
        Attendance.objects.filter(
            session_id=session_id,
            user_id__in=_active_trainee_memberships(cohort_id).values("user_id"),
        )
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )


_ROSTER = Shape(_roster)
_ROSTER_COUNT = Shape(_roster_count)
SESSION_MARKS = Shape(_session_marks)


class Roster:
    """The active trainees of a session's cohort, in name order, with their mark and excuse at
    the session: (id, full name, e-mail, mark, excuse) rows, as a list the paginator counts and
    slices (each slice one query), paged as a queryset is (core.paging: `sliced_in_sql`)."""

    sliced_in_sql = True

    def __init__(self, session_id: int, cohort_id: int):
        self.session_id, self.cohort_id = session_id, cohort_id

    def count(self) -> int:
        return _ROSTER_COUNT.first(self.cohort_id) or 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list:
        start, stop = window.start or 0, window.stop
        return _ROSTER.list(self.session_id, self.cohort_id, start=start, stop=stop)


# --- The dashboard (cohorts.dashboard) -------------------------------------------------------

TALLY_STATUSES = tuple(Attendance.Status.values)
_LESSON = "course__modules__lessons__"


def _sessions_with_tally(cohort_id):
    return (
        Session.objects.filter(cohort_id=cohort_id)
        .order_by("starts_at", "id")
        .values(
            "id",
            "title",
            "title_en",
            "starts_at",
            "ends_at",
            *(f"tally__{status}" for status in TALLY_STATUSES),
        )
    )


def _curriculum_lessons(cohort_id):
    return (
        CurriculumItem.objects.filter(cohort_id=cohort_id)
        .order_by("position", "id")
        .values(
            "course_id",
            "due_on",
            "required",
            "course__title",
            *(
                _LESSON + name
                for name in ("id", "kind", "is_required", "due_at", "due_days_after_start")
            ),
        )
    )


def _not_active_trainees(cohort_id):
    return AttendanceTally.objects.filter(cohort_id=cohort_id, active_trainee=False).values_list(
        "user_id", flat=True
    )


def _active_trainee_count(cohort_id):
    return (
        Membership.objects.active()
        .trainees()
        .filter(cohort_id=cohort_id)
        .order_by()
        .values("cohort_id")
        .annotate(n=Count("pk"))
        .values_list("n", flat=True)
    )


SESSIONS_WITH_TALLY = Shape(_sessions_with_tally)
CURRICULUM_LESSONS = Shape(_curriculum_lessons)
NOT_ACTIVE_TRAINEES = Shape(_not_active_trainees)
_ACTIVE_TRAINEE_COUNT = Shape(_active_trainee_count)


def active_trainee_count(cohort_id: int) -> int:
    """How many active trainees the cohort has, as
    `Membership.objects.active().trainees().filter(cohort=...).count()`."""
    return _ACTIVE_TRAINEE_COUNT.first(cohort_id) or 0


# --- One trainee's page of the dashboard ------------------------------------------------------


def _active_trainee(cohort_id, user_id):
    return (
        Membership.objects.active()
        .trainees()
        .select_related("user")
        .filter(cohort_id=cohort_id, user_id=user_id)
        .order_by()[:1]
    )


def _curriculum(cohort_id):
    return (
        CurriculumItem.objects.filter(cohort_id=cohort_id)
        .order_by("position", "id")
        .values("course_id", "course__title", "course__title_en", "required", "due_on")
    )


def _trainee_marks(cohort_id, user_id):
    # Read into a dict: unordered (the default order would join the person for their name).
    return (
        Attendance.objects.filter(session__cohort_id=cohort_id, user_id=user_id)
        .order_by()
        .values_list("session_id", "status")
    )


def _trainee_excuses(cohort_id, user_id):
    return (
        ExcuseRequest.objects.filter(session__cohort_id=cohort_id, user_id=user_id)
        .select_related("session")
        .order_by("-created_at", "-id")
    )


def _trainee_submissions(user_id, *course_ids, courses):
    return (
        AssignmentSubmission.objects.filter(
            user_id=user_id, lesson__module__course_id__in=course_ids
        )
        .select_related("lesson")
        .order_by("-submitted_at", "-id")[:TRAINEE_SUBMISSIONS]
    )


TRAINEE_SUBMISSIONS = 50
ACTIVE_TRAINEE = Shape(_active_trainee)
CURRICULUM = Shape(_curriculum)
TRAINEE_MARKS = Shape(_trainee_marks)
TRAINEE_EXCUSES = Shape(_trainee_excuses)
_TRAINEE_SUBMISSIONS = Shape(_trainee_submissions)


def trainee_submissions(user_id: int, course_ids: list[int]) -> list:
    """The trainee's latest assignment submissions in these courses, their lessons loaded;
    none (and no query, as the ORM) without courses."""
    if not course_ids:
        return []
    return _TRAINEE_SUBMISSIONS.list(user_id, *course_ids, courses=len(course_ids))
