import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from core.models import AuditEvent
from courses import services
from courses.models import (
    AssignmentSubmission,
    Choice,
    Course,
    CourseEnrollment,
    Lesson,
    LessonProgress,
    Question,
    QuizAttempt,
)
from notifications.models import Notification
from tests.courses.factories import (
    JPEG_BYTES,
    PNG_BYTES,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    build_course,
    docx_bytes,
    lessons_of,
    pdf_upload,
    right_answers,
    wrong_answers,
)

pytestmark = pytest.mark.django_db


# --- Authoring ----------------------------------------------------------------------------------


def test_create_course_makes_a_draft_and_needs_a_manager(manager, trainee, mentor):
    course = services.create_course(
        actor=manager, title="الثقافة السياسية", title_en="Political literacy", track="political"
    )
    assert not course.is_published and course.created_by == manager
    for person in (trainee, mentor):
        with pytest.raises(PermissionDenied):
            services.create_course(actor=person, title="x", track="political")
    assert Course.objects.count() == 1


def test_create_course_rejects_an_unknown_track_and_saves_nothing(manager):
    with pytest.raises(ValidationError) as caught:
        services.create_course(actor=manager, title="x", track="sports")
    assert "track" in caught.value.message_dict
    assert not Course.objects.exists()


def test_a_cover_must_be_an_image_by_content(manager):
    fake = SimpleUploadedFile("cover.png", b"%PDF-1.4 not an image", content_type="image/png")
    with pytest.raises(ValidationError) as caught:
        services.create_course(actor=manager, title="x", track="youth", cover=fake)
    assert "cover" in caught.value.message_dict
    real = SimpleUploadedFile("c.bin", PNG_BYTES, content_type="application/octet-stream")
    course = services.create_course(actor=manager, title="x", track="youth", cover=real)
    assert course.cover.name.endswith(".png")


def test_modules_lessons_and_questions_are_appended_in_order(manager):
    course = CourseFactory(is_published=False, published_at=None)
    first = services.add_module(actor=manager, course=course, title="أولى")
    second = services.add_module(actor=manager, course=course, title="ثانية")
    assert (first.position, second.position) == (1, 2)
    a = services.add_lesson(actor=manager, module=first, kind="text", title="أ")
    b = services.add_lesson(actor=manager, module=first, kind="text", title="ب")
    assert (a.position, b.position) == (1, 2)


def test_move_module_swaps_with_its_neighbour_and_is_a_no_op_at_the_ends(manager):
    course = CourseFactory()
    a, b, c = (services.add_module(actor=manager, course=course, title=t) for t in "أبج")
    services.move_module(actor=manager, module=c, direction="up")
    assert list(course.modules.order_by("position").values_list("pk", flat=True)) == [
        a.pk,
        c.pk,
        b.pk,
    ]
    services.move_module(actor=manager, module=a, direction="up")
    services.move_module(actor=manager, module=b, direction="down")
    assert list(course.modules.order_by("position").values_list("pk", flat=True)) == [
        a.pk,
        c.pk,
        b.pk,
    ]
    with pytest.raises(ValueError):
        services.move_module(actor=manager, module=a, direction="sideways")


def test_move_lesson_and_question(manager):
    module = ModuleFactory()
    a = services.add_lesson(actor=manager, module=module, kind="quiz", title="أ")
    b = services.add_lesson(actor=manager, module=module, kind="text", title="ب")
    services.move_lesson(actor=manager, lesson=b, direction="up")
    assert lessons_of(module.course) == [b, a]
    q1 = services.add_question(
        actor=manager, lesson=a, kind="true_false", text="١", choices=[("صح", True), ("خطأ", False)]
    )
    q2 = services.add_question(
        actor=manager, lesson=a, kind="true_false", text="٢", choices=[("صح", False), ("خطأ", True)]
    )
    services.move_question(actor=manager, question=q1, direction="down")
    assert list(a.questions.order_by("position")) == [q2, q1]


