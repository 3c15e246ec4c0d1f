"""Trainee pages of courses: my courses, the outline, lessons of every kind, quizzes, the home
panel, query budgets and the whole journey (assignments and reviews: test_views_assignments)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import AssignmentSubmission, Lesson, LessonProgress, QuizAttempt
from notifications.models import Notification
from tests.courses.factories import (
    PDF_BYTES,
    PNG_BYTES,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    QuestionFactory,
    QuizAttemptFactory,
    QuizFactory,
    SubmissionFactory,
    build_course,
    lessons_of,
    pdf_upload,
    right_answers,
    wrong_answers,
)
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def _quiz_post(answers):
    """{question id: [choice ids]} as the quiz form posts it."""
    return {f"q-{question}": choices for question, choices in answers.items()}


def _url(name, obj):
    return reverse(f"courses:{name}", args=[obj.pk])


# --- My courses and the outline -------------------------------------------------------------------


def test_my_courses_lists_the_trainees_courses_with_progress_bars(
    login, trainee, course, text_lesson
):
    other = CourseFactory(title="مقرر لا يخصني")
    services.complete_lesson(user=trainee, lesson=text_lesson)

    response = login(trainee).get(reverse("courses:mine"))

    assert response.status_code == 200
    html = response.content.decode()
    assert course.title in html and other.title not in html
    assert '<progress max="100" value="33"' in html
    assert [c.pk for c, _status in response.context["rows"]] == [course.pk]


def test_my_courses_query_count_does_not_grow(
    login, trainee, django_assert_num_queries, django_assert_max_num_queries
):
    client = login(trainee)
    first = build_course(modules=1, lessons_per_module=1)
    EnrollmentFactory(user=trainee, course=first)
    _grow(first, trainee, modules=1, lessons=1, attempts=1)
    small = _measure(client, reverse("courses:mine"), django_assert_max_num_queries, 5)

    for _ in range(3):
        course = build_course(modules=2, lessons_per_module=3)
        EnrollmentFactory(user=trainee, course=course)
        _grow(course, trainee, modules=2, lessons=3, attempts=2)
    _measure(client, reverse("courses:mine"), django_assert_num_queries, small)


def test_outline_shows_lock_and_complete_states_and_where_to_continue(login, trainee):
    course = build_course(modules=2, lessons_per_module=2, sequential=True)
    EnrollmentFactory(user=trainee, course=course)
    first, second, third, _fourth = lessons_of(course)
    services.complete_lesson(user=trainee, lesson=first)

    response = login(trainee).get(_url("course", course))

    assert response.status_code == 200
    status = response.context["status"]
    assert [s.state for s in status.lessons] == ["completed", "available", "locked", "locked"]
    assert response.context["resume"].lesson.pk == second.pk
    html = response.content.decode()
    assert _url("lesson", second) in html
    # A locked lesson is listed, not linked, and says why.
    assert _url("lesson", third) not in html
    assert html.count('class="state state-locked"') == 2
    assert status.modules[1].lock_reason == "module_order"


def test_outline_and_lessons_of_a_course_out_of_scope_are_404(login, outsider, course):
    client = login(outsider)
    assert client.get(_url("course", course)).status_code == 404
    lesson = lessons_of(course)[0]
    assert client.get(_url("lesson", lesson)).status_code == 404
    assert client.post(_url("complete_lesson", lesson)).status_code == 404
    assert not LessonProgress.objects.filter(user=outsider).exists()


def test_a_draft_course_is_404_for_an_enrolled_trainee(login, trainee):
    draft = build_course(modules=1, lessons_per_module=1, published=False)
    EnrollmentFactory(user=trainee, course=draft)
    assert login(trainee).get(_url("course", draft)).status_code == 404


def test_english_pages_show_english_titles_when_filled_else_arabic(login, trainee, course):
    module = course.modules.get(position=1)
    client = login(trainee)
    client.post(reverse("core:set_language"), {"language": "en"})

    html = client.get(_url("course", course)).content.decode()

    assert "Political literacy" in html  # title_en filled
    assert module.title in html  # no English title: Arabic shown
    assert "What is politics?" in html


# --- Lesson pages ---------------------------------------------------------------------------------


def test_lesson_page_records_the_visit_and_links_previous_and_next(
    login, trainee, course, text_lesson, quiz
):
    response = login(trainee).get(_url("lesson", quiz))

    assert response.status_code == 200
    assert response.context["previous"].lesson.pk == text_lesson.pk
    assert response.context["following"].lesson.kind == Lesson.Kind.ASSIGNMENT
    assert LessonProgress.objects.filter(user=trainee, lesson=quiz, completed_at=None).exists()
    html = response.content.decode()
    assert f'rel="prev" href="{_url("lesson", text_lesson)}"' in html


def test_a_locked_lesson_is_403_with_its_reason_and_records_nothing(login, trainee):
    course = build_course(modules=1, lessons_per_module=2)
    EnrollmentFactory(user=trainee, course=course)
    first, second = lessons_of(course)
    second.prerequisites.add(first)

    response = login(trainee).get(_url("lesson", second))

    assert response.status_code == 403
    assert response.context["state"].lock_reason == "prerequisites"
    assert [p.lesson.pk for p in response.context["prerequisites"]] == [first.pk]
    assert not LessonProgress.objects.filter(user=trainee, lesson=second).exists()


def test_a_lesson_not_yet_available_is_403(login, trainee):
    course = build_course(modules=1, lessons_per_module=1)
    EnrollmentFactory(user=trainee, course=course)
    lesson = lessons_of(course)[0]
    lesson.available_from = timezone.now() + datetime.timedelta(days=3)
    lesson.save(update_fields=["available_from"])

    response = login(trainee).get(_url("lesson", lesson))

    assert response.status_code == 403
    assert response.context["state"].lock_reason == "dates"


def test_marking_a_lesson_complete_moves_on_to_the_next(login, trainee, text_lesson, quiz):
    response = login(trainee).post(_url("complete_lesson", text_lesson))

    assert response.status_code == 302
    assert response["Location"] == _url("lesson", quiz)
    progress = LessonProgress.objects.get(user=trainee, lesson=text_lesson)
    assert progress.completed_at is not None


def test_marking_a_quiz_complete_by_hand_is_400_and_records_nothing(login, trainee, quiz):
    response = login(trainee).post(_url("complete_lesson", quiz))

    assert response.status_code == 400
    assert not LessonProgress.objects.filter(user=trainee, lesson=quiz).exists()


def test_script_in_lesson_content_never_reaches_the_page(login, trainee, course):
    module = course.modules.get(position=1)
    lesson = LessonFactory(
        module=module,
        position=9,
        body='<p onclick="steal()">نص</p><script>alert(1)</script><a href="javascript:x()">r</a>',
    )

    html = login(trainee).get(_url("lesson", lesson)).content.decode()

    assert "<p>نص</p>" in html
    assert "<script" not in html
    assert "onclick" not in html and "javascript:" not in html


def test_video_lesson_links_out_and_shows_the_transcript_without_embedding(login, trainee, course):
    module = course.modules.get(position=1)
    lesson = LessonFactory(
        module=module,
        position=9,
        kind=Lesson.Kind.VIDEO,
        body="",
        video_url="https://video.example/watch?v=1",
        transcript="نص المحاضرة",
    )

    html = login(trainee).get(_url("lesson", lesson)).content.decode()

    assert 'href="https://video.example/watch?v=1"' in html
    assert "نص المحاضرة" in html
    assert "<iframe" not in html and "<video" not in html


def _resource_lesson(course, settings):
    module = course.modules.get(position=1)
    lesson = LessonFactory(module=module, position=9, kind=Lesson.Kind.RESOURCE, body="")
    lesson.resource.save("guide.pdf", SimpleUploadedFile("guide.pdf", PDF_BYTES), save=True)
    return lesson


def test_resource_is_served_through_an_access_checked_view(
    login, trainee, outsider, manager, course, settings
):
    lesson = _resource_lesson(course, settings)

    page = login(trainee).get(_url("lesson", lesson)).content.decode()
    assert _url("resource", lesson) in page
    assert settings.MEDIA_URL not in page  # never a public media address

    response = login(trainee).get(_url("resource", lesson))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert login(outsider).get(_url("resource", lesson)).status_code == 404
    assert login(manager).get(_url("resource", lesson)).status_code == 200


def test_resource_of_a_locked_lesson_is_403(login, trainee, course, text_lesson, settings):
    lesson = _resource_lesson(course, settings)
    lesson.prerequisites.add(text_lesson)
    assert login(trainee).get(_url("resource", lesson)).status_code == 403


# --- Quizzes --------------------------------------------------------------------------------------


def test_quiz_form_follows_the_attempts_question_order_and_reveals_nothing(login, trainee, quiz):
    quiz.shuffle_questions = True
    quiz.save(update_fields=["shuffle_questions"])

    response = login(trainee).get(_url("lesson", quiz))

    expected = [q.pk for q in services.quiz_questions(trainee, quiz, 1)]
    assert [q.pk for q in response.context["questions"]] == expected
    html = response.content.decode()
    assert response.context["result"] is None
    assert "correct answer" not in html and "الإجابة الصحيحة" not in html
    assert 'type="radio"' in html and 'type="checkbox"' in html


def test_submitting_a_quiz_scores_it_and_then_shows_which_answers_were_right(login, trainee, quiz):
    client = login(trainee)
    answers = right_answers(quiz)
    first_question = min(answers)
    answers[first_question] = wrong_answers(quiz)[first_question]

    response = client.post(_url("submit_quiz", quiz), _quiz_post(answers))

    assert response.status_code == 302
    attempt = QuizAttempt.objects.get(user=trainee, lesson=quiz)
    assert (attempt.number, attempt.score, attempt.passed) == (1, 50, True)
    page = client.get(_url("lesson", quiz))
    rows = page.context["result"]["rows"]
    assert {row["question"].pk: row["right"] for row in rows} == {
        q: q != first_question for q in answers
    }
    # Passed: the correct choices are revealed.
    assert page.context["result"]["reveal"] is True
    assert page.context["passed"] is True and page.context["can_attempt"] is False


def test_an_answer_that_is_not_a_choice_of_that_question_is_400_and_saves_nothing(
    login, trainee, quiz
):
    answers = right_answers(quiz)
    first, second = sorted(answers)
    # A real choice id, but of the other question.
    answers[first] = [answers[second][0]]

    response = login(trainee).post(_url("submit_quiz", quiz), _quiz_post(answers))

    assert response.status_code == 400
    assert response.context["errors"]
    assert not QuizAttempt.objects.filter(lesson=quiz).exists()
    assert not LessonProgress.objects.filter(user=trainee, lesson=quiz).exists()


def test_garbage_in_the_quiz_form_is_400(login, trainee, quiz):
    response = login(trainee).post(_url("submit_quiz", quiz), {"q-abc": "x"})
    assert response.status_code == 400
    assert not QuizAttempt.objects.exists()


def test_an_attempt_beyond_the_limit_is_409_and_saves_nothing(login, trainee, quiz):
    quiz.max_attempts = 1
    quiz.save(update_fields=["max_attempts"])
    client = login(trainee)
    assert (
        client.post(_url("submit_quiz", quiz), _quiz_post(wrong_answers(quiz))).status_code == 302
    )

    response = client.post(_url("submit_quiz", quiz), _quiz_post(right_answers(quiz)))

    assert response.status_code == 409
    assert QuizAttempt.objects.filter(user=trainee, lesson=quiz).count() == 1
    assert response.context["used_up"] is True
    # Attempts used up: the correct choices may now be shown.
    assert response.context["result"]["reveal"] is True


def test_a_failed_attempt_with_attempts_left_does_not_reveal_correct_choices(login, trainee, quiz):
    client = login(trainee)
    client.post(_url("submit_quiz", quiz), _quiz_post(wrong_answers(quiz)))

    page = client.get(_url("lesson", quiz))

    assert page.context["result"]["reveal"] is False
    assert all(not c["correct"] for row in page.context["result"]["rows"] for c in row["choices"])
    assert page.context["can_attempt"] is True


# --- Managers preview -----------------------------------------------------------------------------


def test_managers_see_trainee_pages_as_a_preview_that_records_nothing(login, manager):
    course = build_course(modules=2, lessons_per_module=1, sequential=True, published=False)
    first, second = lessons_of(course)
    client = login(manager)

    outline = client.get(_url("course", course))
    assert outline.status_code == 200 and outline.context["preview"] is True
    # As a trainee who has not started would see it: the second module is locked...
    assert [s.state for s in outline.context["status"].lessons] == ["available", "locked"]
    # ...yet the manager may open it to check it.
    assert client.get(_url("lesson", second)).status_code == 200
    assert client.post(_url("complete_lesson", first)).status_code == 403
    assert not LessonProgress.objects.exists()


# --- Query budgets at two sizes -------------------------------------------------------------------


def _grow(course, trainee, *, modules, lessons, attempts):
    """Add content and history to a course: modules of text lessons, a quiz with attempts."""
    start = course.modules.count()
    for m in range(start + 1, start + modules + 1):
        module = ModuleFactory(course=course, position=m)
        for p in range(1, lessons + 1):
            lesson = LessonFactory(module=module, position=p)
            LessonProgress.objects.create(user=trainee, lesson=lesson)
    module = ModuleFactory(course=course, position=start + modules + 1)
    quiz = QuizFactory(module=module, position=1, max_attempts=None)
    QuestionFactory.create_batch(lessons, lesson=quiz)
    for n in range(1, attempts + 1):
        QuizAttemptFactory(user=trainee, lesson=quiz, number=n, score=0, passed=False)
    return quiz


def _measure(client, url, assert_queries, expected):
    """The query count of a page in its steady state (the first visit creates the progress
    row), checked against `expected`: a budget at the small size, the exact small count after."""
    client.get(url)
    with assert_queries(expected) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_outline_query_count_does_not_grow(
    login, trainee, django_assert_num_queries, django_assert_max_num_queries
):
    course = build_course(modules=1, lessons_per_module=1)
    EnrollmentFactory(user=trainee, course=course)
    client = login(trainee)
    _grow(course, trainee, modules=1, lessons=1, attempts=1)
    small = _measure(client, _url("course", course), django_assert_max_num_queries, 10)

    _grow(course, trainee, modules=6, lessons=5, attempts=4)
    _measure(client, _url("course", course), django_assert_num_queries, small)


def test_lesson_page_query_count_does_not_grow(login, trainee, django_assert_num_queries):
    course = build_course(modules=1, lessons_per_module=1)
    EnrollmentFactory(user=trainee, course=course)
    client = login(trainee)
    text = lessons_of(course)[0]
    quiz = _grow(course, trainee, modules=1, lessons=1, attempts=1)
    # Opening a lesson again moves its last-seen time and the last activity in two single-row
    # updates (services.reopen_lesson), not a transaction reading the row first.
    small_text = _measure(client, _url("lesson", text), django_assert_num_queries, 11)
    small_quiz = _measure(client, _url("lesson", quiz), django_assert_num_queries, 14)

    bigger_quiz = _grow(course, trainee, modules=6, lessons=5, attempts=4)
    _measure(client, _url("lesson", text), django_assert_num_queries, small_text)
    # The same quiz with more attempts, and a quiz with more questions and attempts.
    QuizAttemptFactory.create_batch(5, user=trainee, lesson=quiz, score=0, passed=False)
    _measure(client, _url("lesson", quiz), django_assert_num_queries, small_quiz)
    _measure(client, _url("lesson", bigger_quiz), django_assert_num_queries, small_quiz)


def test_assignment_page_query_count_does_not_grow(
    login, trainee, manager, assignment, django_assert_num_queries, django_assert_max_num_queries
):
    client = login(trainee)
    small = _measure(client, _url("lesson", assignment), django_assert_max_num_queries, 25)
    submission = SubmissionFactory(user=trainee, lesson=assignment)
    services.review_submission(reviewer=manager, submission=submission, accept=False, feedback="x")
    _grow(assignment.module.course, trainee, modules=4, lessons=4, attempts=3)
    _measure(client, _url("lesson", assignment), django_assert_num_queries, small)


def test_home_and_my_courses_query_counts_do_not_grow(
    login, trainee, django_assert_num_queries, django_assert_max_num_queries
):
    first = build_course(modules=1, lessons_per_module=1)
    EnrollmentFactory(user=trainee, course=first)
    client = login(trainee)
    client.get(_url("lesson", lessons_of(first)[0]))
    home = _measure(client, reverse("core:home"), django_assert_max_num_queries, 12)
    mine = _measure(client, reverse("courses:mine"), django_assert_max_num_queries, 5)

    for _ in range(8):
        course = build_course(modules=3, lessons_per_module=3)
        EnrollmentFactory(user=trainee, course=course)
        _grow(course, trainee, modules=2, lessons=3, attempts=2)
    client.get(_url("lesson", lessons_of(course)[0]))
    _measure(client, reverse("core:home"), django_assert_num_queries, home)
    _measure(client, reverse("courses:mine"), django_assert_num_queries, mine)


# --- The journey ----------------------------------------------------------------------------------


def test_a_trainee_takes_a_course_from_the_first_lesson_to_completion(
    login, client, trainee, manager, course, text_lesson, quiz, assignment
):
    trainee_client = login(trainee)

    outline = trainee_client.get(_url("course", course))
    assert outline.context["status"].percent == 0
    assert outline.context["resume"].lesson.pk == text_lesson.pk

    # The text lesson: read, mark complete, moved on to the quiz.
    assert trainee_client.get(_url("lesson", text_lesson)).status_code == 200
    response = trainee_client.post(_url("complete_lesson", text_lesson))
    assert response["Location"] == _url("lesson", quiz)

    # The quiz: a failed attempt, then a pass.
    assert trainee_client.get(_url("lesson", quiz)).status_code == 200
    trainee_client.post(_url("submit_quiz", quiz), _quiz_post(wrong_answers(quiz)))
    trainee_client.post(_url("submit_quiz", quiz), _quiz_post(right_answers(quiz)))
    assert list(
        QuizAttempt.objects.filter(user=trainee, lesson=quiz).values_list("number", "passed")
    ) == [(1, False), (2, True)]

    # The assignment: submitted, returned with feedback, submitted again, accepted.
    assert trainee_client.get(_url("lesson", assignment)).status_code == 200
    trainee_client.post(
        _url("submit_assignment", assignment), {"text": "مسودة", "file": pdf_upload()}
    )
    submission = AssignmentSubmission.objects.get(user=trainee, lesson=assignment)
    assert trainee_client.get(_url("course", course)).context["status"].percent == 66

    manager_client = type(client)()
    manager_client.force_login(manager)
    queue = manager_client.get(reverse("courses:review_queue"))
    assert [row["id"] for row in queue.context["page"]] == [submission.pk]
    manager_client.post(
        _url("review", submission), {"decision": "return", "feedback": "أضف توصيات"}
    )
    submission.refresh_from_db()
    assert submission.status == AssignmentSubmission.Status.RETURNED

    trainee_client.post(
        _url("submit_assignment", assignment), {"text": "مع التوصيات", "file": pdf_upload()}
    )
    submission.refresh_from_db()
    assert (submission.status, submission.revision) == (
        AssignmentSubmission.Status.RESUBMITTED,
        2,
    )
    manager_client.post(_url("review", submission), {"decision": "accept", "feedback": ""})
    submission.refresh_from_db()
    assert submission.status == AssignmentSubmission.Status.ACCEPTED

    outline = trainee_client.get(_url("course", course))
    assert outline.context["status"].percent == 100
    assert outline.context["status"].completed is True
    html = outline.content.decode()
    assert '<progress max="100" value="100"' in html
    assert set(Notification.objects.filter(recipient=trainee).values_list("kind", flat=True)) == {
        "courses.submission_returned",
        "courses.submission_accepted",
    }
    # Nothing left to continue: the home page shows the course as completed.
    home = trainee_client.get(reverse("core:home")).content.decode()
    assert '<progress max="100" value="100"' in home


def test_other_trainees_progress_does_not_leak_into_mine(login, trainee, course, text_lesson):
    other = TraineeFactory()
    EnrollmentFactory(user=other, course=course)
    services.complete_lesson(user=other, lesson=text_lesson)

    response = login(trainee).get(_url("course", course))

    assert response.context["status"].percent == 0


def test_uploading_an_image_is_accepted_for_assignments(login, trainee, assignment):
    image = SimpleUploadedFile("photo.png", PNG_BYTES, content_type="image/png")
    response = login(trainee).post(_url("submit_assignment", assignment), {"file": image})
    assert response.status_code == 302
    assert AssignmentSubmission.objects.get(user=trainee).file_type == "image/png"


def test_home_and_my_courses_read_stored_figures_and_show_the_trainees_own_completion(
    login, trainee
):
    course = build_course(modules=1, lessons_per_module=2)
    EnrollmentFactory(user=trainee, course=course)
    client = login(trainee)
    first, second = lessons_of(course)
    page = client.get(reverse("core:home")).content.decode()
    assert '<progress max="100" value="0"' in page  # no snapshot yet: nothing done
    client.get(_url("lesson", first))
    services.complete_lesson(user=trainee, lesson=first)
    page = client.get(reverse("core:home")).content.decode()
    assert '<progress max="100" value="50"' in page
    mine = client.get(reverse("courses:mine")).content.decode()
    assert '<progress max="100" value="50"' in mine
    services.complete_lesson(user=trainee, lesson=second)
    page = client.get(reverse("core:home")).content.decode()
    assert '<progress max="100" value="100"' in page
