"""The cohorts panel of the signed-in home page (registered with core.home from the app's ready()):
the person's cohorts with their next session and latest announcement."""

import datetime

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce, JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cohorts import services
from cohorts.models import Announcement, Application, ExcuseRequest, Membership, Session
from core.compiled import Shape

HOME_COHORTS = 4


def _memberships(user_id, now, *, manager):
    """The person's active memberships with their cohort, the next session after `now`, the
    latest announcement and, for someone who runs cohorts, the work waiting for them."""
    upcoming = Session.objects.filter(cohort=OuterRef("cohort_id"), ends_at__gt=now).order_by(
        "starts_at", "id"
    )
    latest = Announcement.objects.filter(cohort=OuterRef("cohort_id")).order_by(
        "-created_at", "-id"
    )
    figures = {
        "next_session": Subquery(
            upcoming.values(
                session=JSONObject(
                    id="id", title="title", title_en="title_en", starts="starts_at", ends="ends_at"
                )
            )[:1]
        ),
        "news_title": Subquery(latest.values("title")[:1]),
        "news_at": Subquery(latest.values("created_at")[:1]),
    }
    if manager:
        # For the cohorts the person runs: the work waiting for them.
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
        figures["waiting_applications"] = Coalesce(Subquery(applications), 0)
        figures["waiting_excuses"] = Coalesce(Subquery(excuses), 0)
    return (
        Membership.objects.active()
        .filter(user=user_id)
        .select_related("cohort")
        .annotate(**figures)
        .order_by("-cohort__starts_on", "-id")[: HOME_COHORTS + 1]
    )


# Built and compiled once per connection (core.compiled); `now` is a value of its SQL.
_MEMBERSHIPS = Shape(_memberships)


def my_cohorts(request):
    """One query: the active memberships with their cohort, next session (one subquery for its
    fields, as a JSON object) and latest announcement; for someone who runs cohorts, the work
    waiting for them too."""
    user = request.user
    now = timezone.now()
    manager = user.can_manage()
    memberships = _MEMBERSHIPS.list(user.pk, now, manager=manager)
    for membership in memberships:
        _unpack_next_session(membership)
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
        "manager": manager,
    }


def _unpack_next_session(membership) -> None:
    """The next session's fields as the membership's attributes (next_id, next_title,
    next_title_en, next_starts, next_ends); its moments read back from JSON as aware
    datetimes (SQLite writes them without a zone, in UTC)."""
    found = membership.next_session or {}
    membership.next_id = found.get("id")
    membership.next_title = found.get("title", "")
    membership.next_title_en = found.get("title_en", "")
    membership.next_starts = _moment(found.get("starts"))
    membership.next_ends = _moment(found.get("ends"))


def _moment(text):
    if not text:
        return None
    moment = parse_datetime(text)
    if moment is not None and timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment
