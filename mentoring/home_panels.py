"""The mentoring panel of the signed-in home page, for mentors: how many trainees they mentor,
how many matches await their answer, and the way to their mentees (registered with core.home from
the app's ready())."""

from django.db.models import Count, Q

from .models import Mentorship


def is_mentor(user) -> bool:
    return user.is_mentor


def my_mentees(request):
    """One query: the mentor's active mentorships and the proposed ones awaiting their answer."""
    S = Mentorship.Status
    counts = Mentorship.objects.filter(mentor=request.user).aggregate(
        active=Count("id", filter=Q(status=S.ACTIVE)),
        proposed=Count("id", filter=Q(status=S.PROPOSED)),
    )
    return counts
