"""What mentoring declares due (issue 12), registered with notifications.reminders from ready():

- `mentoring.no_meeting`: an active mentorship (accepted, in a recruiting or running cohort)
  with no meeting logged for 30 days tells the mentor. The occurrence is the day the 30 days
  count from (the last meeting's date, else the day the mentor accepted), so a mentorship that
  stays silent is reminded once per silence, and logging a meeting starts a new count.
- `mentoring.mentee_inactive`: an active trainee with an active mentorship and no activity for
  14 days (cohorts.reminders' activity rule) tells the mentor; the occurrence is the date of the
  trainee's last activity.

A newly published match is an event, not a scan: `services.publish_match_round` notifies the
mentor and the trainee when it happens.

Each scan is one query, whatever the number of mentorships."""

import datetime

from django.db.models import DateField, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, TruncDate

from cohorts.models import BAGHDAD
from cohorts.reminders import REMINDING, activity_occurrence, inactive_trainees, key_pk
from core.pages import page_url
from notifications import reminders
from notifications.reminders import Due, Reminder

from .models import Mentorship

NO_MEETING_FOR = datetime.timedelta(days=30)
MENTEE_IDLE = datetime.timedelta(days=14)

NO_MEETING = "mentoring.no_meeting"
MENTEE_INACTIVE = "mentoring.mentee_inactive"


def _active():
    return Mentorship.objects.filter(status=Mentorship.Status.ACTIVE, cohort__status__in=REMINDING)


def _silent(now):
    """Active mentorships whose last meeting (or acceptance) is 30 days old or more, with
    `since`, the day the count starts."""
    today = now.astimezone(BAGHDAD).date()
    return (
        _active()
        .annotate(
            since=Coalesce(
                Max("meetings__date"),
                TruncDate("accepted_at", tzinfo=BAGHDAD),
                TruncDate("created_at", tzinfo=BAGHDAD),
                output_field=DateField(),
            )
        )
        .filter(since__lte=today - NO_MEETING_FOR)
    )


def scan_no_meeting(now):
    rows = _silent(now).values_list(
        "pk", "mentor_id", "since", "trainee__full_name", "cohort__name", "cohort__name_en"
    )
    return [
        Due(
            recipient_id=mentor_id,
            object_key=f"mentoring.mentorship:{pk}",
            occurrence=since.isoformat(),
            params={
                "trainee": trainee,
                "cohort": cohort,
                "cohort_en": cohort_en,
                "since": since.isoformat(),
            },
            url=page_url("mentoring:mentorship", pk=pk),
        )
        for pk, mentor_id, since, trainee, cohort, cohort_en in rows.order_by()
    ]


def no_meeting_still_due(due: Due, now) -> bool:
    since = (
        _silent(now)
        .filter(pk=key_pk(due), mentor_id=due.recipient_id)
        .values_list("since", flat=True)
        .first()
    )
    return since is not None and since.isoformat() == due.occurrence


def _idle_mentees(now):
    """(mentorship, mentor, trainee name, cohort names, last activity) of active trainees idle
    for 14 days who have an active mentor."""
    mentorship = _active().filter(cohort_id=OuterRef("cohort_id"), trainee_id=OuterRef("user_id"))
    return (
        inactive_trainees(now, MENTEE_IDLE)
        .annotate(
            mentorship_id=Subquery(mentorship.values("pk")[:1]),
            mentor_id=Subquery(mentorship.values("mentor_id")[:1]),
        )
        .filter(mentorship_id__isnull=False)
        .values_list(
            "mentorship_id",
            "mentor_id",
            "user__full_name",
            "cohort__name",
            "cohort__name_en",
            "last_activity",
        )
        .order_by()
    )


def scan_mentee_inactive(now):
    return [
        Due(
            recipient_id=mentor_id,
            object_key=f"mentoring.mentorship:{pk}",
            occurrence=activity_occurrence(last),
            params={
                "trainee": trainee,
                "cohort": cohort,
                "cohort_en": cohort_en,
                "days": (now - last).days,
            },
            url=page_url("mentoring:mentorship", pk=pk),
        )
        for pk, mentor_id, trainee, cohort, cohort_en, last in _idle_mentees(now)
    ]


def mentee_inactive_still_due(due: Due, now) -> bool:
    return any(
        mentor_id == due.recipient_id and activity_occurrence(last) == due.occurrence
        for _, mentor_id, *_, last in _idle_mentees(now).filter(mentorship_id=key_pk(due))
    )


REMINDERS = (
    Reminder(kind=NO_MEETING, scan=scan_no_meeting, still_due=no_meeting_still_due),
    Reminder(kind=MENTEE_INACTIVE, scan=scan_mentee_inactive, still_due=mentee_inactive_still_due),
)


def register_reminders() -> None:
    for reminder in REMINDERS:
        reminders.register(reminder)
