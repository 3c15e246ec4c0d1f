"""How proposals read mentoring: a mentor sees the proposals of the trainees they mentor (an
active mentorship in the proposal's cohort, the trainee still a member of it), and a cohort may
keep a trainee's own mentor off their review panel."""

from django.db.models import Exists, OuterRef, Q

from mentoring.models import MentorProfile, Mentorship


def _active(queryset):
    """Mentorships in force: active, with the trainee still in the cohort."""
    return queryset.in_force()


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


def profile_holders():
    """The user ids of the mentors who offer mentoring (a mentor profile): the shared pool every
    cohort's managers see when they match and assign."""
    return MentorProfile.objects.values("user_id")
