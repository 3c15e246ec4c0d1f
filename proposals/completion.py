"""What other apps read from proposals: each trainee's initiative for the cohort dashboard (plugged
in through cohorts.dashboard.register_initiative_lookup) and, for certificates, whether a person
has an approved initiative in a cohort (the cohort's "an approved initiative is required")."""

from .models import Proposal, TeamMember

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


def initiative_by_trainee(cohort, user_ids) -> dict[int, str]:
    """{user id: "title — status"} for the dashboard rows on show, in two queries. A trainee on
    several proposals shows the most recently updated one; withdrawn ones are left out."""
    found: dict[int, tuple] = {}
    leads = (
        Proposal.objects.filter(cohort=cohort, lead_id__in=user_ids)
        .exclude(status=Proposal.Status.WITHDRAWN)
        .values_list("lead_id", "title", "status", "updated_at")
    )
    members = (
        TeamMember.objects.filter(
            proposal__cohort=cohort, user_id__in=user_ids, status=TeamMember.Status.ACCEPTED
        )
        .exclude(proposal__status=Proposal.Status.WITHDRAWN)
        .values_list("user_id", "proposal__title", "proposal__status", "proposal__updated_at")
    )
    for user_id, title, status, updated in [*leads, *members]:
        if user_id not in found or updated > found[user_id][2]:
            found[user_id] = (title, status, updated)
    return {
        user_id: f"{title} — {Proposal.Status(status).label}"
        for user_id, (title, status, _updated) in found.items()
    }
