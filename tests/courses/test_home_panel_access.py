"""The home page's courses panel reads the trainee's courses and the lesson opened last through
stored SQL (core.compiled): each trainee gets the courses `Course.objects.visible_to` gives them
and nothing else, and a change of access shows on the next request."""

import pytest
from django.urls import reverse

from cohorts.models import Cohort, Membership
from courses.home_panels import my_courses
from courses.models import Course
from tests.cohorts.factories import CurriculumItemFactory, cohort_with
from tests.courses.factories import build_course, lessons_of
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


class _Request:
    def __init__(self, user):
        self.user = user


def _panel_courses(user):
    return sorted(course.pk for course, _figures in my_courses(_Request(user))["rows"])


def test_each_trainee_sees_the_courses_the_access_rule_gives_them(login):
    first, second, idle = TraineeFactory(), TraineeFactory(), TraineeFactory()
    ours, theirs = build_course(title="أ"), build_course(title="ب")
    draft = build_course(title="مسودة", published=False)
    CurriculumItemFactory(cohort=cohort_with(trainees=[first]), course=ours)
    CurriculumItemFactory(cohort=cohort_with(trainees=[first]), course=draft)
    CurriculumItemFactory(cohort=cohort_with(trainees=[second]), course=theirs)
    CurriculumItemFactory(
        cohort=cohort_with(trainees=[idle], status=Cohort.Status.DRAFT), course=ours
    )

    for person in (first, second, idle, first, second):
        expected = sorted(Course.objects.visible_to(person).values_list("pk", flat=True))
        assert _panel_courses(person) == expected
    assert _panel_courses(first) == [ours.pk]
    assert _panel_courses(second) == [theirs.pk]
    assert _panel_courses(idle) == []

    # The lesson opened last is only ever one of the trainee's own courses.
    client = login(second)
    client.get(reverse("courses:lesson", args=[lessons_of(theirs)[0].pk]))
    html = login(first).get(reverse("core:home")).content.decode()
    assert reverse("courses:lesson", args=[lessons_of(theirs)[0].pk]) not in html
    assert "ب" not in [course.title for course, _f in my_courses(_Request(first))["rows"]]


def test_a_removed_trainee_loses_the_course_on_the_next_request(login):
    person = TraineeFactory()
    course = build_course(title="القيادة")
    cohort = cohort_with(trainees=[person])
    CurriculumItemFactory(cohort=cohort, course=course)
    client = login(person)
    assert course.title in client.get(reverse("core:home")).content.decode()

    Membership.objects.filter(cohort=cohort, user=person).update(status=Membership.Status.WITHDRAWN)

    assert _panel_courses(person) == []
    assert course.title not in client.get(reverse("core:home")).content.decode()
