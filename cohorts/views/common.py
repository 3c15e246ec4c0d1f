"""What every cohorts page shares: page sizes, the page for a refused action, a safe `next`, and
the two ways a page reaches what its person runs (a managed cohort, a session's attendance)."""

from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme

from .. import services
from ..models import Cohort, Session

PAGE_SIZE = 50
# The roll call shows this many trainees per page: a phone renders a hundred rows of four buttons
# quickly, and most cohorts fit on one page.
ROLL_CALL_PAGE_SIZE = 100
UPCOMING_ON_COHORT_PAGE = 10
ANNOUNCEMENTS_ON_COHORT_PAGE = 5


def problem(request, message, *, back, status=409):
    """A refused action whose page has no form to show the error on."""
    return render(
        request, "cohorts/problem.html", {"message": message, "back": back}, status=status
    )


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def managed_cohort(request, pk) -> Cohort:
    """A cohort this person runs; any other (even one they belong to) is not found."""
    return get_object_or_404(Cohort.objects.managed_by(request.user), pk=pk)


def attendance_session(request, pk) -> Session:
    """A session whose attendance this person takes (its facilitator, the cohort's managers).
    A member who can see the session but not take attendance is refused (403)."""
    session = get_object_or_404(
        Session.objects.visible_to(request.user).select_related("cohort", "facilitator"), pk=pk
    )
    services.require_attendance_taker(request.user, session)
    return session
