"""Access control of the programme apps (proposals, mentoring, certificates) tried as an attacker
would: removed and declined people, unassigned reviewers, ids of other cohorts, public pages."""

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cohorts.models import Membership
from cohorts.services import withdraw_membership
from mentoring import hooks
from mentoring.models import Mentorship
from proposals import services as proposal_services
from proposals.models import Proposal, ReviewAssignment, TeamMember
from tests.cohorts.factories import cohort_with
from tests.factories import ManagerFactory, MentorFactory, TraineeFactory
from tests.proposals.factories import proposal_at, team_world

pytestmark = pytest.mark.django_db


def _token_client(user):
    token = Token.objects.create(user=user)
    return APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")


def _page_client(user):
    client = Client()
    client.force_login(user)
    return client


def _mentorship(cohort, mentor, trainee, status=Mentorship.Status.ACTIVE):
    return Mentorship.objects.create(cohort=cohort, mentor=mentor, trainee=trainee, status=status)


@pytest.fixture
def world():
    w = team_world()
    w["mentor"] = MentorFactory()
    w["proposal"] = proposal_at(w)
    return w


# --- mentors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Mentorship.Status.DECLINED, Mentorship.Status.ENDED])
def test_a_declined_or_ended_mentor_sees_no_proposal(world, status):
    _mentorship(world["cohort"], world["mentor"], world["lead"], status=status)
    client = _token_client(world["mentor"])
    assert client.get("/api/v1/proposals/").json()["count"] == 0
    assert client.get(f"/api/v1/proposals/{world['proposal'].pk}/").status_code == 404


def test_an_active_mentor_sees_the_mentees_proposal(world):
    _mentorship(world["cohort"], world["mentor"], world["lead"])
    client = _token_client(world["mentor"])
    assert client.get(f"/api/v1/proposals/{world['proposal'].pk}/").status_code == 200


def test_a_mentor_loses_a_trainee_removed_from_the_cohort(world):
    _mentorship(world["cohort"], world["mentor"], world["lead"])
    membership = Membership.objects.get(cohort=world["cohort"], user=world["lead"])
    withdraw_membership(actor=world["manager"], membership=membership)
    client = _token_client(world["mentor"])
    assert client.get(f"/api/v1/proposals/{world['proposal'].pk}/").status_code == 404
    # Nor their course progress and their page on the cohort's dashboard.
    assert world["lead"].pk not in set(
        hooks.active_mentees(world["mentor"]).values_list("trainee_id", flat=True)
    )
    assert not hooks.mentors_trainee(world["mentor"], world["cohort"], world["lead"].pk)


def test_a_mentor_keeps_a_trainee_whose_cohort_completed(world):
    _mentorship(world["cohort"], world["mentor"], world["lead"])
    Membership.objects.filter(cohort=world["cohort"], user=world["lead"]).update(
        status=Membership.Status.COMPLETED
    )
    client = _token_client(world["mentor"])
    assert client.get(f"/api/v1/proposals/{world['proposal'].pk}/").status_code == 200
    assert hooks.mentors_trainee(world["mentor"], world["cohort"], world["lead"].pk)


# --- the team ----------------------------------------------------------------------------------


def test_a_declined_coauthor_sees_nothing_of_the_proposal(world):
    proposal_services.invite_coauthor(
        actor=world["lead"], proposal=world["proposal"], user=world["coauthor"]
    )
    proposal_services.decline_invitation(actor=world["coauthor"], proposal=world["proposal"])
    client = _token_client(world["coauthor"])
    assert client.get(f"/api/v1/proposals/{world['proposal'].pk}/").status_code == 404
    page = _page_client(world["coauthor"])
    assert page.get(reverse("proposals:detail", args=[world["proposal"].pk])).status_code == 404


def _submit_is_refused(person, proposal):
    """Submitting through the API with the person's token is refused (403) and changes nothing."""
    response = _token_client(person).post(
        f"/api/v1/proposals/{proposal.pk}/transition/",
        {"action": "submit", "comment": ""},
        format="json",
    )
    assert response.status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.DRAFT


def test_an_invited_coauthor_cannot_act_for_the_team(world):
    proposal_services.invite_coauthor(
        actor=world["lead"], proposal=world["proposal"], user=world["coauthor"]
    )
    _submit_is_refused(world["coauthor"], world["proposal"])


def test_a_lead_removed_from_the_cohort_cannot_submit(world):
    membership = Membership.objects.get(cohort=world["cohort"], user=world["lead"])
    withdraw_membership(actor=world["manager"], membership=membership)
    _submit_is_refused(world["lead"], world["proposal"])


