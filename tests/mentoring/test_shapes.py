"""The mentoring pages' compiled reads (mentoring.shapes) give each person what `visible_to`
gives, run after run on one connection: another mentor, another cohort's manager, a manager
whose membership ended and a stranger see nothing; the rows are the ORM's, in its order."""

import datetime

import pytest
from django.db.models import Max
from django.http import Http404
from django.urls import reverse

from cohorts.models import Membership
from mentoring import shapes
from mentoring.models import Goal, Meeting, Mentorship
from tests.api_lists import listed_ids
from tests.cohorts.factories import cohort_with
from tests.factories import ManagerFactory, MentorFactory, StaffFactory, TraineeFactory
from tests.model_values import column_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def pairs():
    manager, mentor, other_mentor = ManagerFactory(), MentorFactory(), MentorFactory()
    trainee, other_trainee = TraineeFactory(), TraineeFactory()
    cohort = cohort_with(manager=manager, trainees=[trainee, other_trainee])
    mine = Mentorship.objects.create(
        mentor=mentor, trainee=trainee, cohort=cohort, status=Mentorship.Status.ACTIVE
    )
    theirs = Mentorship.objects.create(
        mentor=other_mentor, trainee=other_trainee, cohort=cohort, status="active"
    )
    Mentorship.objects.create(
        mentor=mentor, trainee=other_trainee, cohort=cohort, status=Mentorship.Status.DECLINED
    )
    for m in (mine, theirs):
        for day in (3, 9):
            Meeting.objects.create(
                mentorship=m, date=datetime.date(2026, 5, day), duration_minutes=30
            )
        Goal.objects.create(mentorship=m, text="هدف")
    return {
        "cohort": cohort,
        "mine": mine,
        "theirs": theirs,
        "persons": {
            "mentor": mentor,
            "other_mentor": other_mentor,
            "trainee": trainee,
            "other_trainee": other_trainee,
            "manager": manager,
            "other_manager": ManagerFactory(),
            "staff": StaffFactory(),
            "stranger": TraineeFactory(),
        },
    }


def _seen(user, pk):
    try:
        return shapes.mentorship(user, pk).pk
    except Http404:
        return None


def test_each_person_sees_through_the_shapes_what_visible_to_shows(pairs):
    for _ in range(2):  # the second round runs the stored SQL only
        for name, person in pairs["persons"].items():
            for m in (pairs["mine"], pairs["theirs"]):
                visible = Mentorship.objects.visible_to(person).filter(pk=m.pk).exists()
                assert (_seen(person, m.pk) == m.pk) is visible, name
                assert [column_values(x) for x in shapes.meetings(person, m)] == [
                    column_values(x)
                    for x in Meeting.objects.visible_to(person).filter(mentorship=m)
                ], name
                assert [column_values(x) for x in shapes.goals(person, m)] == [
                    column_values(x) for x in Goal.objects.visible_to(person).filter(mentorship=m)
                ], name
            mentees = (
                Mentorship.objects.visible_to(person)
                .filter(mentor=person)
                .exclude(status=Mentorship.Status.DECLINED)
                .annotate(last_meeting=Max("meetings__date"))
            )
            assert [(m.pk, m.last_meeting) for m in shapes.my_mentees(person)] == [
                (m.pk, m.last_meeting) for m in mentees
            ], name
            mentors = Mentorship.objects.visible_to(person).filter(trainee=person).current()
            assert [m.pk for m in shapes.my_mentors(person)] == [m.pk for m in mentors], name
    persons = pairs["persons"]
    assert _seen(persons["other_mentor"], pairs["mine"].pk) is None
    assert _seen(persons["other_manager"], pairs["mine"].pk) is None
    assert shapes.meetings(persons["other_mentor"], pairs["mine"]) == []
    assert shapes.goals(persons["stranger"], pairs["mine"]) == []
    assert [m.last_meeting for m in shapes.my_mentees(persons["mentor"])] == [
        datetime.date(2026, 5, 9)
    ]


def test_a_manager_no_longer_managing_sees_nothing(pairs):
    manager, mine = pairs["persons"]["manager"], pairs["mine"]
    assert _seen(manager, mine.pk) == mine.pk
    Membership.objects.filter(cohort=pairs["cohort"], user=manager).update(
        status=Membership.Status.WITHDRAWN
    )
    assert _seen(manager, mine.pk) is None
    assert shapes.meetings(manager, mine) == []


def test_another_mentor_gets_404_on_the_page(client, pairs):
    url = reverse("mentoring:mentorship", args=[pairs["mine"].pk])
    client.force_login(pairs["persons"]["mentor"])
    assert client.get(url).status_code == 200
    client.force_login(pairs["persons"]["other_mentor"])
    assert client.get(url).status_code == 404


def _api_ids(client, path):
    """Every id the API lists at `path`, page by page (two rows a page)."""
    return listed_ids(client, path, page_size=2)


def test_the_api_lists_are_the_orm_rule_page_by_page(pairs, api_client):
    """The API's lists of mentorships, meetings and goals (stored SQL, paged) list for each
    person the rows `visible_to` gives, in the ORM's order, with `?as=` and `?mentorship=`."""
    mine, theirs = pairs["mine"], pairs["theirs"]
    for name, person in pairs["persons"].items():
        api_client.force_authenticate(person)
        for _ in range(2):  # the second round runs the stored SQL only
            mentorships = Mentorship.objects.visible_to(person).order_by("-created_at", "pk")
            assert _api_ids(api_client, "/api/v1/mentorships/") == [m.pk for m in mentorships], name
            for side in ("mentor", "trainee"):
                assert _api_ids(api_client, f"/api/v1/mentorships/?as={side}") == [
                    m.pk for m in mentorships.filter(**{side: person})
                ], (name, side)
            meetings = Meeting.objects.visible_to(person).order_by("-date", "-pk")
            goals = Goal.objects.visible_to(person).order_by("pk")
            assert _api_ids(api_client, "/api/v1/meetings/") == [x.pk for x in meetings], name
            assert _api_ids(api_client, "/api/v1/goals/") == [x.pk for x in goals], name
            for m in (mine, theirs):
                assert _api_ids(api_client, f"/api/v1/meetings/?mentorship={m.pk}") == [
                    x.pk for x in meetings.filter(mentorship=m)
                ], name
                assert _api_ids(api_client, f"/api/v1/goals/?mentorship={m.pk}") == [
                    x.pk for x in goals.filter(mentorship=m)
                ], name
    # A member removed from the cohort's management sees the next list without its rows.
    manager = pairs["persons"]["manager"]
    Membership.objects.filter(user=manager, cohort=pairs["cohort"]).update(
        status=Membership.Status.WITHDRAWN
    )
    api_client.force_authenticate(manager)
    assert _api_ids(api_client, "/api/v1/mentorships/") == []
    assert _api_ids(api_client, "/api/v1/meetings/") == []
    assert api_client.get("/api/v1/meetings/?mentorship=١").status_code == 400


def test_the_trainee_reads_no_private_notes_in_the_meetings_list(pairs, api_client):
    Meeting.objects.filter(mentorship=pairs["mine"]).update(private_notes="سري")
    api_client.force_authenticate(pairs["persons"]["trainee"])
    rows = api_client.get("/api/v1/meetings/").json()["results"]
    assert len(rows) == 2 and {row["private_notes"] for row in rows} == {""}
    api_client.force_authenticate(pairs["persons"]["mentor"])
    rows = api_client.get("/api/v1/meetings/").json()["results"]
    assert {row["private_notes"] for row in rows} == {"سري"}
