"""The implementation, compare, rubric and showcase pages' compiled reads (proposals.shapes) give
each person what the ORM's rules give, run after run on one connection: another cohort's
manager, a removed co-author, a mentor whose mentee left and a stranger see nothing, the
related rows are the ORM's, and the showcase shows only what the team consented to show."""

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from cohorts import shapes as cohorts_shapes
from cohorts.models import Cohort, Membership
from mentoring.models import Mentorship
from proposals import services, shapes
from proposals.models import ProgressPhoto, ProgressUpdate, Proposal, TeamMember
from tests.factories import ManagerFactory, MentorFactory, StaffFactory, TraineeFactory
from tests.model_values import column_values
from tests.proposals.factories import proposal_at, team_world

S = Proposal.Status
pytestmark = pytest.mark.django_db


def _implementation(user, pk):
    """(id, is of the team, may comment) through the shape, or None for a 404."""
    try:
        proposal = shapes.implementation_proposal(user, pk)
    except Http404:
        return None
    return proposal.pk, proposal.is_team, proposal.can_comment


def _orm_implementation(user, pk):
    """The same through the ORM's rules (visible_to, services.is_team and can_comment)."""
    proposal = Proposal.objects.visible_to(user).filter(pk=pk).first()
    if proposal is None:
        return None
    return proposal.pk, services.is_team(user, proposal), services.can_comment(user, proposal)


@pytest.fixture
def people(world):
    proposal = proposal_at(world, S.IN_IMPLEMENTATION)
    accepted, invited = TeamMember.Status.ACCEPTED, TraineeFactory()
    TeamMember.objects.create(proposal=proposal, user=world["coauthor"], status=accepted)
    Membership.objects.create(cohort=world["cohort"], user=invited, role=Membership.Role.TRAINEE)
    TeamMember.objects.create(proposal=proposal, user=invited)  # invited, never accepted
    mentor, other_mentor = MentorFactory(), MentorFactory()
    Mentorship.objects.create(
        mentor=mentor, trainee=world["lead"], cohort=world["cohort"], status="active"
    )
    draft = proposal_at(world, S.DRAFT, title="مسودة")
    return {
        "proposals": [proposal, draft],
        "persons": {
            "lead": world["lead"],
            "coauthor": world["coauthor"],
            "invited": invited,
            "reviewer": world["reviewer"],
            "manager": world["manager"],
            "other_manager": ManagerFactory(),
            "outsider": TraineeFactory(),
            "staff": StaffFactory(),
            "mentor": mentor,
            "other_mentor": other_mentor,
        },
    }


def test_implementation_reads_what_the_orm_rules_give_each_person(world, people):
    proposal = people["proposals"][0]
    expected = {
        "lead": (True, False),
        "coauthor": (True, False),
        "invited": None,  # an invitation shows a proposal still open only
        "reviewer": (False, False),
        "manager": (False, True),
        "other_manager": None,
        "outsider": None,
        "staff": (False, True),
        "mentor": (False, True),
        "other_mentor": None,
    }
    for _ in range(2):  # the second round runs the stored SQL only
        for name, person in people["persons"].items():
            for each in people["proposals"]:
                assert _implementation(person, each.pk) == _orm_implementation(person, each.pk)
            got = _implementation(person, proposal.pk)
            assert (got and got[1:]) == expected[name], name


def test_removed_people_lose_the_implementation_page(world, people):
    proposal = people["proposals"][0]
    persons = people["persons"]
    cohort = world["cohort"]
    Membership.objects.filter(cohort=cohort, user=persons["coauthor"]).update(
        status=Membership.Status.WITHDRAWN
    )
    # A removed co-author still reads the initiative, no longer as one of the team.
    assert _implementation(persons["coauthor"], proposal.pk) == (proposal.pk, False, False)
    Membership.objects.filter(cohort=cohort, user=persons["manager"]).update(
        status=Membership.Status.WITHDRAWN
    )
    assert _implementation(persons["manager"], proposal.pk) is None  # no longer a manager
    Membership.objects.filter(cohort=cohort, user=world["lead"]).update(
        status=Membership.Status.WITHDRAWN
    )
    assert _implementation(persons["mentor"], proposal.pk) is None  # the mentee left
    assert _implementation(world["lead"], proposal.pk) == (proposal.pk, False, False)
    for person in persons.values():
        assert _implementation(person, proposal.pk) == _orm_implementation(person, proposal.pk)