def test_an_accepted_coauthor_removed_from_the_cohort_cannot_edit(world):
    proposal_services.invite_coauthor(
        actor=world["lead"], proposal=world["proposal"], user=world["coauthor"]
    )
    proposal_services.accept_invitation(actor=world["coauthor"], proposal=world["proposal"])
    membership = Membership.objects.get(cohort=world["cohort"], user=world["coauthor"])
    withdraw_membership(actor=world["manager"], membership=membership)
    page = _page_client(world["coauthor"])
    response = page.get(reverse("proposals:edit", args=[world["proposal"].pk]))
    assert response.status_code in (403, 404)


# --- reviewers -----------------------------------------------------------------------------------


def test_an_unassigned_reviewer_sees_nothing(world):
    proposal = proposal_at(world, status=Proposal.Status.IN_REVIEW)
    assignment = ReviewAssignment.objects.get(proposal=proposal, reviewer=world["reviewer"])
    # The reviewer is a mentor member of the cohort; take them out of it so only the
    # assignment could give access, then remove the assignment.
    Membership.objects.filter(cohort=world["cohort"], user=world["reviewer"]).delete()
    assignment_id = assignment.pk
    assignment.delete()
    client = _token_client(world["reviewer"])
    assert client.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    assert client.post(
        f"/api/v1/review-assignments/{assignment_id}/review/",
        {"scores": {}, "comments": "x"},
        format="json",
    ).status_code in (400, 404)


def test_assigning_a_mentor_of_another_cohort_as_reviewer_is_refused(world):
    proposal = proposal_at(world, status=Proposal.Status.SUBMITTED)
    stranger = MentorFactory()
    cohort_with(manager=ManagerFactory(), mentors=[stranger], trainees=[TraineeFactory()])
    page = _page_client(world["manager"])
    url = reverse("proposals:assign", args=[world["cohort"].pk])
    listing = page.get(url).content.decode()
    assert stranger.full_name not in listing
    response = page.post(
        url,
        {
            "proposals": [proposal.pk],
            "reviewers": [stranger.pk],
            "due_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert not ReviewAssignment.objects.filter(reviewer=stranger).exists()


def test_a_proposal_of_another_cohort_in_a_bulk_assignment_is_refused(world):
    other = team_world()
    foreign = proposal_at(other, status=Proposal.Status.SUBMITTED)
    page = _page_client(world["manager"])
    response = page.post(
        reverse("proposals:assign", args=[world["cohort"].pk]),
        {
            "proposals": [foreign.pk],
            "reviewers": [world["reviewer"].pk],
            "due_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert not ReviewAssignment.objects.filter(proposal=foreign).exists()


# --- public pages ----------------------------------------------------------------------------


def test_the_showcase_shows_only_consenting_completed_initiatives(world):
    hidden = proposal_at(world, status=Proposal.Status.COMPLETED)
    client = Client()
    assert client.get(reverse("proposals:showcase_item", args=[hidden.pk])).status_code == 404
    assert hidden.title not in client.get(reverse("proposals:showcase")).content.decode()


def test_the_showcase_shows_first_names_only_when_chosen(world):
    proposal = proposal_at(
        world,
        status=Proposal.Status.COMPLETED,
        showcase_consent=True,
        showcase_first_names_only=True,
    )
    page = Client().get(reverse("proposals:showcase_item", args=[proposal.pk])).content.decode()
    lead = world["lead"]
    assert lead.get_short_name() in page
    assert lead.full_name not in page
    assert lead.email not in page


def test_invited_coauthors_are_not_named_in_the_showcase(world):
    proposal = proposal_at(
        world,
        status=Proposal.Status.COMPLETED,
        showcase_consent=True,
        showcase_first_names_only=False,
    )
    TeamMember.objects.create(proposal=proposal, user=world["coauthor"])
    page = Client().get(reverse("proposals:showcase_item", args=[proposal.pk])).content.decode()
    assert world["coauthor"].full_name not in page


# --- notifications -----------------------------------------------------------------------------


def test_an_invitation_tells_the_invitee_nothing_but_title_and_lead(world):
    mail.outbox.clear()
    proposal_services.invite_coauthor(
        actor=world["lead"], proposal=world["proposal"], user=world["coauthor"]
    )
    for message in mail.outbox:
        assert world["lead"].email not in message.body
        assert world["manager"].email not in message.body
