"""What every cohorts page shares: page sizes, the page for a refused action, a safe `next`, and
the two ways a page reaches what its person runs (a managed cohort, a session's attendance)."""

from django.http import Http404

from .. import services, shapes
from ..models import Cohort, Session

PAGE_SIZE = 50
# The roll call shows this many trainees per page: a phone renders a hundred rows of four buttons
# quickly, and most cohorts fit on one page.
ROLL_CALL_PAGE_SIZE = 100
UPCOMING_ON_COHORT_PAGE = 10
ANNOUNCEMENTS_ON_COHORT_PAGE = 5


def managed_cohort(request, pk) -> Cohort:
    """A cohort this person runs; any other (even one they belong to) is not found."""
    cohort = shapes.managed_cohort(request.user, pk)
    if cohort is None:
        raise Http404
    return cohort


def attendance_session(request, pk) -> Session:
    """A session whose attendance this person takes (its facilitator, the cohort's managers).
    A member who can see the session but not take attendance is refused (403)."""
    session = shapes.visible_session(request.user, pk)
    if session is None:
        raise Http404
    services.require_attendance_taker(request.user, session)
    return session
