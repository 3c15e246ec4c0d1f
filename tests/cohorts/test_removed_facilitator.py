"""A facilitator removed from a cohort takes no more attendance: access asks for an active
mentor, facilitator or manager membership of the session's cohort, not only the session's
`facilitator`; the withdrawal clears their upcoming sessions (past ones keep the record)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts import services
from cohorts.feeds import sessions_on_calendar_of
from cohorts.models import Attendance, ExcuseRequest, Membership, Session
from core.models import AuditEvent
from tests.cohorts.factories import (
    ExcuseRequestFactory,
    MembershipFactory,
    SessionFactory,
    at,
    cohort_with,
    today,
)
from tests.factories import ManagerFactory


@pytest.fixture
def room(manager, trainee, mentor):
    """The mentor persona facilitates a running cohort's sessions: yesterday's ("held"), one
    under way ("now") and next week's ("future", which the trainee asked to be excused from)."""
    cohort = cohort_with(manager=manager, trainees=[trainee], facilitators=[mentor])
    held = SessionFactory(cohort=cohort, facilitator=mentor)
    now = SessionFactory(
        cohort=cohort,
        facilitator=mentor,
        starts_at=timezone.now() - datetime.timedelta(minutes=30),
        ends_at=timezone.now() + datetime.timedelta(minutes=90),
    )
    next_week = today() + datetime.timedelta(days=7)
    future = SessionFactory(
        cohort=cohort, facilitator=mentor, starts_at=at(next_week, 17), ends_at=at(next_week, 19)
    )
    excuse = ExcuseRequestFactory(session=future, user=trainee)
    membership = Membership.objects.get(cohort=cohort, user=mentor)
    return {
        "cohort": cohort,
        "held": held,
        "now": now,
        "future": future,
        "excuse": excuse,
        "membership": membership,
    }


@pytest.fixture
def removed(room, manager, mentor):
    """The manager removes the facilitator; then every session of the cohort is pointed at them
    again with a direct update: the data as it was before withdrawals cleared the pointer."""
    services.withdraw_membership(actor=manager, membership=room["membership"])
    Session.objects.filter(cohort=room["cohort"]).update(facilitator=mentor)
    return room


# --- the withdrawal ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_withdrawing_a_facilitator_clears_their_upcoming_sessions_and_keeps_past_ones(
    room, manager, mentor
):
    other_cohort = cohort_with(manager=ManagerFactory(), facilitators=[mentor])
    elsewhere = SessionFactory(
        cohort=other_cohort,
        facilitator=mentor,
        starts_at=room["future"].starts_at,
        ends_at=room["future"].ends_at,
    )
    colleague = MembershipFactory(cohort=room["cohort"], role=Membership.Role.MENTOR).user
    theirs = SessionFactory(
        cohort=room["cohort"],
        facilitator=colleague,
        starts_at=room["future"].starts_at,
        ends_at=room["future"].ends_at,
    )

    services.withdraw_membership(actor=manager, membership=room["membership"])

    for key in ("now", "future"):
        room[key].refresh_from_db()
        assert room[key].facilitator_id is None, key
    room["held"].refresh_from_db()
    assert room["held"].facilitator_id == mentor.pk
    elsewhere.refresh_from_db()
    theirs.refresh_from_db()
    assert elsewhere.facilitator_id == mentor.pk
    assert theirs.facilitator_id == colleague.pk
    audited = AuditEvent.objects.filter(action="cohorts.release_facilitator")
    assert sorted(int(e.target_id) for e in audited) == sorted([room["now"].pk, room["future"].pk])
    assert {e.actor_id for e in audited} == {manager.pk}
    assert all(e.data["facilitator"] == mentor.pk for e in audited)


@pytest.mark.django_db
def test_a_facilitator_who_leaves_themself_also_stops_facilitating(room, mentor):
    services.withdraw_membership(actor=mentor, membership=room["membership"])
    room["future"].refresh_from_db()
    assert room["future"].facilitator_id is None


@pytest.mark.django_db
def test_withdrawing_a_trainee_touches_no_session(room, manager, trainee):
    membership = Membership.objects.get(cohort=room["cohort"], user=trainee)
    services.withdraw_membership(actor=manager, membership=membership)
    assert not AuditEvent.objects.filter(action="cohorts.release_facilitator").exists()
    assert set(
        Session.objects.filter(cohort=room["cohort"]).values_list("facilitator_id", flat=True)
    ) == {room["membership"].user_id}


# --- access through a stale pointer ------------------------------------------------------------


