"""The mentor's profile form, the trainee's intake form and the API's list of match rounds read
through compiled shapes (mentoring.shapes): each gives every person what the ORM rule gives, run
after run on one connection, including those who must see nothing (another cohort's manager, a
manager or a trainee removed from the cohort, a stranger, a deactivated account)."""

import datetime

import pytest
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from cohorts.models import Cohort, Membership, is_staff
from mentoring import shapes
from mentoring.api import MatchRoundSummarySerializer
from mentoring.models import MatchProposal, MatchRound, MentorProfile, TraineeIntake
from tests.api_lists import listed_ids
from tests.cohorts.factories import cohort_with
from tests.factories import ManagerFactory, MentorFactory, StaffFactory, TraineeFactory
from tests.model_values import column_values

pytestmark = pytest.mark.django_db


def _fields(obj):
    return None if obj is None else column_values(obj)


@pytest.fixture
def world():
    """Cohort A (a manager, two trainees, a trainee and a manager since removed) and cohort B
    with its own manager; mentor profiles for two mentors and for A's manager; rounds of both
    cohorts with matched and unmatched pairs."""
    manager, ex_manager, other_manager = ManagerFactory(), ManagerFactory(), ManagerFactory()
    trainee, other_trainee, removed = TraineeFactory(), TraineeFactory(), TraineeFactory()
    mentor, other_mentor, new_mentor = MentorFactory(), MentorFactory(), MentorFactory()
    inactive = MentorFactory(is_active=False)
    a = cohort_with(manager=manager, trainees=[trainee, other_trainee, removed])
    b = cohort_with(manager=other_manager, trainees=[trainee])
    Membership.objects.create(cohort=a, user=ex_manager, role=Membership.Role.MANAGER)
    Membership.objects.filter(user__in=[ex_manager, removed], cohort=a).update(
        status=Membership.Status.WITHDRAWN
    )
    Membership.objects.create(
        cohort=b, user=other_trainee, role="trainee", status=Membership.Status.COMPLETED
    )
    Membership.objects.create(cohort=b, user=mentor, role=Membership.Role.MENTOR)
    for person in (trainee, removed):
        TraineeIntake.objects.create(
            membership=Membership.objects.get(cohort=a, user=person), languages=["ar"]
        )
    for person, capacity in ((mentor, 3), (other_mentor, 0), (manager, 2), (inactive, 1)):
        MentorProfile.objects.create(user=person, capacity=capacity, bio="سيرة")
    now = timezone.now()
    rounds = [
        MatchRound.objects.create(
            cohort=a, status="published", created_at=now - datetime.timedelta(days=2)
        ),
        MatchRound.objects.create(cohort=a, created_at=now - datetime.timedelta(days=1)),
        # Created at the same moment as A's draft: the newer id comes first.
        MatchRound.objects.create(cohort=b, created_at=now - datetime.timedelta(days=1)),
    ]
    for round_, pairs in zip(
        rounds,
        [
            [(trainee, mentor), (other_trainee, other_mentor), (removed, None)],
            [(trainee, mentor)],
            [(trainee, None)],
        ],
        strict=True,
    ):
        for person, their_mentor in pairs:
            MatchProposal.objects.create(
                round=round_,
                trainee=person,
                mentor=their_mentor,
                score=7 if their_mentor else 0,
                unmatched_reason=None if their_mentor else {"code": "no_mentor"},
            )
    return {
        "cohorts": (a, b),
        "persons": {
            "trainee": trainee,
            "other_trainee": other_trainee,
            "removed_trainee": removed,
            "mentor": mentor,
            "other_mentor": other_mentor,
            "mentor_without_profile": new_mentor,
            "inactive_mentor": inactive,
            "manager": manager,
            "ex_manager": ex_manager,
            "other_manager": other_manager,
            "staff": StaffFactory(),
            "stranger": TraineeFactory(),
        },
    }


# --- the mentor's profile ------------------------------------------------------------------------


