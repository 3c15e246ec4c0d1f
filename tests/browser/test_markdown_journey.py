"""A program manager writes a lesson in Markdown in a real browser: plain paragraphs and a "- "
list, previewed on the server (no JavaScript needed), then saved; the trainee sees paragraphs and a
list, not one run-on line."""

import pytest

from core.tracks import Track
from courses import services
from courses.models import Lesson
from tests.browser.test_course_journey import PHONE, click_and_wait, sign_in, sign_out
from tests.factories import ManagerFactory, TraineeFactory

pytestmark = pytest.mark.browser

LESSON = (
    "الحوار الهادف يبدأ بالاستماع.\n"
    "ثم نسأل قبل أن نحكم.\n"
    "\n"
    "قواعد الطاولة الحوارية:\n"
    "- نستمع للرأي الآخر كاملًا\n"
    "- لا نقاطع المتحدث\n"
    "- نلخّص ما سمعناه قبل الرد"
)


def test_manager_writes_a_markdown_lesson_previews_it_and_the_trainee_reads_a_list(open_browser):
    manager = ManagerFactory(email="noor@example.org", full_name="نور الهدى")
    trainee = TraineeFactory(email="sara@example.org", full_name="سارة الموسوي")
    course = services.create_course(
        actor=manager, title="مهارات الحوار", track=Track.YOUTH_INITIATIVES
    )
    module = services.add_module(actor=manager, course=course, title="قواعد الحوار")
    services.enroll_trainee(actor=manager, course=course, user=trainee, send_notification=False)

    browser = open_browser()
    page = browser.page
    sign_in(browser, manager)
    page.goto(browser.url(f"/courses/manage/modules/{module.pk}/lessons/new/?kind=text"))
    form = page.locator("main form")
    form.locator("[name=title]").fill("الاستماع قبل الرد")
    form.locator("[name=body]").fill(LESSON)

    # Preview: rendered by the server, nothing saved, the text still in the box.
    response = click_and_wait(page, form.locator("button[name=preview]"))
    assert response.status == 200
    preview = page.locator("main .lesson-preview .lesson-body")
    assert preview.locator("p").count() == 2
    assert preview.locator("ul > li").all_inner_texts() == [
        "نستمع للرأي الآخر كاملًا",
        "لا نقاطع المتحدث",
        "نلخّص ما سمعناه قبل الرد",
    ]
    assert not Lesson.objects.exists()
    assert page.locator("main form [name=body]").input_value() == LESSON

    # Save.
    click_and_wait(page, page.locator("main form button[type=submit]:not([name=preview])"))
    assert browser.path() == f"/courses/manage/{course.pk}/"
    lesson = Lesson.objects.get()
    assert (lesson.body_format, lesson.body_markdown) == ("markdown", LESSON)
    services.publish_course(actor=manager, course=course)
    sign_out(browser)

    # The trainee, on a phone, reads paragraphs and a list.
    browser = open_browser(viewport=PHONE)
    page = browser.page
    sign_in(browser, trainee)
    page.goto(browser.url(f"/courses/lessons/{lesson.pk}/"))
    body = page.locator("main .lesson-body")
    assert (
        body.locator("p").first.inner_text()
        == "الحوار الهادف يبدأ بالاستماع.\nثم نسأل قبل أن نحكم."
    )
    assert body.locator("ul > li").count() == 3
    assert body.locator("ul > li").first.inner_text() == "نستمع للرأي الآخر كاملًا"
    browser.assert_no_errors()
