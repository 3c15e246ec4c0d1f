"""Proposals use cases, one module per area, re-exported here: `services.submit_proposal`."""

from core.errors import Conflict, Refused

from .common import can_manage, is_team
from .implementation import add_milestone, comment_on_progress, post_progress
from .lifecycle import (
    accept_invitation,
    add_attachment,
    clean_budget,
    complete_proposal,
    create_proposal,
    decide_proposal,
    decline_invitation,
    invite_coauthor,
    is_active_trainee,
    remove_attachment,
    request_changes,
    respond_to_invitation,
    resubmit_proposal,
    start_implementation,
    start_review,
    submit_proposal,
    update_proposal,
    withdraw_proposal,
)
from .review import (
    add_note,
    assign_reviewers,
    configure_rubric,
    review_summary,
    reviewer_choices,
    rubric_for,
    submit_review,
)
from .revisions import diff, freeze, snapshot

__all__ = [
    "Conflict",
    "Refused",
    "accept_invitation",
    "add_attachment",
    "add_milestone",
    "add_note",
    "assign_reviewers",
    "can_manage",
    "clean_budget",
    "comment_on_progress",
    "complete_proposal",
    "configure_rubric",
    "create_proposal",
    "decide_proposal",
    "decline_invitation",
    "diff",
    "freeze",
    "invite_coauthor",
    "is_active_trainee",
    "is_team",
    "post_progress",
    "remove_attachment",
    "request_changes",
    "respond_to_invitation",
    "resubmit_proposal",
    "review_summary",
    "reviewer_choices",
    "rubric_for",
    "snapshot",
    "start_implementation",
    "start_review",
    "submit_proposal",
    "submit_review",
    "update_proposal",
    "withdraw_proposal",
]
