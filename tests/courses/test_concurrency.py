"""The attempt limit under real concurrency: two simultaneous submissions for the last attempt,
on PostgreSQL (SQLite serialises writers anyway, so the race cannot happen there)."""

import threading

import pytest
from django.db import connection, connections

from courses import services
from courses.models import QuizAttempt
from tests.courses.factories import (
    EnrollmentFactory,
    LessonFactory,
    QuestionFactory,
    wrong_answers,
)
from tests.factories import TraineeFactory


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_attempts_at_the_last_allowed_one_give_exactly_one_attempt():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    trainee = TraineeFactory()
    quiz = LessonFactory(kind="quiz", max_attempts=1, body="")
    QuestionFactory(lesson=quiz)
    EnrollmentFactory(user=trainee, course=quiz.module.course)
    answers = wrong_answers(quiz)
    barrier = threading.Barrier(4)
    outcomes = []

    def submit():
        try:
            barrier.wait()
            services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=answers)
            outcomes.append("ok")
        except services.Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["attempt_limit", "attempt_limit", "attempt_limit", "ok"]
    assert QuizAttempt.objects.filter(user=trainee, lesson=quiz).count() == 1
