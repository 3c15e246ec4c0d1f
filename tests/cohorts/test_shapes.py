"""The compiled shapes of the cohort pages (cohorts.shapes) answer as the ORM's access rules do
for every kind of person, a manager of another cohort, a withdrawn manager, a removed
facilitator and someone signed out included, and each of their builders follows the rules of a
shape (core.compiled)."""

import datetime
import importlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from cohorts import shapes
from cohorts.models import Announcement, Cohort, Membership, Session
from tests.cohorts.factories import (
    ApplicationFactory,
    AttendanceFactory,
    ExcuseRequestFactory,
    MembershipFactory,
    SessionFactory,
    cohort_with,
)
from tests.factories import ManagerFactory, StaffFactory, TraineeFactory

pytestmark = pytest.mark.django_db

# The module (cohorts.views exports a view of the same name).
SESSION_VIEWS = importlib.import_module("cohorts.views.sessions")


@pytest.fixture
def world():
    manager, other_manager = ManagerFactory(), ManagerFactory()
    trainee, facilitator = TraineeFactory(), TraineeFactory()
    withdrawn_manager, withdrawn_trainee = ManagerFactory(), TraineeFactory()
    removed_facilitator, inactive = TraineeFactory(), TraineeFactory(is_active=False)
    cohort = cohort_with(manager=manager, trainees=[trainee, inactive], facilitators=[facilitator])
    other = cohort_with(manager=other_manager)
    recruiting = cohort_with(status=Cohort.Status.RECRUITING)
    for person, role in (
        (withdrawn_manager, Membership.Role.MANAGER),
        (withdrawn_trainee, Membership.Role.TRAINEE),
        (removed_facilitator, Membership.Role.FACILITATOR),
    ):
        MembershipFactory(cohort=cohort, user=person, role=role, status=Membership.Status.WITHDRAWN)
    sessions = [
        SessionFactory(cohort=cohort, facilitator=facilitator),
        SessionFactory(cohort=cohort, facilitator=removed_facilitator),
        SessionFactory(cohort=other),
    ]
    people = [
        AnonymousUser(),
        manager,
        other_manager,
        withdrawn_manager,
        trainee,
        withdrawn_trainee,
        facilitator,
        removed_facilitator,
        inactive,
        TraineeFactory(),
        StaffFactory(),
    ]
    return {"cohorts": [cohort, other, recruiting], "sessions": sessions, "people": people}


def test_the_access_shapes_answer_as_the_orm_rules(world):
    for person in world["people"]:
        for cohort in world["cohorts"]:
            visible = Cohort.objects.visible_to(person).filter(pk=cohort.pk).first()
            managed = Cohort.objects.managed_by(person).filter(pk=cohort.pk).first()
            assert shapes.visible_cohort(person, cohort.pk) == visible, (person, cohort)
            assert shapes.managed_cohort(person, cohort.pk) == managed, (person, cohort)
            assert shapes.manages(person, cohort.pk) is (managed is not None)
        for session in world["sessions"]:
            expected = Session.objects.visible_to(person).filter(pk=session.pk).first()
            found = shapes.visible_session(person, session.pk)
            assert found == expected, (person, session)
            if found is not None:
                assert found.cohort == session.cohort


def test_a_manager_of_another_cohort_or_a_withdrawn_one_sees_nothing_of_it(world):
    cohort, other, _recruiting = world["cohorts"]
    people = world["people"]
    manager, other_manager, withdrawn_manager = people[1], people[2], people[3]
    assert shapes.managed_cohort(manager, cohort.pk) == cohort
    for person in (other_manager, withdrawn_manager):
        assert shapes.managed_cohort(person, cohort.pk) is None
        assert shapes.manages(person, cohort.pk) is False
        assert shapes.visible_session(person, world["sessions"][0].pk) is None
    assert shapes.visible_cohort(other_manager, cohort.pk) is None
    # Withdrawn members still see their cohort's page (their history), never manage it.
    assert shapes.visible_cohort(withdrawn_manager, cohort.pk) == cohort
    assert shapes.managed_cohort(manager, other.pk) is None


def test_the_pages_refuse_a_manager_of_another_cohort_and_a_removed_facilitator(world, login):
    cohort = world["cohorts"][0]
    people = world["people"]
    trainee, other_manager, removed = people[4], people[2], people[7]
    session = world["sessions"][1]
    for person in (other_manager, people[3]):
        client = login(person)
        assert client.get(reverse("cohorts:dashboard", args=[cohort.pk])).status_code == 404
        url = reverse("cohorts:dashboard_trainee", args=[cohort.pk, trainee.pk])
        assert client.get(url).status_code == 404
        assert client.get(reverse("cohorts:roll_call", args=[session.pk])).status_code == 404
    assert login(removed).get(reverse("cohorts:roll_call", args=[session.pk])).status_code == 404
    assert login(people[1]).get(reverse("cohorts:roll_call", args=[session.pk])).status_code == 200


