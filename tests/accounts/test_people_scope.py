"""A program manager reaches the people, progress and submissions of the cohorts they run, and
nobody else's: a second manager of another cohort gets 404 where the first gets the page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from courses.models import AssignmentSubmission, Lesson
from tests.cohorts.factories import CurriculumItemFactory, cohort_with
from tests.courses.factories import PDF_BYTES, CourseFactory, LessonFactory, ModuleFactory
from tests.factories import ManagerFactory, TraineeFactory


@pytest.fixture
def two_cohorts(db):
    first, second = ManagerFactory(), ManagerFactory()
    ours, theirs = TraineeFactory(full_name="متدرب أ"), TraineeFactory(full_name="متدرب ب")
    cohort_a = cohort_with(manager=first, trainees=[ours])
    cohort_b = cohort_with(manager=second, trainees=[theirs])
    course = CourseFactory()
    assignment = LessonFactory(
        module=ModuleFactory(course=course, position=1), position=1, kind=Lesson.Kind.ASSIGNMENT
    )
    CurriculumItemFactory(cohort=cohort_a, course=course)
    CurriculumItemFactory(cohort=cohort_b, course=course)
    submission = AssignmentSubmission(user=ours, lesson=assignment, text="ورقتي")
    submission.file.save("answer.pdf", SimpleUploadedFile("answer.pdf", PDF_BYTES), save=False)
    submission.file_type = "application/pdf"
    submission.save()
    unattached = TraineeFactory(full_name="بلا دفعة")
    return {
        "first": first,
        "second": second,
        "ours": ours,
        "theirs": theirs,
        "submission": submission,
        "unattached": unattached,
    }


def test_people_visible_to_each_manager(two_cohorts):
    w = two_cohorts
    first = set(User.objects.visible_to(w["first"]))
    assert {w["first"], w["ours"], w["unattached"]} <= first
    assert w["theirs"] not in first and w["second"] not in first
    second = set(User.objects.visible_to(w["second"]))
    assert w["ours"] not in second and w["theirs"] in second


def test_people_pages_and_api_follow_the_cohort_scope(two_cohorts, login, api_login):
    w = two_cohorts
    page = login(w["second"])
    assert page.get(reverse("accounts:person", args=[w["ours"].pk])).status_code == 404
    assert page.get(reverse("accounts:person", args=[w["theirs"].pk])).status_code == 200
    names = [row["name"] for row in page.get(reverse("accounts:people")).context["page"]]
    assert "متدرب أ" not in names and "متدرب ب" in names
    api = api_login(w["second"])
    assert api.get(f"/api/v1/people/{w['ours'].pk}/").status_code == 404
    emails = {p["email"] for p in api.get("/api/v1/people/?page_size=100").json()["results"]}
    assert w["ours"].email not in emails and w["theirs"].email in emails


def test_another_cohorts_submissions_are_out_of_reach(two_cohorts, login, api_login):
    w = two_cohorts
    submission = w["submission"]
    outsider_page = login(w["second"])
    assert outsider_page.get(reverse("courses:review_queue")).context["rows"] == []
    assert outsider_page.get(reverse("courses:review", args=[submission.pk])).status_code == 404
    assert (
        outsider_page.get(reverse("courses:submission_file", args=[submission.pk])).status_code
        == 404
    )
    api = api_login(w["second"])
    assert api.get("/api/v1/submissions/").json()["results"] == []
    assert api.get(f"/api/v1/submissions/{submission.pk}/file/").status_code == 404
    review = api.post(
        f"/api/v1/submissions/{submission.pk}/review/",
        {"decision": "accept", "feedback": "x"},
        format="json",
    )
    assert review.status_code == 404
    submission.refresh_from_db()
    assert submission.status == AssignmentSubmission.Status.SUBMITTED


def test_the_cohorts_own_manager_still_reviews(two_cohorts, login):
    w = two_cohorts
    page = login(w["first"])
    rows = page.get(reverse("courses:review_queue")).context["rows"]
    assert [row["name"] for row in rows] == ["متدرب أ"]
    assert page.get(reverse("courses:review", args=[w["submission"].pk])).status_code == 200
