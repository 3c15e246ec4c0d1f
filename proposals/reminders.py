"""What proposals declare due (issue 12), registered with notifications.reminders from ready():

- `proposals.review_due`: an assigned review of a proposal under review, not submitted, due
  within 48 h, to its reviewer ("48h"). A review is due at the end of its due date (midnight,
  Baghdad).
- `proposals.review_overdue`: the same review past its due date, escalated to every active
  manager of the proposal's cohort ("overdue"), for a week after the due date.
- `proposals.milestone_due`: a milestone of an initiative being implemented, not complete, due
  within 3 days (today included), to the whole team: the lead and the accepted co-authors.

Occurrences carry the due date ("48h:2026-12-04", cohorts.reminders.stamped): a new due date
is reminded again.

A published decision and a status change are events, not scans: every status change goes
through `services.common.move`, which notifies the lead and every accepted co-author (but the
person who made the change).

Each scan runs two queries, whatever the number of reviews, milestones or people."""

import datetime
from collections import defaultdict

from cohorts.models import BAGHDAD, Membership
from cohorts.reminders import key_pk, stamped
from core.pages import page_url
from notifications import reminders
from notifications.reminders import Due, Reminder

from .models import Milestone, Proposal, ReviewAssignment, TeamMember

REVIEW_SOON = datetime.timedelta(hours=48)
OVERDUE_FOR = datetime.timedelta(days=7)
MILESTONE_SOON_DAYS = 3

REVIEW_DUE = "proposals.review_due"
REVIEW_OVERDUE = "proposals.review_overdue"
MILESTONE_DUE = "proposals.milestone_due"


def review_deadline(due_on: datetime.date) -> datetime.datetime:
    """A review is due by the end of its due date in Baghdad."""
    return datetime.datetime.combine(
        due_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=BAGHDAD
    )


def review_occurrence(due_on: datetime.date, now: datetime.datetime) -> str | None:
    deadline = review_deadline(due_on)
    if deadline - REVIEW_SOON <= now < deadline:
        return "48h"
    if deadline <= now < deadline + OVERDUE_FOR:
        return "overdue"
    return None


def _pending_reviews(now):
    """Unsubmitted assignments of proposals under review whose due date is near or just past:
    the dates from two days ahead back to a week ago (narrowed exactly by review_occurrence)."""
    today = now.astimezone(BAGHDAD).date()
    return ReviewAssignment.objects.pending().filter(
        proposal__status__in=Proposal.UNDER_REVIEW,
        due_on__gte=today - OVERDUE_FOR - datetime.timedelta(days=1),
        due_on__lte=today + datetime.timedelta(days=2),
    )


def _review_params(row) -> dict:
    return {"title": row["proposal__title"], "due": row["due_on"].isoformat()}


_REVIEW_FIELDS = ("pk", "reviewer_id", "due_on", "proposal__title", "proposal__cohort_id")


def scan_review_due(now):
    """One query."""
    return [
        Due(
            recipient_id=row["reviewer_id"],
            object_key=f"proposals.reviewassignment:{row['pk']}",
            occurrence=stamped("48h", row["due_on"]),
            params=_review_params(row),
            url=page_url("proposals:review", pk=row["pk"]),
        )
        for row in _pending_reviews(now).values(*_REVIEW_FIELDS).order_by()
        if review_occurrence(row["due_on"], now) == "48h"
    ]


def scan_review_overdue(now):
    """Two queries: the overdue reviews, then the managers of their cohorts."""
    rows = [
        row
        for row in _pending_reviews(now).values(*_REVIEW_FIELDS, "reviewer__full_name").order_by()
        if review_occurrence(row["due_on"], now) == "overdue"
    ]
    if not rows:
        return []
    managers = defaultdict(list)
    for cohort_id, user_id in (
        Membership.objects.active()
        .filter(
            role=Membership.Role.MANAGER,
            cohort_id__in={row["proposal__cohort_id"] for row in rows},
        )
        .values_list("cohort_id", "user_id")
        .order_by()
    ):
        managers[cohort_id].append(user_id)
    return [
        Due(
            recipient_id=manager_id,
            object_key=f"proposals.reviewassignment:{row['pk']}",
            occurrence=stamped("overdue", row["due_on"]),
            params={**_review_params(row), "reviewer": row["reviewer__full_name"]},
            url=page_url("proposals:manage", pk=row["proposal__cohort_id"]),
        )
        for row in rows
        for manager_id in managers[row["proposal__cohort_id"]]
    ]


def review_still_due(due: Due, now) -> bool:
    row = (
        _pending_reviews(now)
        .filter(pk=key_pk(due))
        .values("reviewer_id", "due_on", "proposal__cohort_id")
        .first()
    )
    if row is None:
        return False
    window = review_occurrence(row["due_on"], now)
    if window is None or stamped(window, row["due_on"]) != due.occurrence:
        return False
    if window == "48h":
        return row["reviewer_id"] == due.recipient_id
    return (
        Membership.objects.active()
        .filter(
            role=Membership.Role.MANAGER,
            cohort_id=row["proposal__cohort_id"],
            user_id=due.recipient_id,
        )
        .exists()
    )


def _milestones_due(now):
    today = now.astimezone(BAGHDAD).date()
    return Milestone.objects.filter(
        proposal__status__in=Proposal.IMPLEMENTING,
        percent_complete__lt=100,
        due_on__gte=today,
        due_on__lte=today + datetime.timedelta(days=MILESTONE_SOON_DAYS),
    )


def _team(leads: dict[int, int]) -> dict[int, set[int]]:
    """The lead and the accepted co-authors of each proposal (`leads`: proposal -> lead). One
    query."""
    team = {proposal_id: {lead_id} for proposal_id, lead_id in leads.items()}
    for proposal_id, user_id in (
        TeamMember.objects.filter(proposal_id__in=leads, status=TeamMember.Status.ACCEPTED)
        .values_list("proposal_id", "user_id")
        .order_by()
    ):
        team[proposal_id].add(user_id)
    return team


def scan_milestone_due(now):
    """Two queries: the milestones, then the teams."""
    rows = list(
        _milestones_due(now)
        .values("pk", "title", "due_on", "proposal_id", "proposal__title", "proposal__lead_id")
        .order_by()
    )
    if not rows:
        return []
    team = _team({row["proposal_id"]: row["proposal__lead_id"] for row in rows})
    return [
        Due(
            recipient_id=user_id,
            object_key=f"proposals.milestone:{row['pk']}",
            occurrence=stamped("3d", row["due_on"]),
            params={
                "milestone": row["title"],
                "title": row["proposal__title"],
                "due": row["due_on"].isoformat(),
            },
            url=page_url("proposals:implementation", pk=row["proposal_id"]),
        )
        for row in rows
        for user_id in sorted(team[row["proposal_id"]])
    ]


def milestone_still_due(due: Due, now) -> bool:
    row = (
        _milestones_due(now)
        .filter(pk=key_pk(due))
        .values_list("proposal_id", "proposal__lead_id", "due_on")
        .first()
    )
    if row is None or stamped("3d", row[2]) != due.occurrence:
        return False
    return due.recipient_id in _team({row[0]: row[1]})[row[0]]


REMINDERS = (
    Reminder(kind=REVIEW_DUE, scan=scan_review_due, still_due=review_still_due),
    Reminder(kind=REVIEW_OVERDUE, scan=scan_review_overdue, still_due=review_still_due),
    Reminder(kind=MILESTONE_DUE, scan=scan_milestone_due, still_due=milestone_still_due),
)


def register_reminders() -> None:
    for reminder in REMINDERS:
        reminders.register(reminder)