def test_reordering_needs_a_manager(trainee):
    module = ModuleFactory()
    with pytest.raises(PermissionDenied):
        services.move_module(actor=trainee, module=module, direction="up")


@pytest.mark.parametrize(
    ("kind", "choices", "message"),
    [
        ("true_false", [("صح", True), ("خطأ", False), ("ربما", False)], "exactly two"),
        ("single", [("أ", True), ("ب", True)], "exactly one"),
        ("single", [("أ", False), ("ب", False)], "exactly one"),
        ("multiple", [("أ", False), ("ب", False)], "at least one"),
        ("single", [("أ", True)], "at least two"),
        ("single", [("أ", True), ("  ", False)], "needs a text"),
    ],
)
def test_add_question_checks_its_choices_and_saves_nothing_when_wrong(
    manager, kind, choices, message
):
    quiz = LessonFactory(kind="quiz")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.add_question(actor=manager, lesson=quiz, kind=kind, text="؟", choices=choices)
    with translation.override("en"):
        assert message in " ".join(caught.value.messages)
    assert not Question.objects.exists() and not Choice.objects.exists()


def test_questions_belong_to_quizzes_only(manager):
    with pytest.raises(ValidationError):
        services.add_question(
            actor=manager,
            lesson=LessonFactory(kind="text"),
            kind="single",
            text="؟",
            choices=[("أ", True), ("ب", False)],
        )


def test_update_question_replaces_its_choices(manager):
    quiz = LessonFactory(kind="quiz")
    question = services.add_question(
        actor=manager, lesson=quiz, kind="single", text="؟", choices=[("أ", True), ("ب", False)]
    )
    services.update_question(
        actor=manager,
        question=question,
        text="سؤال معدّل",
        choices=[{"text": "ج", "is_correct": False}, {"text": "د", "is_correct": True}],
    )
    question.refresh_from_db()
    assert question.text == "سؤال معدّل"
    assert list(question.choices.values_list("text", "is_correct")) == [("ج", False), ("د", True)]


def test_lesson_content_is_sanitised_when_added_or_updated(manager):
    module = ModuleFactory()
    lesson = services.add_lesson(
        actor=manager,
        module=module,
        kind="text",
        title="درس",
        body='<h2>عنوان</h2><script>alert(1)</script><p onclick="steal()">نص</p>'
        '<a href="javascript:alert(1)">رابط</a><iframe src="https://evil.example"></iframe>',
    )
    lesson.refresh_from_db()
    assert "script" not in lesson.body and "onclick" not in lesson.body
    assert "javascript" not in lesson.body and "iframe" not in lesson.body
    assert "<h2>عنوان</h2>" in lesson.body and "<p>نص</p>" in lesson.body
    services.update_lesson(actor=manager, lesson=lesson, body_en="<img src=x onerror=alert(1)>Hi")
    lesson.refresh_from_db()
    assert lesson.body_en == "Hi"


def test_a_video_link_must_be_http(manager):
    with pytest.raises(ValidationError) as caught:
        services.add_lesson(
            actor=manager,
            module=ModuleFactory(),
            kind="video",
            title="فيديو",
            video_url="javascript:alert(1)",
        )
    assert "video_url" in caught.value.message_dict
    assert not Lesson.objects.exists()


