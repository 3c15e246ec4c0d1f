"""Authoring pages of program managers: courses, modules, lessons of every kind, prerequisites,
quiz questions, ordering, publication, direct enrolment, and preview as a trainee."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import AuditEvent
from courses import services
from courses.models import (
    Choice,
    Course,
    CourseEnrollment,
    Lesson,
    LessonProgress,
    Module,
    Question,
)
from tests.courses.factories import (
    PDF_BYTES,
    PNG_BYTES,
    CourseFactory,
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    QuestionFactory,
    QuizFactory,
    build_course,
    lessons_of,
)
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def _url(name, *args):
    return reverse(f"courses:{name}", args=[a.pk if hasattr(a, "pk") else a for a in args])


def _lesson_data(**overrides):
    data = {
        "title": "مفهوم المواطنة",
        "title_en": "",
        "is_required": "on",
        "estimated_minutes": "15",
        "available_from": "",
        "body": "<h2>المواطنة</h2><p>حقوق وواجبات.</p>",
        "body_en": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _question_data(*rows, kind="single", text="ما هي الديمقراطية؟"):
    data = {"kind": kind, "text": text, "text_en": "", "explanation": "", "explanation_en": ""}
    for i, (answer, correct) in enumerate(rows, 1):
        data[f"choice_{i}_text"] = answer
        if correct:
            data[f"choice_{i}_correct"] = "on"
    return data


# --- Access ---------------------------------------------------------------------------------------


def test_authoring_pages_are_for_managers_only(login, trainee, mentor, manager):
    course = build_course(modules=1, lessons_per_module=1)
    lesson = lessons_of(course)[0]
    for person in (trainee, mentor):
        client = login(person)
        assert client.get(_url("manage")).status_code == 403
        assert client.post(_url("course_create"), {"title": "x"}).status_code == 403
        assert client.post(_url("lesson_delete", lesson)).status_code == 403
    assert Course.objects.count() == 1 and Lesson.objects.filter(pk=lesson.pk).exists()
    assert login(manager).get(_url("manage")).status_code == 200


def test_unknown_objects_answer_404_to_managers(login, manager):
    client = login(manager)
    assert client.get(_url("manage_course", 999999)).status_code == 404
    assert client.get(_url("lesson_edit", 999999)).status_code == 404
    assert client.get(_url("question_edit", 999999)).status_code == 404


def test_course_list_query_count_does_not_grow(
    login, manager, django_assert_num_queries, django_assert_max_num_queries
):
    build_course(modules=1, lessons_per_module=1)
    client = login(manager)
    client.get(_url("manage"))
    with django_assert_max_num_queries(7) as small:
        client.get(_url("manage"))
    for _ in range(6):
        build_course(modules=3, lessons_per_module=3, published=False)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(_url("manage"))
    assert len(response.context["page"]) == 7
    assert {c.lesson_count for c in response.context["page"]} == {1, 9}


# --- Courses --------------------------------------------------------------------------------------


def test_manager_creates_a_draft_course_arabic_first(login, manager):
    response = login(manager).post(
        _url("course_create"),
        {
            "title": "مهارات التفاوض",
            "title_en": "",
            "summary": "مقرر تطبيقي",
            "summary_en": "",
            "track": "youth",
            "level": "introductory",
            "estimated_hours": "6",
        },
    )

    course = Course.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("manage_course", course)
    assert (course.title, course.title_en, course.estimated_hours) == ("مهارات التفاوض", "", 6)
    assert course.is_published is False and course.created_by == manager


def test_a_course_without_an_arabic_title_is_400_and_nothing_saved(login, manager):
    response = login(manager).post(
        _url("course_create"),
        {"title": "", "title_en": "Negotiation", "track": "youth", "level": "x"},
    )

    assert response.status_code == 400
    assert {"title", "level", "estimated_hours"} <= set(response.context["form"].errors)
    assert not Course.objects.exists()


def test_manager_edits_a_course(login, manager):
    course = CourseFactory(title="قديم", title_en="Old")
    response = login(manager).post(
        _url("course_edit", course),
        {
            "title": "جديد",
            "title_en": "",
            "summary": "",
            "summary_en": "",
            "track": course.track,
            "level": "advanced",
            "estimated_hours": "3",
            "sequential_modules": "on",
        },
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert (course.title, course.title_en, course.level) == ("جديد", "", "advanced")
    assert course.sequential_modules is True


def test_publishing_shows_the_problems_the_service_reports(login, manager):
    course = CourseFactory(is_published=False, published_at=None)
    module = ModuleFactory(course=course)
    QuizFactory(module=module, title="اختبار فارغ")
    LessonFactory(module=module, kind=Lesson.Kind.VIDEO, title="محاضرة", video_url="")

    response = login(manager).post(_url("course_publish", course))

    assert response.status_code == 400
    problems = " ".join(response.context["problems"])
    assert "اختبار فارغ" in problems and "محاضرة" in problems
    course.refresh_from_db()
    assert course.is_published is False


def test_publish_and_unpublish(login, manager):
    course = build_course(modules=1, lessons_per_module=1, published=False)
    client = login(manager)

    assert client.post(_url("course_publish", course)).status_code == 302
    course.refresh_from_db()
    assert course.is_published and course.published_at
    assert AuditEvent.objects.filter(action="courses.publish").exists()

    assert client.post(_url("course_unpublish", course)).status_code == 302
    course.refresh_from_db()
    assert not course.is_published


# --- Modules --------------------------------------------------------------------------------------


def test_modules_are_added_at_the_end_and_edited(login, manager):
    course = CourseFactory()
    client = login(manager)
    for title in ("الأولى", "الثانية", "الثالثة"):
        response = client.post(
            _url("module_add", course),
            {"title": title, "title_en": "", "summary": "", "summary_en": "", "available_from": ""},
        )
        assert response.status_code == 302
    first, second, third = course.modules.order_by("position")
    assert [m.title for m in (first, second, third)] == ["الأولى", "الثانية", "الثالثة"]

    response = client.post(
        _url("module_edit", second),
        {
            "title": "الثانية",
            "title_en": "Second",
            "summary": "",
            "summary_en": "",
            "available_from": "2030-01-15T09:30",
        },
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.title_en == "Second"
    assert second.available_from.year == 2030


def test_moving_modules_follows_the_buttons_exactly(login, manager):
    course = CourseFactory()
    first, second, third = (ModuleFactory(course=course, position=p) for p in (1, 2, 3))
    client = login(manager)

    client.post(_url("module_move", third), {"direction": "up"})
    assert list(course.modules.order_by("position")) == [first, third, second]
    client.post(_url("module_move", first), {"direction": "up"})  # already first: no change
    assert list(course.modules.order_by("position")) == [first, third, second]
    response = client.post(_url("module_move", first), {"direction": "sideways"})
    assert response.status_code == 400
    assert list(course.modules.order_by("position")) == [first, third, second]


def test_a_module_with_trainee_activity_cannot_be_deleted(login, manager, trainee):
    course = build_course(modules=2, lessons_per_module=1)
    EnrollmentFactory(user=trainee, course=course)
    used, unused = course.modules.order_by("position")
    services.complete_lesson(user=trainee, lesson=used.lessons.get())
    client = login(manager)

    assert client.get(_url("module_delete", used)).status_code == 200
    response = client.post(_url("module_delete", used))
    assert response.status_code == 409
    assert Module.objects.filter(pk=used.pk).exists()

    assert client.post(_url("module_delete", unused)).status_code == 302
    assert not Module.objects.filter(pk=unused.pk).exists()


# --- Lessons --------------------------------------------------------------------------------------


def test_adding_a_lesson_first_asks_for_its_kind(login, manager):
    module = ModuleFactory()
    response = login(manager).get(_url("lesson_add", module))
    assert response.status_code == 200
    assert response.templates[0].name == "courses/lesson_kind.html"


def test_manager_adds_a_text_lesson_with_prerequisites(login, manager):
    course = build_course(modules=1, lessons_per_module=1)
    module = course.modules.get()
    earlier = lessons_of(course)[0]

    response = login(manager).post(
        _url("lesson_add", module) + "?kind=text",
        _lesson_data(prerequisites=[str(earlier.pk)]),
    )

    assert response.status_code == 302
    lesson = Lesson.objects.get(title="مفهوم المواطنة")
    assert (lesson.kind, lesson.position, lesson.estimated_minutes) == ("text", 2, 15)
    assert lesson.body == "<h2>المواطنة</h2><p>حقوق وواجبات.</p>"
    assert list(lesson.prerequisites.all()) == [earlier]


def test_script_in_lesson_content_is_a_clear_400_and_nothing_saved(login, manager):
    module = ModuleFactory()
    for body in (
        "<p>مرحبا</p><script>alert(1)</script>",
        '<p onclick="steal()">مرحبا</p>',
        '<a href="javascript:alert(1)">رابط</a>',
        '<iframe src="https://evil.example"></iframe>',
    ):
        response = login(manager).post(
            _url("lesson_add", module) + "?kind=text", _lesson_data(body=body)
        )
        assert response.status_code == 400, body
        assert response.context["form"].errors["body"]
    assert not Lesson.objects.exists()


def test_text_that_merely_mentions_scripts_is_fine(login, manager):
    module = ModuleFactory()
    body = "<p>درس عن لغة javascript: مقدمة، وعن الوسم &lt;script&gt; في الصفحات.</p>"

    response = login(manager).post(
        _url("lesson_add", module) + "?kind=text", _lesson_data(body=body)
    )

    assert response.status_code == 302
    assert "javascript: مقدمة" in Lesson.objects.get().body


def test_editing_a_lesson_with_script_is_400_and_keeps_the_stored_content(login, manager):
    lesson = LessonFactory(title="الأصل", body="<p>الأصل</p>")

    response = login(manager).post(
        _url("lesson_edit", lesson),
        _lesson_data(title="عنوان جديد", body_en="<script>x()</script>"),
    )

    assert response.status_code == 400
    lesson.refresh_from_db()
    assert (lesson.title, lesson.body, lesson.body_en) == ("الأصل", "<p>الأصل</p>", "")


def test_manager_adds_a_video_lesson_with_link_and_transcript(login, manager):
    module = ModuleFactory()
    response = login(manager).post(
        _url("lesson_add", module) + "?kind=video",
        _lesson_data(
            body="",
            video_url="https://video.example/v/1",
            transcript="النص الكامل",
            transcript_en="",
        ),
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert (lesson.kind, lesson.video_url, lesson.transcript) == (
        "video",
        "https://video.example/v/1",
        "النص الكامل",
    )


def test_a_resource_lesson_takes_a_pdf_by_content_only(login, manager):
    module = ModuleFactory()
    client = login(manager)
    not_pdf = SimpleUploadedFile("guide.pdf", PNG_BYTES, content_type="application/pdf")

    response = client.post(
        _url("lesson_add", module) + "?kind=resource",
        {**_lesson_data(body=""), "resource": not_pdf},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["resource"]
    assert not Lesson.objects.exists()

    pdf = SimpleUploadedFile("guide.pdf", PDF_BYTES, content_type="application/pdf")
    response = client.post(
        _url("lesson_add", module) + "?kind=resource", {**_lesson_data(body=""), "resource": pdf}
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert lesson.resource.name.endswith(".pdf") and "guide" not in lesson.resource.name


def test_a_quiz_lesson_leads_to_its_questions(login, manager):
    module = ModuleFactory()
    response = login(manager).post(
        _url("lesson_add", module) + "?kind=quiz",
        _lesson_data(body="", pass_mark="70", max_attempts="3", shuffle_questions="on"),
    )
    lesson = Lesson.objects.get()
    assert response["Location"] == _url("lesson_edit", lesson)
    assert (lesson.pass_mark, lesson.max_attempts, lesson.shuffle_questions) == (70, 3, True)


def test_an_assignment_must_accept_text_or_a_file_and_one_kind_of_deadline(login, manager):
    module = ModuleFactory()
    client = login(manager)
    response = client.post(
        _url("lesson_add", module) + "?kind=assignment",
        _lesson_data(late_policy="refuse", due_at="2030-02-01T12:00", due_days_after_start="10"),
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"allow_text", "due_days_after_start"}
    assert not Lesson.objects.exists()

    response = client.post(
        _url("lesson_add", module) + "?kind=assignment",
        _lesson_data(late_policy="refuse", due_at="2030-02-01T12:00", allow_file="on"),
    )
    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert (lesson.allow_text, lesson.allow_file, lesson.late_policy) == (False, True, "refuse")
    assert lesson.due_at == datetime.datetime(2030, 2, 1, 9, 0, tzinfo=datetime.UTC)  # Baghdad


def test_prerequisites_must_be_lessons_of_the_same_course(login, manager):
    course = build_course(modules=1, lessons_per_module=2)
    first, second = lessons_of(course)
    elsewhere = LessonFactory()
    client = login(manager)

    response = client.post(
        _url("lesson_edit", second), _lesson_data(prerequisites=[str(elsewhere.pk)])
    )

    assert response.status_code == 400
    assert response.context["form"].errors["prerequisites"]
    assert not second.prerequisites.exists()
    second.refresh_from_db()
    assert second.title != "مفهوم المواطنة"

    response = client.post(_url("lesson_edit", second), _lesson_data(prerequisites=[first.pk]))
    assert response.status_code == 302
    assert list(second.prerequisites.all()) == [first]
    # Unticking every box clears them.
    client.post(_url("lesson_edit", second), _lesson_data())
    assert not second.prerequisites.exists()


def test_lessons_move_within_their_module_and_delete_unless_worked_on(login, manager, trainee):
    course = build_course(modules=1, lessons_per_module=3)
    EnrollmentFactory(user=trainee, course=course)
    first, second, third = lessons_of(course)
    client = login(manager)

    client.post(_url("lesson_move", first), {"direction": "down"})
    assert lessons_of(course) == [second, first, third]

    services.complete_lesson(user=trainee, lesson=second)
    assert client.post(_url("lesson_delete", second)).status_code == 409
    assert Lesson.objects.filter(pk=second.pk).exists()
    assert client.post(_url("lesson_delete", third)).status_code == 302
    assert lessons_of(course) == [second, first]


# --- Questions ------------------------------------------------------------------------------------


def test_manager_adds_questions_with_choices(login, manager):
    quiz = QuizFactory()
    client = login(manager)

    response = client.post(
        _url("question_add", quiz), _question_data(("المشاركة", True), ("العزلة", False))
    )
    assert response.status_code == 302
    response = client.post(
        _url("question_add", quiz),
        _question_data(("أ", True), ("ب", True), ("ج", False), kind="multiple", text="اختر"),
    )
    assert response.status_code == 302

    first, second = quiz.questions.order_by("position")
    assert list(first.choices.values_list("text", "is_correct")) == [
        ("المشاركة", True),
        ("العزلة", False),
    ]
    assert second.kind == "multiple" and second.choices.filter(is_correct=True).count() == 2
    page = client.get(_url("lesson_edit", quiz)).content.decode()
    assert "المشاركة" in page and _url("question_edit", first) in page


@pytest.mark.parametrize(
    ("rows", "kind"),
    [
        ([("أ", False), ("ب", False)], "single"),  # no correct answer
        ([("أ", True), ("ب", True)], "single"),  # two correct in a single-choice question
        ([("أ", True)], "single"),  # one answer only
        ([("صح", True), ("خطأ", False), ("ربما", False)], "true_false"),
        ([("", True), ("ب", False)], "single"),  # a ticked row without text
    ],
)
def test_a_question_that_cannot_be_answered_rightly_is_400_and_nothing_saved(
    login, manager, rows, kind
):
    quiz = QuizFactory()

    response = login(manager).post(_url("question_add", quiz), _question_data(*rows, kind=kind))

    assert response.status_code == 400
    # A true/false question takes no typed answers (both are made for it): what it lacks is which
    # one is right; the others lack a right answer or have too many.
    form = response.context["form"]
    assert form.errors["statement_is_true"] if kind == "true_false" else form.non_field_errors()
    assert not Question.objects.exists() and not Choice.objects.exists()


def test_questions_are_edited_moved_and_deleted(login, manager):
    quiz = QuizFactory()
    first = QuestionFactory(lesson=quiz, position=1)
    second = QuestionFactory(lesson=quiz, position=2)
    client = login(manager)

    form = client.get(_url("question_edit", first)).context["form"]
    assert form.initial["choice_1_correct"] is True
    response = client.post(
        _url("question_edit", first),
        _question_data(("نعم", False), ("لا", True), text="معدل؟"),
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.text == "معدل؟"
    assert list(first.choices.values_list("text", "is_correct")) == [("نعم", False), ("لا", True)]

    bad = client.post(_url("question_edit", first), _question_data(("نعم", False), ("لا", False)))
    assert bad.status_code == 400
    assert first.choices.filter(is_correct=True).count() == 1

    client.post(_url("question_move", second), {"direction": "up"})
    assert list(quiz.questions.order_by("position")) == [second, first]
    assert client.post(_url("question_delete", first)).status_code == 302
    assert list(quiz.questions.all()) == [second]


def test_questions_belong_to_quizzes_only(login, manager):
    text = LessonFactory()
    assert login(manager).get(_url("question_add", text)).status_code == 404


# --- Trainees of a course -------------------------------------------------------------------------


def test_manager_enrols_a_trainee_by_email_who_is_notified(login, manager, trainee):
    course = build_course(modules=1, lessons_per_module=1)
    client = login(manager)

    response = client.post(_url("course_trainees", course), {"email": "TRAINEE@example.org"})

    assert response.status_code == 302
    assert CourseEnrollment.objects.filter(
        course=course, user=trainee, enrolled_by=manager
    ).exists()
    assert trainee.notifications.filter(kind="courses.enrolled").exists()

    response = client.post(_url("course_trainees", course), {"email": "nobody@example.org"})
    assert response.status_code == 400
    assert CourseEnrollment.objects.count() == 1

    assert client.post(_url("unenroll", course, trainee)).status_code == 302
    assert not CourseEnrollment.objects.exists()


def test_course_trainees_page_shows_progress_with_a_constant_query_count(
    login, manager, django_assert_num_queries, django_assert_max_num_queries
):
    course = build_course(modules=2, lessons_per_module=2)
    first = lessons_of(course)[0]
    trainee = TraineeFactory()
    EnrollmentFactory(user=trainee, course=course)
    services.complete_lesson(user=trainee, lesson=first)
    client = login(manager)
    client.get(_url("course_trainees", course))
    with django_assert_max_num_queries(12) as small:
        response = client.get(_url("course_trainees", course))
    assert [s.percent for _e, s in response.context["rows"]] == [25]

    for person in TraineeFactory.create_batch(12):
        EnrollmentFactory(user=person, course=course)
        services.complete_lesson(user=person, lesson=first)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(_url("course_trainees", course))
    assert len(response.context["rows"]) == 13


# --- Preview --------------------------------------------------------------------------------------


def test_preview_as_a_trainee_of_a_draft_records_nothing(login, manager):
    course = build_course(modules=1, lessons_per_module=2, published=False)
    first, second = lessons_of(course)
    second.prerequisites.add(first)
    client = login(manager)

    page = client.get(_url("manage_course", course)).content.decode()
    assert _url("course", course) in page  # the preview link

    outline = client.get(_url("course", course))
    assert outline.status_code == 200
    assert [s.state for s in outline.context["status"].lessons] == ["available", "locked"]
    lesson_page = client.get(_url("lesson", second))
    assert lesson_page.status_code == 200
    assert lesson_page.context["preview"] is True
    assert not LessonProgress.objects.exists()


def test_preview_of_a_quiz_shows_the_questions_without_a_submit_button(login, manager):
    quiz = QuizFactory()
    QuestionFactory(lesson=quiz)

    response = login(manager).get(_url("lesson", quiz))

    html = response.content.decode()
    assert response.status_code == 200
    assert "disabled" in html
    assert _url("submit_quiz", quiz) in html  # the form is shown...
    assert response.context["can_attempt"] is False  # ...but cannot be sent
