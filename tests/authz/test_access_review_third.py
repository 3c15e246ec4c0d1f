"""Access control of proposals, certificates and mentoring tried as an attacker would: stale
invitations, comments under a hidden reviewer's name, credentials of revoked certificates, and
the API telling one side of a mentorship what only the other side said."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from certificates import services as certificate_services
from cohorts.models import Membership
from cohorts.services import withdraw_membership
from core.errors import Conflict, Refused
from mentoring import services as mentoring_services
from mentoring.models import Mentorship
from proposals import services as proposal_services
from proposals.models import ProgressUpdate, Proposal, TeamMember
from tests.cohorts.factories import cohort_with
from tests.factories import ManagerFactory, MentorFactory, TraineeFactory
from tests.proposals.factories import proposal_at, score_all, team_world

pytestmark = pytest.mark.django_db

S = Proposal.Status
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _token_client(user):
    token, _created = Token.objects.get_or_create(user=user)
    return APIClient(HTTP_AUTHORIZATION=f"Token {token.key}")


def _page_client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return team_world()


def _invited_then_decided(world):
    """A draft with an attachment, the co-author invited (never answering), then submitted,
    reviewed and approved."""
    lead, manager = world["lead"], world["manager"]
    proposal = proposal_at(world)
    proposal_services.add_attachment(
        actor=lead,
        proposal=proposal,
        upload=SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf"),
    )
    proposal_services.invite_coauthor(actor=lead, proposal=proposal, user=world["coauthor"])
    proposal_services.submit_proposal(actor=lead, proposal=proposal)
    proposal_services.assign_reviewers(
        actor=manager,
        proposals=[proposal],
        reviewers=[world["reviewer"]],
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    score_all(proposal, world["reviewer"])
    proposal_services.decide_proposal(actor=manager, proposal=proposal, approve=True, message="ok")
    return Proposal.objects.get(pk=proposal.pk)


# --- stale invitations --------------------------------------------------------------------------


def test_an_unanswered_invitation_cannot_be_accepted_after_the_decision(world):
    proposal = _invited_then_decided(world)
    invitee = world["coauthor"]
    # Joining the team now would hand over the reviews of a panel the invitee never faced.
    page = _page_client(invitee)
    response = page.post(reverse("proposals:respond", args=[proposal.pk]), {"answer": "accept"})
    assert response.status_code in (404, 409)
    member = TeamMember.objects.get(proposal=proposal, user=invitee)
    assert member.status == TeamMember.Status.INVITED
    reviews = _token_client(invitee).get(f"/api/v1/proposals/{proposal.pk}/reviews/")
    assert reviews.status_code == 404
    with pytest.raises(Conflict):
        proposal_services.accept_invitation(actor=invitee, proposal=proposal)
    # Declining stays possible: it only takes the person off the list.
    proposal_services.decline_invitation(actor=invitee, proposal=proposal)


def test_an_invitation_that_can_no_longer_be_answered_opens_nothing(world):
    proposal = _invited_then_decided(world)
    invitee = world["coauthor"]
    attachment = proposal.attachments.get()
    page = _page_client(invitee)
    assert page.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 404
    assert page.get(reverse("proposals:attachment", args=[attachment.pk])).status_code == 404
    assert page.get(reverse("proposals:implementation", args=[proposal.pk])).status_code == 404
    api = _token_client(invitee)
    assert api.get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    assert api.get("/api/v1/proposals/").json()["count"] == 0


def test_an_invitee_removed_from_the_cohort_can_neither_read_nor_join(world):
    proposal = proposal_at(world)
    invitee = world["coauthor"]
    proposal_services.invite_coauthor(actor=world["lead"], proposal=proposal, user=invitee)
    membership = Membership.objects.get(cohort=world["cohort"], user=invitee)
    withdraw_membership(actor=world["manager"], membership=membership)
    with pytest.raises(Refused):
        proposal_services.accept_invitation(actor=invitee, proposal=proposal)
    assert TeamMember.objects.get(proposal=proposal, user=invitee).status == "invited"
    assert _token_client(invitee).get(f"/api/v1/proposals/{proposal.pk}/").status_code == 404
    page = _page_client(invitee)
    assert page.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 404


def test_an_open_invitation_still_reads_and_joins(world):
    """The invitee of a proposal still open reads it before answering, and may join."""
    proposal = proposal_at(world, status=S.SUBMITTED)
    TeamMember.objects.create(proposal=proposal, user=world["coauthor"])
    page = _page_client(world["coauthor"])
    assert page.get(reverse("proposals:detail", args=[proposal.pk])).status_code == 200
    proposal_services.accept_invitation(actor=world["coauthor"], proposal=proposal)
    assert TeamMember.objects.get(proposal=proposal, user=world["coauthor"]).status == "accepted"


# --- implementation comments ----------------------------------------------------------------------


def test_a_reviewer_cannot_comment_under_a_name_the_cohort_hides(world):
    proposal = proposal_at(world, status=S.IN_IMPLEMENTATION)
    reviewer = world["reviewer"]
    assert proposal_services.rubric_for(world["cohort"]).hide_reviewer_names
    page = _page_client(reviewer)
    url = reverse("proposals:implementation", args=[proposal.pk])
    assert 'value="comment"' not in page.get(url).content.decode()
    response = page.post(url, {"action": "comment", "c-comment": "عمل جيد"})
    assert response.status_code == 403
    assert not ProgressUpdate.objects.filter(proposal=proposal).exists()
    with pytest.raises(Refused):
        proposal_services.comment_on_progress(actor=reviewer, proposal=proposal, text="x")
    team_page = _page_client(world["lead"]).get(url).content.decode()
    assert reviewer.full_name not in team_page


def test_the_mentor_and_the_managers_still_comment(world):
    proposal = proposal_at(world, status=S.IN_IMPLEMENTATION)
    mentor = MentorFactory()
    Mentorship.objects.create(
        cohort=world["cohort"],
        mentor=mentor,
        trainee=world["lead"],
        status=Mentorship.Status.ACTIVE,
    )
    url = reverse("proposals:implementation", args=[proposal.pk])
    for person in (mentor, world["manager"]):
        page = _page_client(person)
        assert 'value="comment"' in page.get(url).content.decode()
        assert page.post(url, {"action": "comment", "c-comment": "استمروا"}).status_code == 302
    assert ProgressUpdate.objects.filter(proposal=proposal, is_comment=True).count() == 2


# --- certificates ---------------------------------------------------------------------------------


def _certificate(world):
    return certificate_services._new_certificate(
        world["cohort"], world["lead"], actor=world["manager"]
    )


def test_a_revoked_certificate_gets_no_fresh_credential(world):
    certificate = _certificate(world)
    page = _page_client(world["lead"])
    url = reverse("certificates:badge", args=[certificate.pk])
    assert page.get(url).status_code == 200
    certificate_services.revoke_certificate(
        certificate=certificate, actor=world["manager"], reason="خطأ في البيانات"
    )
    response = page.get(url)
    assert response.status_code == 410
    assert response["Content-Type"].startswith("text/html")
    mine = page.get(reverse("certificates:mine")).content.decode()
    assert url not in mine


def test_a_superseded_certificate_gets_no_fresh_credential(world):
    old = _certificate(world)
    new = certificate_services.reissue_certificate(certificate=old, actor=world["manager"])
    page = _page_client(world["lead"])
    assert page.get(reverse("certificates:badge", args=[old.pk])).status_code == 410
    assert page.get(reverse("certificates:badge", args=[new.pk])).status_code == 200


# --- mentoring: each side's view of the fit ---------------------------------------------------


def _mentorship_with_fits():
    manager, mentor, trainee = ManagerFactory(), MentorFactory(), TraineeFactory()
    cohort = cohort_with(manager=manager, trainees=[trainee], mentors=[mentor])
    m = Mentorship.objects.create(
        cohort=cohort, mentor=mentor, trainee=trainee, status=Mentorship.Status.ACTIVE
    )
    mentoring_services.log_meeting(
        actor=mentor, mentorship=m, date=timezone.localdate(), duration_minutes=30
    )
    mentoring_services.report_fit(actor=mentor, mentorship=m, fit=Mentorship.Fit.OK)
    mentoring_services.report_fit(actor=trainee, mentorship=m, fit=Mentorship.Fit.GOOD)
    return m, manager


def test_the_api_tells_each_side_only_their_own_view_of_the_fit(world):
    m, manager = _mentorship_with_fits()
    url = f"/api/v1/mentorships/{m.pk}/"
    as_trainee = _token_client(m.trainee).get(url).json()
    assert as_trainee["trainee_fit"] == "good" and as_trainee["mentor_fit"] == ""
    listed = _token_client(m.trainee).get("/api/v1/mentorships/?as=trainee").json()
    assert listed["results"][0]["mentor_fit"] == ""
    as_mentor = _token_client(m.mentor).get(url).json()
    assert as_mentor["mentor_fit"] == "ok" and as_mentor["trainee_fit"] == ""
    # The answer to the fit report itself tells no more.
    answer = _token_client(m.mentor).post(f"{url}fit/", {"fit": "good"}, format="json").json()
    assert answer["trainee_fit"] == ""
    as_manager = _token_client(manager).get(url).json()
    assert as_manager["mentor_fit"] == "good" and as_manager["trainee_fit"] == "good"