def test_a_resource_must_be_a_pdf_by_content(manager):
    module = ModuleFactory()
    fake = SimpleUploadedFile("guide.pdf", docx_bytes(), content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        services.add_lesson(actor=manager, module=module, kind="resource", title="د", resource=fake)
    assert "resource" in caught.value.message_dict
    assert not Lesson.objects.exists()
    lesson = services.add_lesson(
        actor=manager, module=module, kind="resource", title="د", resource=pdf_upload()
    )
    assert lesson.resource.name.endswith(".pdf")


def test_publish_refuses_an_empty_course_or_a_quiz_without_answers(manager):
    course = CourseFactory(is_published=False, published_at=None)
    with pytest.raises(ValidationError):
        services.publish_course(actor=manager, course=course)
    LessonFactory(module=ModuleFactory(course=course), kind="quiz")
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        services.publish_course(actor=manager, course=course)
    assert "quiz" in " ".join(caught.value.messages)
    course.refresh_from_db()
    assert not course.is_published
    assert not AuditEvent.objects.exists()


def test_publish_and_unpublish_are_recorded(manager):
    course = build_course(published=False)
    services.publish_course(actor=manager, course=course)
    course.refresh_from_db()
    assert course.is_published and course.published_at is not None
    services.unpublish_course(actor=manager, course=course)
    course.refresh_from_db()
    assert not course.is_published
    assert list(AuditEvent.objects.about(course).values_list("action", flat=True)) == [
        "courses.unpublish",
        "courses.publish",
    ]


def test_a_lesson_with_trainee_work_cannot_be_deleted(manager, trainee):
    course = build_course(modules=1, lessons_per_module=2)
    EnrollmentFactory(user=trainee, course=course)
    worked, untouched = lessons_of(course)
    services.complete_lesson(user=trainee, lesson=worked)
    with pytest.raises(services.Conflict):
        services.delete_lesson(actor=manager, lesson=worked)
    with pytest.raises(services.Conflict):
        services.delete_module(actor=manager, module=worked.module)
    services.delete_lesson(actor=manager, lesson=untouched)
    assert list(Lesson.objects.all()) == [worked]


def test_prerequisites_must_be_of_the_same_course_and_not_itself(manager):
    lesson = LessonFactory()
    with pytest.raises(ValidationError):
        services.set_prerequisites(actor=manager, lesson=lesson, prerequisites=[lesson])
    with pytest.raises(ValidationError):
        services.set_prerequisites(actor=manager, lesson=lesson, prerequisites=[LessonFactory()])
    assert not lesson.prerequisites.exists()


# --- Enrolment ----------------------------------------------------------------------------------


def test_enroll_trainee_is_idempotent_recorded_and_notified(manager, trainee):
    course = CourseFactory()
    services.enroll_trainee(actor=manager, course=course, user=trainee)
    services.enroll_trainee(actor=manager, course=course, user=trainee)
    assert CourseEnrollment.objects.filter(user=trainee, course=course).count() == 1
    assert AuditEvent.objects.filter(action="courses.enroll").count() == 1
    notification = Notification.objects.get(recipient=trainee)
    assert notification.kind == "courses.enrolled"
    assert course.title in notification.body


def test_only_managers_enroll(trainee, outsider):
    with pytest.raises(PermissionDenied):
        services.enroll_trainee(actor=trainee, course=CourseFactory(), user=outsider)
    assert not CourseEnrollment.objects.exists()


# --- Lessons ----------------------------------------------------------------------------------------


def test_complete_lesson_rejects_a_locked_lesson_and_saves_nothing(trainee):
    course = build_course(modules=2, lessons_per_module=1, sequential=True)
    EnrollmentFactory(user=trainee, course=course)
    _first, locked = lessons_of(course)
    with pytest.raises(services.LessonLocked) as caught:
        services.complete_lesson(user=trainee, lesson=locked)
    assert caught.value.reason == "module_order" and caught.value.message
    assert not LessonProgress.objects.exists()


def test_complete_lesson_rejects_a_lesson_the_trainee_cannot_see(outsider, text_lesson):
    with pytest.raises(PermissionDenied):
        services.complete_lesson(user=outsider, lesson=text_lesson)
    assert not LessonProgress.objects.exists()


def test_quiz_and_assignment_lessons_do_not_complete_by_marking(trainee, quiz, assignment):
    for lesson in (quiz, assignment):
        with pytest.raises(ValidationError):
            services.complete_lesson(user=trainee, lesson=lesson)
    assert not LessonProgress.objects.exists()


def test_complete_lesson_is_idempotent(trainee, text_lesson):
    first = services.complete_lesson(user=trainee, lesson=text_lesson)
    again = services.complete_lesson(user=trainee, lesson=text_lesson)
    assert first.pk == again.pk and first.completed_at == again.completed_at


# --- Quizzes ------------------------------------------------------------------------------------------


def test_scoring_is_all_or_nothing_per_question(trainee, quiz):
    answers = right_answers(quiz)
    single, multiple = sorted(answers)
    answers[multiple] = answers[multiple] + wrong_answers(quiz)[multiple]  # one too many
    attempt = services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=answers)
    assert attempt.results == {str(single): True, str(multiple): False}
    assert attempt.score == 50 and attempt.passed  # pass mark 50
    assert attempt.number == 1
    assert sorted(attempt.question_order) == sorted([single, multiple])