@pytest.mark.django_db
def test_a_stale_pointer_gives_no_attendance_powers(removed, mentor):
    for key in ("held", "now", "future"):
        assert not services.can_take_attendance(mentor, removed[key])
        assert not Session.objects.visible_to(mentor).filter(pk=removed[key].pk).exists()
    assert not ExcuseRequest.objects.visible_to(mentor).exists()
    assert not Attendance.objects.visible_to(mentor).exists()
    assert not sessions_on_calendar_of(mentor).exists()


@pytest.mark.django_db
def test_a_member_facilitator_keeps_powers(room, mentor):
    assert services.can_take_attendance(mentor, room["held"])
    assert Session.objects.visible_to(mentor).filter(pk=room["held"].pk).exists()


@pytest.mark.django_db
def test_a_facilitator_readmitted_as_trainee_takes_no_attendance(removed, login, mentor):
    MembershipFactory(cohort=removed["cohort"], user=mentor, role=Membership.Role.TRAINEE)
    assert not services.can_take_attendance(mentor, removed["held"])
    # They see the session as a trainee does, and are refused its attendance pages.
    assert (
        login(mentor).get(reverse("cohorts:session", args=[removed["held"].pk])).status_code == 403
    )


@pytest.mark.django_db
def test_removed_facilitator_pages_answer_404_and_write_nothing(removed, login, mentor, trainee):
    client = login(mentor)
    held = removed["held"]
    code = held.check_in_code
    for name in ("cohorts:session", "cohorts:roll_call", "cohorts:session_import"):
        response = client.get(reverse(name, args=[held.pk]))
        assert response.status_code == 404, name
        assert code not in response.content.decode()
    response = client.post(
        reverse("cohorts:roll_call", args=[held.pk]),
        {"shown": [trainee.pk], f"m{trainee.pk}": "present"},
    )
    assert response.status_code == 404
    response = client.post(reverse("cohorts:session_rotate_code", args=[held.pk]))
    assert response.status_code == 404
    response = client.post(
        reverse("cohorts:excuse_decide", args=[removed["excuse"].pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    held.refresh_from_db()
    removed["excuse"].refresh_from_db()
    assert held.check_in_code == code
    assert not Attendance.objects.filter(session__cohort=removed["cohort"]).exists()
    assert removed["excuse"].status == ExcuseRequest.Status.PENDING


@pytest.mark.django_db
def test_removed_facilitator_api_answers_404_and_writes_nothing(
    removed, api_login, mentor, trainee
):
    api = api_login(mentor)
    held = removed["held"]
    code = held.check_in_code
    response = api.get(reverse("api:session-detail", args=[held.pk]))
    assert response.status_code == 404
    listed = api.get(reverse("api:session-list")).json()
    assert listed["count"] == 0 if isinstance(listed, dict) else listed == []
    assert api.get(reverse("api:session-attendance", args=[held.pk])).status_code == 404
    response = api.post(
        reverse("api:session-attendance", args=[held.pk]),
        {"marks": [{"user": trainee.pk, "status": "present"}]},
        format="json",
    )
    assert response.status_code == 404
    assert api.post(reverse("api:session-rotate-code", args=[held.pk])).status_code == 404
    response = api.post(
        reverse("api:session-import-sheet", args=[held.pk]),
        {"text": f"email,status\n{trainee.email},present\n", "dry_run": False},
        format="json",
    )
    assert response.status_code == 404
    excuse = removed["excuse"]
    assert api.get(reverse("api:excuse-detail", args=[excuse.pk])).status_code == 404
    response = api.post(
        reverse("api:excuse-decide", args=[excuse.pk]), {"approve": True}, format="json"
    )
    assert response.status_code == 404
    assert api.get(reverse("api:excuse-list")).json()["count"] == 0
    assert api.get(reverse("api:attendance-list")).json()["count"] == 0
    held.refresh_from_db()
    excuse.refresh_from_db()
    assert held.check_in_code == code
    assert not Attendance.objects.filter(session__cohort=removed["cohort"]).exists()
    assert excuse.status == ExcuseRequest.Status.PENDING


@pytest.mark.django_db
def test_check_in_code_shown_to_a_member_facilitator_and_hidden_from_a_removed_one(
    room, api_login, mentor, manager
):
    held = room["held"]
    url = reverse("api:session-detail", args=[held.pk])
    assert api_login(mentor).get(url).json()["check_in_code"] == held.check_in_code
    services.withdraw_membership(actor=manager, membership=room["membership"])
    Session.objects.filter(pk=held.pk).update(facilitator=mentor)
    # Back in the cohort as a trainee: they see the session, not its code.
    MembershipFactory(cohort=room["cohort"], user=mentor, role=Membership.Role.TRAINEE)
    body = api_login(mentor).get(url).json()
    assert body["check_in_code"] is None
