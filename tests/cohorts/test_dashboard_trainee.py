"""A trainee's page in a cohort (cohorts:dashboard_trainee), linked from the dashboard: the
trainee's figures and flags as the dashboard shows them, courses, attendance per session (a
session still running or ended without a roll call is not an absence), submissions, excuses and
the columns other apps add (mentor and last meeting, initiative, certificate). The cohort's
managers, staff and the trainee's active mentor open it; anyone else gets 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from certificates import services as certificate_services
from cohorts import services
from cohorts.models import Attendance, Membership
from mentoring import services as mentoring_services
from mentoring.models import Mentorship
from tests.cohorts.factories import (
    CurriculumItemFactory,
    ExcuseRequestFactory,
    MembershipFactory,
    SessionFactory,
    at,
    cohort_with,
    today,
)
from tests.courses.factories import AssignmentFactory, SubmissionFactory, build_course
from tests.factories import ManagerFactory, MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db


def _url(cohort, person):
    return reverse("cohorts:dashboard_trainee", args=[cohort.pk, person.pk])


def build(manager, trainees=1):
    """A running cohort with a course (one assignment), four sessions around now (held with a
    roll call, held without one, running, next week) and `trainees` trainees; the first is marked
    present at the first session, handed in the assignment and asked to be excused next week."""
    cohort = cohort_with(manager=manager, min_attendance_percent=75)
    course = build_course(modules=1, lessons_per_module=1, title="القيادة المدنية")
    assignment = AssignmentFactory(module=course.modules.get(), position=2, title="ورقة سياسات")
    CurriculumItemFactory(cohort=cohort, course=course, required=True)
    now = timezone.now()
    days_ago = lambda d: at(today() - datetime.timedelta(days=d), 17)  # noqa: E731
    taken = SessionFactory(
        cohort=cohort, title="جلسة الحضور", starts_at=days_ago(6), ends_at=days_ago(6) + HOURS
    )
    not_taken = SessionFactory(
        cohort=cohort, title="جلسة بلا تسجيل", starts_at=days_ago(3), ends_at=days_ago(3) + HOURS
    )
    running = SessionFactory(
        cohort=cohort,
        title="جلسة جارية",
        starts_at=now - datetime.timedelta(minutes=30),
        ends_at=now + datetime.timedelta(minutes=90),
    )
    upcoming = SessionFactory(
        cohort=cohort, title="جلسة قادمة", starts_at=days_ago(-7), ends_at=days_ago(-7) + HOURS
    )
    people = [TraineeFactory(full_name=f"متدربة {n}") for n in range(trainees)]
    for person in people:
        MembershipFactory(cohort=cohort, user=person, joined_at=now - datetime.timedelta(days=20))
    first = people[0]
    services.mark_roll_call(
        actor=manager,
        session=taken,
        marks={
            p.pk: Attendance.Status.PRESENT if p == first else Attendance.Status.ABSENT
            for p in people
        },
    )
    SubmissionFactory(user=first, lesson=assignment)
    ExcuseRequestFactory(session=upcoming, user=first, reason="سفر عائلي")
    sessions = {"taken": taken, "not_taken": not_taken, "running": running, "upcoming": upcoming}
    return cohort, people, sessions


HOURS = datetime.timedelta(hours=2)


def _mentor(manager, cohort, trainee):
    """An active mentorship of `trainee` in `cohort` (published and accepted)."""
    mentor = MentorFactory(full_name="د. علي الحكيم")
    mentoring_services.save_mentor_profile(actor=mentor, user=mentor, languages=["ar"], capacity=5)
    mentoring_services.save_intake(
        actor=trainee,
        membership=Membership.objects.get(cohort=cohort, user=trainee),
        languages=["ar"],
    )
    round_ = mentoring_services.run_match_round(actor=manager, cohort=cohort)
    mentoring_services.publish_match_round(actor=manager, round=round_)
    mentorship = Mentorship.objects.get(cohort=cohort, trainee=trainee)
    mentoring_services.accept(actor=mentor, mentorship=mentorship)
    return mentor


def test_the_page_shows_courses_attendance_submissions_excuses_and_the_added_columns(
    login, manager
):
    cohort, people, _sessions = build(manager)
    person = people[0]
    mentor = _mentor(manager, cohort, person)

    response = login(manager).get(_url(cohort, person))

    assert response.status_code == 200
    row = response.context["row"]
    assert row.user_id == person.pk
    # Each session says what it is for this trainee: a mark, or why there is none.
    states = {s["title"]: s["state"] for s in response.context["sessions"]}
    assert states["جلسة الحضور"][0] == "present"
    assert states["جلسة جارية"] == ("running", "الجلسة جارية الآن")
    assert states["جلسة قادمة"][0] == "upcoming"
    assert states["جلسة بلا تسجيل"] == ("not_taken", "لم يُسجَّل الحضور")
    page = response.content.decode()
    assert "لم يُسجَّل الحضور" in page
    assert "القيادة المدنية" in page
    assert "ورقة سياسات" in page  # the submission
    assert "سفر عائلي" in page  # the excuse
    assert row.columns["mentor"].startswith(mentor.full_name)
    assert "initiative" not in row.columns  # no proposal
    with translation.override("en"):
        eligibility = certificate_services.eligibility(cohort, person)
    assert not eligibility.eligible
    assert row.columns["certificate"].startswith("ينقص: ")
    assert row.columns["certificate"] in page


def test_dashboard_names_link_to_the_trainee_pages(login, manager):
    cohort, people, _sessions = build(manager, trainees=2)

    page = login(manager).get(reverse("cohorts:dashboard", args=[cohort.pk])).content.decode()

    for person in people:
        assert f'href="{_url(cohort, person)}"' in page


def test_managers_staff_and_the_active_mentor_open_it_nobody_else(login, manager, staff):
    cohort, people, _sessions = build(manager, trainees=2)
    mentored, other = people
    mentor = _mentor(manager, cohort, mentored)
    stranger_manager = ManagerFactory()
    cohort_with(manager=stranger_manager)

    assert login(manager).get(_url(cohort, mentored)).status_code == 200
    assert login(staff).get(_url(cohort, mentored)).status_code == 200
    assert login(mentor).get(_url(cohort, mentored)).status_code == 200
    # The mentor sees no other trainee of the cohort; another cohort's manager nothing at all;
    # a trainee not even their own page.
    assert login(mentor).get(_url(cohort, other)).status_code == 404
    assert login(stranger_manager).get(_url(cohort, mentored)).status_code == 404
    assert login(mentored).get(_url(cohort, mentored)).status_code == 404
    # A mentorship that has ended no longer opens it.
    Mentorship.objects.filter(mentor=mentor).update(status=Mentorship.Status.ENDED)
    assert login(mentor).get(_url(cohort, mentored)).status_code == 404
    # Someone who is not an active trainee of the cohort has no page.
    Membership.objects.filter(cohort=cohort, user=other).update(status=Membership.Status.WITHDRAWN)
    assert login(manager).get(_url(cohort, other)).status_code == 404


# The page's queries: the session and its user (2), the cohort (1), the membership (1), the
# dashboard's figures narrowed to this person (6 and a count; the two at-risk reasons are part of
# its figures and read their messages only for a flagged row, and this one has none), the
# columns (mentor 1, initiative 1, certificate 1: the issued ones; the policy's required courses
# and their names are the curriculum the figures read, handed over), the curriculum, the
# sessions, the marks, the submissions, the excuses (1 each) and the shell's unread
# notifications (1).
TRAINEE_PAGE_QUERIES = 18


@pytest.mark.parametrize("size", [1, 12])
def test_the_page_runs_the_same_queries_whatever_the_cohort_size(
    login, manager, size, django_assert_num_queries
):
    cohort, people, _sessions = build(manager, trainees=size)
    _mentor(manager, cohort, people[0])
    client = login(manager)

    with django_assert_num_queries(TRAINEE_PAGE_QUERIES):
        response = client.get(_url(cohort, people[0]))

    assert response.status_code == 200
