"""A program manager who runs another cohort reaches none of this cohort's people or records, on
pages whose status code alone (200) would not show it: the lists answer, without them."""

import pytest
from django.urls import reverse

from tests.cohorts.factories import (
    AttendanceFactory,
    ExcuseRequestFactory,
    SessionFactory,
    cohort_with,
)
from tests.courses.factories import CourseFactory, EnrollmentFactory
from tests.factories import ManagerFactory, TraineeFactory


@pytest.fixture
def two_managers(manager, trainee):
    other = ManagerFactory(email="other.manager@example.org")
    theirs = TraineeFactory(email="their.trainee@example.org")
    mine = cohort_with(manager=manager, trainees=[trainee])
    cohort_with(manager=other, trainees=[theirs])
    return {"other": other, "theirs": theirs, "mine": mine}


@pytest.mark.django_db
def test_course_trainees_page_lists_only_the_people_in_the_managers_scope(
    two_managers, login, manager, trainee, staff
):
    course = CourseFactory()
    pool = TraineeFactory(email="pool.person@example.org")
    for person in (trainee, two_managers["theirs"], pool):
        EnrollmentFactory(course=course, user=person)
    url = reverse("courses:course_trainees", args=[course.pk])

    page = login(two_managers["other"]).get(url).content.decode()
    assert "their.trainee@example.org" in page
    assert "pool.person@example.org" in page
    assert "trainee@example.org" not in page.replace("their.trainee@example.org", "")

    page = login(manager).get(url).content.decode()
    assert "trainee@example.org" in page.replace("their.trainee@example.org", "")
    assert "their.trainee@example.org" not in page

    page = login(staff).get(url).content.decode()
    assert "their.trainee@example.org" in page
    assert "trainee@example.org" in page.replace("their.trainee@example.org", "")


@pytest.mark.django_db
def test_session_lists_of_the_other_manager_leave_out_this_cohort(two_managers, api_login, trainee):
    session = SessionFactory(cohort=two_managers["mine"])
    AttendanceFactory(session=session, user=trainee)
    ExcuseRequestFactory(session=SessionFactory(cohort=two_managers["mine"]), user=trainee)
    api = api_login(two_managers["other"])
    for name in ("api:session-list", "api:attendance-list", "api:excuse-list"):
        assert api.get(reverse(name)).json()["count"] == 0, name
