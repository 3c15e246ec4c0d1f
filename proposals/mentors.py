"""How proposals read mentoring: a mentor sees the proposals of the trainees they mentor (an
active mentorship in the proposal's cohort), and a cohort may keep a trainee's own mentor off
their review panel."""

from django.db.models import Exists, OuterRef, Q

from mentoring.models import Mentorship


def _active(queryset):
    return queryset.filter(status=Mentorship.Status.ACTIVE)


def mentee_filter(user, *, lead_field="lead", cohort_field="cohort") -> Q:
    """A Q matching rows whose lead is an active mentee of `user` in that cohort."""
    pairs = _active(
        Mentorship.objects.filter(
            mentor=user, trainee=OuterRef(lead_field), cohort=OuterRef(cohort_field)
        )
    )
    return Q(Exists(pairs))


def mentor_of(trainee, cohort) -> set[int]:
    """The user ids of the trainee's active mentors in a cohort."""
    return set(
        _active(Mentorship.objects.filter(trainee=trainee, cohort=cohort)).values_list(
            "mentor_id", flat=True
        )
    )
