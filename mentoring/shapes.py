"""The mentor's and trainee's mentoring pages' reads as compiled shapes (core.compiled): built
from the same rule as the ORM path (`visible_to_person`, which `visible_to` calls), compiled once
per connection, then run with the request's ids. Whether the person is staff is a keyword of the
shape, never read inside a builder; a person who is not signed in gets nothing, as from
`visible_to`."""

from django.db.models import Max
from django.http import Http404

from cohorts.models import is_staff, signed_in
from core.compiled import Shape

from .models import Goal, Meeting, Mentorship


def _mentorship(user_id, mentorship_id, *, staff):
    return (
        Mentorship.objects.visible_to_person(user_id, staff=staff)
        .select_related("mentor", "trainee", "cohort")
        .filter(pk=mentorship_id)
        .order_by()
    )


def _meetings(user_id, mentorship_id, *, staff):
    return Meeting.objects.visible_to_person(user_id, staff=staff).filter(mentorship=mentorship_id)


def _goals(user_id, mentorship_id, *, staff):
    return Goal.objects.visible_to_person(user_id, staff=staff).filter(mentorship=mentorship_id)


def _mentees(user_id, *, staff):
    """The mentor's mentorships but declined ones, with the date of the last meeting."""
    return (
        Mentorship.objects.visible_to_person(user_id, staff=staff)
        .filter(mentor=user_id)
        .exclude(status=Mentorship.Status.DECLINED)
        .select_related("trainee", "cohort")
        .annotate(last_meeting=Max("meetings__date"))
    )


def _mentors(user_id, *, staff):
    """The trainee's current mentorships, with the mentor and the cohort."""
    return (
        Mentorship.objects.visible_to_person(user_id, staff=staff)
        .filter(trainee=user_id)
        .current()
        .select_related("mentor", "cohort")
    )


_MENTORSHIP = Shape(_mentorship)
_MEETINGS = Shape(_meetings)
_GOALS = Shape(_goals)
_MENTEES = Shape(_mentees)
_MENTORS = Shape(_mentors)


def _run(shape, user, *values) -> list:
    if not signed_in(user):
        return []
    return shape.list(user.pk, *values, staff=is_staff(user))


def mentorship(user, mentorship_id) -> Mentorship:
    """The mentorship `visible_to(user)` shows, with mentor, trainee and cohort; else 404."""
    found = _run(_MENTORSHIP, user, mentorship_id)
    if not found:
        raise Http404
    return found[0]


def meetings(user, m) -> list[Meeting]:
    """The meetings of the mentorship that `Meeting.objects.visible_to(user)` shows."""
    return _run(_MEETINGS, user, m.pk)


def goals(user, m) -> list[Goal]:
    """The goals of the mentorship that `Goal.objects.visible_to(user)` shows."""
    return _run(_GOALS, user, m.pk)


def my_mentees(user) -> list[Mentorship]:
    """A mentor's page: their mentorships but declined ones, with `last_meeting`."""
    return _run(_MENTEES, user)


def my_mentors(user) -> list[Mentorship]:
    """A trainee's page: their current mentorships."""
    return _run(_MENTORS, user)