def test_unanswered_questions_count_as_wrong(trainee, quiz):
    single, _multiple = sorted(right_answers(quiz))
    attempt = services.submit_quiz_attempt(
        user=trainee, lesson=quiz, answers={single: right_answers(quiz)[single]}
    )
    assert attempt.score == 50 and attempt.results[str(_multiple)] is False
    assert attempt.answers[str(_multiple)] == []


@pytest.mark.parametrize("shape", ["nothing", "one question, no choice", "every question, none"])
def test_an_attempt_answering_nothing_is_refused_and_uses_no_attempt(trainee, quiz, shape):
    quiz.max_attempts = 1
    quiz.save(update_fields=["max_attempts"])
    questions = list(quiz.questions.values_list("pk", flat=True))
    answers = {
        "nothing": {},
        "one question, no choice": {questions[0]: []},
        "every question, none": dict.fromkeys(questions, []),
    }[shape]

    with pytest.raises(ValidationError) as refused:
        services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=answers)

    assert refused.value.message_dict["answers"] == [
        "اختر إجابةً عن الأسئلة أولًا. لم تُحتسب أي محاولة."
    ]
    assert not QuizAttempt.objects.exists()
    attempt = services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=right_answers(quiz))
    assert attempt.number == 1 and attempt.passed


def test_a_pass_completes_the_lesson(trainee, quiz):
    services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=right_answers(quiz))
    assert LessonProgress.objects.get(user=trainee, lesson=quiz).completed_at is not None


@pytest.mark.parametrize(
    "mangle",
    ["other_question", "unknown_choice", "unknown_question", "two_for_single", "not_a_number"],
)
def test_bad_answers_are_refused_and_nothing_saved(trainee, quiz, mangle):
    answers = right_answers(quiz)
    single, multiple = sorted(answers)
    if mangle == "other_question":
        answers[single] = answers[multiple][:1]
    elif mangle == "unknown_choice":
        answers[single] = [999999]
    elif mangle == "unknown_question":
        answers[999999] = answers[single]
    elif mangle == "two_for_single":
        answers[single] = answers[single] + wrong_answers(quiz)[single]
    else:
        answers[single] = ["abc"]
    with pytest.raises(ValidationError) as caught:
        services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=answers)
    assert "answers" in caught.value.message_dict
    assert not QuizAttempt.objects.exists()
    assert not LessonProgress.objects.exists()  # the row lock taken first was rolled back too


def test_the_attempt_limit_is_enforced(trainee, quiz):
    quiz.max_attempts = 2
    quiz.save(update_fields=["max_attempts"])
    for _ in range(2):
        services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=wrong_answers(quiz))
    with pytest.raises(services.Conflict) as caught:
        services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=right_answers(quiz))
    assert caught.value.code == "attempt_limit"
    assert list(QuizAttempt.objects.values_list("number", flat=True)) == [1, 2]
    assert not LessonProgress.objects.filter(completed_at__isnull=False).exists()


def test_a_clashing_attempt_number_is_a_conflict_not_a_crash(trainee, quiz, monkeypatch):
    """If two submissions race past the count, the unique number stops the second one."""
    services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=wrong_answers(quiz))
    real_filter = QuizAttempt.objects.filter

    class StaleCount:
        def __init__(self, qs):
            self.qs = qs

        def count(self):
            return 0  # as if the other transaction had not committed yet

        def __getattr__(self, name):
            return getattr(self.qs, name)

    monkeypatch.setattr(
        QuizAttempt.objects, "filter", lambda *a, **k: StaleCount(real_filter(*a, **k))
    )
    with pytest.raises(services.Conflict) as caught:
        services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=right_answers(quiz))
    monkeypatch.undo()
    assert caught.value.code == "attempt_conflict"
    assert QuizAttempt.objects.count() == 1


