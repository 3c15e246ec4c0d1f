"""The completion rules in courses.progress: lesson states, locks, completion and percent, the
bulk variants, and their constant query counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import AssignmentSubmission, LessonProgress
from courses.progress import (
    LockReason,
    State,
    course_progress_map,
    course_status,
    course_summaries,
    has_completed,
    progress_for,
    resume_point,
)
from tests.courses.factories import (
    AssignmentFactory,
    EnrollmentFactory,
    LessonFactory,
    QuizAttemptFactory,
    SubmissionFactory,
    build_course,
    lessons_of,
    right_answers,
    wrong_answers,
)
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def _states(status):
    return [s.state for s in status.lessons]


def test_a_new_trainee_has_every_lesson_available_and_zero_percent(trainee):
    course = build_course(modules=2, lessons_per_module=2)
    status = course_status(trainee, course)
    assert _states(status) == [State.AVAILABLE] * 4
    assert status.percent == 0 and not status.completed and not status.started
    assert status.required_total == 4


def test_started_then_completed(trainee):
    course = build_course(modules=1, lessons_per_module=2)
    EnrollmentFactory(user=trainee, course=course)
    first, second = lessons_of(course)
    services.start_lesson(user=trainee, lesson=first)
    assert _states(course_status(trainee, course)) == [State.STARTED, State.AVAILABLE]
    services.complete_lesson(user=trainee, lesson=first)
    status = course_status(trainee, course)
    assert _states(status) == [State.COMPLETED, State.AVAILABLE]
    assert status.percent == 50


def test_sequential_modules_unlock_one_after_another(trainee):
    course = build_course(modules=3, lessons_per_module=1, sequential=True)
    EnrollmentFactory(user=trainee, course=course)
    first, second, third = lessons_of(course)
    status = course_status(trainee, course)
    assert _states(status) == [State.AVAILABLE, State.LOCKED, State.LOCKED]
    assert [m.lock_reason for m in status.modules] == [
        "",
        LockReason.MODULE_ORDER,
        LockReason.MODULE_ORDER,
    ]
    services.complete_lesson(user=trainee, lesson=first)
    assert _states(course_status(trainee, course)) == [
        State.COMPLETED,
        State.AVAILABLE,
        State.LOCKED,
    ]


def test_optional_lessons_do_not_hold_back_the_next_module_or_completion(trainee):
    course = build_course(modules=2, lessons_per_module=1, sequential=True)
    EnrollmentFactory(user=trainee, course=course)
    first, second = lessons_of(course)
    optional = LessonFactory(module=first.module, position=9, is_required=False)
    services.complete_lesson(user=trainee, lesson=first)
    services.complete_lesson(user=trainee, lesson=second)
    status = course_status(trainee, course)
    assert status.completed and status.percent == 100
    assert status.lesson(optional.pk).state == State.AVAILABLE


def test_prerequisites_lock_until_complete(trainee, manager):
    course = build_course(modules=1, lessons_per_module=2)
    EnrollmentFactory(user=trainee, course=course)
    first, second = lessons_of(course)
    services.set_prerequisites(actor=manager, lesson=first, prerequisites=[second])
    state = course_status(trainee, course).lesson(first.pk)
    assert state.locked and state.lock_reason == LockReason.PREREQUISITES
    assert state.prerequisite_ids == [second.pk]
    services.complete_lesson(user=trainee, lesson=second)
    assert course_status(trainee, course).lesson(first.pk).state == State.AVAILABLE


def test_availability_dates_lock_until_the_date(trainee):
    course = build_course(modules=2, lessons_per_module=1)
    first, second = lessons_of(course)
    later = timezone.now() + datetime.timedelta(days=3)
    first.available_from = later
    first.save(update_fields=["available_from"])
    module = second.module
    module.available_from = later
    module.save(update_fields=["available_from"])

    status = course_status(trainee, course)
    assert [s.lock_reason for s in status.lessons] == [LockReason.DATES, LockReason.DATES]
    assert status.lessons[0].available_from == later
    after = course_status(trainee, course, now=later + datetime.timedelta(minutes=1))
    assert _states(after) == [State.AVAILABLE, State.AVAILABLE]


def test_a_quiz_counts_only_when_passed_and_an_assignment_only_when_accepted(trainee, manager):
    course = build_course(modules=1, lessons_per_module=0)
    module = course.modules.get()
    quiz = LessonFactory(module=module, position=1, kind="quiz", body="", pass_mark=100)
    services.add_question(
        actor=manager, lesson=quiz, kind="single", text="؟", choices=[("أ", True), ("ب", False)]
    )
    assignment = LessonFactory(module=module, position=2, kind="assignment")
    EnrollmentFactory(user=trainee, course=course)

    services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=wrong_answers(quiz))
    submission = services.submit_assignment(user=trainee, lesson=assignment, text="جواب")
    status = course_status(trainee, course)
    assert _states(status) == [State.STARTED, State.STARTED]
    assert status.lesson(quiz.pk).attempts == 1 and status.lesson(quiz.pk).best_score == 0
    assert status.lesson(assignment.pk).submission_status == "submitted"

    services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=right_answers(quiz))
    services.review_submission(reviewer=manager, submission=submission, accept=False, feedback="x")
    assert course_status(trainee, course).percent == 50
    services.submit_assignment(user=trainee, lesson=assignment, text="جواب أفضل")
    services.review_submission(reviewer=manager, submission=submission, accept=True)
    status = course_status(trainee, course)
    assert status.completed and status.percent == 100
    assert has_completed(trainee, course)


def test_the_rule_reads_the_facts_not_a_cached_flag(trainee):
    """A quiz lesson is complete because a passing attempt exists, an assignment because its
    submission is accepted, whatever LessonProgress says."""
    course = build_course(modules=1, lessons_per_module=0)
    module = course.modules.get()
    quiz = LessonFactory(module=module, position=1, kind="quiz")
    assignment = LessonFactory(module=module, position=2, kind="assignment")
    QuizAttemptFactory(user=trainee, lesson=quiz, number=1, score=80, passed=True)
    SubmissionFactory(
        user=trainee,
        lesson=assignment,
        status=AssignmentSubmission.Status.ACCEPTED,
        reviewed_at=timezone.now(),
    )
    LessonProgress.objects.create(user=trainee, lesson=assignment)
    assert course_status(trainee, course).completed


def test_a_course_without_required_lessons_is_never_complete(trainee):
    course = build_course(modules=1, lessons_per_module=0)
    LessonFactory(module=course.modules.get(), is_required=False)
    status = course_status(trainee, course)
    assert status.percent == 0 and not status.completed


def test_next_lesson_and_neighbours_follow_the_outline(trainee):
    course = build_course(modules=2, lessons_per_module=2)
    EnrollmentFactory(user=trainee, course=course)
    a, b, c, d = lessons_of(course)
    services.complete_lesson(user=trainee, lesson=a)
    status = course_status(trainee, course)
    assert status.next_lesson().lesson == b
    previous, following = status.neighbours(c.pk)
    assert previous.lesson == b and following.lesson == d
    assert status.neighbours(a.pk)[0] is None and status.neighbours(d.pk)[1] is None


def test_resume_point_is_the_last_opened_unfinished_lesson_or_the_next_one(trainee):
    assert resume_point(trainee) is None
    course = build_course(modules=1, lessons_per_module=3)
    EnrollmentFactory(user=trainee, course=course)
    a, b, c = lessons_of(course)
    services.start_lesson(user=trainee, lesson=c)
    assert resume_point(trainee).lesson_state.lesson == c
    services.complete_lesson(user=trainee, lesson=c)
    point = resume_point(trainee)
    assert point.lesson_state.lesson == a and point.course == course


def test_resume_point_ignores_courses_no_longer_visible(trainee, manager):
    course = build_course(modules=1, lessons_per_module=1)
    EnrollmentFactory(user=trainee, course=course)
    services.start_lesson(user=trainee, lesson=lessons_of(course)[0])
    services.unenroll_trainee(actor=manager, course=course, user=trainee)
    assert resume_point(trainee) is None


def test_progress_for_many_trainees_matches_one_by_one(trainee, outsider):
    course = build_course(modules=2, lessons_per_module=2)
    a, b, c, _d = lessons_of(course)
    for person in (trainee, outsider):
        EnrollmentFactory(user=person, course=course)
    services.complete_lesson(user=trainee, lesson=a)
    services.complete_lesson(user=trainee, lesson=b)
    services.complete_lesson(user=outsider, lesson=c)
    result = progress_for([trainee, outsider], course)
    assert {k: v.percent for k, v in result.items()} == {trainee.pk: 50, outsider.pk: 25}
    assert result[trainee.pk].lessons[0].completed and not result[outsider.pk].lessons[0].completed


def test_course_progress_map_covers_every_course(trainee):
    courses = [build_course(modules=1, lessons_per_module=n) for n in (1, 2)]
    for course in courses:
        EnrollmentFactory(user=trainee, course=course)
    services.complete_lesson(user=trainee, lesson=lessons_of(courses[0])[0])
    result = course_progress_map(trainee, courses)
    assert {k: v.percent for k, v in result.items()} == {courses[0].pk: 100, courses[1].pk: 0}


def _mixed_courses(trainee, outsider):
    """Two courses where every way of completing a lesson counts, or not: text lessons marked
    complete or only started, optional lessons, quizzes passed or failed, assignments accepted,
    returned or waiting, locked modules, and another trainee's work."""
    now = timezone.now()
    courses = [build_course(modules=2, lessons_per_module=2, sequential=True) for _ in range(2)]
    first, second = courses
    module = first.modules.order_by("position").last()
    optional = LessonFactory(module=module, position=10, is_required=False)
    passed_quiz = LessonFactory(module=module, position=11, kind="quiz")
    failed_quiz = LessonFactory(module=second.modules.first(), position=12, kind="quiz")
    accepted = AssignmentFactory(module=module, position=13)
    returned = AssignmentFactory(module=second.modules.first(), position=14)
    waiting = AssignmentFactory(module=second.modules.first(), position=15)
    for course in courses:
        EnrollmentFactory(user=trainee, course=course)
    a, _b, c, _d = lessons_of(first)[:4]
    services.complete_lesson(user=trainee, lesson=a)
    LessonProgress.objects.create(
        user=trainee, lesson=c, started_at=now, last_seen_at=now, completed_at=now
    )
    LessonProgress.objects.create(
        user=trainee, lesson=optional, started_at=now, last_seen_at=now, completed_at=now
    )
    LessonProgress.objects.create(user=trainee, lesson=lessons_of(second)[1])
    QuizAttemptFactory(user=trainee, lesson=passed_quiz, number=1, score=40)
    QuizAttemptFactory(user=trainee, lesson=passed_quiz, number=2, score=90, passed=True)
    QuizAttemptFactory(user=trainee, lesson=failed_quiz, number=1, score=10)
    SubmissionFactory(user=trainee, lesson=accepted, status="accepted", reviewed_at=now)
    SubmissionFactory(user=trainee, lesson=returned, status="returned", reviewed_at=now)
    SubmissionFactory(user=trainee, lesson=waiting)
    SubmissionFactory(user=outsider, lesson=waiting, status="accepted", reviewed_at=now)
    QuizAttemptFactory(user=outsider, lesson=failed_quiz, number=1, score=90, passed=True)
    LessonProgress.objects.create(
        user=outsider,
        lesson=lessons_of(second)[0],
        started_at=now,
        last_seen_at=now,
        completed_at=now,
    )
    return courses


