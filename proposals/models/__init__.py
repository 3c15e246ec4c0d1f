"""Initiative proposals: a team's civic initiative, its budget and files, the revisions frozen at
each submission, every transition, the cohort's rubric and the reviews scored with it, private
notes, and the milestones and progress updates of an approved initiative.

Access (one path per model, `Model.objects.visible_to(user)`):
- the team (the lead, accepted or invited co-authors) sees its own proposal;
- an assigned reviewer sees what they review; a mentor sees their mentees' proposals (through the
  mentoring app, see proposals.mentors); managers see their cohorts'; staff everything;
- reviews reach the team only once the decision is published; private notes never do."""

from .implementation import Milestone, ProgressPhoto, ProgressUpdate
from .proposal import (
    MAX_ATTACHMENT_BYTES,
    MAX_QUANTITY,
    MAX_UNIT_COST_IQD,
    SCORE_MAX,
    SCORE_MIN,
    Attachment,
    BudgetLine,
    Proposal,
    ProposalQuerySet,
    Revision,
    TeamMember,
    Transition,
    attachment_path,
)
from .review import (
    Criterion,
    Review,
    ReviewAssignment,
    ReviewAssignmentQuerySet,
    ReviewNote,
    ReviewNoteQuerySet,
    ReviewQuerySet,
    Rubric,
    Score,
)

__all__ = [
    "MAX_ATTACHMENT_BYTES",
    "MAX_QUANTITY",
    "MAX_UNIT_COST_IQD",
    "SCORE_MAX",
    "SCORE_MIN",
    "Attachment",
    "attachment_path",
    "BudgetLine",
    "Criterion",
    "Milestone",
    "ProgressPhoto",
    "ProgressUpdate",
    "Proposal",
    "ProposalQuerySet",
    "Review",
    "ReviewAssignment",
    "ReviewAssignmentQuerySet",
    "ReviewNote",
    "ReviewNoteQuerySet",
    "ReviewQuerySet",
    "Revision",
    "Rubric",
    "Score",
    "TeamMember",
    "Transition",
]
