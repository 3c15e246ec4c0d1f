"""Proposal objects for the authorization matrix (tests/authz/matrix.py), built on the cohorts
world: in the "running" cohort (managed by the manager persona) the trainee persona leads
- "draft": a draft with an attachment ("attachment");
- "reviewed": a proposal in review, the mentor persona its assigned reviewer ("assignment");
- "implementing": an approved initiative in implementation with a progress photo ("photo");
- "showcased": a completed initiative in the public showcase."""

from django.core.files.uploadedfile import SimpleUploadedFile

from proposals import services
from proposals.models import Proposal
from tests.cohorts.world import cohort_world
from tests.proposals.factories import proposal_at

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def proposal_world(w: dict) -> dict:
    if "proposals" not in w:
        team = {
            "cohort": cohort_world(w)["running"],
            "lead": w["trainee"],
            "manager": w["manager"],
            "reviewer": w["mentor"],
        }
        draft = proposal_at(team, title="مسودة")
        attachment = services.add_attachment(
            actor=w["trainee"],
            proposal=draft,
            upload=SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n" + b"0" * 64),
        )
        reviewed = proposal_at(team, Proposal.Status.IN_REVIEW, title="قيد المراجعة")
        implementing = proposal_at(team, Proposal.Status.IN_IMPLEMENTATION, title="قيد التنفيذ")
        update = services.post_progress(
            actor=w["trainee"],
            proposal=implementing,
            text="بدأنا",
            photos=[SimpleUploadedFile("p.png", PNG)],
        )
        showcased = proposal_at(
            team, Proposal.Status.COMPLETED, title="منجزة", showcase_consent=True
        )
        w["proposals"] = {
            "draft": draft,
            "attachment": attachment,
            "reviewed": reviewed,
            "assignment": reviewed.assignments.get(),
            "implementing": implementing,
            "photo": update.photos.get(),
            "showcased": showcased,
        }
    return w["proposals"]


def get(key):
    """A matrix kwarg: `get("reviewed")` -> lambda w: that proposal's pk."""
    return lambda w: proposal_world(w)[key].pk
