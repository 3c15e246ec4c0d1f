"""The one access path to courses, lessons and progress, with three personas: one who may (a
manager), one who may partly (an enrolled trainee), one who may not (an outsider)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from courses import access
from courses.models import AssignmentSubmission, Course, Lesson, LessonProgress, Module
from tests.courses.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    LessonProgressFactory,
    SubmissionFactory,
    build_course,
)
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(trainee):
    enrolled = build_course(modules=1, lessons_per_module=2)
    EnrollmentFactory(user=trainee, course=enrolled)
    other = build_course(modules=1, lessons_per_module=1)
    draft = build_course(modules=1, lessons_per_module=1, published=False)
    EnrollmentFactory(user=trainee, course=draft)
    return {"enrolled": enrolled, "other": other, "draft": draft}


def _ids(qs):
    return set(qs.values_list("pk", flat=True))


def test_managers_and_staff_see_every_course_including_drafts(manager, staff, catalogue):
    everything = {c.pk for c in catalogue.values()}
    assert _ids(Course.objects.visible_to(manager)) == everything
    assert _ids(Course.objects.visible_to(staff)) == everything


def test_an_enrolled_trainee_sees_only_published_courses_they_are_enrolled_in(trainee, catalogue):
    assert _ids(Course.objects.visible_to(trainee)) == {catalogue["enrolled"].pk}
    lessons = Lesson.objects.filter(module__course=catalogue["enrolled"])
    assert _ids(Lesson.objects.visible_to(trainee)) == _ids(lessons)
    assert _ids(Module.objects.visible_to(trainee)) == _ids(catalogue["enrolled"].modules.all())


def test_an_outsider_mentor_and_anonymous_see_no_course(outsider, mentor, catalogue):
    for person in (outsider, mentor, AnonymousUser()):
        assert not Course.objects.visible_to(person).exists()
        assert not Lesson.objects.visible_to(person).exists()


def test_an_inactive_account_sees_nothing(trainee, manager, catalogue):
    for person in (trainee, manager):
        person.is_active = False
        person.save(update_fields=["is_active"])
        assert not Course.objects.visible_to(person).exists()


def test_a_course_with_many_enrolments_is_listed_once(trainee, catalogue):
    for _ in range(3):
        EnrollmentFactory(course=catalogue["enrolled"])
    assert Course.objects.visible_to(trainee).count() == 1


def test_a_registered_audience_rule_widens_what_trainees_see(outsider, catalogue):
    """The plug-in point cohorts will use: "member of a cohort whose curriculum contains it"."""
    chosen = catalogue["other"]

    def cohort_curriculum(user):
        # Stands in for "a cohort of this user has the course in its curriculum".
        return Q(pk=chosen.pk) | Q(pk=catalogue["draft"].pk)

    access.register_course_audience(cohort_curriculum)
    try:
        assert _ids(Course.objects.visible_to(outsider)) == {chosen.pk}
        # Drafts stay hidden whatever the audience.
        assert catalogue["draft"].pk not in _ids(Course.objects.visible_to(outsider))
    finally:
        access._course_audiences.remove(cohort_curriculum)
    assert not Course.objects.visible_to(outsider).exists()


def test_progress_is_visible_to_its_owner_and_managers_only(trainee, outsider, mentor, manager):
    mine = LessonProgressFactory(user=trainee)
    theirs = LessonProgressFactory(user=outsider)
    assert _ids(LessonProgress.objects.visible_to(trainee)) == {mine.pk}
    assert _ids(LessonProgress.objects.visible_to(manager)) == {mine.pk, theirs.pk}
    assert not LessonProgress.objects.visible_to(mentor).exists()
    assert not LessonProgress.objects.visible_to(AnonymousUser()).exists()


def test_a_registered_progress_viewer_lets_a_mentor_see_their_mentees(trainee, outsider, mentor):
    from accounts.models import User

    mine = SubmissionFactory(user=trainee)
    SubmissionFactory(user=outsider)

    def mentees(viewer):
        return User.objects.filter(pk=trainee.pk).values("pk") if viewer.is_mentor else None

    access.register_progress_viewer(mentees)
    try:
        assert _ids(AssignmentSubmission.objects.visible_to(mentor)) == {mine.pk}
        assert not AssignmentSubmission.objects.visible_to(TraineeFactory()).exists()
    finally:
        access._progress_viewers.remove(mentees)


def test_only_managers_review_until_mentoring_registers_a_rule(trainee, mentor, manager):
    submission = SubmissionFactory(user=trainee)
    assert access.can_review(manager, submission)
    assert not access.can_review(trainee, submission)
    assert not access.can_review(mentor, submission)
    assert not access.can_review(AnonymousUser(), submission)

    def own_mentees(reviewer, sub):
        return reviewer.is_mentor and sub.user_id == trainee.pk

    access.register_reviewer(own_mentees)
    try:
        assert access.can_review(mentor, submission)
        assert not access.can_review(mentor, SubmissionFactory())
    finally:
        access._reviewers.remove(own_mentees)


def test_relative_deadlines_use_the_registered_course_start(trainee):
    import datetime

    from django.utils import timezone

    lesson = LessonFactory(kind="assignment", due_days_after_start=10)
    course = lesson.module.course
    assert access.course_start_for(trainee, course) is None
    assert lesson.deadline(starts_at=access.course_start_for(trainee, course)) is None

    start = timezone.now()

    def cohort_start(user, c):
        return start if c.pk == course.pk else None

    access.register_course_start(cohort_start)
    try:
        deadline = lesson.deadline(starts_at=access.course_start_for(trainee, course))
        assert deadline == start + datetime.timedelta(days=10)
        assert access.course_start_for(trainee, CourseFactory()) is None
    finally:
        access._course_starts.remove(cohort_start)
