"""The mentor's and trainee's mentoring pages' reads (their mentorships, the mentor's profile
form, the trainee's intake form) and the API's lists as compiled shapes (core.compiled): built
from the same rule as the ORM path (`visible_to_person`, which `visible_to` calls), compiled once
per connection, then run with the request's ids. Whether the person is staff is a keyword of the
shape, never read inside a builder; a person who is not signed in gets nothing, as from
`visible_to`."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.http import Http404

from cohorts.models import Membership, is_staff, signed_in
from core.compiled import Shape
from core.paging import ShapedList

from .models import Goal, MatchRound, Meeting, MentorProfile, Mentorship


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


def _full_name(column: str) -> Subquery:
    return Subquery(get_user_model().objects.filter(pk=OuterRef(column)).values("full_name")[:1])


def _mentorship_list(user_id, *, staff, side):
    """The API's list: newest first, `side` "mentor" or "trainee" for the person's own side
    only. The names are subqueries, not joins: joined, the planner (expecting hundreds of rows
    from the access rule's OR) hashed the whole accounts table twice for a page of five."""
    queryset = (
        Mentorship.objects.visible_to_person(user_id, staff=staff)
        .annotate(mentor_name=_full_name("mentor_id"), trainee_name=_full_name("trainee_id"))
        .order_by("-created_at", "pk")
    )
    if side == "mentor":
        return queryset.filter(mentor=user_id)
    if side == "trainee":
        return queryset.filter(trainee=user_id)
    return queryset


def _meeting_list(user_id, *, staff):
    # The mentorship with each meeting: whose notes they are decides who reads them.
    return (
        Meeting.objects.visible_to_person(user_id, staff=staff)
        .select_related("mentorship")
        .order_by("-date", "-pk")
    )


def _meeting_list_of(user_id, mentorship_id, *, staff):
    return _meeting_list(user_id, staff=staff).filter(mentorship=mentorship_id)


def _goal_list(user_id, *, staff):
    return Goal.objects.visible_to_person(user_id, staff=staff).order_by("pk")


def _goal_list_of(user_id, mentorship_id, *, staff):
    return _goal_list(user_id, staff=staff).filter(mentorship=mentorship_id)


def _round_list(user_id, *, staff):
    """The API's rounds, newest first, each with how many trainees it matched and left
    unmatched (grouped: the pager counts it through the ORM, past one page only)."""
    return (
        MatchRound.objects.visible_to_person(user_id, staff=staff)
        .order_by("-created_at", "-pk")
        .annotate(
            matched=Count("proposals", filter=Q(proposals__mentor__isnull=False)),
            unmatched=Count("proposals", filter=Q(proposals__mentor__isnull=True)),
        )
    )


def _round_list_of(user_id, cohort_id, *, staff):
    return _round_list(user_id, staff=staff).filter(cohort_id=cohort_id)


def _my_profile(user_id, *, staff):
    # `.first()`'s SQL: ordered by pk, one row.
    rule = MentorProfile.objects.visible_to_person(user_id, staff=staff)
    return rule.filter(user=user_id).order_by("pk")[:1]


def _my_intake_membership(user_id, membership_id, *, staff):
    """The trainee's own active membership of this id, with its cohort and intake (the intake
    page's `get_object_or_404`, unordered: one row at most)."""
    return (
        Membership.objects.visible_to_person(user_id, staff=staff)
        .active()
        .trainees()
        .filter(user=user_id)
        .select_related("cohort", "mentoring_intake")
        .filter(pk=membership_id)
        .order_by()[:1]
    )


_MENTORSHIP = Shape(_mentorship)
_MEETINGS = Shape(_meetings)
_GOALS = Shape(_goals)
_MENTEES = Shape(_mentees)
_MENTORS = Shape(_mentors)
_MY_PROFILE = Shape(_my_profile)
_MY_INTAKE_MEMBERSHIP = Shape(_my_intake_membership)


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


def my_mentor_profile(user) -> MentorProfile | None:
    """The mentor's own profile as `MentorProfile.objects.visible_to(user)` shows it, or None
    (none written yet)."""
    found = _run(_MY_PROFILE, user)
    return found[0] if found else None


def my_intake_membership(user, membership_id) -> Membership:
    """The intake page's membership: the person's own, active, as a trainee, that
    `Membership.objects.visible_to(user)` shows, with its cohort and intake; else 404."""
    found = _run(_MY_INTAKE_MEMBERSHIP, user, membership_id)
    if not found:
        raise Http404
    return found[0]


def _listed(user, build, *values, **key):
    if not signed_in(user):
        return []
    return ShapedList(build, user.pk, *values, staff=is_staff(user), **key)


def mentorship_list(user, side: str | None):
    """The API's mentorships, paged as stored SQL: what `visible_to(user)` shows, newest first;
    `side` "mentor" or "trainee" narrows to the person's own side."""
    side = side if side in ("mentor", "trainee") else ""
    return _listed(user, _mentorship_list, side=side)


def meeting_list(user, mentorship_id: int | None):
    """The API's meetings, newest first, of one mentorship when `mentorship_id` is given."""
    if mentorship_id is None:
        return _listed(user, _meeting_list)
    return _listed(user, _meeting_list_of, mentorship_id)


def goal_list(user, mentorship_id: int | None):
    """The API's goals, oldest first, of one mentorship when `mentorship_id` is given."""
    if mentorship_id is None:
        return _listed(user, _goal_list)
    return _listed(user, _goal_list_of, mentorship_id)


def round_list(user, cohort_id: int | None):
    """The API's match rounds that `MatchRound.objects.visible_to(user)` shows, newest first,
    with their matched and unmatched counts; of one cohort when `cohort_id` is given."""
    if cohort_id is None:
        return _listed(user, _round_list)
    return _listed(user, _round_list_of, cohort_id)
