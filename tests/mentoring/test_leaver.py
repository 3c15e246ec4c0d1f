"""A trainee withdrawn from a cohort is no longer anyone's mentee there: their mentorships end
in the withdrawal's transaction, the mentor is told, the mentor loses sight of them, and if taken
back they wait for the next match round. A trainee who completes the cohort keeps their mentor."""

import pytest
from django.utils import translation

from cohorts.models import Membership
from cohorts.services import reinstate_member, withdraw_membership
from core.models import AuditEvent
from mentoring import hooks, services
from mentoring.models import Mentorship
from notifications.models import Notification
from tests.cohorts.factories import cohort_with
from tests.factories import MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairs(manager):
    leaver, stayer, waiting = TraineeFactory(), TraineeFactory(), TraineeFactory()
    mentor, other_mentor = MentorFactory(), MentorFactory()
    cohort = cohort_with(manager=manager, trainees=[leaver, stayer, waiting], name_en="Spring")
    active = Mentorship.objects.create(
        cohort=cohort, mentor=mentor, trainee=leaver, status=Mentorship.Status.ACTIVE
    )
    kept = Mentorship.objects.create(
        cohort=cohort, mentor=mentor, trainee=stayer, status=Mentorship.Status.ACTIVE
    )
    proposed = Mentorship.objects.create(cohort=cohort, mentor=other_mentor, trainee=waiting)
    return cohort, active, kept, proposed


def _mentees(mentor) -> set[int]:
    return {row["trainee_id"] for row in hooks.active_mentees(mentor)}


def _membership(cohort, person):
    return Membership.objects.get(cohort=cohort, user=person, status=Membership.Status.ACTIVE)


def test_withdrawing_a_trainee_ends_their_mentorship_and_tells_the_mentor(pairs, manager):
    cohort, active, kept, proposed = pairs
    assert active.trainee_id in _mentees(active.mentor)

    withdraw_membership(actor=manager, membership=_membership(cohort, active.trainee))

    active.refresh_from_db()
    kept.refresh_from_db()
    proposed.refresh_from_db()
    assert active.status == Mentorship.Status.ENDED and active.ended_at is not None
    assert not active.needs_rematch
    # The other pairs are untouched.
    assert kept.status == Mentorship.Status.ACTIVE
    assert proposed.status == Mentorship.Status.PROPOSED
    assert _mentees(active.mentor) == {kept.trainee_id}
    assert not hooks.mentors_trainee(active.mentor, cohort, active.trainee_id)
    [told] = Notification.objects.filter(recipient=active.mentor, kind="mentoring.mentee_left")
    with translation.override("ar"):
        assert active.trainee.full_name in told.title and cohort.name in told.title
    with translation.override("en"):
        assert "Spring" in told.body and "has ended" in told.body
    assert AuditEvent.objects.filter(action="mentoring.ended", target_id=str(active.pk)).exists()


def test_a_proposed_mentorship_ends_too_and_a_trainee_taken_back_waits_for_a_round(pairs, manager):
    cohort, _active, _kept, proposed = pairs
    membership = _membership(cohort, proposed.trainee)
    withdraw_membership(actor=manager, membership=membership)
    proposed.refresh_from_db()
    assert proposed.status == Mentorship.Status.ENDED
    assert Notification.objects.filter(
        recipient=proposed.mentor, kind="mentoring.mentee_left"
    ).exists()

    membership.refresh_from_db()
    reinstate_member(actor=manager, membership=membership)
    assert not Mentorship.objects.current().filter(trainee=proposed.trainee).exists()
    assert proposed.trainee in [m.user for m in services.waiting_trainees(cohort)]


def test_a_trainee_who_leaves_by_themselves_loses_the_mentor_too(pairs):
    cohort, active, _kept, _proposed = pairs
    trainee = active.trainee
    withdraw_membership(actor=trainee, membership=_membership(cohort, trainee))
    active.refresh_from_db()
    assert active.status == Mentorship.Status.ENDED
    assert trainee.pk not in _mentees(active.mentor)


def test_completing_the_cohort_keeps_the_mentor(pairs):
    cohort, active, _kept, _proposed = pairs
    Membership.objects.filter(cohort=cohort).update(status=Membership.Status.COMPLETED)
    membership = Membership.objects.get(cohort=cohort, user=active.trainee)
    membership.save()  # a save of a completed membership ends nothing
    active.refresh_from_db()
    assert active.status == Mentorship.Status.ACTIVE
    assert hooks.mentors_trainee(active.mentor, cohort, active.trainee_id)
