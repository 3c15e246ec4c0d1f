"""English text, Latin names and addresses are typed left to right on Arabic pages: every English
twin of an Arabic field carries dir="ltr" lang="en", Arabic fields do not."""

import re

import pytest

from accounts.forms import SignupForm
from cohorts import forms as cohort_forms
from courses import forms as course_forms
from courses.models import Lesson
from tests.courses.factories import build_course


def attrs_of(bound_field) -> str:
    html = str(bound_field)
    opening = re.match(r"<(input|textarea)[^>]*>", html)
    assert opening, html
    return opening.group(0)


def assert_ltr(bound_field):
    opening = attrs_of(bound_field)
    assert 'dir="ltr"' in opening and 'lang="en"' in opening, opening


@pytest.mark.parametrize(
    ("form", "english", "arabic"),
    [
        (lambda: cohort_forms.CohortForm(), ["name_en", "description_en"], "name"),
        (lambda: cohort_forms.QuestionForm(), ["text_en"], "text"),
        (lambda: course_forms.CourseForm(), ["title_en", "summary_en"], "title"),
        (lambda: course_forms.ModuleForm(), ["title_en", "summary_en"], "title"),
        (
            lambda: course_forms.QuestionForm(),
            ["text_en", "explanation_en", "choice_1_text_en", "choice_4_text_en"],
            "text",
        ),
        (lambda: SignupForm(), ["full_name_latin"], "full_name"),
    ],
)
def test_english_twins_are_left_to_right(form, english, arabic):
    form = form()
    for name in english:
        assert_ltr(form[name])
    assert 'dir="ltr"' not in attrs_of(form[arabic])


@pytest.mark.django_db
def test_a_lessons_english_body_is_left_to_right_and_its_arabic_body_follows_the_text():
    form = course_forms.LessonForm(kind=Lesson.Kind.TEXT, course=build_course(modules=1))
    assert_ltr(form["title_en"])
    assert 'dir="ltr"' in attrs_of(form["body_en"])
    assert 'dir="auto"' in attrs_of(form["body"])
