"""Proposal.objects.visible_to: three personas each way, and uploads checked by content."""

import io
import os
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import Conflict
from proposals import mentors, services
from proposals.models import Attachment, Proposal
from tests.factories import ManagerFactory, MentorFactory, StaffFactory, TraineeFactory
from tests.proposals.factories import proposal_at

S = Proposal.Status
pytestmark = pytest.mark.django_db


def visible(user):
    return set(Proposal.objects.visible_to(user).values_list("pk", flat=True))


def test_team_sees_its_own_invitee_too_outsider_nothing(world):
    proposal = proposal_at(world)
    services.invite_coauthor(actor=world["lead"], proposal=proposal, user=world["coauthor"])
    assert visible(world["lead"]) == {proposal.pk}
    assert visible(world["coauthor"]) == {proposal.pk}  # invited: may read before answering
    assert visible(TraineeFactory()) == set()
    services.decline_invitation(actor=world["coauthor"], proposal=proposal)
    assert visible(world["coauthor"]) == set()


def test_reviewer_sees_only_what_they_review(world):
    reviewed = proposal_at(world, S.IN_REVIEW)
    proposal_at(world, S.SUBMITTED, title="أخرى")
    assert visible(world["reviewer"]) == {reviewed.pk}
    assert visible(MentorFactory()) == set()
    assert visible(None) == set()


def test_managers_see_their_cohorts_staff_everything(world):
    proposal = proposal_at(world)
    assert visible(world["manager"]) == {proposal.pk}
    assert visible(ManagerFactory()) == set()
    assert visible(StaffFactory()) == {proposal.pk}


@pytest.mark.skipif(mentors.Mentorship is None, reason="mentoring.models.Mentorship not built yet")
def test_mentor_sees_mentees_proposals(world):
    proposal = proposal_at(world)
    mentor = MentorFactory()
    pairing = mentors.Mentorship.objects.create(
        mentor=mentor, trainee=world["lead"], cohort=world["cohort"]
    )
    assert visible(mentor) == set()  # proposed, not yet accepted
    pairing.status = mentors.Mentorship.Status.ACTIVE
    pairing.save(update_fields=["status"])
    assert visible(mentor) == {proposal.pk}
    assert visible(MentorFactory()) == set()
    assert mentors.mentor_of(world["lead"], world["cohort"]) == {mentor.pk}


# --- Uploads ---------------------------------------------------------------------------------------


def pdf(name="plan.pdf", size=None):
    body = b"%PDF-1.4\n" + b"0" * (size or 100)
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_attachment_is_stored_with_its_sniffed_type(world):
    proposal = proposal_at(world)
    attachment = services.add_attachment(actor=world["lead"], proposal=proposal, upload=pdf())
    assert attachment.content_type == "application/pdf"
    assert default_storage.exists(attachment.file.name)
    assert attachment.file.name.startswith("proposals/attachments/")


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("plan.pdf", b"<html><script>x</script></html>"),
        SimpleUploadedFile("photo.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 50),
        pdf(size=10 * 1024 * 1024 + 1),
    ],
    ids=["html-renamed-pdf", "png-named-pdf", "over-10MB"],
)
def test_bad_uploads_are_refused_and_nothing_stored(world, upload, settings, tmp_path):
    proposal = proposal_at(world)
    with pytest.raises(ValidationError):
        services.add_attachment(actor=world["lead"], proposal=proposal, upload=upload)
    assert not Attachment.objects.exists()


def test_docx_zip_bomb_is_refused(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "wordprocessingml")
        archive.writestr("word/document.xml", b"0" * (120 * 1024 * 1024))
    bomb = SimpleUploadedFile("plan.docx", buffer.getvalue())
    with pytest.raises(ValidationError):
        services.add_attachment(actor=world["lead"], proposal=proposal_at(world), upload=bomb)
    assert not Attachment.objects.exists()


def test_failure_during_save_leaves_no_row_and_no_file(world, monkeypatch, settings):
    proposal = proposal_at(world)

    def explode(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Attachment, "save", explode)
    with pytest.raises(RuntimeError):
        services.add_attachment(actor=world["lead"], proposal=proposal, upload=pdf())
    monkeypatch.undo()
    assert not Attachment.objects.exists()
    folder = default_storage.path("proposals/attachments")
    assert not os.path.isdir(folder) or os.listdir(folder) == []


def test_attachments_only_while_editable(world):
    proposal = proposal_at(world, S.SUBMITTED)
    with pytest.raises(Conflict):
        services.add_attachment(actor=world["lead"], proposal=proposal, upload=pdf())
