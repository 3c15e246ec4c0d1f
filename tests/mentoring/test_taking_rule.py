"""Whether a mentor takes mentees is one rule (mentoring.models.TAKING_MENTEES): the querysets a
round matches from and pins refuse, the flag of the round and load pages, and the profile's
`is_paused` all give the same answer for every combination of the switch and the capacity."""

import itertools

import pytest

from mentoring import load_reads, round_reads
from mentoring.models import MentorProfile, Mentorship, takes_mentees
from tests.cohorts.factories import cohort_with
from tests.factories import ManagerFactory, MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db

COMBINATIONS = list(itertools.product([True, False], [0, 1, 3]))


@pytest.fixture
def mentors():
    """One mentor per (is_available, capacity), each with a current pair in one cohort."""
    manager = ManagerFactory()
    trainees = [TraineeFactory() for _ in COMBINATIONS]
    cohort = cohort_with(manager=manager, trainees=trainees)
    people = {}
    for (available, capacity), trainee in zip(COMBINATIONS, trainees, strict=True):
        mentor = MentorFactory(full_name=f"mentor {available} {capacity}")
        MentorProfile.objects.create(user=mentor, is_available=available, capacity=capacity)
        Mentorship.objects.create(
            cohort=cohort, mentor=mentor, trainee=trainee, status=Mentorship.Status.ACTIVE
        )
        people[(available, capacity)] = mentor
    return manager, cohort, people


def test_every_reader_agrees_with_the_rule(mentors):
    manager, cohort, people = mentors
    expected = {people[(a, c)].full_name: a and c > 0 for a, c in COMBINATIONS}
    taking = set(MentorProfile.objects.taking_mentees().values_list("user__full_name", flat=True))
    paused = set(MentorProfile.objects.paused().values_list("user__full_name", flat=True))
    assert taking == {name for name, takes in expected.items() if takes}
    assert paused == {name for name, takes in expected.items() if not takes}
    profiles = MentorProfile.objects.filter(user__in=people.values()).select_related("user")
    assert {p.user.full_name: not p.is_paused for p in profiles} == expected
    assert {
        p.user.full_name: takes_mentees(p.is_available, p.capacity) for p in profiles
    } == expected
    round_taking, round_paused = round_reads.mentors()
    assert {name for _id, name in round_taking} == taking
    assert set(round_paused) == paused
    load = {
        name: bool(flag)
        for name, _mentees, _capacity, flag in load_reads.mentors(manager, cohort.pk)
    }
    assert load == expected