def test_question_order_is_stable_per_attempt_and_recorded(trainee, manager):
    quiz = LessonFactory(kind="quiz", shuffle_questions=True)
    for n in range(8):
        services.add_question(
            actor=manager, lesson=quiz, kind="single", text=f"{n}", choices=[("أ", True), ("ب", 0)]
        )
    shown = [q.pk for q in services.quiz_questions(trainee, quiz)]
    assert shown == [q.pk for q in services.quiz_questions(trainee, quiz)]
    orders = {tuple(q.pk for q in services.quiz_questions(trainee, quiz, n)) for n in range(1, 6)}
    assert len(orders) > 1  # different attempts, different orders
    EnrollmentFactory(user=trainee, course=quiz.module.course)
    attempt = services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=wrong_answers(quiz))
    assert attempt.question_order == shown


def test_reveal_rule_for_correct_answers(trainee, quiz):
    assert not services.reveals_correct_answers(quiz, [])
    failed = services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=wrong_answers(quiz))
    assert not services.reveals_correct_answers(quiz, [failed])
    quiz.max_attempts = 1
    assert services.reveals_correct_answers(quiz, [failed])
    quiz.max_attempts = None
    passed = services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=right_answers(quiz))
    assert services.reveals_correct_answers(quiz, [failed, passed])


def test_an_empty_quiz_takes_no_attempt(trainee):
    quiz = LessonFactory(kind="quiz")
    EnrollmentFactory(user=trainee, course=quiz.module.course)
    with pytest.raises(ValidationError):
        services.submit_quiz_attempt(user=trainee, lesson=quiz, answers={})
    assert not QuizAttempt.objects.exists()


# --- Assignments ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "extension"),
    [(b"%PDF-1.7\n...", "pdf"), (PNG_BYTES, "png"), (JPEG_BYTES, "jpg"), ("docx", "docx")],
)
def test_allowed_files_are_stored_under_a_random_name_by_their_content(
    trainee, assignment, content, extension
):
    content = docx_bytes() if content == "docx" else content
    upload = SimpleUploadedFile("../../etc/passwd", content)
    submission = services.submit_assignment(user=trainee, lesson=assignment, file=upload)
    assert submission.file.name.endswith(f".{extension}")
    assert "passwd" not in submission.file.name
    assert submission.status == AssignmentSubmission.Status.SUBMITTED


def test_an_empty_submission_is_refused(trainee, assignment):
    with pytest.raises(ValidationError):
        services.submit_assignment(user=trainee, lesson=assignment, text="   ")
    assert not AssignmentSubmission.objects.exists()


def test_text_only_and_file_only_assignments(trainee, assignment):
    assignment.allow_file = False
    assignment.save(update_fields=["allow_file"])
    with pytest.raises(ValidationError) as caught:
        services.submit_assignment(user=trainee, lesson=assignment, file=pdf_upload())
    assert "file" in caught.value.message_dict
    assignment.allow_file, assignment.allow_text = True, False
    assignment.save(update_fields=["allow_file", "allow_text"])
    with pytest.raises(ValidationError) as caught:
        services.submit_assignment(user=trainee, lesson=assignment, text="نص")
    assert "text" in caught.value.message_dict
    assert not AssignmentSubmission.objects.exists()


def test_a_late_submission_is_accepted_and_flagged_when_the_policy_says_so(trainee, assignment):
    assignment.due_at = timezone.now() - datetime.timedelta(hours=1)
    assignment.save(update_fields=["due_at"])
    submission = services.submit_assignment(user=trainee, lesson=assignment, text="متأخر")
    assert submission.is_late


