"""The mentor load page's reads as compiled shapes (core.compiled), rows as plain values for
`mentoring.load_rows`: the cohort's mentors with their current mentees (in every cohort) against
their capacity, and the cohort's active pairs without a meeting since a day, never met first, then
the longest quiet, as a list the paginator pages and counts in stored SQL (core.paging).

Access is the ORM path's: the pairs are `Mentorship.objects.visible_to`'s rule
(`visible_to_person`, staff a keyword of the shape); mentor profiles are visible to every person
who runs a cohort (`MentorProfile.objects.visible_to`), and the page is reached only through a
cohort the person runs (`cohort_shapes.managed_cohort`), so they are read without asking again.

A pair is quiet when none of its meetings is dated on or after the day (NOT EXISTS, an anti-join
on the meetings of that window), which is what "its last meeting is missing or before the day"
says; the last meeting's date is then read for the quiet pairs only, each as the newest row of
the (mentorship, date) index (EXPLAIN ANALYZE on a year of weekly meetings, 155 quiet pairs of
390: page 7.0 -> 1.7 ms, count 5.0 -> 1.5 ms against a MAX over all the pairs' meetings grouped
per pair). The list is not grouped, so its count is stored SQL too."""

import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery

from cohorts.models import is_staff
from core.compiled import Shape
from core.paging import ShapedList

from .models import Meeting, MentorProfile, Mentorship, taking_flag


def _pairs(user_id, cohort_id, *, staff):
    return Mentorship.objects.visible_to_person(user_id, staff=staff).filter(cohort=cohort_id)


def _mentors(user_id, cohort_id, *, staff):
    """(name, current mentees in every cohort, capacity, 1 when taking mentees) of each mentor of a
    current pair of the cohort, by name."""
    mentor_ids = _pairs(user_id, cohort_id, staff=staff).current().values("mentor_id")
    current = Q(user__mentorships_as_mentor__status__in=Mentorship.CURRENT)
    return (
        MentorProfile.objects.filter(user_id__in=mentor_ids)
        .annotate(mentees=Count("user__mentorships_as_mentor", filter=current))
        .order_by("user__full_name", "pk")
        .annotate(taking=taking_flag())
        .values_list("user__full_name", "mentees", "capacity", "taking")
    )


def _quiet(user_id, cohort_id, since, *, staff):
    """(mentor's name, trainee's name, date of the last meeting or None) of the active pairs
    with no meeting on or after `since`: never met first, then the longest quiet."""
    recent = Meeting.objects.filter(mentorship=OuterRef("pk"), date__gte=since)
    last = Meeting.objects.filter(mentorship=OuterRef("pk")).order_by("-date").values("date")[:1]
    return (
        _pairs(user_id, cohort_id, staff=staff)
        .filter(status=Mentorship.Status.ACTIVE)
        .filter(~Exists(recent))
        .annotate(last_meeting=Subquery(last))
        # Never met first on every database (PostgreSQL would put NULLs last).
        .order_by(F("last_meeting").asc(nulls_first=True), "pk")
        .values_list("mentor__full_name", "trainee__full_name", "last_meeting")
    )


_MENTORS = Shape(_mentors)


def mentors(user, cohort_id: int) -> list[tuple]:
    """The mentor rows of a cohort `user` runs (checked by the caller)."""
    return _MENTORS.list(user.pk, cohort_id, staff=is_staff(user))


def quiet(user, cohort_id: int, since: datetime.date) -> ShapedList:
    """The quiet pairs of a cohort `user` runs (checked by the caller), to be paged."""
    return ShapedList(_quiet, user.pk, cohort_id, since, staff=is_staff(user))