def test_visible_to_of_mentor_profiles_is_the_rule_it_was(world):
    """One query now (whether the person runs a cohort is part of its SQL): staff and anyone
    running a cohort see every profile, anyone else only their own."""
    everyone = set(MentorProfile.objects.values_list("pk", flat=True))
    for name, person in world["persons"].items():
        if not person.is_active:
            expected = set()
        elif is_staff(person) or Cohort.objects.managed_by(person).exists():
            expected = everyone
        else:
            expected = set(MentorProfile.objects.filter(user=person).values_list("pk", flat=True))
        assert set(MentorProfile.objects.visible_to(person).values_list("pk", flat=True)) == (
            expected
        ), name
    persons = world["persons"]
    assert set(MentorProfile.objects.visible_to(persons["ex_manager"])) == set()
    assert len(MentorProfile.objects.visible_to(persons["other_manager"])) == len(everyone)


def test_the_profile_shape_is_the_orm_rule_person_by_person(world):
    for _ in range(2):  # the second round runs the stored SQL only
        for name, person in world["persons"].items():
            orm = MentorProfile.objects.visible_to(person).filter(user=person).first()
            assert _fields(shapes.my_mentor_profile(person)) == _fields(orm), name
    persons = world["persons"]
    assert shapes.my_mentor_profile(persons["mentor"]).capacity == 3
    assert shapes.my_mentor_profile(persons["manager"]).user_id == persons["manager"].pk
    assert shapes.my_mentor_profile(persons["mentor_without_profile"]) is None
    assert shapes.my_mentor_profile(persons["inactive_mentor"]) is None


def test_the_profile_page_shows_the_mentors_own_values(client, world):
    client.force_login(world["persons"]["mentor"])
    page = client.get(reverse("mentoring:profile"))
    assert page.status_code == 200 and page.context["form"].instance.capacity == 3
    client.force_login(world["persons"]["mentor_without_profile"])
    page = client.get(reverse("mentoring:profile"))
    assert page.status_code == 200 and page.context["form"].instance.pk is None


# --- the trainee's intake ------------------------------------------------------------------------


def _intake_orm(person, pk):
    """The intake page's read as it was: `get_object_or_404` of this rule."""
    return (
        Membership.objects.visible_to(person)
        .active()
        .trainees()
        .filter(user=person)
        .select_related("cohort", "mentoring_intake")
        .filter(pk=pk)
        .first()
    )


def _intake_shape(person, pk):
    try:
        return shapes.my_intake_membership(person, pk)
    except Http404:
        return None


def test_the_intake_shape_is_the_orm_rule_person_by_person(world, django_assert_num_queries):
    ids = [*Membership.objects.values_list("pk", flat=True), 2**31 - 1]
    seen = 0
    for _ in range(2):  # the second round runs the stored SQL only
        for name, person in world["persons"].items():
            for pk in ids:
                orm, shaped = _intake_orm(person, pk), _intake_shape(person, pk)
                assert _fields(shaped) == _fields(orm), (name, pk)
                if orm is None:
                    continue
                seen += 1
                intake = getattr(orm, "mentoring_intake", None)
                with django_assert_num_queries(0):  # cohort and intake read with it
                    assert _fields(shaped.cohort) == _fields(orm.cohort)
                    assert _fields(getattr(shaped, "mentoring_intake", None)) == _fields(intake)
    # Each run: the trainee's two active memberships and the other trainee's in A, no others.
    assert seen == 2 * 3
    a, b = world["cohorts"]
    persons = world["persons"]
    own = Membership.objects.get(cohort=a, user=persons["trainee"])
    assert _intake_shape(persons["trainee"], own.pk).mentoring_intake.languages == ["ar"]
    second = _intake_shape(persons["trainee"], Membership.objects.get(cohort=b, user=own.user).pk)
    assert getattr(second, "mentoring_intake", None) is None
    for name in ("manager", "staff", "other_trainee", "stranger"):
        assert _intake_shape(persons[name], own.pk) is None, name
    removed = Membership.objects.get(cohort=a, user=persons["removed_trainee"])
    assert _intake_shape(persons["removed_trainee"], removed.pk) is None


def test_the_intake_page_is_the_trainees_own(client, world):
    a, _b = world["cohorts"]
    own = Membership.objects.get(cohort=a, user=world["persons"]["trainee"])
    url = reverse("mentoring:intake", args=[own.pk])
    for name, person in world["persons"].items():
        if not person.is_active:
            continue
        client.force_login(person)
        assert client.get(url).status_code == (200 if name == "trainee" else 404), name
    client.force_login(world["persons"]["trainee"])
    page = client.get(url)
    assert page.context["form"].instance.languages == ["ar"]
    assert page.context["cohort"] == a


