"""Progress snapshots: always what courses.progress answers, kept by the services in the same
transaction, refreshed for everyone after a change of the course's structure (in a task after
commit, safe to run twice), repaired by the rebuild; concurrent refreshes lose nothing."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from courses import services, snapshots, structure
from courses.models import AssignmentSubmission, CourseProgressSnapshot, Lesson, LessonProgress
from courses.progress import course_status
from tests.courses.factories import (
    EnrollmentFactory,
    LessonFactory,
    ModuleFactory,
    build_course,
    lessons_of,
    right_answers,
    wrong_answers,
)
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


def figures(user, course):
    snapshot = CourseProgressSnapshot.objects.filter(user=user, course=course).first()
    if snapshot is None:
        return (0, False, [])
    return (snapshot.percent, snapshot.completed, snapshot.handed_in)


def rule(user, course):
    status = course_status(user, course)
    handed = [
        state.lesson.pk
        for state in status.lessons
        if state.lesson.kind == Lesson.Kind.ASSIGNMENT and state.submission_status
    ]
    return (status.percent, status.completed, snapshots.handed_in_list(handed))


def test_the_services_keep_the_snapshot_equal_to_the_rule(trainee, manager, course):
    text, quiz, assignment = (lessons_of(course)[i] for i in range(3))
    assert figures(trainee, course) == rule(trainee, course) == (0, False, [])

    services.start_lesson(user=trainee, lesson=text)
    assert not CourseProgressSnapshot.objects.exists()  # opened only: nothing to store
    services.complete_lesson(user=trainee, lesson=text)
    assert figures(trainee, course) == rule(trainee, course) == (33, False, [])
    services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=wrong_answers(quiz))
    assert figures(trainee, course) == rule(trainee, course)
    services.submit_quiz_attempt(user=trainee, lesson=quiz, answers=right_answers(quiz))
    assert figures(trainee, course) == rule(trainee, course) == (66, False, [])
    submission = services.submit_assignment(user=trainee, lesson=assignment, text="مسودتي")
    assert figures(trainee, course) == rule(trainee, course) == (66, False, [assignment.pk])
    services.review_submission(reviewer=manager, submission=submission, accept=False, feedback="x")
    assert figures(trainee, course) == rule(trainee, course)
    submission = services.submit_assignment(user=trainee, lesson=assignment, text="النسخة الثانية")
    services.review_submission(reviewer=manager, submission=submission, accept=True)
    assert figures(trainee, course) == rule(trainee, course) == (100, True, [assignment.pk])
    assert snapshots.rebuild() == 0


@pytest.mark.parametrize(
    "change",
    ["add_required", "make_optional", "change_kind", "delete_lesson", "delete_module", "move"],
)
def test_a_change_of_structure_refreshes_everyone_after_commit(
    manager, change, django_capture_on_commit_callbacks
):
    course = build_course(modules=2, lessons_per_module=2)
    other = build_course(modules=1, lessons_per_module=2)
    people = TraineeFactory.create_batch(3)
    for n, person in enumerate(people):
        for target in (course, other):
            EnrollmentFactory(user=person, course=target)
            for lesson in lessons_of(target)[: n + 1]:
                services.complete_lesson(user=person, lesson=lesson)
    before = {p.pk: figures(p, course) for p in people}
    first, second, third, fourth = lessons_of(course)
    empty = ModuleFactory(course=course, position=9)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        if change == "add_required":
            services.add_lesson(actor=manager, module=first.module, kind="text", title="جديد")
        elif change == "make_optional":
            services.update_lesson(actor=manager, lesson=second, is_required=False)
        elif change == "change_kind":
            fourth.kind = Lesson.Kind.VIDEO  # the admin saves every field
            fourth.save()
        elif change == "delete_lesson":
            services.delete_lesson(actor=manager, lesson=LessonFactory(module=empty))
            LessonProgress.objects.filter(lesson=fourth).delete()
            services.delete_lesson(actor=manager, lesson=fourth)
        elif change == "delete_module":
            LessonProgress.objects.filter(lesson__module=fourth.module).delete()
            services.delete_module(actor=manager, module=fourth.module)
        elif change == "move":  # the admin may move a lesson to another course's module
            third.module = other.modules.get()
            third.position = 9
            third.save()
        # Nothing is recomputed before the change is committed.
        assert {p.pk: figures(p, course) for p in people} == before or change.startswith("del")
    assert callbacks
    for callback in callbacks:
        callback()
    for person in people:
        assert figures(person, course) == rule(person, course)
        assert figures(person, other) == rule(person, other)
    assert snapshots.rebuild() == 0


def test_a_new_position_or_title_refreshes_nothing(manager, django_capture_on_commit_callbacks):
    course = build_course(modules=1, lessons_per_module=2)
    first, _second = lessons_of(course)
    with django_capture_on_commit_callbacks() as callbacks:
        services.move_lesson(actor=manager, lesson=first, direction="down")
        services.update_lesson(actor=manager, lesson=first, title="عنوان جديد")
        LessonFactory(module=first.module, is_required=False)  # an optional lesson added
    # Only the cached structure moves on after the commit (courses.structure); no refresh.
    assert [c for c in callbacks if c is not structure._move] == []


def test_the_course_task_is_safe_to_run_twice(trainee, course):
    services.complete_lesson(user=trainee, lesson=lessons_of(course)[0])
    CourseProgressSnapshot.objects.update(percent=99, required_done=0)
    assert snapshots.refresh_course_progress(course.pk) == 1
    assert snapshots.refresh_course_progress(course.pk) == 0
    assert figures(trainee, course) == rule(trainee, course)
    assert snapshots.refresh_course_progress(123456) == 0  # a course deleted meanwhile


def test_a_record_deleted_in_the_admin_refreshes_the_snapshot(trainee, manager, course):
    text, _quiz, assignment = (lessons_of(course)[i] for i in range(3))
    services.complete_lesson(user=trainee, lesson=text)
    services.submit_assignment(user=trainee, lesson=assignment, text="مسودتي")
    LessonProgress.objects.get(user=trainee, lesson=text).delete()
    AssignmentSubmission.objects.filter(user=trainee).delete()
    assert figures(trainee, course) == rule(trainee, course) == (0, False, [])


def test_rebuild_repairs_what_was_written_past_the_services(trainee, course, capsys):
    text = lessons_of(course)[0]
    now = timezone.now()
    LessonProgress.objects.bulk_create(
        [LessonProgress(user=trainee, lesson=text, started_at=now, completed_at=now)]
    )
    other = TraineeFactory()
    LessonProgress.objects.bulk_create([LessonProgress(user=other, lesson=text)])  # opened only
    assert figures(trainee, course) == (0, False, []) != rule(trainee, course)
    call_command("refresh_progress_snapshots")
    assert "Progress snapshots fixed: 1;" in capsys.readouterr().out
    assert figures(trainee, course) == rule(trainee, course)
    assert not CourseProgressSnapshot.objects.filter(user=other).exists()
    call_command("refresh_progress_snapshots")
    assert "Progress snapshots fixed: 0;" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_simultaneous_completions_in_one_course_are_all_counted():
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers (PostgreSQL)")
    trainee = TraineeFactory()
    course = build_course(modules=1, lessons_per_module=6)
    EnrollmentFactory(user=trainee, course=course)
    lessons = lessons_of(course)
    barrier = threading.Barrier(len(lessons))
    errors = []

    def complete(lesson):
        try:
            barrier.wait(timeout=10)
            services.complete_lesson(user=trainee, lesson=lesson)
        except Exception as exc:  # noqa: BLE001 - any failure in a thread is reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=complete, args=(lesson,)) for lesson in lessons]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    assert figures(trainee, course) == rule(trainee, course) == (100, True, [])
