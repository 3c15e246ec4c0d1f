"""A course from end to end in a real browser. A trainee on a phone, given the course through
their cohort's curriculum, goes through it lesson by lesson with the page's own links and
buttons (text, video, a quiz failed once then passed, an assignment), their mentor accepts the
assignment from the review queue, and the trainee finds the course complete. And a program
manager writes a small course in Arabic through the authoring pages, publishes it and previews it
as a trainee."""

import datetime

import pytest
from django.utils import timezone

from cohorts import services as cohort_services
from cohorts.models import Cohort, Membership
from core.models import AuditEvent
from core.tracks import Track
from courses import progress, services
from courses.models import (
    AssignmentSubmission,
    Choice,
    Course,
    Lesson,
    LessonProgress,
    Module,
    Question,
    QuizAttempt,
)
from notifications.models import Notification
from tests.browser.conftest import SCREENSHOT_DIR
from tests.factories import PASSWORD, ManagerFactory, MentorFactory, TraineeFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
SIGN_OUT = "header form[action='/accounts/logout/'] button"


def click_and_wait(page, locator):
    """Follow a link or press a button that loads a new page; the response of that page."""
    with page.expect_navigation() as navigation:
        locator.click()
    return navigation.value


def sign_in(browser, user):
    page = browser.page
    page.goto(browser.url("/accounts/login/"))
    form = page.locator("main form")
    form.locator("[name=login]").fill(user.email)
    form.locator("[name=password]").fill(PASSWORD)
    response = click_and_wait(page, form.locator("[type=submit]").first)
    assert response.ok
    assert page.locator(SIGN_OUT).count() == 1


def sign_out(browser):
    page = browser.page
    click_and_wait(page, page.locator(SIGN_OUT))
    assert page.locator(SIGN_OUT).count() == 0


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def screenshot(page, name):
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT_DIR / name, full_page=True)


def civic_course(manager) -> dict:
    """A published course in two modules taken in order: a text and a video lesson, then a quiz
    (pass mark 60 %, three attempts, two questions) and an assignment. Made through the services,
    as the authoring pages make it."""
    course = services.create_course(
        actor=manager,
        title="المشاركة المدنية وصنع السياسات",
        summary="كيف يشارك الشباب في رسم السياسات العامة للدولة.",
        track=Track.YOUTH_INITIATIVES,
        estimated_hours=3,
        sequential_modules=True,
    )
    basics = services.add_module(actor=manager, course=course, title="أسس المشاركة")
    practice = services.add_module(actor=manager, course=course, title="من الفكرة إلى الورقة")
    text = services.add_lesson(
        actor=manager,
        module=basics,
        kind=Lesson.Kind.TEXT,
        title="ما هي الديمقراطية التشاركية؟",
        body="<h2>التعريف</h2><p>مشاركة المجتمع بنخبه وفاعليه في رسم السياسات العامة.</p>",
    )
    video = services.add_lesson(
        actor=manager,
        module=basics,
        kind=Lesson.Kind.VIDEO,
        title="طاولة حوارية مع صناع القرار",
        video_url="https://video.example.org/ishtar/dialogue",
        transcript="يتحدث المشاركون عن دور الشباب في الحوار مع صناع القرار.",
    )
    quiz = services.add_lesson(
        actor=manager,
        module=practice,
        kind=Lesson.Kind.QUIZ,
        title="اختبار قصير",
        pass_mark=60,
        max_attempts=3,
    )
    first = services.add_question(
        actor=manager,
        lesson=quiz,
        kind="single",
        text="ما الهدف من أوراق السياسات؟",
        choices=[("تقديم توصيات لصناع القرار", True), ("الدعاية الانتخابية", False)],
    )
    second = services.add_question(
        actor=manager,
        lesson=quiz,
        kind="true_false",
        text="يعمل المركز كجماعة ضغط لتشريع القوانين وتعديلها.",
        choices=[("صح", True), ("خطأ", False)],
    )
    assignment = services.add_lesson(
        actor=manager,
        module=practice,
        kind=Lesson.Kind.ASSIGNMENT,
        title="اكتب توصية لمجلس المحافظة",
        body="<p>اكتب توصية قصيرة حول مشكلة في مدينتك.</p>",
    )
    services.publish_course(actor=manager, course=course)
    return {
        "course": course,
        "text": text,
        "video": video,
        "quiz": quiz,
        "assignment": assignment,
        "questions": [first, second],
    }


