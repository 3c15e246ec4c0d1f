"""The courses' structure kept in the cache (courses.structure): read from the cache once stored
(three queries fewer for the progress rule), never stale after a change by a manager, whatever
the path (services, plain saves, deletions, prerequisites, a move), never stored from a
transaction that changed it (it could be rolled back), used only for the course it was read for,
and a cache that cannot be reached costs the queries, not the page.

These tests commit (transaction=True): inside the test suite's usual transaction every course is
changed by the transaction that reads it, and then nothing is stored."""

from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from courses import services, structure
from courses.models import Course, Module
from courses.progress import course_status
from tests.courses.factories import EnrollmentFactory, build_course, lessons_of

pytestmark = pytest.mark.django_db(transaction=True)


def titles(trainee, course):
    return [state.lesson.title for state in course_status(trainee, course).lessons]


def fresh(course):
    return Course.objects.get(pk=course.pk)


@pytest.fixture
def setup(trainee):
    course = build_course(modules=2, lessons_per_module=2)
    EnrollmentFactory(user=trainee, course=course)
    return course


def test_the_rule_reads_the_structure_from_the_cache_once_stored(
    trainee, setup, django_assert_num_queries
):
    course = fresh(setup)
    with django_assert_num_queries(6):  # structure (3) and the trainee's facts (3)
        first = titles(trainee, course)
    with django_assert_num_queries(3):  # the trainee's facts only
        assert titles(trainee, course) == first
    assert len(first) == 4


def test_the_outline_page_runs_three_queries_fewer_once_the_structure_is_stored(
    login, trainee, setup, django_assert_num_queries
):
    client = login(trainee)
    url = reverse("courses:course", args=[setup.pk])
    client.get(url)  # the unread count and the structure are then cached
    structure.changed()

    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        response = client.get(url)
    assert response.status_code == 200
    assert len(cold) - len(warm) == 3
    assert not any("prerequisites" in q["sql"] for q in warm.captured_queries)
    assert any("prerequisites" in q["sql"] for q in cold.captured_queries)


def test_every_change_by_a_manager_shows_on_the_next_read(trainee, manager, setup):
    course = fresh(setup)
    first, second, third, fourth = lessons_of(course)
    titles(trainee, course)  # stored

    services.update_lesson(actor=manager, lesson=first, title="عنوان جديد")
    assert titles(trainee, course)[0] == "عنوان جديد"

    services.move_lesson(actor=manager, lesson=first, direction="down")
    assert titles(trainee, course)[:2] == [second.title, "عنوان جديد"]

    module = Module.objects.get(pk=first.module_id)
    added = services.add_lesson(actor=manager, module=module, kind="text", title="درس مضاف")
    assert "درس مضاف" in titles(trainee, course)

    services.delete_lesson(actor=manager, lesson=added)
    assert "درس مضاف" not in titles(trainee, course)

    services.set_prerequisites(actor=manager, lesson=fourth, prerequisites=[third])
    state = next(s for s in course_status(trainee, course).lessons if s.lesson.pk == fourth.pk)
    assert state.prerequisite_ids == [third.pk] and state.locked

    services.set_prerequisites(actor=manager, lesson=fourth, prerequisites=[])
    state = next(s for s in course_status(trainee, course).lessons if s.lesson.pk == fourth.pk)
    assert state.prerequisite_ids == [] and not state.locked

    third.is_required = False
    third.save()  # a plain save (the admin, the shell)
    status = course_status(trainee, course)
    assert status.required_total == 3

    services.add_module(actor=manager, course=course, title="وحدة جديدة")
    assert [m.module.title for m in course_status(trainee, course).modules][-1] == "وحدة جديدة"

    Module.objects.get(pk=fourth.module_id).delete()
    assert third.title not in titles(trainee, course)


def test_an_outline_shows_a_renamed_lesson_on_the_next_request(login, trainee, manager, setup):
    client = login(trainee)
    url = reverse("courses:course", args=[setup.pk])
    client.get(url)
    client.get(url)  # from the cache
    services.update_lesson(actor=manager, lesson=lessons_of(setup)[0], title="اسم جديد للدرس")
    assert "اسم جديد للدرس" in client.get(url).content.decode()


def test_a_rolled_back_change_is_never_stored(trainee, manager, setup):
    course = fresh(setup)
    first = lessons_of(course)[0]
    original = first.title
    titles(trainee, course)  # stored
    with pytest.raises(RuntimeError), transaction.atomic():
        services.update_lesson(actor=manager, lesson=first, title="لن يبقى")
        assert titles(trainee, course)[0] == "لن يبقى"  # read inside: not stored
        raise RuntimeError
    assert titles(trainee, course)[0] == original
    assert titles(trainee, course)[0] == original  # now from the cache


def test_an_entry_is_used_for_the_course_it_was_read_for_only(
    trainee, setup, django_assert_num_queries
):
    course = fresh(setup)
    titles(trainee, course)
    impostor = fresh(setup)
    impostor.created_at = impostor.created_at.replace(year=2001)  # another course, same id
    with django_assert_num_queries(6):
        titles(trainee, impostor)


def test_a_cache_that_cannot_be_reached_costs_the_queries(trainee, setup):
    course = fresh(setup)
    expected = titles(trainee, course)
    with (
        mock.patch.object(structure.cache, "get_many", side_effect=ConnectionError),
        mock.patch.object(structure.cache, "incr", side_effect=ConnectionError),
    ):
        assert titles(trainee, course) == expected
        structure.changed()  # logged, not raised
