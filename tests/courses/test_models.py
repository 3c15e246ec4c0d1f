import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from courses.html import clean_html
from courses.models import Course, LessonProgress, localized
from tests.courses.factories import (
    AssignmentFactory,
    CourseFactory,
    LessonFactory,
    LessonProgressFactory,
    QuizAttemptFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db


def test_localized_fields_fall_back_to_arabic():
    with_english = CourseFactory(title="الدستور", title_en="The constitution")
    arabic_only = CourseFactory(title="الخطابة", title_en="")
    with translation.override("en"):
        assert with_english.display_title == "The constitution"
        assert arabic_only.display_title == "الخطابة"
        assert with_english.t("summary") == ""
    with translation.override("ar"):
        assert with_english.display_title == "الدستور"
    assert localized(with_english, "title", "en") == "The constitution"


def test_published_courses():
    published = CourseFactory()
    CourseFactory(is_published=False, published_at=None)
    assert list(Course.objects.published()) == [published]


def test_a_published_course_has_a_publication_date():
    with pytest.raises(IntegrityError):
        CourseFactory(is_published=True, published_at=None)


def test_lesson_body_is_sanitised_on_every_save():
    lesson = LessonFactory(body='<p style="x" onmouseover="evil()">نص</p><script>x()</script>')
    lesson.refresh_from_db()
    assert lesson.body == "<p>نص</p>"
    lesson.body_en = '<table><tr><th scope="col">A</th></tr></table><object data="x"></object>'
    lesson.save(update_fields=["body_en"])
    lesson.refresh_from_db()
    assert lesson.body_en == '<table><tbody><tr><th scope="col">A</th></tr></tbody></table>'


def test_the_allow_list_keeps_structure_and_safe_links():
    html = (
        '<h3 dir="rtl">عنوان</h3><ol start="2"><li><em>أ</em></li></ol>'
        '<a href="https://ishtar.example/x" target="_blank">رابط</a>'
        '<a href="mailto:info@ishtar.example">بريد</a>'
    )
    cleaned = clean_html(html)
    assert '<h3 dir="rtl">عنوان</h3>' in cleaned
    assert '<ol start="2"><li><em>أ</em></li></ol>' in cleaned
    assert 'href="https://ishtar.example/x"' in cleaned and "target" not in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned
    assert 'href="mailto:info@ishtar.example"' in cleaned
    assert clean_html('<a href="data:text/html,x">y</a>') == (
        '<a rel="noopener noreferrer nofollow">y</a>'
    )


def test_deadline_is_absolute_or_relative_to_a_known_start():
    due = timezone.now()
    assert AssignmentFactory(due_at=due).deadline() == due
    relative = AssignmentFactory(due_days_after_start=7)
    start = timezone.now()
    assert relative.deadline() is None
    assert relative.deadline(starts_at=start) == start + datetime.timedelta(days=7)
    assert AssignmentFactory().deadline(starts_at=start) is None


def test_an_assignment_cannot_have_both_kinds_of_deadline_or_accept_nothing():
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(due_at=timezone.now(), due_days_after_start=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(allow_text=False, allow_file=False)


def test_one_progress_row_per_trainee_and_lesson(trainee):
    progress = LessonProgressFactory(user=trainee)
    with pytest.raises(IntegrityError), transaction.atomic():
        LessonProgress.objects.create(user=trainee, lesson=progress.lesson)


def test_completion_cannot_precede_the_start(trainee):
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        LessonProgressFactory(
            user=trainee, started_at=now, completed_at=now - datetime.timedelta(minutes=1)
        )


def test_attempt_numbers_are_unique_per_trainee_and_quiz(trainee):
    attempt = QuizAttemptFactory(user=trainee, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttemptFactory(user=trainee, lesson=attempt.lesson, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuizAttemptFactory(user=trainee, number=1, score=101)


def test_one_submission_per_trainee_and_assignment_and_reviews_have_a_date(trainee):
    submission = SubmissionFactory(user=trainee)
    with pytest.raises(IntegrityError), transaction.atomic():
        SubmissionFactory(user=trainee, lesson=submission.lesson)
    with pytest.raises(IntegrityError), transaction.atomic():
        SubmissionFactory(status="accepted", reviewed_at=None)


def test_completes_by_itself_only_for_reading_lessons():
    kinds = {kind: LessonFactory.build(kind=kind).completes_by_itself for kind in
             ("text", "video", "resource", "quiz", "assignment")}  # fmt: skip
    assert kinds == {
        "text": True,
        "video": True,
        "resource": True,
        "quiz": False,
        "assignment": False,
    }
