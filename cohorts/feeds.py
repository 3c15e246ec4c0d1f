"""The personal calendar feed: a secret address calendar apps poll without signing in."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .calendar import build_calendar
from .models import CalendarFeed, Cohort, Membership, Session

# Sessions of draft or archived cohorts do not appear in anyone's calendar.
CALENDAR_STATUSES = (Cohort.Status.RECRUITING, Cohort.Status.RUNNING, Cohort.Status.COMPLETED)


def sessions_on_calendar_of(user):
    """Every session of the person's cohorts (any active role, so the sessions they facilitate
    too; a facilitator removed from the cohort no longer gets them)."""
    member_of = Membership.objects.active().filter(user=user).values("cohort_id")
    return (
        Session.objects.filter(cohort_id__in=member_of)
        .filter(cohort__status__in=CALENDAR_STATUSES)
        .select_related("cohort")
        .order_by("starts_at", "id")
    )


def _session_page(session) -> str:
    """The session on its cohort's page, as an address a calendar app can open."""
    page = reverse("cohorts:detail", args=[session.cohort_id])
    return f"{settings.SITE_URL.rstrip('/')}{page}#session-{session.pk}"


@require_GET
def calendar_feed(request, token: str):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    user = feed.user
    language = user.preferred_language or settings.LANGUAGE_CODE
    # Rendered for its owner, in their language, whoever's calendar app asks.
    with translation.override(language):
        body = build_calendar(
            sessions_on_calendar_of(user),
            name=_("Ishtar sessions"),
            domain=urlsplit(settings.SITE_URL).hostname or "ishtar.example",
            language=language,
            link=_session_page,
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ishtar.ics"'
    # The address is the secret: keep it out of shared caches and referrers.
    response["Cache-Control"] = "private, max-age=300"
    response["Referrer-Policy"] = "no-referrer"
    return response
