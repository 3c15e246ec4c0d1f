"""The one access path per model, with three personas each: one who may, one who may partly, one
who may not; and the rules cohorts plug into courses.access."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from cohorts.models import (
    Application,
    Attendance,
    Cohort,
    ExcuseRequest,
    Membership,
    Session,
)
from courses import access
from courses.models import Course, LessonProgress
from tests.cohorts.factories import (
    ApplicationFactory,
    AttendanceFactory,
    CurriculumItemFactory,
    ExcuseRequestFactory,
    MembershipFactory,
    SessionFactory,
    cohort_with,
)
from tests.courses.factories import LessonProgressFactory, SubmissionFactory, build_course
from tests.factories import ManagerFactory, MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cohorts(manager, trainee, mentor):
    mine = cohort_with(manager=manager, trainees=[trainee], mentors=[mentor])
    theirs = cohort_with(manager=ManagerFactory(), trainees=[TraineeFactory()])
    return mine, theirs


def test_cohorts_visible_to_members_managers_and_the_public_when_recruiting(
    two_cohorts, manager, trainee, outsider, staff
):
    mine, theirs = two_cohorts
    recruiting = cohort_with(manager=ManagerFactory(), status=Cohort.Status.RECRUITING)
    draft = cohort_with(manager=ManagerFactory(), status=Cohort.Status.DRAFT)
    assert set(Cohort.objects.visible_to(staff)) == {mine, theirs, recruiting, draft}
    # A program manager sees the cohorts they manage, not other managers' ones (decision 002).
    assert set(Cohort.objects.visible_to(manager)) == {mine, recruiting}
    assert set(Cohort.objects.managed_by(manager)) == {mine}
    assert set(Cohort.objects.visible_to(trainee)) == {mine, recruiting}
    assert set(Cohort.objects.managed_by(trainee)) == set()
    assert set(Cohort.objects.visible_to(outsider)) == {recruiting}
    assert set(Cohort.objects.visible_to(AnonymousUser())) == {recruiting}


def test_a_withdrawn_manager_no_longer_manages(manager):
    cohort = cohort_with(manager=manager)
    Membership.objects.filter(cohort=cohort, user=manager).update(status="withdrawn")
    assert not Cohort.objects.managed_by(manager).exists()
    assert Cohort.objects.visible_to(manager).filter(pk=cohort.pk).exists()  # history


def test_applications_own_or_managed_only(two_cohorts, manager, trainee, outsider, staff):
    mine, theirs = two_cohorts
    own = ApplicationFactory(cohort=mine, applicant=outsider)
    other = ApplicationFactory(cohort=theirs, applicant=trainee)
    assert set(Application.objects.visible_to(manager)) == {own}
    assert set(Application.objects.visible_to(outsider)) == {own}
    assert set(Application.objects.visible_to(trainee)) == {other}
    assert set(Application.objects.visible_to(staff)) == {own, other}
    assert not Application.objects.visible_to(AnonymousUser()).exists()


def test_sessions_facilitator_sees_only_their_sessions(two_cohorts, manager, trainee, mentor):
    mine, theirs = two_cohorts
    facilitator = MentorFactory()
    MembershipFactory(cohort=mine, user=facilitator, role="facilitator")
    theirs_session = SessionFactory(cohort=theirs)
    led = SessionFactory(cohort=mine, facilitator=facilitator)
    other = SessionFactory(cohort=mine)
    assert set(Session.objects.visible_to(facilitator)) == {led}
    assert set(Session.objects.visible_to(trainee)) == {led, other}
    assert set(Session.objects.visible_to(mentor)) == {led, other}
    assert set(Session.objects.visible_to(manager)) == {led, other}
    assert theirs_session not in Session.objects.visible_to(manager)


def test_attendance_trainee_sees_only_their_own(two_cohorts, manager, trainee, mentor):
    mine, theirs = two_cohorts
    facilitator = MentorFactory()
    session = SessionFactory(cohort=mine, facilitator=facilitator)
    classmate = MembershipFactory(cohort=mine).user
    own = AttendanceFactory(session=session, user=trainee)
    theirs_mark = AttendanceFactory(session=session, user=classmate)
    elsewhere = AttendanceFactory(session=SessionFactory(cohort=theirs))
    # Named as the facilitator but not (or no longer) a member: the pointer alone shows nothing.
    assert not Attendance.objects.visible_to(facilitator).exists()
    MembershipFactory(cohort=mine, user=facilitator, role=Membership.Role.FACILITATOR)
    assert set(Attendance.objects.visible_to(trainee)) == {own}
    assert set(Attendance.objects.visible_to(facilitator)) == {own, theirs_mark}
    assert set(Attendance.objects.visible_to(manager)) == {own, theirs_mark}
    assert elsewhere not in Attendance.objects.visible_to(manager)
    assert not Attendance.objects.visible_to(mentor).exists()


def test_excuses_and_memberships(two_cohorts, manager, trainee, outsider):
    mine, _theirs = two_cohorts
    excuse = ExcuseRequestFactory(session=SessionFactory(cohort=mine), user=trainee)
    assert set(ExcuseRequest.objects.visible_to(trainee)) == {excuse}
    assert set(ExcuseRequest.objects.visible_to(manager)) == {excuse}
    assert not ExcuseRequest.objects.visible_to(outsider).exists()
    assert set(Membership.objects.visible_to(trainee)) == {
        Membership.objects.get(cohort=mine, user=trainee)
    }
    assert Membership.objects.visible_to(manager).filter(cohort=mine).count() == 3
    assert not Membership.objects.visible_to(outsider).exists()


# --- courses.access plug-ins -----------------------------------------------------------------------


def test_curriculum_courses_reach_active_members_of_open_cohorts(manager, trainee, outsider):
    cohort = cohort_with(manager=manager, trainees=[trainee])
    course = build_course()
    CurriculumItemFactory(cohort=cohort, course=course)
    build_course()  # not in the curriculum
    assert list(Course.objects.visible_to(trainee)) == [course]
    assert not Course.objects.visible_to(outsider).exists()
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.ARCHIVED)
    assert not Course.objects.visible_to(trainee).exists()
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.RUNNING)
    Membership.objects.filter(user=trainee).update(status="withdrawn")
    assert not Course.objects.visible_to(trainee).exists()


def test_course_start_is_the_cohort_start(manager, trainee):
    cohort = cohort_with(manager=manager, trainees=[trainee], starts_on=datetime.date(2027, 2, 1))
    course = build_course()
    CurriculumItemFactory(cohort=cohort, course=course)
    start = access.course_start_for(trainee, course)
    assert start.isoformat() == "2027-02-01T00:00:00+03:00"
    assert access.course_start_for(trainee, build_course()) is None


def test_mentor_or_facilitator_of_the_cohort_may_review(manager, trainee, mentor, outsider):
    cohort = cohort_with(manager=manager, trainees=[trainee], mentors=[mentor])
    facilitator = MentorFactory()
    MembershipFactory(cohort=cohort, user=facilitator, role="facilitator")
    other_mentor = MentorFactory()
    cohort_with(manager=ManagerFactory(), trainees=[outsider], mentors=[other_mentor])
    submission = SubmissionFactory(user=trainee)
    assert access.can_review(mentor, submission)
    assert access.can_review(facilitator, submission)
    assert not access.can_review(other_mentor, submission)
    assert not access.can_review(outsider, submission)


def test_cohort_managers_and_mentors_see_their_trainees_progress(
    manager, trainee, mentor, outsider
):
    cohort_with(manager=manager, trainees=[trainee], mentors=[mentor])
    mine = LessonProgressFactory(user=trainee)
    other = LessonProgressFactory(user=outsider)
    assert set(LessonProgress.objects.visible_to(mentor)) == {mine}
    co_manager = MentorFactory()  # a cohort manager without the global manager role
    MembershipFactory(
        cohort=Membership.objects.get(user=trainee).cohort, user=co_manager, role="manager"
    )
    assert set(LessonProgress.objects.visible_to(co_manager)) == {mine}
    assert set(LessonProgress.objects.visible_to(outsider)) == {other}
