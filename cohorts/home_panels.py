"""The cohorts panel of the signed-in home page (registered with core.home from the app's ready()):
the person's cohorts with their next session and latest announcement."""

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from cohorts import services
from cohorts.models import Announcement, Application, ExcuseRequest, Membership, Session

HOME_COHORTS = 4


def my_cohorts(request):
    """One query: the active memberships with their cohort, next session and latest
    announcement."""
    user = request.user
    now = timezone.now()
    upcoming = Session.objects.filter(cohort=OuterRef("cohort_id"), ends_at__gt=now).order_by(
        "starts_at", "id"
    )
    latest = Announcement.objects.filter(cohort=OuterRef("cohort_id")).order_by(
        "-created_at", "-id"
    )
    applications = (
        Application.objects.filter(
            cohort=OuterRef("cohort_id"), status=Application.Status.SUBMITTED
        )
        .order_by()
        .values("cohort")
        .annotate(n=Count("id"))
        .values("n")
    )
    excuses = (
        ExcuseRequest.objects.filter(
            session__cohort=OuterRef("cohort_id"),
            status=ExcuseRequest.Status.PENDING,
            session__ends_at__gt=now,
        )
        .order_by()
        .values("session__cohort")
        .annotate(n=Count("id"))
        .values("n")
    )
    memberships = list(
        Membership.objects.active()
        .filter(user=user)
        .select_related("cohort")
        .annotate(
            next_id=Subquery(upcoming.values("id")[:1]),
            next_title=Subquery(upcoming.values("title")[:1]),
            next_title_en=Subquery(upcoming.values("title_en")[:1]),
            next_starts=Subquery(upcoming.values("starts_at")[:1]),
            next_ends=Subquery(upcoming.values("ends_at")[:1]),
            news_title=Subquery(latest.values("title")[:1]),
            news_at=Subquery(latest.values("created_at")[:1]),
            # For the cohorts the person runs: the work waiting for them.
            waiting_applications=Coalesce(Subquery(applications), 0),
            waiting_excuses=Coalesce(Subquery(excuses), 0),
        )
        .order_by("-cohort__starts_on", "-id")[: HOME_COHORTS + 1]
    )
    rows = []
    for membership in memberships[:HOME_COHORTS]:
        check_in_open = (
            membership.role == Membership.Role.TRAINEE
            and membership.next_id is not None
            and membership.next_starts - services.CHECK_IN_OPENS_BEFORE
            <= now
            <= membership.next_ends
        )
        rows.append({"membership": membership, "check_in_open": check_in_open})
    return {
        "rows": rows,
        "more": len(memberships) > HOME_COHORTS,
        "manager": user.can_manage(),
    }
