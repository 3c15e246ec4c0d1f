"""What mentoring plugs into the apps below it (registered in MentoringConfig.ready()):
a mentor sees their active mentees' course progress (courses.access), and the cohort dashboard
shows each trainee's mentor and the days since their last meeting (cohorts.dashboard)."""

from django.contrib.auth import get_user_model
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Mentorship


def active_mentees(viewer):
    """The people whose progress this viewer may see as their mentor: active mentorships only
    (a proposed one is not yet accepted, a declined or ended one no longer counts)."""
    if viewer is None or not viewer.is_authenticated or not viewer.is_active:
        return None
    mine = Mentorship.objects.filter(
        mentor=viewer, trainee=OuterRef("pk"), status=Mentorship.Status.ACTIVE
    )
    return get_user_model().objects.filter(Exists(mine))


def mentor_column(cohort, user_ids) -> dict[int, str]:
    """{trainee id: "mentor name · N days since the last meeting"} for the rows on show, in one
    query."""
    rows = (
        Mentorship.objects.current()
        .filter(cohort=cohort, trainee_id__in=user_ids)
        .select_related("mentor")
        .annotate(last_meeting=Max("meetings__date"))
    )
    today = timezone.localdate()
    answer = {}
    for m in rows:
        if m.last_meeting is None:
            since = _("no meeting yet")
        else:
            days = (today - m.last_meeting).days
            since = ngettext(
                "%(days)s day since the last meeting",
                "%(days)s days since the last meeting",
                days,
            ) % {"days": days}
        answer[m.trainee_id] = f"{m.mentor.full_name} · {since}"
    return answer