def test_a_late_submission_is_refused_when_the_policy_says_so(trainee, assignment):
    assignment.due_at = timezone.now() - datetime.timedelta(hours=1)
    assignment.late_policy = Lesson.LatePolicy.REFUSE
    assignment.save(update_fields=["due_at", "late_policy"])
    with pytest.raises(ValidationError) as caught:
        services.submit_assignment(user=trainee, lesson=assignment, file=pdf_upload())
    assert caught.value.code == "deadline_passed"
    assert not AssignmentSubmission.objects.exists()
    assert not LessonProgress.objects.exists()


def test_an_on_time_submission_is_not_late(trainee, assignment):
    assignment.due_at = timezone.now() + datetime.timedelta(days=1)
    assignment.late_policy = Lesson.LatePolicy.REFUSE
    assignment.save(update_fields=["due_at", "late_policy"])
    assert not services.submit_assignment(user=trainee, lesson=assignment, text="x").is_late


def test_submission_lifecycle_submitted_returned_resubmitted_accepted(
    trainee, manager, assignment, django_capture_on_commit_callbacks
):
    submission = services.submit_assignment(
        user=trainee, lesson=assignment, text="أولى", file=pdf_upload()
    )
    first_file = submission.file.name
    storage = submission.file.storage
    with pytest.raises(services.Conflict):
        services.submit_assignment(user=trainee, lesson=assignment, text="مبكراً")

    services.review_submission(
        reviewer=manager, submission=submission, accept=False, feedback="أضف مصادر"
    )
    submission.refresh_from_db()
    assert submission.status == AssignmentSubmission.Status.RETURNED
    assert Notification.objects.get(recipient=trainee).kind == "courses.submission_returned"

    with django_capture_on_commit_callbacks(execute=True):
        resubmitted = services.submit_assignment(user=trainee, lesson=assignment, text="ثانية")
    assert resubmitted.pk == submission.pk
    assert resubmitted.status == AssignmentSubmission.Status.RESUBMITTED
    assert resubmitted.revision == 2 and not resubmitted.file
    assert not storage.exists(first_file)  # the replaced file went once committed

    services.review_submission(reviewer=manager, submission=submission, accept=True)
    submission.refresh_from_db()
    assert submission.status == AssignmentSubmission.Status.ACCEPTED
    assert LessonProgress.objects.get(user=trainee, lesson=assignment).completed_at is not None
    with pytest.raises(services.Conflict):
        services.submit_assignment(user=trainee, lesson=assignment, text="ثالثة")
    assert list(
        AuditEvent.objects.about(submission).order_by("id").values_list("action", flat=True)
    ) == ["courses.return_submission", "courses.accept_submission"]
    assert Notification.objects.filter(
        recipient=trainee, kind="courses.submission_accepted"
    ).exists()


def test_review_needs_the_right_person_and_a_pending_submission(
    trainee, mentor, manager, assignment
):
    submission = services.submit_assignment(user=trainee, lesson=assignment, text="x")
    for person in (trainee, mentor):
        with pytest.raises(PermissionDenied):
            services.review_submission(reviewer=person, submission=submission, accept=True)
    with pytest.raises(ValidationError):
        services.review_submission(reviewer=manager, submission=submission, accept=False)
    services.review_submission(reviewer=manager, submission=submission, accept=True)
    with pytest.raises(services.Conflict):
        services.review_submission(reviewer=manager, submission=submission, accept=True)
    assert AuditEvent.objects.filter(action__startswith="courses.").count() == 1


def test_notifications_render_in_the_readers_language(trainee, manager, assignment):
    assignment.title_en = "Policy paper"
    assignment.save(update_fields=["title_en"])
    submission = services.submit_assignment(user=trainee, lesson=assignment, text="x")
    services.review_submission(reviewer=manager, submission=submission, accept=True)
    notification = Notification.objects.get(recipient=trainee)
    with translation.override("en"):
        assert "Policy paper" in notification.body
    with translation.override("ar"):
        assert assignment.title in notification.body