def test_implementation_rows_are_the_orms(client, world, people):
    proposal = people["proposals"][0]
    for title in ("الجلسة الأولى", "الجلسة الثانية"):
        services.add_milestone(
            actor=world["lead"], proposal=proposal, title=title, due_on=timezone.localdate()
        )
    for text in ("بدأنا", "أنجزنا"):
        services.post_progress(actor=world["lead"], proposal=proposal, text=text)
    first, second = ProgressUpdate.objects.filter(proposal=proposal).order_by("id")
    for update, count in ((first, 2), (second, 1)):
        for i in range(count):
            ProgressPhoto.objects.create(
                update=update, file=f"proposals/photos/{i}.png", content_type="image/png", size=9
            )
    orm = Proposal.objects.get(pk=proposal.pk)
    expected_updates = list(orm.updates.select_related("author").prefetch_related("photos")[:50])
    for _ in range(2):
        shown = shapes.implementation_proposal(world["lead"], proposal.pk)
        milestones = shapes.milestones(shown)
        assert [column_values(m) for m in milestones] == [
            column_values(m) for m in orm.milestones.all()
        ]
        assert all(m.proposal is shown for m in milestones)
        got = shapes.updates(shown)
        assert [column_values(u) for u in got] == [column_values(u) for u in expected_updates]
        for mine, theirs in zip(got, expected_updates, strict=True):
            assert mine.author == theirs.author and mine.proposal is shown
            assert [column_values(p) for p in mine.photos.all()] == [
                column_values(p) for p in theirs.photos.all()
            ]
            assert all(p.update is mine for p in mine.photos.all())
        revisions = shapes.revisions(shown)
        assert [column_values(r) for r in revisions] == [
            column_values(r) for r in orm.revisions.order_by("number")
        ]
        assert revisions and all(r.proposal is shown for r in revisions)
    client.force_login(people["persons"]["other_manager"])
    assert client.get(reverse("proposals:implementation", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("proposals:compare", args=[proposal.pk])).status_code == 404
    client.force_login(world["lead"])
    page = client.get(reverse("proposals:implementation", args=[proposal.pk])).content.decode()
    assert "الجلسة الثانية" in page and "أنجزنا" in page
    for photo in ProgressPhoto.objects.filter(update__proposal=proposal):
        assert page.count(reverse("proposals:photo", args=[photo.pk])) == 1


def test_rubric_page_is_the_cohorts_managers_only(client, world, people):
    persons = people["persons"]
    url = reverse("proposals:rubric", args=[world["cohort"].pk])
    expected = {"manager": 200, "staff": 200}
    for _ in range(2):  # the second round runs the stored SQL only
        for name, person in persons.items():
            assert (cohorts_shapes.managed_cohort(person, world["cohort"].pk) is not None) == (
                Cohort.objects.managed_by(person).filter(pk=world["cohort"].pk).exists()
            ), name
            client.force_login(person)
            assert client.get(url).status_code == expected.get(name, 404), name
    rubric, criteria = shapes.rubric_and_criteria(world["cohort"])
    assert rubric == services.rubric_for(world["cohort"])
    assert [column_values(c) for c in criteria] == [column_values(c) for c in rubric.criteria.all()]
    Membership.objects.filter(cohort=world["cohort"], user=persons["manager"]).update(
        status=Membership.Status.WITHDRAWN
    )
    client.force_login(persons["manager"])
    assert client.get(url).status_code == 404  # a withdrawn manager
    client.logout()
    assert client.get(url).status_code == 302  # to sign in


def test_showcase_holds_what_consent_allows(client, world):
    """Only completed initiatives whose team consented, in the ORM's order, each with its
    accepted co-authors only, on the list and one by one, in this cohort and another."""
    other = team_world()
    made = {}
    for label, w, status, consent in (
        ("shown", world, S.COMPLETED, True),
        ("private", world, S.COMPLETED, False),
        ("unfinished", world, S.IN_IMPLEMENTATION, True),
        ("other_cohort", other, S.COMPLETED, True),
    ):
        proposal = proposal_at(w, status, title=label)
        Proposal.objects.filter(pk=proposal.pk).update(showcase_consent=consent)
        made[label] = proposal
    shown = made["shown"]
    TeamMember.objects.create(
        proposal=shown, user=world["coauthor"], status=TeamMember.Status.ACCEPTED
    )
    stranger = TraineeFactory()
    Membership.objects.create(cohort=world["cohort"], user=stranger, role=Membership.Role.TRAINEE)
    TeamMember.objects.create(proposal=shown, user=stranger)  # invited, never accepted
    expected = list(Proposal.objects.showcased().order_by("-decided_at", "-id"))
    assert {p.title for p in expected} == {"shown", "other_cohort"}
    for _ in range(2):  # the second round runs the stored SQL only
        rows = shapes.showcase()[:51]
        assert [column_values(p) for p in rows] == [column_values(p) for p in expected]
        assert shapes.showcase().count() == len(expected)
        teams = shapes.accepted_teams(rows)
        for proposal in rows:
            accepted = proposal.team_members.filter(status=TeamMember.Status.ACCEPTED)
            assert [m.pk for m in teams[proposal.pk]] == [m.pk for m in accepted]
        assert [m.user for m in teams[shown.pk]] == [world["coauthor"]]
        for label, proposal in made.items():
            one = shapes.showcased_proposal(proposal.pk)
            assert (one is not None) == (label in ("shown", "other_cohort")), label
            assert one is None or (one.lead == proposal.lead and one.cohort == proposal.cohort)
            status = client.get(reverse("proposals:showcase_item", args=[proposal.pk]))
            assert status.status_code == (200 if one else 404), label
    assert shapes.accepted_teams([]) == {}
    Proposal.objects.filter(pk=shown.pk).update(showcase_first_names_only=False)
    response = client.get(reverse("proposals:showcase"))
    page = response.content.decode()
    assert "shown" in page and "other_cohort" in page
    assert "private" not in page and "unfinished" not in page
    names = {item["proposal"].pk: item["names"] for item in response.context["items"]}
    assert names[shown.pk] == [world["lead"].full_name, world["coauthor"].full_name]
    assert names[made["other_cohort"].pk] == [other["lead"].get_short_name()]
    assert world["coauthor"].full_name in page and stranger.full_name not in page
    later = client.get(reverse("proposals:showcase") + "?page=2")  # past the end: the last
    assert [item["names"] for item in later.context["items"]] == list(names.values())
    Proposal.objects.filter(pk=shown.pk).update(showcase_first_names_only=True)
    response = client.get(reverse("proposals:showcase_item", args=[shown.pk]))
    assert response.context["item"]["names"] == [
        world["lead"].get_short_name(),
        world["coauthor"].get_short_name(),
    ]
    assert world["lead"].full_name not in response.content.decode()
