"""The at-risk reason mentoring adds to the cohort dashboard: an active mentorship whose last
meeting, or its start when none was held, is more than 30 days ago; one query for the whole
cohort. A proposed (not yet accepted) mentorship is not flagged."""

import datetime

import pytest
from django.utils import timezone, translation

from cohorts.dashboard import cohort_dashboard
from mentoring import hooks, services
from mentoring.models import Meeting, Mentorship
from tests.mentoring.test_views import _published, _setup

pytestmark = pytest.mark.django_db


def _flags(cohort):
    with translation.override("en"):
        board = cohort_dashboard(cohort)
    return {
        row.user_id: [f.message for f in row.flags if f.code == "mentor_meeting"]
        for row in board.matching
    }


def test_flags_an_active_mentorship_without_a_meeting_for_30_days(manager):
    cohort, trainees, mentors = _setup(manager, 3, 1)
    _published(manager, cohort)
    recent, stale, never = (Mentorship.objects.get(trainee=t) for t in trainees)
    for m in (recent, stale, never):
        services.accept(actor=mentors[0], mentorship=m)
    today = timezone.localdate()
    Meeting.objects.create(
        mentorship=recent, date=today - datetime.timedelta(days=29), duration_minutes=30
    )
    Meeting.objects.create(
        mentorship=stale, date=today - datetime.timedelta(days=31), duration_minutes=30
    )
    # Accepted 40 days ago and never met.
    Mentorship.objects.filter(pk=never.pk).update(
        accepted_at=timezone.now() - datetime.timedelta(days=40)
    )

    flags = _flags(cohort)

    assert flags[recent.trainee_id] == []
    assert flags[stale.trainee_id] == ["No mentor meeting for 31 days."]
    assert flags[never.trainee_id] == ["No mentor meeting for 40 days."]
    # One trainee's figures (their page) look at their own mentorship alone, to the same end.
    for trainee in trainees:
        with translation.override("en"):
            (row,) = cohort_dashboard(cohort, user_id=trainee.pk).rows
        assert [f.message for f in row.flags if f.code == "mentor_meeting"] == flags[trainee.pk]
    one = hooks.no_recent_meeting_condition_of_one(cohort, timezone.now(), stale.trainee_id)
    assert list(cohort.memberships.filter(one).values_list("user_id", flat=True)) == [
        stale.trainee_id
    ]


def test_a_new_or_proposed_mentorship_is_not_flagged(manager):
    cohort, trainees, mentors = _setup(manager, 2, 1)
    _published(manager, cohort)
    accepted = Mentorship.objects.get(trainee=trainees[0])
    services.accept(actor=mentors[0], mentorship=accepted)
    # The other stays proposed, created long ago.
    Mentorship.objects.filter(trainee=trainees[1]).update(
        created_at=timezone.now() - datetime.timedelta(days=60)
    )

    assert all(found == [] for found in _flags(cohort).values())


@pytest.mark.parametrize("size", [1, 6])
def test_one_query_for_the_whole_cohort(manager, size, django_assert_num_queries):
    cohort, trainees, mentors = _setup(manager, size, 2)
    _published(manager, cohort)
    for m in Mentorship.objects.filter(cohort=cohort):
        services.accept(actor=m.mentor, mentorship=m)
    Mentorship.objects.filter(cohort=cohort).update(
        accepted_at=timezone.now() - datetime.timedelta(days=45)
    )
    rows = cohort_dashboard(cohort, extensions=False).matching

    with django_assert_num_queries(1):
        found = hooks.no_recent_meeting(cohort, rows, timezone.now())

    assert set(found) == {t.pk for t in trainees}
