"""What other apps read from proposals: each trainee's initiative for the cohort dashboard and the
at-risk reason "no proposal N days before the deadline" (plugged in through
cohorts.dashboard.register_column and register_reason) and, for certificates, whether a person
has an approved initiative in a cohort (the cohort's "an approved initiative is required")."""

import datetime

from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import ngettext

from cohorts.models import Membership
from core.compiled import Shape

from .models import Proposal, Rubric, TeamMember

# A trainee without a submitted proposal is flagged from this many days before the cohort's
# proposal deadline (Rubric.proposal_deadline) on.
DEADLINE_WARNING_DAYS = 14
NOT_SUBMITTED = (Proposal.Status.DRAFT, Proposal.Status.WITHDRAWN)

APPROVED_OR_LATER = (
    Proposal.Status.APPROVED,
    Proposal.Status.IN_IMPLEMENTATION,
    Proposal.Status.COMPLETED,
)


def has_approved_initiative(user, cohort) -> bool:
    """True when the person leads or co-authors an approved (or later) initiative there."""
    return (
        Proposal.objects.of_team(user).filter(cohort=cohort, status__in=APPROVED_OR_LATER).exists()
    )


def _initiatives_of(cohort_id, *user_ids, count):
    """The proposals (but withdrawn ones) that these people (`count` of them) lead or are
    accepted members of: (person, title, status, updated)."""
    leads = (
        Proposal.objects.filter(cohort_id=cohort_id, lead_id__in=user_ids)
        .exclude(status=Proposal.Status.WITHDRAWN)
        .values_list("lead_id", "title", "status", "updated_at")
        .order_by()
    )
    members = (
        TeamMember.objects.filter(
            proposal__cohort_id=cohort_id, user_id__in=user_ids, status=TeamMember.Status.ACCEPTED
        )
        .exclude(proposal__status=Proposal.Status.WITHDRAWN)
        .values_list("user_id", "proposal__title", "proposal__status", "proposal__updated_at")
        .order_by()
    )
    return leads.union(members, all=True)


# Compiled once per number of people (core.compiled.Shape).
_INITIATIVES_OF = Shape(_initiatives_of)


def initiative_by_trainee(cohort, user_ids) -> dict[int, str]:
    """{user id: "title — status"} for the dashboard rows on show, in one query. A trainee on
    several proposals shows the most recently updated one; withdrawn ones are left out."""
    found: dict[int, tuple] = {}
    ids = [int(user_id) for user_id in user_ids]
    rows = _INITIATIVES_OF.list(cohort.pk, *ids, count=len(ids)) if ids else []
    for user_id, title, status, updated in rows:
        if user_id not in found or updated > found[user_id][2]:
            found[user_id] = (title, status, updated)
    return {
        user_id: f"{title} — {Proposal.Status(status).label}"
        for user_id, (title, status, _updated) in found.items()
    }


def initiative_column(cohort, rows, now) -> dict[int, str]:
    """The dashboard's "Initiative" column (cohorts.dashboard.register_column)."""
    return initiative_by_trainee(cohort, [row.user_id for row in rows])


def no_proposal_near_deadline_condition(cohort, now):
    """The at-risk reason as the dashboard's condition over the cohort's trainee memberships
    (cohorts.dashboard.register_reason): the deadline is DEADLINE_WARNING_DAYS days away or
    past, and the trainee neither leads nor is an accepted member of a submitted proposal."""
    today = timezone.localtime(now).date()
    submitted = Proposal.objects.filter(cohort=cohort).exclude(status__in=NOT_SUBMITTED)
    return (
        Exists(
            Rubric.objects.filter(
                cohort=cohort,
                proposal_deadline__lte=today + datetime.timedelta(days=DEADLINE_WARNING_DAYS),
            )
        )
        & ~Exists(submitted.filter(lead_id=OuterRef("user_id")))
        & ~Exists(
            TeamMember.objects.filter(
                proposal__in=submitted,
                user_id=OuterRef("user_id"),
                status=TeamMember.Status.ACCEPTED,
            )
        )
    )


def no_proposal_near_deadline(cohort, rows, now) -> dict[int, str]:
    """The at-risk reason's message: {trainee id: message} of these rows' trainees that
    no_proposal_near_deadline_condition flags, with the days to (or since) the deadline. One
    query: the trainees it flags among these, each with the deadline."""
    deadline = Rubric.objects.filter(cohort=cohort).values("proposal_deadline")[:1]
    flagged = (
        Membership.objects.filter(cohort=cohort, user_id__in=[row.user_id for row in rows])
        .filter(no_proposal_near_deadline_condition(cohort, now))
        .annotate(deadline=Subquery(deadline))
        .values_list("user_id", "deadline")
    )
    today = timezone.localtime(now).date()
    answer = {}
    for user_id, day in flagged:
        days = (day - today).days
        answer[user_id] = (
            ngettext(
                "No proposal submitted %(days)s day before the deadline.",
                "No proposal submitted %(days)s days before the deadline.",
                days,
            )
            if days >= 0
            else ngettext(
                "No proposal submitted; the deadline passed %(days)s day ago.",
                "No proposal submitted; the deadline passed %(days)s days ago.",
                -days,
            )
        ) % {"days": abs(days)}
    return answer
