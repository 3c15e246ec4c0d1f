"""How cohort membership opens courses, review rights and progress to people. CohortsConfig.ready()
registers these with courses.access (courses cannot import cohorts: the dependency runs the other
way).

- Audience: a person with an active membership (any role: trainees take the course, mentors and
  facilitators follow it) in a cohort that is recruiting, running or completed, whose curriculum
  contains the course. Accepted trainees of a recruiting cohort may start before the first day;
  a completed cohort keeps its material readable; draft and archived cohorts open nothing.
- Course start: the start date of that cohort (midnight, Baghdad), for deadlines relative to it.
- Reviewer: a mentor or facilitator with an active membership in a cohort where the submitter is
  an active trainee may accept or return their assignment (until the mentoring app narrows it
  to a trainee's own mentor).
- Progress viewers: the managers, mentors and facilitators of a cohort (active memberships) see
  the progress and submissions of its active trainees (facilitators, because they review)."""

from django.db.models import Exists, OuterRef, Q

from .models import Cohort, Membership

OPEN_STATUSES = (Cohort.Status.RECRUITING, Cohort.Status.RUNNING, Cohort.Status.COMPLETED)
STAFF_ROLES = (Membership.Role.MANAGER, Membership.Role.MENTOR, Membership.Role.FACILITATOR)


def _open_memberships(user):
    return Membership.objects.active().filter(user=user, cohort__status__in=OPEN_STATUSES)


def course_audience(user) -> Q:
    """Over Course: one EXISTS, so course lists never multiply rows."""
    return Q(
        Exists(
            _open_memberships(user).filter(
                cohort__curriculum__course=OuterRef("pk"),
            )
        )
    )


def course_start(user, course):
    cohort = (
        Cohort.objects.filter(
            pk__in=_open_memberships(user).values("cohort_id"), curriculum__course=course
        )
        .order_by("-starts_on", "-id")
        .first()
    )
    return cohort.starts_at if cohort is not None else None


def may_review(reviewer, submission) -> bool:
    shared = Membership.objects.active().filter(
        user=submission.user_id, role=Membership.Role.TRAINEE
    )
    return (
        Membership.objects.active()
        .filter(
            user=reviewer,
            role__in=(Membership.Role.MENTOR, Membership.Role.FACILITATOR),
            cohort_id__in=shared.values("cohort_id"),
        )
        .exists()
    )


def progress_people(viewer):
    """The ids of the active trainees of the cohorts where the viewer is a manager, mentor or
    facilitator (read from the memberships alone, without the accounts table)."""
    led = Membership.objects.active().filter(user=viewer, role__in=STAFF_ROLES).values("cohort_id")
    return Membership.objects.active().trainees().filter(cohort_id__in=led).values("user_id")
