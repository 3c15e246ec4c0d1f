"""What mentoring plugs into the apps below it (registered in MentoringConfig.ready()):
a mentor sees their active mentees' course progress (courses.access); the cohort dashboard
shows each trainee's mentor and the days since their last meeting, flags an active mentorship
without a meeting for 30 days, and lets a trainee's active mentor open the trainee's page
(cohorts.dashboard)."""

import datetime

from django.db.models import Max, Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.compiled import Shape

from .models import Mentorship


def active_mentees(viewer):
    """The ids of the people whose progress this viewer may see as their mentor: active
    mentorships only (a proposed one is not yet accepted, a declined or ended one no longer
    counts, nor one whose trainee was removed from the cohort)."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return None
    return Mentorship.objects.in_force().filter(mentor=viewer).values("trainee_id")


MEETING_DUE_AFTER_DAYS = 30


def mentor_column_lookup(cohort, rows, now) -> dict[int, str]:
    """The dashboard's "Mentor" column (cohorts.dashboard.register_column)."""
    return mentor_column(cohort, [row.user_id for row in rows])


def _quiet(mentorships, before):
    """Of these mentorships, those whose last meeting, or their start when none was held, is
    before the day `before`, each with that day (`since`)."""
    return mentorships.annotate(
        since=Coalesce(Max("meetings__date"), TruncDate(Coalesce("accepted_at", "created_at")))
    ).filter(since__lt=before)


def _due_before(now) -> datetime.date:
    return timezone.localtime(now).date() - datetime.timedelta(days=MEETING_DUE_AFTER_DAYS)


def _without_recent_meeting(cohort, now):
    """The cohort's active mentorships whose last meeting, or their start when none was held,
    is more than 30 days ago, each with that day (`since`)."""
    active = Mentorship.objects.filter(cohort=cohort, status=Mentorship.Status.ACTIVE)
    return _quiet(active, _due_before(now))


def no_recent_meeting_condition(cohort, now):
    """The at-risk reason "no mentor meeting in 30 days" as the dashboard's condition over the
    cohort's trainee memberships (cohorts.dashboard.register_reason)."""
    # Not correlated: the database lists those trainees once and looks each row up in it.
    return Q(user_id__in=_without_recent_meeting(cohort, now).values("trainee_id"))


def no_recent_meeting_condition_of_one(cohort, now, trainee_id):
    """The same condition for one trainee (their page): their mentorship alone is looked at."""
    quiet = _without_recent_meeting(cohort, now).filter(trainee_id=trainee_id)
    return Q(user_id__in=quiet.values("trainee_id"))


def _quiet_of(cohort_id, before, *trainee_ids, count, zone):
    """Of these trainees (`count` of them), those whose active mentorship has had no meeting
    (nor start) since before `before`, with that day; in the time zone `zone` (TruncDate's)."""
    active = Mentorship.objects.filter(
        cohort_id=cohort_id, status=Mentorship.Status.ACTIVE, trainee_id__in=trainee_ids
    )
    return _quiet(active, before).values_list("trainee_id", "since")


def _mentors_of(cohort_id, *trainee_ids, count):
    """The current mentorships of these trainees (`count` of them), each with the mentor's name
    and the day of the last meeting."""
    return (
        Mentorship.objects.current()
        .filter(cohort_id=cohort_id, trainee_id__in=trainee_ids)
        .values_list("pk", "trainee_id", "mentor__full_name")  # one row per mentorship
        .annotate(last_meeting=Max("meetings__date"))
        .order_by()
    )


# The two lookups of the rows on show, compiled once per number of rows (core.compiled.Shape).
_QUIET_OF = Shape(_quiet_of)
_MENTORS_OF = Shape(_mentors_of)


def no_recent_meeting(cohort, rows, now) -> dict[int, str]:
    """The reason's message: {trainee id: "No mentor meeting for N days."} of these rows'
    trainees whose mentorship has had no meeting for 30 days; one query (the same rule as
    _without_recent_meeting, for these trainees)."""
    today = timezone.localtime(now).date()
    ids = [row.user_id for row in rows]
    if not ids:
        return {}
    zone = timezone.get_current_timezone_name()
    answer = {}
    found = _QUIET_OF.list(cohort.pk, _due_before(now), *ids, count=len(ids), zone=zone)
    for trainee_id, since in found:
        days = (today - since).days
        answer[trainee_id] = ngettext(
            "No mentor meeting for %(days)s day.", "No mentor meeting for %(days)s days.", days
        ) % {"days": days}
    return answer


def mentors_trainee(viewer, cohort, trainee_id) -> bool:
    """True when the viewer is the trainee's active mentor in this cohort (one query)."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return False
    return (
        Mentorship.objects.in_force()
        .filter(cohort=cohort, mentor=viewer, trainee_id=trainee_id)
        .exists()
    )


def mentor_column(cohort, user_ids) -> dict[int, str]:
    """{trainee id: "mentor name · N days since the last meeting"} for the rows on show, in one
    query."""
    ids = [int(user_id) for user_id in user_ids]
    rows = _MENTORS_OF.list(cohort.pk, *ids, count=len(ids)) if ids else []
    today = timezone.localdate()
    answer = {}
    for _pk, trainee_id, mentor_name, last_meeting in rows:
        if last_meeting is None:
            since = _("no meeting yet")
        else:
            days = (today - last_meeting).days
            since = ngettext(
                "%(days)s day since the last meeting",
                "%(days)s days since the last meeting",
                days,
            ) % {"days": days}
        answer[trainee_id] = f"{mentor_name} · {since}"
    return answer
