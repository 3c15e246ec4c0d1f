"""The reminders mentoring declares (mentoring.reminders): no meeting logged for 30 days, and a
mentee idle for 14 days, both to the mentor of an active mentorship."""

import datetime

import pytest

from cohorts.models import BAGHDAD, Cohort, Membership
from mentoring.models import Meeting, Mentorship
from mentoring.reminders import MENTEE_INACTIVE, NO_MEETING
from notifications import kinds, reminders
from tests.cohorts.factories import cohort_with
from tests.factories import MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=BAGHDAD)


def scan(kind, now=NOW):
    return sorted(reminders.get(kind).scan(now), key=lambda d: (d.object_key, d.recipient_id))


def still_due(kind, due, now=NOW):
    return reminders.get(kind).still_due(due, now)


def mentorships(n, *, accepted_days_ago=40, status=Mentorship.Status.ACTIVE):
    mentor = MentorFactory()
    trainees = TraineeFactory.create_batch(n)
    cohort = cohort_with(trainees=trainees, mentors=[mentor])
    Membership.objects.filter(cohort=cohort).update(joined_at=NOW - datetime.timedelta(days=60))
    accepted = NOW - datetime.timedelta(days=accepted_days_ago)
    return [
        Mentorship.objects.create(
            cohort=cohort,
            mentor=mentor,
            trainee=t,
            status=status,
            created_at=accepted,
            accepted_at=accepted if status == Mentorship.Status.ACTIVE else None,
        )
        for t in trainees
    ]


def meet(mentorship, days_ago):
    return Meeting.objects.create(
        mentorship=mentorship,
        date=NOW.date() - datetime.timedelta(days=days_ago),
        duration_minutes=45,
    )


def test_no_meeting_for_30_days_tells_the_mentor_once_per_silence():
    silent, met_recently, met_long_ago = mentorships(3)
    meet(met_recently, 5)
    meet(met_long_ago, 31)
    meet(met_long_ago, 45)
    due = scan(NO_MEETING)
    assert {(d.object_key, d.occurrence) for d in due} == {
        (reminders.object_key(silent), (NOW - datetime.timedelta(days=40)).date().isoformat()),
        (
            reminders.object_key(met_long_ago),
            (NOW.date() - datetime.timedelta(days=31)).isoformat(),
        ),
    }
    assert {d.recipient_id for d in due} == {silent.mentor_id}
    assert all(still_due(NO_MEETING, d) for d in due)
    title, body = kinds.get(NO_MEETING).render(due[0].params)
    assert silent.trainee.full_name in title
    # A meeting logged since: not due any more; the next silence has its own occurrence.
    meet(silent, 0)
    first = next(d for d in due if d.object_key == reminders.object_key(silent))
    assert not still_due(NO_MEETING, first)
    later = NOW + datetime.timedelta(days=31)
    again = next(d for d in scan(NO_MEETING, later) if d.object_key == first.object_key)
    assert again.occurrence == NOW.date().isoformat()


def test_not_yet_30_days_proposed_ended_or_archived_get_nothing():
    (fresh,) = mentorships(1, accepted_days_ago=29)
    assert scan(NO_MEETING) == []
    (proposed,) = mentorships(1, status=Mentorship.Status.PROPOSED)
    assert scan(NO_MEETING) == []
    (old,) = mentorships(1)
    due = scan(NO_MEETING)
    assert [d.object_key for d in due] == [reminders.object_key(old)]
    Mentorship.objects.filter(pk=old.pk).update(status=Mentorship.Status.ENDED)
    assert not still_due(NO_MEETING, due[0])
    assert scan(NO_MEETING) == []
    Mentorship.objects.filter(pk=old.pk).update(status=Mentorship.Status.ACTIVE)
    Cohort.objects.filter(pk=old.cohort_id).update(status=Cohort.Status.ARCHIVED)
    assert scan(NO_MEETING) == []


def test_mentee_idle_for_14_days_tells_the_mentor():
    idle, active = mentorships(2)
    user_model = type(idle.trainee)
    user_model.objects.filter(pk=idle.trainee_id).update(
        last_login=NOW - datetime.timedelta(days=15)
    )
    user_model.objects.filter(pk=active.trainee_id).update(
        last_login=NOW - datetime.timedelta(days=8)
    )
    due = scan(MENTEE_INACTIVE)
    assert [(d.recipient_id, d.object_key) for d in due] == [
        (idle.mentor_id, reminders.object_key(idle))
    ]
    assert due[0].occurrence == (NOW - datetime.timedelta(days=15)).date().isoformat()
    assert still_due(MENTEE_INACTIVE, due[0])
    # The mentee withdrew from the cohort: no longer due.
    Membership.objects.filter(cohort=idle.cohort, user=idle.trainee).update(
        status=Membership.Status.WITHDRAWN
    )
    assert not still_due(MENTEE_INACTIVE, due[0])
    assert scan(MENTEE_INACTIVE) == []


def test_idle_trainee_without_an_active_mentor_tells_no_mentor():
    (proposed,) = mentorships(1, status=Mentorship.Status.PROPOSED)
    assert scan(MENTEE_INACTIVE) == []


@pytest.mark.parametrize("n", [2, 15])
def test_mentoring_scans_are_one_query_each(n, django_assert_num_queries):
    for m in mentorships(n):
        meet(m, 35)
    with django_assert_num_queries(1):
        assert len(scan(NO_MEETING)) == n
    with django_assert_num_queries(1):
        assert len(scan(MENTEE_INACTIVE)) == n
