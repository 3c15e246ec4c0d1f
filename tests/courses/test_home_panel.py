"""The courses panel of the home page: where the trainee left off (the lesson opened last while it
is not done, else the next open one, the lesson states read only then), their courses with the
stored figures, and the managers' links."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import structure
from tests.courses.factories import (
    SubmissionFactory,
    right_answers,
    wrong_answers,
)
from tests.courses.test_views import _quiz_post, _url

pytestmark = pytest.mark.django_db


# --- Home page ------------------------------------------------------------------------------------


def test_home_shows_continue_where_you_left_off_and_my_courses(
    login, trainee, course, text_lesson, quiz
):
    client = login(trainee)
    client.post(_url("complete_lesson", text_lesson))
    client.get(_url("lesson", quiz))

    html = client.get(reverse("core:home")).content.decode()

    assert _url("lesson", quiz) in html
    assert course.title in html
    assert '<progress max="100" value="33"' in html


def test_home_continues_with_the_next_lesson_when_the_last_one_is_done(
    login, trainee, course, text_lesson, quiz
):
    client = login(trainee)
    client.get(_url("lesson", text_lesson))
    client.post(_url("complete_lesson", text_lesson))

    response = client.get(reverse("core:home"))

    assert f'href="{_url("lesson", quiz)}"' in response.content.decode()


def test_home_reads_the_lesson_states_only_when_the_lesson_opened_last_is_done(
    login, trainee, course, text_lesson, quiz
):
    # The fixtures wrote the course in this test's transaction, which keeps the structure out of
    # the cache until it commits: in production it committed long ago.
    connections[DEFAULT_DB_ALIAS].__dict__.pop(structure._PENDING, None)
    client = login(trainee)
    client.get(_url("lesson", text_lesson))
    client.get(reverse("core:home"))

    with CaptureQueriesContext(connection) as left_off:
        opened = client.get(reverse("core:home")).content.decode()
    client.post(_url("complete_lesson", text_lesson))
    with CaptureQueriesContext(connection) as finished:
        done = client.get(reverse("core:home")).content.decode()

    assert f'href="{_url("lesson", text_lesson)}"' in opened
    assert f'href="{_url("lesson", quiz)}"' in done
    # The completion rule's three queries of the trainee's facts, for that one course, and only
    # then; the course's structure comes from the cache (the lesson's page stored it).
    assert len(finished) - len(left_off) == 3
    assert not [q for q in finished if q["sql"].startswith('SELECT "courses_module"')]


def test_a_quiz_opened_last_is_where_one_left_off_until_it_is_passed(login, trainee, course, quiz):
    client = login(trainee)
    client.get(_url("lesson", quiz))
    client.post(_url("submit_quiz", quiz), _quiz_post(wrong_answers(quiz)))
    assert f'href="{_url("lesson", quiz)}"' in client.get(reverse("core:home")).content.decode()

    client.post(_url("submit_quiz", quiz), _quiz_post(right_answers(quiz)))
    assert f'href="{_url("lesson", quiz)}"' not in client.get(reverse("core:home")).content.decode()


def test_home_panel_for_managers_counts_waiting_submissions(login, manager, assignment):
    SubmissionFactory.create_batch(2, lesson=assignment)
    client = login(manager)
    client.post(reverse("core:set_language"), {"language": "en"})

    html = client.get(reverse("core:home")).content.decode()

    assert reverse("courses:review_queue") in html and reverse("courses:manage") in html
    assert "2 submissions are waiting." in html
