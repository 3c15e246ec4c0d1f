import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from courses import services
from courses.models import AssignmentSubmission, LessonProgress, QuizAttempt
from tests.courses.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    QuestionFactory,
    QuizAttemptFactory,
    SubmissionFactory,
    build_course,
    docx_bytes,
    lessons_of,
    pdf_upload,
    right_answers,
    wrong_answers,
)
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def _answers_body(answers):
    return {"answers": [{"question": q, "choices": c} for q, c in answers.items()]}


# --- Courses and outline ---------------------------------------------------------------------------


def test_course_list_shows_a_trainee_only_their_published_courses_with_progress(
    api_login, trainee, course, text_lesson
):
    CourseFactory()  # not enrolled
    draft = CourseFactory(is_published=False, published_at=None)
    EnrollmentFactory(user=trainee, course=draft)
    services.complete_lesson(user=trainee, lesson=text_lesson)

    body = api_login(trainee).get("/api/v1/courses/").json()

    assert [row["id"] for row in body["results"]] == [course.pk]
    row = body["results"][0]
    assert row["title"] == "الثقافة السياسية" and row["title_en"] == "Political literacy"
    assert row["progress"] == {
        "completed": False,
        "percent": 33,
        "required_total": 3,
        "required_done": 1,
    }


def test_course_list_shows_managers_drafts_too(api_login, manager, course):
    draft = CourseFactory(is_published=False, published_at=None)
    ids = {row["id"] for row in api_login(manager).get("/api/v1/courses/").json()["results"]}
    assert ids == {course.pk, draft.pk}


def test_course_detail_of_a_course_out_of_scope_is_404(api_login, outsider, course):
    assert api_login(outsider).get(f"/api/v1/courses/{course.pk}/").status_code == 404
    assert api_login(outsider).get(f"/api/v1/courses/{course.pk}/outline/").status_code == 404


def test_outline_lists_modules_and_lessons_in_order_with_lock_states(api_login, trainee):
    course = build_course(modules=2, lessons_per_module=2, sequential=True)
    EnrollmentFactory(user=trainee, course=course)
    first, second, third, fourth = lessons_of(course)
    services.complete_lesson(user=trainee, lesson=first)

    body = api_login(trainee).get(f"/api/v1/courses/{course.pk}/outline/").json()

    assert body["course"]["id"] == course.pk
    assert body["progress"]["percent"] == 25
    assert body["next_lesson"] == second.pk
    assert [m["locked"] for m in body["modules"]] == [False, True]
    states = [(lesson["id"], lesson["state"]) for m in body["modules"] for lesson in m["lessons"]]
    assert states == [
        (first.pk, "completed"),
        (second.pk, "available"),
        (third.pk, "locked"),
        (fourth.pk, "locked"),
    ]
    assert body["modules"][1]["lessons"][0]["lock_reason"] == "module_order"


# --- Lesson content ----------------------------------------------------------------------------------


def test_lesson_content_has_body_and_neighbours(api_login, trainee, course, text_lesson, quiz):
    body = api_login(trainee).get(f"/api/v1/lessons/{text_lesson.pk}/").json()
    assert body["body"] == "<p>نص الدرس</p>"
    assert body["state"] == "available"
    assert body["previous_lesson"] is None
    assert body["next_lesson"]["id"] == quiz.pk
    assert body["quiz"] is None and body["assignment"] is None


def test_quiz_content_never_reveals_correct_answers(api_login, trainee, quiz):
    response = api_login(trainee).get(f"/api/v1/lessons/{quiz.pk}/")
    assert response.status_code == 200
    assert "is_correct" not in response.content.decode()
    assert "correct" not in json.dumps(response.json()["quiz"]["questions"])
    quiz_info = response.json()["quiz"]
    assert quiz_info["attempts_used"] == 0 and quiz_info["next_attempt"] == 1
    assert {q["id"] for q in quiz_info["questions"]} == set(right_answers(quiz))
    assert all(len(q["choices"]) == 3 for q in quiz_info["questions"])