def running_cohort(manager, *, course, trainee, mentor) -> Cohort:
    """A running cohort whose curriculum is the course: the trainee takes it, the mentor follows
    and reviews the trainee's work."""
    today = timezone.localdate()
    cohort = cohort_services.create_cohort(
        actor=manager,
        name="القادة الشباب — النجف",
        governorate="najaf",
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=60),
        capacity=20,
    )
    for status in (Cohort.Status.RECRUITING, Cohort.Status.RUNNING):
        cohort = cohort_services.change_cohort_status(actor=manager, cohort=cohort, status=status)
    cohort_services.set_curriculum(actor=manager, cohort=cohort, items=[{"course": course}])
    for person, role in ((trainee, Membership.Role.TRAINEE), (mentor, Membership.Role.MENTOR)):
        cohort_services.add_member(
            actor=manager, cohort=cohort, user=person, role=role, send_notification=False
        )
    return cohort


def choose(page, choice_ids):
    for choice_id in choice_ids:
        page.locator(f"main form.quiz-form input[value='{choice_id}']").check()


def answers(questions, *, right: bool) -> list[int]:
    return [
        Choice.objects.get(question=question, is_correct=right).pk
        for question in Question.objects.filter(pk__in=[q.pk for q in questions])
    ]


def completed_lessons(user, course) -> set[int]:
    return set(
        LessonProgress.objects.filter(
            user=user, lesson__module__course=course, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )


def test_trainee_takes_a_course_on_a_phone_and_the_mentor_accepts_the_assignment(open_browser):
    manager = ManagerFactory()
    trainee = TraineeFactory(email="zainab@example.org", full_name="زينب علي")
    mentor = MentorFactory(email="hassan@example.org", full_name="حسن كاظم")
    made = civic_course(manager)
    course = made["course"]
    running_cohort(manager, course=course, trainee=trainee, mentor=mentor)
    lesson_path = "/courses/lessons/{}/".format

    browser = open_browser(viewport=PHONE)
    page = browser.page
    sign_in(browser, trainee)

    # My courses, from the navigation.
    click_and_wait(page, page.locator("header nav a[href='/courses/']"))
    assert browser.html_attributes() == ("rtl", "ar")
    card = page.locator("main .card", has_text=course.title)
    assert card.count() == 1
    assert card.locator("progress").get_attribute("value") == "0"

    # The outline: the second module waits for the first (modules in order).
    click_and_wait(page, card.locator(f"a[href='/courses/{course.pk}/']"))
    assert page.locator("main h1").inner_text().strip() == course.title
    assert page.locator("main .outline-module").count() == 2
    assert page.locator("main .outline-module.is-locked").count() == 1
    assert page.locator(f"main .outline a[href='{lesson_path(made['quiz'].pk)}']").count() == 0
    assert fits_the_phone(page)
    screenshot(page, "course-outline-ar-390x844.png")

    # Lesson 1, text: start from the outline's button, mark complete, go on to the video.
    click_and_wait(page, page.locator(f"main a.button[href='{lesson_path(made['text'].pk)}']"))
    assert page.locator("main .lesson-body h2").inner_text().strip() == "التعريف"
    assert LessonProgress.objects.get(user=trainee, lesson=made["text"]).completed_at is None
    click_and_wait(page, page.locator("main form[action$='/complete/'] button"))
    assert browser.path() == lesson_path(made["video"].pk)
    assert completed_lessons(trainee, course) == {made["text"].pk}

    # Lesson 2, video: a link out (never embedded) and the transcript on the page.
    watch = page.locator("main a.button[rel~=external]")
    assert watch.get_attribute("href") == made["video"].video_url
    assert "صناع القرار" in page.locator("main details.transcript").inner_text()
    # Completing the first module opens the second: the next page is the quiz.
    click_and_wait(page, page.locator("main form[action$='/complete/'] button"))
    assert browser.path() == lesson_path(made["quiz"].pk)
    assert completed_lessons(trainee, course) == {made["text"].pk, made["video"].pk}

    # Lesson 3, the quiz: wrong answers first (0 %, below the 60 % pass mark)...
    quiz_questions = made["questions"]
    assert page.locator("main form.quiz-form fieldset").count() == 2
    choose(page, answers(quiz_questions, right=False))
    response = click_and_wait(page, page.locator("main form.quiz-form button[type=submit]"))
    assert response.ok
    first = QuizAttempt.objects.get(user=trainee, lesson=made["quiz"])
    assert (first.number, first.score, first.passed) == (1, 0, False)
    assert page.locator("main #result").count() == 1
    assert page.locator("main .msg.error").count() == 1
    # ... the correct answers stay hidden while attempts are left ...
    assert page.locator("main #result ul.answers .state-completed").count() == 0
    assert page.locator("main form.quiz-form button[type=submit]").count() == 1
    screenshot(page, "course-quiz-failed-ar-390x844.png")

    # ... then the right ones: passed, and the quiz lesson is complete.
    choose(page, answers(quiz_questions, right=True))
    click_and_wait(page, page.locator("main form.quiz-form button[type=submit]"))
    attempts = list(
        QuizAttempt.objects.filter(user=trainee, lesson=made["quiz"]).values_list(
            "number", "score", "passed"
        )
    )
    assert attempts == [(1, 0, False), (2, 100, True)]
    assert page.locator("main form.quiz-form").count() == 0
    # Passed: the correct answer of each question is shown now.
    assert page.locator("main #result ul.answers .state-completed").count() == 2
    assert made["quiz"].pk in completed_lessons(trainee, course)
    assert fits_the_phone(page)

    # Lesson 4, the assignment, through the lesson navigation.
    click_and_wait(page, page.locator("main nav.lesson-nav a[rel=next]"))
    assert browser.path() == lesson_path(made["assignment"].pk)
    work = "أوصي بإنشاء مجلس شبابي استشاري في مجلس محافظة النجف يجتمع كل شهر."
    page.locator("main form[action$='/assignment/'] [name=text]").fill(work)
    click_and_wait(page, page.locator("main form[action$='/assignment/'] button[type=submit]"))
    submission = AssignmentSubmission.objects.get(user=trainee, lesson=made["assignment"])
    assert (submission.status, submission.text, submission.is_late) == (
        AssignmentSubmission.Status.SUBMITTED,
        work,
        False,
    )
    assert page.locator("main #submission").count() == 1
    assert page.locator("main form[action$='/assignment/']").count() == 0
    status = progress.course_status(trainee, course)
    assert (status.required_done, status.required_total, status.completed) == (3, 4, False)
    sign_out(browser)

    # The mentor of the trainee's cohort reviews it: home page, review queue, accept.
    sign_in(browser, mentor)
    click_and_wait(page, page.locator("main a[href='/courses/reviews/']"))
    row = page.locator("main tbody tr", has_text=trainee.full_name)
    assert row.count() == 1
    click_and_wait(page, row.locator(f"a[href='/courses/submissions/{submission.pk}/review/']"))
    assert work in page.locator("main .card").inner_text()
    page.locator("main form [name=decision][value=accept]").check()
    page.locator("main form [name=feedback]").fill("توصية واضحة وقابلة للتنفيذ. أحسنت!")
    click_and_wait(page, page.locator("main form button[type=submit]"))
    assert browser.path() == "/courses/reviews/"
    assert page.locator("main tbody tr", has_text=trainee.full_name).count() == 0
    submission.refresh_from_db()
    assert submission.status == AssignmentSubmission.Status.ACCEPTED
    assert submission.reviewed_by == mentor
    assert submission.feedback == "توصية واضحة وقابلة للتنفيذ. أحسنت!"
    assert AuditEvent.objects.filter(action="courses.accept_submission", actor=mentor).count() == 1
    assert Notification.objects.filter(
        recipient=trainee, kind=services.SUBMISSION_ACCEPTED.key
    ).exists()
    sign_out(browser)

    # The trainee again: the course is complete, at 100 %.
    sign_in(browser, trainee)
    click_and_wait(page, page.locator("header nav a[href='/courses/']"))
    card = page.locator("main .card", has_text=course.title)
    assert card.locator("progress").get_attribute("value") == "100"
    assert card.locator(".state-completed").count() == 1
    click_and_wait(page, card.locator(f"a[href='/courses/{course.pk}/']"))
    assert page.locator("main p.msg.success").count() == 1
    assert page.locator("main .outline-lesson.state-row-completed").count() == 4
    screenshot(page, "course-completed-ar-390x844.png")
    status = progress.course_status(trainee, course)
    assert (status.percent, status.completed) == (100, True)
    assert progress.has_completed(trainee, course)
    assert completed_lessons(trainee, course) == {
        made[kind].pk for kind in ("text", "video", "quiz", "assignment")
    }
    assert fits_the_phone(page)
    browser.assert_no_errors()


def test_manager_writes_a_course_in_arabic_and_previews_it(open_browser):
    manager = ManagerFactory(email="noor@example.org", full_name="نور الهدى")
    browser = open_browser()
    page = browser.page
    sign_in(browser, manager)

    # The course.
    click_and_wait(page, page.locator("header nav a[href='/courses/manage/']"))
    click_and_wait(page, page.locator("main a[href='/courses/manage/new/']"))
    form = page.locator("main form")
    form.locator("[name=title]").fill("مهارات الحوار الهادف")
    form.locator("[name=summary]").fill("كيف ندير طاولة حوارية بين الشباب وصناع القرار.")
    form.locator("[name=track]").select_option(Track.NATIONAL_POLITICAL.value)
    form.locator("[name=estimated_hours]").fill("2")
    click_and_wait(page, form.locator("button[type=submit]"))
    course = Course.objects.get()
    assert browser.path() == f"/courses/manage/{course.pk}/"
    assert (course.title, course.track, course.estimated_hours, course.is_published) == (
        "مهارات الحوار الهادف",
        Track.NATIONAL_POLITICAL,
        2,
        False,
    )
    assert course.created_by == manager

    # A module.
    click_and_wait(page, page.locator(f"main a[href='/courses/manage/{course.pk}/modules/new/']"))
    page.locator("main form [name=title]").fill("قواعد الحوار")
    click_and_wait(page, page.locator("main form button[type=submit]"))
    module = Module.objects.get(course=course)
    assert (module.title, module.position) == ("قواعد الحوار", 1)

    # A text lesson; its content is stored sanitised (attributes off the allow-list dropped,
    # links made safe to follow).
    add_lesson = page.locator(f"main a[href='/courses/manage/modules/{module.pk}/lessons/new/']")
    click_and_wait(page, add_lesson)
    click_and_wait(page, page.locator("main a[href$='?kind=text']"))
    form = page.locator("main form")
    form.locator("[name=title]").fill("الاستماع قبل الرد")
    form.locator("[name=body]").fill(
        '<h2 class="big">الاستماع</h2><p>نستمع للرأي الآخر كاملاً قبل الرد. '
        '<a href="https://ishtar.example/" class="x">المزيد</a></p>'
    )
    click_and_wait(page, form.locator("button[type=submit]:not([name=preview])"))
    assert browser.path() == f"/courses/manage/{course.pk}/"
    text = Lesson.objects.get(module=module, kind=Lesson.Kind.TEXT)
    assert (text.title, text.position) == ("الاستماع قبل الرد", 1)
    assert text.body == (
        "<h2>الاستماع</h2><p>نستمع للرأي الآخر كاملاً قبل الرد. "
        '<a href="https://ishtar.example/" rel="noopener noreferrer nofollow">المزيد</a></p>'
    )

    # A quiz lesson, then its question on the page the quiz opens on.
    click_and_wait(page, add_lesson)
    click_and_wait(page, page.locator("main a[href$='?kind=quiz']"))
    form = page.locator("main form")
    form.locator("[name=title]").fill("اختبار الحوار")
    form.locator("[name=pass_mark]").fill("100")
    form.locator("[name=max_attempts]").fill("2")
    click_and_wait(page, form.locator("button[type=submit]:not([name=preview])"))
    quiz = Lesson.objects.get(module=module, kind=Lesson.Kind.QUIZ)
    assert browser.path() == f"/courses/manage/lessons/{quiz.pk}/edit/"
    assert (quiz.title, quiz.position, quiz.pass_mark, quiz.max_attempts) == (
        "اختبار الحوار",
        2,
        100,
        2,
    )
    click_and_wait(
        page, page.locator(f"main a[href='/courses/manage/lessons/{quiz.pk}/questions/new/']")
    )
    form = page.locator("main form")
    form.locator("[name=text]").fill("ما أول قاعدة في الحوار الهادف؟")
    form.locator("[name=choice_1_text]").fill("الاستماع للآخر")
    form.locator("[name=choice_1_correct]").check()
    form.locator("[name=choice_2_text]").fill("مقاطعة المتحدث")
    form.locator("[name=choice_3_text]").fill("رفع الصوت")
    click_and_wait(page, form.locator("button[type=submit]"))
    question = Question.objects.get(lesson=quiz)
    assert (question.kind, question.text) == ("single", "ما أول قاعدة في الحوار الهادف؟")
    assert list(question.choices.values_list("position", "text", "is_correct")) == [
        (1, "الاستماع للآخر", True),
        (2, "مقاطعة المتحدث", False),
        (3, "رفع الصوت", False),
    ]
    assert page.locator("#questions li", has_text=question.text).count() == 1

    # Publish.
    click_and_wait(page, page.locator(f"main nav.crumbs a[href='/courses/manage/{course.pk}/']"))
    click_and_wait(page, page.locator("main form[action$='/publish/'] button"))
    course.refresh_from_db()
    assert course.is_published and course.published_at is not None
    assert AuditEvent.objects.filter(action="courses.publish", actor=manager).count() == 1
    assert page.locator("main form[action$='/unpublish/']").count() == 1

    # The trainee preview: the outline as a trainee who has not started sees it, and the quiz.
    click_and_wait(page, page.locator(f"main a[href='/courses/{course.pk}/']"))
    assert page.locator("main .preview-note").count() == 1
    assert page.locator("main .outline-module h2").inner_text().strip() == "قواعد الحوار"
    lessons = page.locator("main .outline-lesson > a")
    assert lessons.all_inner_texts() == ["الاستماع قبل الرد", "اختبار الحوار"]
    click_and_wait(page, page.locator(f"main .outline a[href='/courses/lessons/{quiz.pk}/']"))
    assert page.locator("main fieldset legend").inner_text().strip() == (
        "1. ما أول قاعدة في الحوار الهادف؟"
    )
    assert page.locator("main fieldset input[type=radio]").count() == 3
    assert page.locator("main fieldset input[type=radio]:disabled").count() == 3
    assert page.locator("main form.quiz-form button[type=submit]").count() == 0
    # A preview records nothing.
    assert LessonProgress.objects.count() == 0
    assert QuizAttempt.objects.count() == 0
    browser.assert_no_errors()
