"""Lessons written in Markdown: rendered and sanitised on save, previewed without saving, and
lessons written in HTML before Markdown existed keep working."""

import pytest
from django.urls import reverse

from courses.html import render_markdown
from courses.models import Lesson
from tests.courses.factories import EnrollmentFactory, LessonFactory, ModuleFactory

pytestmark = pytest.mark.django_db

PLAIN_TEXT = "المواطنة حقوق وواجبات.\nوالمشاركة أولها.\n\nثلاث خطوات:\n- نعرف المشكلة\n- نسأل الناس"


def _url(name, obj):
    return reverse(f"courses:{name}", args=[obj.pk])


def _lesson_data(**overrides):
    data = {
        "title": "مفهوم المواطنة",
        "title_en": "",
        "is_required": "on",
        "estimated_minutes": "15",
        "available_from": "",
        "body": PLAIN_TEXT,
        "body_en": "",
    }
    data.update(overrides)
    return data


def test_plain_text_keeps_its_paragraphs_line_breaks_and_lists():
    html = render_markdown(PLAIN_TEXT)

    assert html == (
        "<p>المواطنة حقوق وواجبات.<br>\nوالمشاركة أولها.</p>\n"
        "<p>ثلاث خطوات:</p>\n<ul>\n<li>نعرف المشكلة</li>\n<li>نسأل الناس</li>\n</ul>"
    )


def test_markdown_is_sanitised_like_html():
    html = render_markdown(
        '[رابط](javascript:alert(1)) <img src=x onerror="alert(1)"> **مهم**\n\n<script>x()</script>'
    )

    assert "<a" not in html and "onerror" not in html and "<script" not in html
    assert "<strong>مهم</strong>" in html


def test_manager_writes_a_markdown_lesson_and_trainees_see_paragraphs_and_a_list(
    login, manager, trainee
):
    module = ModuleFactory()
    EnrollmentFactory(user=trainee, course=module.course)

    response = login(manager).post(_url("lesson_add", module) + "?kind=text", _lesson_data())

    assert response.status_code == 302
    lesson = Lesson.objects.get()
    assert lesson.body_format == Lesson.BodyFormat.MARKDOWN
    assert lesson.body_markdown == PLAIN_TEXT
    assert lesson.body == render_markdown(PLAIN_TEXT)
    page = login(trainee).get(_url("lesson", lesson)).content.decode()
    assert "<li>نعرف المشكلة</li>" in page
    assert "<p>ثلاث خطوات:</p>" in page


def test_preview_renders_the_content_and_saves_nothing(login, manager):
    module = ModuleFactory()

    response = login(manager).post(
        _url("lesson_add", module) + "?kind=text", _lesson_data(preview="1")
    )

    assert response.status_code == 200
    assert response.context["preview"]["body"] == render_markdown(PLAIN_TEXT)
    assert "<li>نسأل الناس</li>" in response.content.decode()
    # The author's text is still in the form, to go on writing.
    assert response.context["form"]["body"].value() == PLAIN_TEXT
    assert not Lesson.objects.exists()


def test_preview_of_an_existing_lesson_leaves_it_unchanged(login, manager):
    lesson = LessonFactory(body_format="markdown", body_markdown="قديم")

    response = login(manager).post(
        _url("lesson_edit", lesson), _lesson_data(body="- جديد", preview="1")
    )

    assert response.status_code == 200
    assert "<li>جديد</li>" in response.content.decode()
    lesson.refresh_from_db()
    assert (lesson.body_markdown, lesson.body) == ("قديم", "<p>قديم</p>")


def test_editing_a_markdown_lesson_shows_the_markdown(login, manager):
    lesson = LessonFactory(body_format="markdown", body_markdown="- أ\n- ب")

    response = login(manager).get(_url("lesson_edit", lesson))

    assert response.context["form"]["body"].value() == "- أ\n- ب"
    assert "body_format" not in response.context["form"].fields


def test_a_lesson_written_in_html_stays_html_when_edited(login, manager):
    lesson = LessonFactory(body="<h2>قديم</h2><p>نص</p>")
    assert lesson.body_format == Lesson.BodyFormat.HTML

    client = login(manager)
    form = client.get(_url("lesson_edit", lesson)).context["form"]
    assert form["body"].value() == "<h2>قديم</h2><p>نص</p>"
    assert form["body_format"].value() == "html"
    response = client.post(
        _url("lesson_edit", lesson),
        _lesson_data(body="<p>معدل</p>\n- ليس قائمة", body_format="html"),
    )

    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.body_format == "html"
    assert lesson.body == "<p>معدل</p>\n- ليس قائمة"


def test_an_html_lesson_can_be_rewritten_in_markdown(login, manager):
    lesson = LessonFactory(body="<p>قديم</p>")

    response = login(manager).post(
        _url("lesson_edit", lesson), _lesson_data(body="- أ\n- ب", body_format="markdown")
    )

    assert response.status_code == 302
    lesson.refresh_from_db()
    assert (lesson.body_format, lesson.body_markdown) == ("markdown", "- أ\n- ب")
    assert lesson.body == "<ul>\n<li>أ</li>\n<li>ب</li>\n</ul>"


def test_saving_only_the_markdown_renders_the_shown_content():
    lesson = LessonFactory(body_format="markdown", body_markdown="أ")
    lesson.body_en_markdown = "- one"
    lesson.save(update_fields=["body_en_markdown"])

    lesson.refresh_from_db()
    assert (lesson.body, lesson.body_en) == ("<p>أ</p>", "<ul>\n<li>one</li>\n</ul>")


def test_the_completion_button_says_mark_complete_not_teaching(login, trainee, text_lesson):
    html = login(trainee).get(_url("lesson", text_lesson)).content.decode()

    assert "وضع علامة «مكتمل»" in html
    assert "تعليم" not in html  # "تعليم كمكتمل" read as "teaching"