def test_course_summaries_agree_with_the_full_statuses(trainee, outsider):
    courses = _mixed_courses(trainee, outsider)
    empty = build_course(modules=0)
    full = course_progress_map(trainee, [*courses, empty])
    summaries = course_summaries(trainee, [*courses, empty])

    def figures(status):
        return (status.required_done, status.required_total, status.percent, status.completed)

    assert {k: figures(v) for k, v in summaries.items()} == {k: figures(v) for k, v in full.items()}
    # Text lessons a and c, the passed quiz and the accepted assignment; not the optional one.
    assert figures(summaries[courses[0].pk]) == (4, 6, 66, False)
    assert figures(summaries[courses[1].pk]) == (0, 7, 0, False)
    assert figures(summaries[empty.pk]) == (0, 0, 0, False)


def test_course_summaries_say_completed_when_every_required_lesson_is(trainee):
    course = build_course(modules=1, lessons_per_module=2)
    LessonFactory(module=course.modules.get(), position=9, is_required=False)
    EnrollmentFactory(user=trainee, course=course)
    for lesson in lessons_of(course)[:2]:
        services.complete_lesson(user=trainee, lesson=lesson)
    summary = course_summaries(trainee, [course])[course.pk]
    assert (summary.percent, summary.completed) == (100, True)
    assert summary.completed == course_status(trainee, course).completed