# --- the API's match rounds ----------------------------------------------------------------------


def _rounds_orm(person, cohort=None):
    """The list's rows as get_queryset built them before the list was stored SQL."""
    queryset = (
        MatchRound.objects.visible_to(person)
        .order_by("-created_at", "-pk")
        .annotate(
            matched=Count("proposals", filter=Q(proposals__mentor__isnull=False)),
            unmatched=Count("proposals", filter=Q(proposals__mentor__isnull=True)),
        )
    )
    return queryset if cohort is None else queryset.filter(cohort_id=cohort.pk)


def test_the_round_list_is_the_orm_rule_person_by_person(api_client, world):
    a, b = world["cohorts"]
    for name, person in world["persons"].items():
        api_client.force_authenticate(person)
        for _ in range(2):  # the second round runs the stored SQL only
            for cohort, query in ((None, ""), (a, f"?cohort={a.pk}"), (b, f"?cohort={b.pk}")):
                rows = _rounds_orm(person, cohort)
                path = f"/api/v1/match-rounds/{query}"
                assert listed_ids(api_client, path, page_size=1) == [r.pk for r in rows], name
                # The whole answer, byte for byte, as the serializer wrote the ORM's rows.
                body = {
                    "count": len(rows),
                    "next": None,
                    "previous": None,
                    "results": MatchRoundSummarySerializer(rows, many=True).data,
                }
                response = api_client.get(path, HTTP_ACCEPT="application/json")
                assert response.content == JSONRenderer().render(body), (name, query)
    persons = world["persons"]
    api_client.force_authenticate(persons["manager"])
    listed = api_client.get("/api/v1/match-rounds/").json()["results"]
    assert [(r["cohort"], r["matched"], r["unmatched"]) for r in listed] == [
        (a.pk, 1, 0),
        (a.pk, 2, 1),
    ]
    api_client.force_authenticate(persons["staff"])
    listed = api_client.get("/api/v1/match-rounds/").json()["results"]
    assert [r["cohort"] for r in listed] == [b.pk, a.pk, a.pk]  # the tie: the newer id first
    for name in ("ex_manager", "mentor", "trainee", "stranger", "inactive_mentor"):
        api_client.force_authenticate(persons[name])
        assert api_client.get("/api/v1/match-rounds/").json()["count"] == 0, name
    assert api_client.get("/api/v1/match-rounds/?cohort=²").status_code == 400


def test_one_round_and_its_actions_are_as_before(api_client, world):
    a, b = world["cohorts"]
    api_client.force_authenticate(world["persons"]["manager"])
    own = MatchRound.objects.filter(cohort=a).order_by("-pk").first()
    detail = api_client.get(f"/api/v1/match-rounds/{own.pk}/").json()
    assert detail["id"] == own.pk and len(detail["proposals"]) == 1
    theirs = MatchRound.objects.get(cohort=b)
    assert api_client.get(f"/api/v1/match-rounds/{theirs.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/match-rounds/{own.pk}/?cohort={b.pk}").status_code == 404


# --- what each page asks of the database ---------------------------------------------------------


def test_the_pages_query_counts(client, api_client, world, django_assert_num_queries):
    persons = world["persons"]
    a, _b = world["cohorts"]
    client.force_login(persons["mentor"])
    url = reverse("mentoring:profile")
    client.get(url)  # the badge's unread count is cached from here on
    # Session, person, the profile (the rule's "runs a cohort" is part of its SQL).
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    client.force_login(persons["trainee"])
    url = reverse(
        "mentoring:intake", args=[Membership.objects.get(cohort=a, user=persons["trainee"]).pk]
    )
    client.get(url)
    # Session, person, the membership with its cohort and intake.
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    api_client.force_authenticate(persons["manager"])
    # The person's rounds in one page: no count query (core.paging).
    with django_assert_num_queries(1):
        assert api_client.get("/api/v1/match-rounds/").status_code == 200
