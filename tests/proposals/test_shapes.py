"""The detail page's compiled reads (proposals.shapes) give each person what `visible_to` gives,
run after run on one connection: another cohort's manager, a removed invitee, another mentor and
a mentor whose mentee left the cohort see nothing; the related rows are the ORM's."""

import pytest
from django.http import Http404
from django.urls import reverse

from cohorts.models import Membership
from mentoring.models import Mentorship
from proposals import services, shapes
from proposals.models import Proposal, Review, ReviewNote, Rubric
from tests.factories import ManagerFactory, MentorFactory, StaffFactory, TraineeFactory
from tests.model_values import column_values
from tests.proposals.factories import proposal_at, team_world

S = Proposal.Status
pytestmark = pytest.mark.django_db


def _shown(user, pk):
    try:
        return shapes.detail_proposal(user, pk).pk
    except Http404:
        return None


@pytest.fixture
def people(world):
    proposal = proposal_at(world, S.COMPLETED)
    invited = proposal_at(world, S.DRAFT, title="بدعوة")
    services.invite_coauthor(actor=world["lead"], proposal=invited, user=world["coauthor"])
    mentor, left_mentor = MentorFactory(), MentorFactory()
    Mentorship.objects.create(
        mentor=mentor, trainee=world["lead"], cohort=world["cohort"], status="active"
    )
    return {
        "proposals": [proposal, invited],
        "persons": {
            "lead": world["lead"],
            "coauthor": world["coauthor"],
            "reviewer": world["reviewer"],
            "manager": world["manager"],
            "other_manager": ManagerFactory(),
            "outsider": TraineeFactory(),
            "staff": StaffFactory(),
            "mentor": mentor,
            "other_mentor": left_mentor,
        },
    }


def test_each_person_sees_through_the_shape_what_visible_to_shows(world, people):
    expected_seen = {
        "lead": 2,
        "coauthor": 1,  # the invitation only
        "reviewer": 1,  # the one assigned
        "manager": 2,
        "other_manager": 0,
        "outsider": 0,
        "staff": 2,
        "mentor": 2,
        "other_mentor": 0,
    }
    for _ in range(2):  # the second round runs the stored SQL only
        for name, person in people["persons"].items():
            seen = [p.pk for p in people["proposals"] if _shown(person, p.pk)]
            visible = set(Proposal.objects.visible_to(person).values_list("pk", flat=True))
            assert set(seen) == visible & {p.pk for p in people["proposals"]}, name
            assert len(seen) == expected_seen[name], name


def test_removed_people_see_nothing_through_the_shape(world, people):
    proposal, invited = people["proposals"]
    coauthor, mentor = people["persons"]["coauthor"], people["persons"]["mentor"]
    assert _shown(coauthor, invited.pk) == invited.pk
    assert _shown(mentor, proposal.pk) == proposal.pk
    Membership.objects.filter(cohort=world["cohort"], user=coauthor).update(
        status=Membership.Status.WITHDRAWN
    )
    assert _shown(coauthor, invited.pk) is None  # a removed invitee
    Membership.objects.filter(cohort=world["cohort"], user=world["lead"]).update(
        status=Membership.Status.WITHDRAWN
    )
    assert _shown(mentor, proposal.pk) is None  # the mentee left the cohort
    Membership.objects.filter(cohort=world["cohort"], user=world["manager"]).update(
        status=Membership.Status.WITHDRAWN
    )
    assert _shown(world["manager"], proposal.pk) is None  # no longer a manager


def test_other_cohorts_manager_gets_404_on_the_page(client, world, people):
    proposal = people["proposals"][0]
    client.force_login(world["manager"])
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 200
    client.force_login(people["persons"]["other_manager"])
    assert client.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 404


def test_related_rows_are_the_orms(world, people):
    proposal = people["proposals"][0]
    shown = shapes.detail_proposal(world["lead"], proposal.pk)
    assert column_values(shown) == column_values(Proposal.objects.get(pk=proposal.pk))
    assert shown.lead == world["lead"] and shown.cohort == world["cohort"]
    for name in ("budget_lines", "attachments", "team_members", "transitions", "revisions"):
        rows = list(getattr(shown, name).all())
        assert [column_values(r) for r in rows] == [
            column_values(r) for r in getattr(Proposal.objects.get(pk=proposal.pk), name).all()
        ], name
        assert all(r.proposal is shown for r in rows)
    assert len(list(shown.transitions.all())) > 1