# --- Constant query counts ----------------------------------------------------------------------


def _populate(trainee, *, modules, lessons, attempts):
    course = build_course(modules=modules, lessons_per_module=lessons, sequential=True)
    EnrollmentFactory(user=trainee, course=course)
    all_lessons = lessons_of(course)
    for lesson in all_lessons[: len(all_lessons) // 2]:
        services.complete_lesson(user=trainee, lesson=lesson)
    quiz = LessonFactory(module=course.modules.first(), position=99, kind="quiz")
    for number in range(1, attempts + 1):
        QuizAttemptFactory(user=trainee, lesson=quiz, number=number)
    return course


@pytest.mark.parametrize("size", [(1, 1, 1), (8, 10, 12)])
def test_course_status_runs_six_queries_at_any_size(trainee, django_assert_num_queries, size):
    modules, lessons, attempts = size
    course = _populate(trainee, modules=modules, lessons=lessons, attempts=attempts)
    with django_assert_num_queries(6):
        status = course_status(trainee, course)
    assert status.required_total == modules * lessons + 1


@pytest.mark.parametrize("people", [1, 25])
def test_progress_for_runs_seven_queries_for_any_number_of_trainees(
    django_assert_num_queries, people
):
    course = build_course(modules=3, lessons_per_module=3)
    trainees = TraineeFactory.create_batch(people)
    for person in trainees:
        LessonProgress.objects.create(user=person, lesson=lessons_of(course)[0])
    from accounts.models import User

    with django_assert_num_queries(7):  # one more to read the ids of a queryset
        result = progress_for(User.objects.filter(pk__in=[p.pk for p in trainees]), course)
    assert len(result) == people


@pytest.mark.parametrize("count", [1, 6])
def test_course_progress_map_and_resume_point_are_constant(
    trainee, django_assert_num_queries, count
):
    courses = [_populate(trainee, modules=2, lessons=3, attempts=count) for _ in range(count)]
    with django_assert_num_queries(6):
        course_progress_map(trainee, courses)
    with django_assert_num_queries(7):
        assert resume_point(trainee) is not None


@pytest.mark.parametrize("count", [1, 6])
def test_course_summaries_run_four_queries_for_any_number_of_courses(
    trainee, django_assert_num_queries, count
):
    courses = [_populate(trainee, modules=2, lessons=3, attempts=count) for _ in range(count)]
    with django_assert_num_queries(4):
        result = course_summaries(trainee, courses)
    assert [result[c.pk].required_total for c in courses] == [7] * count


def test_start_lesson_brings_the_status_it_is_given_up_to_date(trainee):
    course = build_course(modules=1, lessons_per_module=2)
    EnrollmentFactory(user=trainee, course=course)
    first, second = lessons_of(course)
    status = course_status(trainee, course)

    services.start_lesson(user=trainee, lesson=first, status=status)

    again = course_status(trainee, course)
    for lesson in (first, second):
        given, computed = status.lesson(lesson.pk), again.lesson(lesson.pk)
        assert (given.state, given.started_at) == (computed.state, computed.started_at)
    assert status.lesson(first.pk).state == State.STARTED and status.started


def test_start_lesson_refuses_a_status_computed_for_someone_else(trainee, outsider):
    course = build_course(modules=1, lessons_per_module=1)
    EnrollmentFactory(user=trainee, course=course)
    (lesson,) = lessons_of(course)
    with pytest.raises(PermissionDenied):
        services.start_lesson(user=outsider, lesson=lesson, status=course_status(trainee, course))
    assert not LessonProgress.objects.filter(lesson=lesson).exists()


def test_reopening_lessons_on_their_pages_keeps_the_last_one_opened(login, trainee):
    """The lesson page moves the last-seen time of a lesson opened again (services.reopen_lesson):
    after A, B and A again, "continue where you left off" is A; a last-seen time ahead of the
    clock is left as it is."""
    course = build_course(modules=1, lessons_per_module=3)
    EnrollmentFactory(user=trainee, course=course)
    a, b, _c = lessons_of(course)
    client = login(trainee)
    for lesson in (a, b, a):
        assert client.get(reverse("courses:lesson", args=[lesson.pk])).status_code == 200
    assert resume_point(trainee).lesson_state.lesson == a
    seen = dict(LessonProgress.objects.filter(user=trainee).values_list("lesson", "last_seen_at"))
    assert seen[a.pk] > seen[b.pk]
    ahead = timezone.now() + datetime.timedelta(hours=1)
    LessonProgress.objects.filter(user=trainee, lesson=b).update(last_seen_at=ahead)
    assert client.get(reverse("courses:lesson", args=[b.pk])).status_code == 200
    assert LessonProgress.objects.get(user=trainee, lesson=b).last_seen_at == ahead
    assert LessonProgress.objects.filter(user=trainee).count() == 2
