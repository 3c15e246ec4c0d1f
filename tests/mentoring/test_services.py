"""Mentoring services against the database: rounds, pins and forbids, publishing, mentorships."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from cohorts.models import Membership
from core.errors import Conflict
from core.models import AuditEvent
from mentoring import services
from mentoring.explain import reasons_text, unmatched_text
from mentoring.models import MatchProposal, MentorProfile, Mentorship
from notifications.models import Notification
from tests.cohorts.factories import cohort_with
from tests.factories import MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(manager):
    trainees = [TraineeFactory(governorate="najaf") for _ in range(3)]
    kurd = TraineeFactory()
    mentors = [MentorFactory(governorate="najaf"), MentorFactory()]
    cohort = cohort_with(manager=manager, trainees=[*trainees, kurd])
    for person in trainees:
        services.save_intake(
            actor=person,
            membership=Membership.objects.get(cohort=cohort, user=person),
            topics=["elections"],
            languages=["ar"],
        )
    services.save_intake(
        actor=kurd, membership=Membership.objects.get(cohort=cohort, user=kurd), languages=["ku"]
    )
    services.save_mentor_profile(
        actor=mentors[0],
        user=mentors[0],
        topics=["elections", "law"],
        languages=["ar"],
        capacity=2,
        governorate="najaf",
    )
    services.save_mentor_profile(
        actor=mentors[1], user=mentors[1], topics=["media"], languages=["ar", "en"], capacity=1
    )
    return cohort, trainees, kurd, mentors


def test_round_draft_then_publish(world, manager):
    cohort, trainees, kurd, mentors = world
    round_ = services.run_match_round(actor=manager, cohort=cohort)
    rows = {p.trainee_id: p for p in MatchProposal.objects.filter(round=round_)}
    assert len(rows) == 4
    assert rows[kurd.pk].mentor_id is None
    assert rows[kurd.pk].unmatched_reason["code"] == "no_language"
    with translation.override("en"):
        assert unmatched_text(rows[kurd.pk].unmatched_reason) == "no mentor speaks Kurdish"
    matched = [p for p in rows.values() if p.mentor_id]
    assert len(matched) == 3
    assert any("+10" in reasons_text(p.reasons) for p in matched)
    # Nothing visible before publishing.
    assert not Mentorship.objects.visible_to(trainees[0]).exists()
    assert not Mentorship.objects.visible_to(mentors[0]).exists()
    created = services.publish_match_round(actor=manager, round=round_)
    assert len(created) == 3
    assert Mentorship.objects.visible_to(mentors[0]).count() == 2
    assert set(Mentorship.objects.visible_to(mentors[0]).values_list("mentor", flat=True)) == {
        mentors[0].pk
    }
    assert Notification.objects.filter(kind="mentoring.mentee_proposed").count() == 3
    assert AuditEvent.objects.filter(action="mentoring.round_published").exists()
    with pytest.raises(Conflict):
        services.publish_match_round(actor=manager, round=round_)


def test_pins_and_forbids(world, manager):
    cohort, trainees, kurd, mentors = world
    round_ = services.run_match_round(actor=manager, cohort=cohort)
    services.forbid(actor=manager, round=round_, trainee=trainees[0], mentor=mentors[0])
    services.pin(actor=manager, round=round_, trainee=trainees[0], mentor=mentors[1])
    assert MatchProposal.objects.get(round=round_, trainee=trainees[0]).mentor_id == mentors[1].pk
    # A Kurdish speaker pinned to an Arabic-only mentor: a clear error, nothing saved.
    with pytest.raises(ValidationError):
        services.pin(actor=manager, round=round_, trainee=kurd, mentor=mentors[0])
    assert not round_.matchpin_set.filter(trainee=kurd).exists()
    # Beyond capacity (mentor 1 holds one place, already pinned).
    with pytest.raises(ValidationError):
        services.pin(actor=manager, round=round_, trainee=trainees[1], mentor=mentors[1])


def test_only_managers_run_rounds(world, trainee):
    cohort, trainees, kurd, mentors = world
    with pytest.raises(PermissionDenied):
        services.run_match_round(actor=mentors[0], cohort=cohort)


def test_accept_decline_meeting_fit(world, manager):
    cohort, trainees, kurd, mentors = world
    round_ = services.run_match_round(actor=manager, cohort=cohort)
    services.publish_match_round(actor=manager, round=round_)
    first, second = Mentorship.objects.filter(mentor=mentors[0]).order_by("pk")
    with pytest.raises(PermissionDenied):
        services.accept(actor=first.trainee, mentorship=first)
    services.accept(actor=mentors[0], mentorship=first)
    with pytest.raises(ValidationError):
        services.decline(actor=mentors[0], mentorship=second, reason="\x00")
    services.decline(actor=mentors[0], mentorship=second, reason="سفر طويل")
    second.refresh_from_db()
    assert second.status == Mentorship.Status.DECLINED
    # The declined trainee is free for the next round.
    assert second.trainee in [m.user for m in services.waiting_trainees(cohort)]
    with pytest.raises(Conflict):
        services.report_fit(actor=mentors[0], mentorship=first, fit="poor")
    services.log_meeting(
        actor=mentors[0],
        mentorship=first,
        date=timezone.localdate(),
        duration_minutes=45,
        topics=["elections"],
        private_notes="ملاحظة",
        next_steps="قراءة",
    )
    with pytest.raises(ValidationError):
        services.log_meeting(
            actor=mentors[0],
            mentorship=first,
            date=timezone.localdate() + datetime.timedelta(days=2),
            duration_minutes=45,
        )
    goal = services.set_goal(actor=first.trainee, mentorship=first, text="كتابة ورقة", progress=20)
    assert goal.progress == 20
    services.report_fit(actor=first.trainee, mentorship=first, fit="poor")
    first.refresh_from_db()
    assert first.needs_rematch and first.status == Mentorship.Status.ENDED


def test_profile_capacity_bounds(mentor):
    with pytest.raises(ValidationError):
        services.save_mentor_profile(actor=mentor, user=mentor, capacity=500)
    assert not MentorProfile.objects.filter(user=mentor, capacity=500).exists()
