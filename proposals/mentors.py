"""The hook by which "a mentor sees their mentees' proposals" reaches the mentoring app.

MENTORING HOOK: mentoring.models.Mentorship (mentor, trainee, cohort, status) is being built
alongside this app. While it does not exist, `mentee_filter` returns None and mentors see only
what they are assigned to review. Once it exists, the import below picks it up; nothing else in
proposals needs to change."""

from django.db.models import Exists, OuterRef, Q

try:  # the mentoring app may not define its model yet
    from mentoring.models import Mentorship
except ImportError:  # pragma: no cover - depends on the state of the mentoring app
    Mentorship = None


def _active(qs):
    status = getattr(Mentorship, "Status", None)
    if status is not None and hasattr(status, "ACTIVE"):
        return qs.filter(status=status.ACTIVE)
    return qs


def mentee_filter(user, *, lead_field="lead", cohort_field="cohort"):
    """A Q matching rows whose lead is a mentee of `user` in that cohort, or None without the
    mentoring app."""
    if Mentorship is None:
        return None
    pairs = _active(
        Mentorship.objects.filter(
            mentor=user, trainee=OuterRef(lead_field), cohort=OuterRef(cohort_field)
        )
    )
    return Q(Exists(pairs))


def mentor_of(trainee, cohort):
    """The user ids of the trainee's mentors in a cohort (empty without the mentoring app)."""
    if Mentorship is None:
        return set()
    return set(
        _active(Mentorship.objects.filter(trainee=trainee, cohort=cohort)).values_list(
            "mentor_id", flat=True
        )
    )