def test_reviews_are_what_review_visible_to_shows(world, people):
    proposal = people["proposals"][0]
    for _ in range(2):
        for name, person in people["persons"].items():
            got = shapes.submitted_reviews(person, proposal)
            expected = list(
                Review.objects.visible_to(person)
                .submitted()
                .filter(assignment__proposal=proposal)
                .prefetch_related("scores__criterion")
            )
            assert [r.pk for r in got] == [r.pk for r in expected], name
            for mine, theirs in zip(got, expected, strict=True):
                assert [(s.pk, s.criterion.name, s.score) for s in mine.scores.all()] == [
                    (s.pk, s.criterion.name, s.score) for s in theirs.scores.all()
                ]
                assert mine.assignment.reviewer == theirs.assignment.reviewer
    assert shapes.submitted_reviews(people["persons"]["other_manager"], proposal) == []
    assert len(shapes.submitted_reviews(world["lead"], proposal)) == 1


def test_review_page_reads_are_the_reviewers_own(client, world, people):
    proposal = proposal_at(world, S.IN_REVIEW, title="قيد المراجعة")
    ReviewNote.objects.create(proposal=proposal, author=world["manager"], body="ملاحظة")
    assignment = proposal.assignments.get(reviewer=world["reviewer"])
    assert shapes.reviewer_assignment(world["reviewer"], assignment.pk) == assignment
    for name in ("mentor", "other_manager", "staff"):
        with pytest.raises(Http404):
            shapes.reviewer_assignment(people["persons"][name], assignment.pk)
    client.force_login(people["persons"]["other_mentor"])
    assert client.get(reverse("proposals:review", args=[assignment.pk])).status_code == 404
    client.force_login(world["reviewer"])
    assert client.get(reverse("proposals:review", args=[assignment.pk])).status_code == 200
    assert [c.pk for c in shapes.criteria_for(proposal.cohort)] == [
        c.pk for c in services.rubric_for(proposal.cohort).criteria.all()
    ]
    for _ in range(2):
        for name, person in people["persons"].items():
            expected = ReviewNote.objects.visible_to(person).filter(proposal=proposal)
            got = shapes.notes(person, proposal)
            assert [n.pk for n in got] == [n.pk for n in expected], name
    seen = {name for name, p in people["persons"].items() if shapes.notes(p, proposal)}
    assert seen == {"reviewer", "manager", "staff"}  # never the team, a mentor or another cohort


def test_a_cohort_without_a_rubric_gets_the_default_criteria(world):
    assert not Rubric.objects.filter(cohort=world["cohort"]).exists()
    criteria = shapes.criteria_for(world["cohort"])
    assert criteria and [c.pk for c in criteria] == [
        c.pk for c in Rubric.objects.get(cohort=world["cohort"]).criteria.all()
    ]


def test_each_reviewer_queue_holds_their_own_assignments_in_each_state(login):
    """The queue's pages run as stored SQL (core.paging.ShapedList): each reviewer, in each state,
    gets their own assignments and no one else's."""
    first, second = team_world(), team_world()
    pending = proposal_at(first, Proposal.Status.IN_REVIEW, title="مقترح ينتظر")
    done = proposal_at(first, Proposal.Status.APPROVED, title="مقترح مراجع")
    theirs = proposal_at(second, Proposal.Status.IN_REVIEW, title="مقترح لغيره")
    expected = {
        (first["reviewer"], "pending"): [pending.title],
        (first["reviewer"], "done"): [done.title],
        (first["reviewer"], "all"): sorted([pending.title, done.title]),
        (second["reviewer"], "pending"): [theirs.title],
        (second["reviewer"], "done"): [],
        (second["reviewer"], "all"): [theirs.title],
    }
    for _ in range(2):  # the second round runs the stored SQL
        for (reviewer, state), titles in expected.items():
            page = login(reviewer).get(reverse("proposals:queue") + f"?state={state}")
            shown = sorted(a.proposal.title for a in page.context["page"])
            assert shown == sorted(titles), (reviewer, state)


def test_my_proposals_page_holds_each_persons_own(login):
    """'My proposals' runs as stored SQL: each person gets their own proposals, invitations and
    cohorts to propose in, and a withdrawn trainee's cohort leaves the list on the next request."""
    first, second = team_world(), team_world()
    ours = proposal_at(first, title="مقترحنا")
    theirs = proposal_at(second, title="مقترحهم")
    services.invite_coauthor(actor=second["lead"], proposal=theirs, user=second["coauthor"])
    for _ in range(2):  # the second round runs the stored SQL
        page = login(first["lead"]).get(reverse("proposals:mine")).context
        assert [p.title for p in page["page"]] == [ours.title]
        assert list(page["invitations"]) == []
        assert [c.pk for c in page["cohorts"]] == [first["cohort"].pk]
        page = login(second["coauthor"]).get(reverse("proposals:mine")).context
        assert [p.title for p in page["page"]] == []
        assert [i.proposal.title for i in page["invitations"]] == [theirs.title]
        assert [c.pk for c in page["cohorts"]] == [second["cohort"].pk]
    Membership.objects.filter(cohort=first["cohort"], user=first["lead"]).update(
        status=Membership.Status.WITHDRAWN
    )
    page = login(first["lead"]).get(reverse("proposals:mine")).context
    assert list(page["cohorts"]) == []