def test_locked_lesson_is_403_with_a_clear_code_and_unknown_is_404(api_login, trainee, outsider):
    course = build_course(modules=2, lessons_per_module=1, sequential=True)
    EnrollmentFactory(user=trainee, course=course)
    _first, locked = lessons_of(course)

    response = api_login(trainee).get(f"/api/v1/lessons/{locked.pk}/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "lesson_locked"
    assert response.json()["error"]["message"]
    assert api_login(outsider).get(f"/api/v1/lessons/{locked.pk}/").status_code == 404


def test_managers_preview_locked_lessons(api_login, manager):
    course = build_course(modules=2, lessons_per_module=1, sequential=True, published=False)
    _first, locked = lessons_of(course)
    assert api_login(manager).get(f"/api/v1/lessons/{locked.pk}/").status_code == 200


def test_resource_lesson_serves_its_pdf_to_those_allowed(api_login, trainee, outsider, manager):
    course = CourseFactory()
    EnrollmentFactory(user=trainee, course=course)
    module = ModuleFactory(course=course)
    lesson = services.add_lesson(
        actor=manager, module=module, kind="resource", title="دليل", resource=pdf_upload()
    )
    body = api_login(trainee).get(f"/api/v1/lessons/{lesson.pk}/").json()
    assert body["resource_url"].endswith(f"/api/v1/lessons/{lesson.pk}/resource/")

    response = api_login(trainee).get(f"/api/v1/lessons/{lesson.pk}/resource/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert api_login(outsider).get(f"/api/v1/lessons/{lesson.pk}/resource/").status_code == 404


# --- Completing lessons ------------------------------------------------------------------------------


def test_complete_marks_the_lesson_and_returns_course_progress(api_login, trainee, text_lesson):
    response = api_login(trainee).post(f"/api/v1/lessons/{text_lesson.pk}/complete/")
    assert response.status_code == 200
    assert response.json()["course_progress"]["required_done"] == 1
    assert LessonProgress.objects.get(user=trainee, lesson=text_lesson).completed_at is not None


def test_complete_refuses_a_quiz(api_login, trainee, quiz):
    response = api_login(trainee).post(f"/api/v1/lessons/{quiz.pk}/complete/")
    assert response.status_code == 400
    assert not LessonProgress.objects.filter(lesson=quiz).exists()


def test_start_records_the_last_opened_lesson(api_login, trainee, text_lesson):
    response = api_login(trainee).post(f"/api/v1/lessons/{text_lesson.pk}/start/")
    assert response.status_code == 200
    progress = LessonProgress.objects.get(user=trainee, lesson=text_lesson)
    assert progress.completed_at is None


# --- Quiz attempts -----------------------------------------------------------------------------------


def test_submitting_a_quiz_attempt_scores_it_and_reveals_right_answers_after(
    api_login, trainee, quiz
):
    answers = right_answers(quiz)
    single, multiple = sorted(answers)
    answers[multiple] = answers[multiple][:1]  # half of a multiple-choice is wrong

    response = api_login(trainee).post(
        f"/api/v1/lessons/{quiz.pk}/quiz-attempts/", _answers_body(answers), format="json"
    )

    assert response.status_code == 201
    result = response.json()
    assert result["score"] == 50 and result["passed"] is True and result["number"] == 1
    by_question = {row["question"]: row for row in result["questions"]}
    assert by_question[single]["correct"] is True
    assert by_question[multiple]["correct"] is False
    # Passed, so the correct choices are shown.
    assert by_question[multiple]["correct_choices"] == right_answers(quiz)[multiple]
    attempt = QuizAttempt.objects.get(user=trainee, lesson=quiz)
    assert attempt.score == 50
    assert LessonProgress.objects.get(user=trainee, lesson=quiz).completed_at is not None


def test_a_failed_attempt_with_attempts_left_hides_the_correct_choices(api_login, trainee, quiz):
    response = api_login(trainee).post(
        f"/api/v1/lessons/{quiz.pk}/quiz-attempts/",
        _answers_body(wrong_answers(quiz)),
        format="json",
    )
    result = response.json()
    assert result["passed"] is False and result["score"] == 0
    assert all(row["correct"] is False for row in result["questions"])
    assert all(row["correct_choices"] is None for row in result["questions"])


def test_an_answer_that_is_not_a_choice_of_its_question_is_400_and_nothing_saved(
    api_login, trainee, quiz
):
    answers = right_answers(quiz)
    first, second = sorted(answers)
    answers[first] = answers[second][:1]  # a choice of the other question

    response = api_login(trainee).post(
        f"/api/v1/lessons/{quiz.pk}/quiz-attempts/", _answers_body(answers), format="json"
    )

    assert response.status_code == 400
    assert "answers" in response.json()["error"]["fields"]
    assert not QuizAttempt.objects.exists()


def test_a_malformed_attempt_body_is_400(api_login, trainee, quiz):
    client = api_login(trainee)
    url = f"/api/v1/lessons/{quiz.pk}/quiz-attempts/"
    assert client.post(url, {"answers": "all of them"}, format="json").status_code == 400
    question = next(iter(right_answers(quiz)))
    twice = {"answers": [{"question": question, "choices": []}] * 2}
    assert client.post(url, twice, format="json").status_code == 400
    assert not QuizAttempt.objects.exists()


def test_an_attempt_beyond_the_limit_is_409_and_nothing_saved(api_login, trainee, quiz):
    quiz.max_attempts = 1
    quiz.save(update_fields=["max_attempts"])
    client = api_login(trainee)
    url = f"/api/v1/lessons/{quiz.pk}/quiz-attempts/"
    assert client.post(url, _answers_body(wrong_answers(quiz)), format="json").status_code == 201

    response = client.post(url, _answers_body(right_answers(quiz)), format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "attempt_limit"
    assert QuizAttempt.objects.filter(user=trainee, lesson=quiz).count() == 1
    # The last attempt is used: now the correct answers may be seen.
    listed = client.get(url).json()
    assert listed[0]["attempts_left"] == 0
    assert all(row["correct_choices"] is not None for row in listed[0]["questions"])


def test_quiz_attempts_on_a_text_lesson_are_404(api_login, trainee, text_lesson):
    url = f"/api/v1/lessons/{text_lesson.pk}/quiz-attempts/"
    assert api_login(trainee).post(url, {"answers": []}, format="json").status_code == 404


# --- Assignments -------------------------------------------------------------------------------------


def test_submitting_an_assignment_with_a_pdf_stores_it_and_serves_it_back(
    api_login, trainee, assignment
):
    client = api_login(trainee)
    response = client.post(
        f"/api/v1/lessons/{assignment.pk}/submissions/",
        {"text": "مسودة ورقتي", "file": pdf_upload("evil.exe")},
        format="multipart",
    )

    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "submitted" and body["is_late"] is False
    assert body["file_type"] == "application/pdf"
    submission = AssignmentSubmission.objects.get(user=trainee, lesson=assignment)
    assert submission.file.name.endswith(".pdf") and "evil" not in submission.file.name

    download = client.get(body["file_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    assert client.get(f"/api/v1/lessons/{assignment.pk}/submissions/").json()[0]["id"] == body["id"]


def test_a_docx_is_accepted_by_its_content(api_login, trainee, assignment):
    upload = SimpleUploadedFile("paper.bin", docx_bytes(), content_type="application/zip")
    response = api_login(trainee).post(
        f"/api/v1/lessons/{assignment.pk}/submissions/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 201
    assert response.json()["file_type"].endswith("wordprocessingml.document")


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 an executable", b"<script>alert(1)</script>", "xlsx"],
    ids=["executable", "html", "zip-that-is-not-docx"],
)
def test_a_file_of_a_type_not_allowed_by_content_is_400_and_nothing_saved(
    api_login, trainee, assignment, settings, content
):
    if content == "xlsx":
        content = docx_bytes(word=False)
    upload = SimpleUploadedFile("paper.pdf", content, content_type="application/pdf")
    response = api_login(trainee).post(
        f"/api/v1/lessons/{assignment.pk}/submissions/",
        {"text": "نص", "file": upload},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()["error"]["fields"]
    assert not AssignmentSubmission.objects.exists()


def test_a_file_over_the_size_limit_is_400_with_the_limit_named(
    api_login, trainee, assignment, settings, tmp_path
):
    settings.COURSES_MAX_UPLOAD_BYTES = 1024 * 1024
    response = api_login(trainee).post(
        f"/api/v1/lessons/{assignment.pk}/submissions/",
        {"file": pdf_upload(size=1024 * 1024 + 1)},
        format="multipart",
        headers={"accept-language": "en"},
    )
    assert response.status_code == 400
    assert "1 MB" in response.json()["error"]["fields"]["file"][0]
    assert not AssignmentSubmission.objects.exists()
    media = tmp_path / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_submission_after_a_refusing_deadline_is_400(api_login, trainee, assignment):
    assignment.due_at = timezone.now() - timezone.timedelta(days=1)
    assignment.late_policy = "refuse"
    assignment.save(update_fields=["due_at", "late_policy"])
    response = api_login(trainee).post(
        f"/api/v1/lessons/{assignment.pk}/submissions/", {"text": "متأخر"}, format="multipart"
    )
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert message == str(services.DEADLINE_PASSED_MESSAGE)
    assert not AssignmentSubmission.objects.exists()


def test_submitting_twice_while_awaiting_review_is_409(api_login, trainee, assignment):
    client = api_login(trainee)
    url = f"/api/v1/lessons/{assignment.pk}/submissions/"
    assert client.post(url, {"text": "أولى"}, format="multipart").status_code == 201
    response = client.post(url, {"text": "ثانية"}, format="multipart")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "awaiting_review"
    assert AssignmentSubmission.objects.get().text == "أولى"


def test_manager_reviews_a_submission_through_the_api(api_login, manager, trainee, assignment):
    submission = services.submit_assignment(user=trainee, lesson=assignment, text="مسودة")
    client = api_login(manager)

    listed = client.get("/api/v1/submissions/?status=submitted").json()
    assert [row["id"] for row in listed["results"]] == [submission.pk]
    assert listed["results"][0]["trainee"]["id"] == trainee.pk

    response = client.post(
        f"/api/v1/submissions/{submission.pk}/review/",
        {"decision": "return", "feedback": "أضف توصيات"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    submission.refresh_from_db()
    assert submission.feedback == "أضف توصيات" and submission.reviewed_by == manager


def test_returning_without_feedback_is_400_and_unchanged(api_login, manager, trainee, assignment):
    submission = services.submit_assignment(user=trainee, lesson=assignment, text="مسودة")
    response = api_login(manager).post(
        f"/api/v1/submissions/{submission.pk}/review/", {"decision": "return"}, format="json"
    )
    assert response.status_code == 400
    submission.refresh_from_db()
    assert submission.status == AssignmentSubmission.Status.SUBMITTED


def test_a_trainee_cannot_review_their_own_submission(api_login, trainee, assignment):
    submission = services.submit_assignment(user=trainee, lesson=assignment, text="مسودة")
    response = api_login(trainee).post(
        f"/api/v1/submissions/{submission.pk}/review/", {"decision": "accept"}, format="json"
    )
    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.status == AssignmentSubmission.Status.SUBMITTED


# --- My progress ---------------------------------------------------------------------------------------


def test_progress_lists_my_courses_with_percent_and_where_to_continue(
    api_login, trainee, course, text_lesson, quiz
):
    services.complete_lesson(user=trainee, lesson=text_lesson)
    body = api_login(trainee).get("/api/v1/progress/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["course"] == course.pk
    assert row["percent"] == 33 and row["completed"] is False
    assert row["next_lesson"] == quiz.pk


def test_anonymous_callers_get_401_or_403(api_client, course):
    for url in ("/api/v1/courses/", "/api/v1/progress/", "/api/v1/submissions/"):
        assert api_client.get(url).status_code in (401, 403)


# --- Query budgets at two sizes ----------------------------------------------------------------------


def _big_course(trainee, modules, lessons):
    course = build_course(modules=modules, lessons_per_module=lessons, sequential=True)
    EnrollmentFactory(user=trainee, course=course)
    for lesson in lessons_of(course)[: modules * lessons // 2]:
        services.complete_lesson(user=trainee, lesson=lesson)
    return course


def _count(django_assert_max_num_queries, client, url, budget):
    with django_assert_max_num_queries(budget) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", ["/api/v1/courses/{id}/outline/", "/api/v1/courses/{id}/"])
def test_outline_query_count_does_not_grow_with_the_course(
    api_login, trainee, django_assert_max_num_queries, url
):
    client = api_login(trainee)
    small = _big_course(trainee, 1, 2)
    big = _big_course(trainee, 6, 8)
    counts = [
        _count(django_assert_max_num_queries, client, url.format(id=c.pk), 10) for c in (small, big)
    ]
    assert counts[0] == counts[1]


def test_course_and_progress_lists_query_count_does_not_grow(
    api_login, trainee, django_assert_max_num_queries
):
    client = api_login(trainee)
    _big_course(trainee, 1, 2)
    small = [
        _count(django_assert_max_num_queries, client, url, 12)
        for url in ("/api/v1/courses/", "/api/v1/progress/")
    ]
    for _ in range(5):
        _big_course(trainee, 3, 4)
    big = [
        _count(django_assert_max_num_queries, client, url, 12)
        for url in ("/api/v1/courses/", "/api/v1/progress/")
    ]
    assert small == big


def test_lesson_page_query_count_does_not_grow_with_questions_and_attempts(
    api_login, trainee, django_assert_max_num_queries
):
    client = api_login(trainee)
    counts = []
    for questions, attempts in ((1, 1), (12, 6)):
        course = _big_course(trainee, 2, 3)
        quiz = LessonFactory(module=course.modules.first(), position=99, kind="quiz", body="")
        for _ in range(questions):
            QuestionFactory(lesson=quiz)
        for number in range(1, attempts + 1):
            QuizAttemptFactory(user=trainee, lesson=quiz, number=number, score=10)
        counts.append(
            _count(django_assert_max_num_queries, client, f"/api/v1/lessons/{quiz.pk}/", 14)
        )
        counts.append(
            _count(
                django_assert_max_num_queries,
                client,
                f"/api/v1/lessons/{quiz.pk}/quiz-attempts/",
                10,
            )
        )
    assert counts[:2] == counts[2:]


def test_submission_list_query_count_does_not_grow(
    api_login, manager, django_assert_max_num_queries
):
    client = api_login(manager)
    SubmissionFactory()
    small = _count(django_assert_max_num_queries, client, "/api/v1/submissions/", 6)
    for _ in range(8):
        SubmissionFactory(user=TraineeFactory())
    big = _count(django_assert_max_num_queries, client, "/api/v1/submissions/", 6)
    assert small == big


def test_schema_describes_the_courses_api_without_correct_answers(api_login, manager):
    response = api_login(manager).get("/api/schema/?format=json")
    schema = json.loads(response.content)
    paths = schema["paths"]
    for path in (
        "/api/v1/courses/",
        "/api/v1/courses/{id}/outline/",
        "/api/v1/lessons/{id}/",
        "/api/v1/lessons/{id}/complete/",
        "/api/v1/lessons/{id}/quiz-attempts/",
        "/api/v1/lessons/{id}/submissions/",
        "/api/v1/progress/",
    ):
        assert path in paths
    assert "post" in paths["/api/v1/lessons/{id}/quiz-attempts/"]
    assert (
        "multipart/form-data"
        in (paths["/api/v1/lessons/{id}/submissions/"]["post"]["requestBody"]["content"])
    )
    assert "is_correct" not in json.dumps(schema["components"]["schemas"]["QuizQuestion"])
    assert "is_correct" not in json.dumps(schema["components"]["schemas"]["Choice"])
