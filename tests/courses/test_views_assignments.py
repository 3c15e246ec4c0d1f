"""Assignment lessons and their reviews: handing in (text and files, their checks and limits),
downloads kept private, the reviewer's queue and decisions, and what the trainee sees after."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.models import AuditEvent
from courses import services
from courses.models import AssignmentSubmission, Lesson, LessonProgress
from notifications.models import Notification
from tests.courses.factories import (
    PDF_BYTES,
    AssignmentFactory,
    SubmissionFactory,
    pdf_upload,
)
from tests.courses.test_views import _url

pytestmark = pytest.mark.django_db


# --- Assignments ----------------------------------------------------------------------------------


def test_submitting_an_assignment_with_text_and_a_pdf(login, trainee, assignment):
    response = login(trainee).post(
        _url("submit_assignment", assignment),
        {"text": "ورقتي", "file": pdf_upload()},
    )

    assert response.status_code == 302
    submission = AssignmentSubmission.objects.get(user=trainee, lesson=assignment)
    assert submission.text == "ورقتي"
    assert submission.file_type == "application/pdf"
    assert submission.file.name.endswith(".pdf") and "answer" not in submission.file.name
    assert submission.status == AssignmentSubmission.Status.SUBMITTED
    assert submission.is_late is False


def test_a_file_too_large_is_400_and_saves_nothing(login, trainee, assignment, settings):
    settings.COURSES_MAX_UPLOAD_BYTES = 1024

    response = login(trainee).post(
        _url("submit_assignment", assignment), {"text": "", "file": pdf_upload(size=2048)}
    )

    assert response.status_code == 400
    assert "file" in response.context["form"].errors
    assert not AssignmentSubmission.objects.exists()


def test_a_file_not_of_an_allowed_type_by_content_is_400_and_saves_nothing(
    login, trainee, assignment
):
    disguised = SimpleUploadedFile(
        "answer.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf"
    )

    response = login(trainee).post(_url("submit_assignment", assignment), {"file": disguised})

    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not AssignmentSubmission.objects.exists()


def test_an_empty_submission_is_400(login, trainee, assignment):
    response = login(trainee).post(_url("submit_assignment", assignment), {"text": "  "})
    assert response.status_code == 400
    assert not AssignmentSubmission.objects.exists()


def test_a_late_submission_is_accepted_and_flagged_when_the_assignment_says_so(
    login, trainee, assignment
):
    assignment.due_at = timezone.now() - datetime.timedelta(hours=1)
    assignment.late_policy = Lesson.LatePolicy.ACCEPT_LATE
    assignment.save(update_fields=["due_at", "late_policy"])

    response = login(trainee).post(_url("submit_assignment", assignment), {"text": "متأخر"})

    assert response.status_code == 302
    assert AssignmentSubmission.objects.get(user=trainee, lesson=assignment).is_late is True


def test_a_late_submission_is_refused_when_the_assignment_says_so(login, trainee, assignment):
    assignment.due_at = timezone.now() - datetime.timedelta(hours=1)
    assignment.late_policy = Lesson.LatePolicy.REFUSE
    assignment.save(update_fields=["due_at", "late_policy"])
    client = login(trainee)
    assert client.get(_url("lesson", assignment)).context["can_submit"] is False

    response = client.post(_url("submit_assignment", assignment), {"text": "متأخر"})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not AssignmentSubmission.objects.exists()


def test_submitting_again_while_awaiting_review_is_409(login, trainee, assignment):
    client = login(trainee)
    client.post(_url("submit_assignment", assignment), {"text": "الأولى"})

    response = client.post(_url("submit_assignment", assignment), {"text": "الثانية"})

    assert response.status_code == 409
    submission = AssignmentSubmission.objects.get(user=trainee, lesson=assignment)
    assert (submission.text, submission.revision) == ("الأولى", 1)


def test_after_a_return_the_trainee_sees_the_feedback_and_resubmits(
    login, trainee, manager, assignment
):
    submission = SubmissionFactory(user=trainee, lesson=assignment, text="مسودة")
    services.review_submission(
        reviewer=manager, submission=submission, accept=False, feedback="أضف مصادر"
    )
    client = login(trainee)

    page = client.get(_url("lesson", assignment))
    assert "أضف مصادر" in page.content.decode()
    assert page.context["can_submit"] is True

    response = client.post(_url("submit_assignment", assignment), {"text": "مع المصادر"})

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == AssignmentSubmission.Status.RESUBMITTED
    assert (submission.revision, submission.text) == (2, "مع المصادر")


def test_submission_files_are_served_to_the_author_and_reviewers_only(
    login, trainee, outsider, manager, mentor, assignment
):
    login(trainee).post(_url("submit_assignment", assignment), {"file": pdf_upload()})
    submission = AssignmentSubmission.objects.get(user=trainee)

    response = login(trainee).get(_url("submission_file", submission))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attachment" in response["Content-Disposition"]
    assert login(manager).get(_url("submission_file", submission)).status_code == 200
    assert login(outsider).get(_url("submission_file", submission)).status_code == 404
    assert login(mentor).get(_url("submission_file", submission)).status_code == 404


# --- Reviews --------------------------------------------------------------------------------------


def test_review_queue_lists_waiting_submissions_for_managers(login, manager, assignment):
    waiting = SubmissionFactory(lesson=assignment)
    accepted = SubmissionFactory(lesson=assignment)
    services.review_submission(reviewer=manager, submission=accepted, accept=True)

    response = login(manager).get(reverse("courses:review_queue"))

    assert response.status_code == 200
    assert [row["id"] for row in response.context["page"]] == [waiting.pk]


def test_review_queue_rows_show_lateness_version_and_the_review_link(login, manager, assignment):
    plain = SubmissionFactory(lesson=assignment)
    late_again = SubmissionFactory(
        lesson=assignment, is_late=True, revision=2, status="resubmitted"
    )

    response = login(manager).get(reverse("courses:review_queue"))

    html = response.content.decode()
    with translation.override("ar"):
        late, version = gettext("late"), gettext("version %(n)s") % {"n": 2}
    assert html.count(f'<span class="error">{late}</span>') == 1 and html.count(version) == 1
    for submission in (plain, late_again):
        assert f'href="{reverse("courses:review", args=[submission.pk])}"' in html
        assert submission.user.full_name in html
    assert assignment.title in html and assignment.module.course.title in html


def test_review_queue_is_for_reviewers_only(login, trainee, mentor, assignment):
    SubmissionFactory(lesson=assignment)
    assert login(trainee).get(reverse("courses:review_queue")).status_code == 403
    # Mentors see their mentees' submissions once mentoring says who they are: nobody yet.
    response = login(mentor).get(reverse("courses:review_queue"))
    assert response.status_code == 200
    assert list(response.context["page"]) == []


def test_review_queue_query_count_does_not_grow(
    login, manager, assignment, django_assert_num_queries
):
    SubmissionFactory.create_batch(2, lesson=assignment)
    client = login(manager)
    client.get(reverse("courses:review_queue"))
    # The session, the person, the page (holding the whole list: not counted).
    with django_assert_num_queries(3) as small:
        client.get(reverse("courses:review_queue"))
    other = AssignmentFactory()
    SubmissionFactory.create_batch(8, lesson=assignment)
    SubmissionFactory.create_batch(5, lesson=other)
    with django_assert_num_queries(len(small.captured_queries)) as big:
        response = client.get(reverse("courses:review_queue"))
    assert len(response.context["page"]) == 15
    # The rows need names and titles, not the trainees' password hashes or the lessons' text.
    (queue_sql,) = [
        q["sql"]
        for q in big.captured_queries
        if 'FROM "courses_assignmentsubmission" INNER' in q["sql"]
    ]
    assert "password" not in queue_sql and '"body"' not in queue_sql


def test_manager_accepts_a_submission_which_completes_the_lesson(
    login, manager, trainee, assignment
):
    submission = SubmissionFactory(user=trainee, lesson=assignment)

    response = login(manager).post(
        _url("review", submission), {"decision": "accept", "feedback": "عمل جيد"}
    )

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == AssignmentSubmission.Status.ACCEPTED
    assert submission.reviewed_by == manager and submission.feedback == "عمل جيد"
    assert LessonProgress.objects.get(user=trainee, lesson=assignment).completed_at
    assert Notification.objects.filter(
        recipient=trainee, kind="courses.submission_accepted"
    ).exists()
    assert AuditEvent.objects.filter(action="courses.accept_submission").exists()


def test_returning_without_feedback_is_400_and_changes_nothing(login, manager, trainee, assignment):
    submission = SubmissionFactory(user=trainee, lesson=assignment)

    response = login(manager).post(_url("review", submission), {"decision": "return"})

    assert response.status_code == 400
    assert response.context["form"].errors["feedback"]
    submission.refresh_from_db()
    assert submission.status == AssignmentSubmission.Status.SUBMITTED
    assert not Notification.objects.filter(recipient=trainee).exists()


def test_reviewing_a_submission_already_decided_is_409(login, manager, trainee, assignment):
    submission = SubmissionFactory(user=trainee, lesson=assignment)
    services.review_submission(reviewer=manager, submission=submission, accept=True)

    response = login(manager).post(
        _url("review", submission), {"decision": "return", "feedback": "متأخر"}
    )

    assert response.status_code == 409
    submission.refresh_from_db()
    assert submission.status == AssignmentSubmission.Status.ACCEPTED


def test_a_trainee_cannot_review_their_own_submission_nor_see_others(
    login, trainee, outsider, assignment
):
    own = SubmissionFactory(user=trainee, lesson=assignment)
    theirs = SubmissionFactory(user=outsider, lesson=assignment)
    client = login(trainee)

    assert client.get(_url("review", own)).status_code == 403
    assert client.post(_url("review", own), {"decision": "accept"}).status_code == 403
    assert client.get(_url("review", theirs)).status_code == 404
    own.refresh_from_db()
    assert own.status == AssignmentSubmission.Status.SUBMITTED


def test_mentors_review_the_submissions_the_access_rules_give_them(
    login, monkeypatch, mentor, trainee, outsider, assignment
):
    """Who a mentor reviews is decided in courses.access (cohorts and mentoring register the
    rules); the pages only ask it. A rule reads the viewer's id in its SQL, as the registered
    ones do (the queue compiles it once for every mentor: courses.queue)."""
    from django.db.models import Exists

    from accounts.models import User
    from courses import access

    def mentees(viewer):
        is_the_mentor = Exists(User.objects.filter(pk=viewer.pk).filter(pk=mentor.pk))
        return User.objects.filter(is_the_mentor, pk=trainee.pk).values("pk")

    monkeypatch.setattr(access, "_progress_viewers", [mentees])
    monkeypatch.setattr(
        access, "_reviewers", [lambda r, s: r == mentor and s.user_id == trainee.pk]
    )
    mine = SubmissionFactory(user=trainee, lesson=assignment)
    other = SubmissionFactory(user=outsider, lesson=assignment)
    client = login(mentor)

    queue = client.get(reverse("courses:review_queue"))
    assert [row["id"] for row in queue.context["page"]] == [mine.pk]
    assert client.get(_url("review", other)).status_code == 404
    response = client.post(_url("review", mine), {"decision": "return", "feedback": "راجع"})

    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.reviewed_by) == (AssignmentSubmission.Status.RETURNED, mentor)
