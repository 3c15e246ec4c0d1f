"""Mentoring pages through the test client: rounds and mentor load for managers, mentees and one
mentorship for mentors, the trainee's mentor, the profile and intake forms."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Membership
from mentoring import services
from mentoring.models import (
    Goal,
    MatchForbid,
    MatchPin,
    MatchRound,
    Meeting,
    MentorProfile,
    Mentorship,
)
from tests.cohorts.factories import cohort_with
from tests.factories import MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def _setup(manager, n_trainees=3, n_mentors=2):
    trainees = [TraineeFactory(governorate="najaf") for _ in range(n_trainees)]
    mentors = [MentorFactory(governorate="najaf") for _ in range(n_mentors)]
    cohort = cohort_with(manager=manager, trainees=trainees)
    for person in trainees:
        services.save_intake(
            actor=person,
            membership=Membership.objects.get(cohort=cohort, user=person),
            topics=["elections"],
            languages=["ar"],
        )
    for mentor in mentors:
        services.save_mentor_profile(
            actor=mentor, user=mentor, topics=["elections"], languages=["ar"], capacity=5
        )
    return cohort, trainees, mentors


def _published(manager, cohort):
    round_ = services.run_match_round(actor=manager, cohort=cohort)
    services.publish_match_round(actor=manager, round=round_)
    return round_


def test_manager_runs_pins_forbids_and_publishes(client, manager):
    cohort, trainees, mentors = _setup(manager)
    client.force_login(manager)
    url = reverse("mentoring:round", kwargs={"pk": cohort.pk})
    assert client.get(url).status_code == 200
    data = {"topics": 10, "governorate": 10, "availability": 4, "track": 5}
    assert client.post(url, data).status_code == 302
    round_ = MatchRound.objects.get(cohort=cohort)
    page = client.get(url)
    assert "+10" in page.content.decode()
    pair = {"trainee": trainees[0].pk, "mentor": mentors[1].pk}
    assert (
        client.post(reverse("mentoring:round_pin", kwargs={"pk": round_.pk}), pair).status_code
        == 302
    )
    assert MatchPin.objects.filter(round=round_, trainee=trainees[0], mentor=mentors[1]).exists()
    forbid = {"trainee": trainees[1].pk, "mentor": mentors[0].pk}
    assert (
        client.post(reverse("mentoring:round_forbid", kwargs={"pk": round_.pk}), forbid).status_code
        == 302
    )
    assert MatchForbid.objects.filter(round=round_, trainee=trainees[1]).exists()
    assert (
        client.post(reverse("mentoring:round_rerun", kwargs={"pk": round_.pk})).status_code == 302
    )
    publish = reverse("mentoring:round_publish", kwargs={"pk": round_.pk})
    assert client.post(publish).status_code == 302
    assert Mentorship.objects.filter(cohort=cohort).count() == 3
    assert Mentorship.objects.get(trainee=trainees[0]).mentor == mentors[1]
    assert client.post(publish).status_code == 409


@pytest.mark.parametrize("value", ["²", "\x00", "1000000", "-1"])
def test_bad_weights_are_400_in_arabic(client, manager, value):
    cohort, _t, _m = _setup(manager, 1, 1)
    client.force_login(manager)
    data = {"topics": value, "governorate": 10, "availability": 4, "track": 5}
    response = client.post(reverse("mentoring:round", kwargs={"pk": cohort.pk}), data)
    assert response.status_code == 400
    assert not MatchRound.objects.exists()


def test_bad_pair_is_400(client, manager):
    cohort, trainees, _m = _setup(manager, 1, 1)
    round_ = services.run_match_round(actor=manager, cohort=cohort)
    client.force_login(manager)
    url = reverse("mentoring:round_pin", kwargs={"pk": round_.pk})
    for bad in ({"trainee": "²", "mentor": 1}, {"trainee": trainees[0].pk, "mentor": 99999999}):
        assert client.post(url, bad).status_code == 400
    assert not MatchPin.objects.exists()


def test_round_pages_are_for_the_cohorts_managers(client, manager, mentor, trainee):
    cohort, _t, _m = _setup(manager, 1, 1)
    for person in (mentor, trainee):
        client.force_login(person)
        assert client.get(reverse("mentoring:round", kwargs={"pk": cohort.pk})).status_code == 404
        assert client.get(reverse("mentoring:load", kwargs={"pk": cohort.pk})).status_code == 404


@pytest.mark.parametrize("size", [2, 6])
def test_round_and_load_pages_query_budget(client, manager, size, django_assert_max_num_queries):
    cohort, _t, mentors = _setup(manager, size, size)
    round_ = _published(manager, cohort)
    services.run_match_round(actor=manager, cohort=cohort)
    assert round_.pk
    client.force_login(manager)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("mentoring:round", kwargs={"pk": cohort.pk})).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("mentoring:load", kwargs={"pk": cohort.pk})).status_code == 200
    for mentor in mentors:
        client.force_login(mentor)
        with django_assert_max_num_queries(10):
            assert client.get(reverse("mentoring:my_mentees")).status_code == 200


def test_load_lists_quiet_pairs(client, manager):
    cohort, trainees, mentors = _setup(manager, 2, 1)
    _published(manager, cohort)
    for m in Mentorship.objects.all():
        services.accept(actor=m.mentor, mentorship=m)
    recent = Mentorship.objects.get(trainee=trainees[0])
    services.log_meeting(
        actor=recent.mentor, mentorship=recent, date=timezone.localdate(), duration_minutes=30
    )
    old = Mentorship.objects.get(trainee=trainees[1])
    Meeting.objects.create(
        mentorship=old, date=timezone.localdate() - datetime.timedelta(days=40), duration_minutes=30
    )
    client.force_login(manager)
    page = client.get(reverse("mentoring:load", kwargs={"pk": cohort.pk}))
    last = timezone.localdate() - datetime.timedelta(days=40)
    assert list(page.context["page"]) == [(old.mentor.full_name, old.trainee.full_name, last)]
    html = page.content.decode()
    assert f"{mentors[0].full_name}</td>" in html and ">2 / 5</td>" in html
    assert old.trainee.full_name in html and recent.trainee.full_name not in html


def test_mentor_accepts_declines_logs_and_sets_goals(client, manager):
    cohort, trainees, mentors = _setup(manager, 2, 1)
    _published(manager, cohort)
    first, second = (Mentorship.objects.get(trainee=t) for t in trainees)
    mentor = mentors[0]
    client.force_login(mentor)
    assert client.get(reverse("mentoring:my_mentees")).status_code == 200
    assert client.get(reverse("mentoring:mentorship", kwargs={"pk": first.pk})).status_code == 200
    assert client.post(reverse("mentoring:accept", kwargs={"pk": first.pk})).status_code == 302
    # Accepted: the mentor sees this mentee's progress and attendance.
    row = client.get(reverse("mentoring:mentorship", kwargs={"pk": first.pk})).context["mentee_row"]
    assert row.user_id == trainees[0].pk
    decline = reverse("mentoring:decline", kwargs={"pk": second.pk})
    assert client.post(decline, {"reason": ""}).status_code == 400
    assert client.post(decline, {"reason": "\x00"}).status_code == 400
    assert client.post(decline, {"reason": "لا وقت"}).status_code == 302
    second.refresh_from_db()
    assert second.status == Mentorship.Status.DECLINED
    assert client.post(reverse("mentoring:accept", kwargs={"pk": second.pk})).status_code == 409
    meeting = reverse("mentoring:meeting", kwargs={"pk": first.pk})
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    bad = {"date": future, "duration_minutes": 30}
    response = client.post(meeting, bad)
    assert response.status_code == 400
    assert "المستقبل" in response.content.decode() or response.context["meeting_form"].errors
    ok = {
        "date": timezone.localdate().isoformat(),
        "duration_minutes": 45,
        "topics": ["elections"],
        "private_notes": "سري",
    }
    assert client.post(meeting, ok).status_code == 302
    assert Meeting.objects.filter(mentorship=first, duration_minutes=45).exists()
    goal_url = reverse("mentoring:goal", kwargs={"pk": first.pk})
    assert client.post(goal_url, {"text": "كتابة ورقة سياسات", "progress": 10}).status_code == 302
    goal = Goal.objects.get(mentorship=first)
    assert (
        client.post(goal_url, {"goal": goal.pk, "text": goal.text, "progress": 60}).status_code
        == 302
    )
    goal.refresh_from_db()
    assert goal.progress == 60
    assert client.post(goal_url, {"text": "x", "progress": "²"}).status_code == 400
    # The trainee sees the meeting but not its private notes, and reports the fit.
    client.force_login(trainees[0])
    assert client.get(reverse("mentoring:my_mentor")).status_code == 200
    page = client.get(reverse("mentoring:mentorship", kwargs={"pk": first.pk}))
    assert "سري" not in page.content.decode()
    assert "mentee_row" not in page.context
    assert (
        client.post(reverse("mentoring:fit", kwargs={"pk": first.pk}), {"fit": "good"}).status_code
        == 302
    )
    first.refresh_from_db()
    assert first.trainee_fit == "good"
    # Another trainee cannot open it.
    client.force_login(TraineeFactory())
    assert client.get(reverse("mentoring:mentorship", kwargs={"pk": first.pk})).status_code == 404


def test_profile_and_intake_forms(client, manager, mentor, trainee):
    client.force_login(mentor)
    url = reverse("mentoring:profile")
    assert client.get(url).status_code == 200
    assert client.post(url, {"capacity": "-1", "languages": ["ar"]}).status_code == 400
    assert (
        client.post(url, {"capacity": "3", "languages": ["ar"], "topics": ["nope"]}).status_code
        == 400
    )
    data = {
        "capacity": "3",
        "languages": ["ar"],
        "topics": ["law"],
        "bio": "x",
        "is_available": "on",
    }
    assert client.post(url, data).status_code == 302
    assert mentor.mentor_profile.capacity == 3
    client.force_login(trainee)
    assert client.get(url).status_code == 403
    cohort = cohort_with(manager=manager, trainees=[trainee])
    membership = Membership.objects.get(cohort=cohort, user=trainee)
    intake = reverse("mentoring:intake", kwargs={"pk": membership.pk})
    assert client.get(intake).status_code == 200
    assert client.post(intake, {"languages": ["ku"], "goals": "\x00"}).status_code == 400
    assert client.post(intake, {"languages": ["ku"], "topics": ["law"]}).status_code == 302
    assert membership.mentoring_intake.languages == ["ku"]
    client.force_login(mentor)
    assert client.get(intake).status_code == 404


def test_mentor_with_capacity_zero_is_paused(client, manager):
    """Capacity 0 is a pause: the round matches no one to that mentor, refuses a pin to them,
    and shows them as paused to the cohort's managers (round page and mentor load)."""
    cohort, trainees, mentors = _setup(manager, n_trainees=3, n_mentors=2)
    paused, other = mentors
    first = services.run_match_round(actor=manager, cohort=cohort)
    # Equal scores leave the split to the solver: a pin makes sure both mentors take mentees.
    services.pin(actor=manager, round=first, trainee=trainees[0], mentor=paused)
    services.pin(actor=manager, round=first, trainee=trainees[1], mentor=other)
    services.rerun(actor=manager, round=first)
    services.publish_match_round(actor=manager, round=first)
    assert Mentorship.objects.filter(mentor=paused).exists()
    services.save_mentor_profile(actor=paused, user=paused, capacity=0)
    assert MentorProfile.objects.get(user=paused).is_paused
    newcomers = [TraineeFactory(governorate="najaf") for _ in range(2)]
    for person in newcomers:
        membership = Membership.objects.create(cohort=cohort, user=person, role="trainee")
        services.save_intake(
            actor=person, membership=membership, topics=["elections"], languages=["ar"]
        )
    round_ = services.run_match_round(actor=manager, cohort=cohort)
    proposals = round_.proposals.all()
    assert {p.trainee_id for p in proposals} == {p.pk for p in newcomers}
    assert {p.mentor_id for p in proposals} == {other.pk}
    client.force_login(manager)
    pin = client.post(
        reverse("mentoring:round_pin", kwargs={"pk": round_.pk}),
        {"trainee": newcomers[0].pk, "mentor": paused.pk},
    )
    assert pin.status_code == 400
    assert "capacity 0" in pin.content.decode() or "السعة" in pin.content.decode()
    assert not MatchPin.objects.filter(round=round_).exists()
    page = client.get(reverse("mentoring:round", kwargs={"pk": cohort.pk})).content.decode()
    paused_line = page.split('id="paused-mentors"')[1].split("</p>")[0]
    assert paused.full_name in paused_line and other.full_name not in paused_line
    pin_choices = page.split('name="mentor"')[1].split("</select>")[0]
    assert f'value="{paused.pk}"' not in pin_choices and f'value="{other.pk}"' in pin_choices
    services.publish_match_round(actor=manager, round=round_)
    load = client.get(reverse("mentoring:load", kwargs={"pk": cohort.pk})).content.decode()
    row = load.split(paused.full_name)[1].split("</tr>")[0]
    assert "/ 0" in row and 'class="badge"' in row
    other_row = load.split(other.full_name)[1].split("</tr>")[0]
    assert 'class="badge"' not in other_row