def test_the_page_shapes_give_the_orms_rows(world):
    cohort = world["cohorts"][0]
    trainee = world["people"][4]
    session = world["sessions"][0]
    AttendanceFactory(session=session, user=trainee)
    ExcuseRequestFactory(session=world["sessions"][1], user=trainee)
    ApplicationFactory(cohort=cohort, applicant=trainee)
    for number in range(3):
        Announcement.objects.create(
            cohort=cohort, author=world["people"][1], title=f"خبر {number}", body="نص"
        )
    mine = Membership.objects.filter(cohort=cohort, user=trainee).order_by("-joined_at", "-id")
    assert shapes.MY_MEMBERSHIP.first(cohort.pk, trainee.pk) == mine.first()
    assert shapes.MY_APPLICATION.first(cohort.pk, trainee.pk) == (
        cohort.applications.filter(applicant=trainee).first()
    )
    assert shapes.MY_APPLICATION.first(cohort.pk, world["people"][1].pk) is None
    assert shapes.ANNOUNCEMENTS.list(cohort.pk, limit=2) == list(
        cohort.announcements.order_by("-created_at", "-id")[:2]
    )
    assert shapes.ACTIVE_TRAINEE.first(cohort.pk, trainee.pk).user == trainee
    for person in world["people"][5:8]:  # withdrawn, a facilitator, removed: no active trainee
        assert shapes.ACTIVE_TRAINEE.first(cohort.pk, person.pk) is None
    assert dict(shapes.TRAINEE_MARKS.list(cohort.pk, trainee.pk)) == {session.pk: "present"}
    assert [e.session for e in shapes.TRAINEE_EXCUSES.list(cohort.pk, trainee.pk)] == [
        world["sessions"][1]
    ]
    assert [s["id"] for s in shapes.SESSIONS_WITH_TALLY.list(cohort.pk)] == [
        s.pk for s in cohort.sessions.order_by("starts_at", "id")
    ]
    assert shapes.CURRICULUM.list(cohort.pk) == []
    # The next sessions, with the trainee's own mark and excuse (and without, for others).
    for now in (timezone.now() - datetime.timedelta(days=400), timezone.now()):
        upcoming = list(Session.objects.filter(cohort=cohort).upcoming(now)[:5])
        assert shapes.UPCOMING.list(cohort.pk, now, limit=5) == upcoming
        for person in (trainee, world["people"][1]):
            mine = shapes.MY_UPCOMING.list(cohort.pk, person.pk, now, limit=1)
            assert mine == upcoming[:1]
            theirs = shapes.MY_UPCOMING.list(cohort.pk, person.pk, now, limit=5)
            assert [(s.my_mark, s.my_excuse) for s in theirs] == [
                (
                    s.attendance.filter(user=person).values_list("status", flat=True).first(),
                    s.excuse_requests.filter(user=person).values_list("status", flat=True).first(),
                )
                for s in upcoming
            ]


@pytest.mark.parametrize(
    ("asked", "shown"), [("", 1), ("1", 1), ("2", 2), ("3", 3), ("9", 3), ("x", 1), ("-1", 3)]
)
def test_the_roll_calls_pages_are_the_orms(monkeypatch, login, asked, shown):
    """Three pages of two: each page's rows (with marks and excuses) are those the ORM's
    paginated query gives, a page past the last shows the last, as before."""
    monkeypatch.setattr(SESSION_VIEWS, "ROLL_CALL_PAGE_SIZE", 2)
    manager = ManagerFactory()
    people = [TraineeFactory(full_name=f"متدرب {n}") for n in (3, 1, 4, 0, 2)]
    cohort = cohort_with(manager=manager, trainees=people)
    gone = TraineeFactory(full_name="متدرب 9")
    MembershipFactory(cohort=cohort, user=gone, status="withdrawn")
    session = SessionFactory(cohort=cohort)
    AttendanceFactory(session=session, user=people[1])
    # A mark kept for someone who has left counts neither in the roll nor in its figures.
    AttendanceFactory(session=session, user=gone)
    ExcuseRequestFactory(session=session, user=people[2])
    response = login(manager).get(reverse("cohorts:roll_call", args=[session.pk]), {"page": asked})
    ordered = sorted(people, key=lambda person: person.full_name)
    expected = ordered[(shown - 1) * 2 : shown * 2]
    assert response.context["page"].number == shown
    assert response.context["page"].paginator.count == 5
    assert [row["id"] for row in response.context["rows"]] == [p.pk for p in expected]
    current = {row["id"]: (row["current"], row["excuse"]) for row in response.context["rows"]}
    if people[1] in expected:
        assert current[people[1].pk][0] == "present"
    if people[2] in expected:
        assert current[people[2].pk][1] != ""
    assert response.context["unmarked"] == 4


def test_a_short_roll_call_is_one_query_for_its_rows(login, django_assert_num_queries):
    """The first page of a cohort that fits on it is read without counting (core.paging)."""
    manager = ManagerFactory()
    cohort = cohort_with(manager=manager, trainees=[TraineeFactory(), TraineeFactory()])
    session = SessionFactory(cohort=cohort)
    roster = shapes.Roster(session.pk, cohort.pk)
    with django_assert_num_queries(1):
        rows = roster[0:101]
    assert sorted(row[0] for row in rows) == sorted(
        cohort.memberships.filter(role="trainee").values_list("user_id", flat=True)
    )
    with django_assert_num_queries(1):
        assert roster.count() == 2


def test_submissions_without_courses_ask_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert shapes.trainee_submissions(1, []) == []
