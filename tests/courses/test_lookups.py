"""The compiled lookups of the trainee pages (courses.lookups, the facts of courses.progress): the
same rows as the ORM path they replace, the access rule of `visible_to` kept (a trainee reaches
their own cohort's courses and lessons only, a removed member loses them on the next request),
and the queries they save."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Exists, OuterRef, Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.models import Membership
from courses import access, lookups, progress
from courses.models import Course, Lesson
from courses.views.common import PAGE_SIZE
from tests.cohorts.factories import CurriculumItemFactory, cohort_with
from tests.courses.factories import (
    CourseFactory,
    EnrollmentFactory,
    LessonProgressFactory,
    QuizAttemptFactory,
    SubmissionFactory,
    build_course,
    lesson_of,
    lessons_of,
)
from tests.factories import TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_cohorts(manager):
    """Two trainees, each in a cohort with a course of its own in the curriculum."""
    first, second = TraineeFactory(), TraineeFactory()
    courses = []
    for person in (first, second):
        cohort = cohort_with(manager=manager, trainees=[person])
        course = build_course()
        CurriculumItemFactory(cohort=cohort, course=course)
        courses.append(course)
    return (first, courses[0]), (second, courses[1])


def test_each_trainee_reaches_their_own_cohorts_courses_and_lessons(two_cohorts, manager):
    (first, mine), (second, theirs) = two_cohorts
    draft = build_course(published=False)
    for person, own, other in ((first, mine, theirs), (second, theirs, mine)):
        # Twice: the second run replays the stored SQL with this person's id.
        for _ in range(2):
            assert lookups.visible_course(person, own.pk) == own
            assert lookups.visible_course(person, other.pk) is None
            assert lookups.visible_course(person, draft.pk) is None
            lesson = lessons_of(own)[0]
            found = lookups.visible_lesson(person, lesson.pk)
            assert found == lesson and found.module.course == own
            assert lookups.visible_lesson(person, lessons_of(other)[0].pk) is None
        # The same answers as the ORM path, for every course and lesson.
        for course in Course.objects.all():
            expected = Course.objects.visible_to(person).filter(pk=course.pk).first()
            assert lookups.visible_course(person, course.pk) == expected
        for lesson in Lesson.objects.all():
            expected = Lesson.objects.visible_to(person).filter(pk=lesson.pk).first()
            assert lookups.visible_lesson(person, lesson.pk) == expected
    # Program managers (a key of the shapes, not a value) see drafts too.
    assert lookups.visible_course(manager, draft.pk) == draft
    assert lookups.visible_lesson(manager, lessons_of(draft)[0].pk) is not None


def test_the_pages_refuse_the_other_cohorts_course(two_cohorts, login):
    (first, mine), (_second, theirs) = two_cohorts
    client = login(first)
    assert client.get(reverse("courses:course", args=[mine.pk])).status_code == 200
    assert client.get(reverse("courses:course", args=[theirs.pk])).status_code == 404
    own_lesson, other_lesson = lessons_of(mine)[0], lessons_of(theirs)[0]
    assert client.get(reverse("courses:lesson", args=[own_lesson.pk])).status_code == 200
    assert client.get(reverse("courses:lesson", args=[other_lesson.pk])).status_code == 404
    api = reverse("api:course-outline", args=[theirs.pk])
    assert client.get(api).status_code == 404


def test_a_removed_member_loses_access_on_the_next_request(two_cohorts, login):
    (first, mine), _other = two_cohorts
    lesson = lessons_of(mine)[0]
    client = login(first)
    urls = [
        reverse("courses:course", args=[mine.pk]),
        reverse("courses:lesson", args=[lesson.pk]),
        reverse("api:course-outline", args=[mine.pk]),
    ]
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    Membership.objects.filter(user=first).update(status=Membership.Status.WITHDRAWN)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    assert lookups.visible_course(first, mine.pk) is None


def test_no_one_inactive_or_anonymous_reaches_anything_without_a_query(two_cohorts):
    (first, mine), _other = two_cohorts
    lesson = lessons_of(mine)[0]
    first.is_active = False
    with CaptureQueriesContext(connection) as queries:
        assert lookups.visible_course(first, mine.pk) is None
        assert lookups.visible_lesson(first, lesson.pk) is None
        assert lookups.visible_course(AnonymousUser(), mine.pk) is None
    assert len(queries) == 0


def test_an_audience_rule_is_given_the_persons_id(trainee, outsider):
    """The rule is built once for anyone (its SQL then runs with other ids): it is given the
    person's id, never the account with its other fields."""
    course = build_course()
    seen = []

    def audience(user_id):
        seen.append(user_id)
        return Q(Exists(Course.objects.filter(pk=OuterRef("pk"), created_by_id=user_id)))

    Course.objects.filter(pk=course.pk).update(created_by=trainee)
    access.register_course_audience(audience)
    try:
        assert list(Course.objects.visible_to(trainee)) == [course]
        assert seen == [trainee.pk]
        assert lookups.visible_course(trainee, course.pk) == course
        assert lookups.visible_course(outsider, course.pk) is None
        assert all(isinstance(value, int) for value in seen)
    finally:
        access._course_audiences.remove(audience)


def test_one_trainees_facts_are_the_orms(course, trainee):
    other = TraineeFactory()
    quiz = lesson_of(course, Lesson.Kind.QUIZ)
    text = lesson_of(course, Lesson.Kind.TEXT)
    assignment = lesson_of(course, Lesson.Kind.ASSIGNMENT)
    LessonProgressFactory(user=trainee, lesson=text)
    QuizAttemptFactory(user=trainee, lesson=quiz, score=40, passed=False)
    QuizAttemptFactory(user=other, lesson=quiz, number=1, score=90, passed=True)
    SubmissionFactory(user=other, lesson=assignment)
    both = progress.statuses([trainee, other], [course])  # the ORM path (two trainees)
    for person in (trainee, other, trainee):
        alone = progress.statuses([person], [course])[(person.pk, course.pk)]
        together = both[(person.pk, course.pk)]
        assert _states(alone) == _states(together)
        assert (alone.required_done, alone.required_total) == (
            together.required_done,
            together.required_total,
        )


def _states(status):
    return [
        (s.lesson.pk, s.state, s.started_at, s.attempts, s.best_score, s.submission_status)
        for s in status.lessons
    ]


def test_quiz_questions_come_with_their_choices_in_two_queries(quiz):
    expected = list(quiz.questions.prefetch_related("choices").order_by("position", "id"))
    with CaptureQueriesContext(connection) as queries:
        questions = lookups.questions_with_choices(quiz)
        shown = [
            (q.pk, q.lesson is quiz, [(c.pk, c.question is q) for c in q.choices.all()])
            for q in questions
        ]
    assert len(queries) == 2
    assert shown == [(q.pk, True, [(c.pk, True) for c in q.choices.all()]) for q in expected]
    assert lookups.questions_with_choices(build_course().modules.first().lessons.first()) == []


def test_my_courses_lists_each_trainees_own_courses(two_cohorts, login, manager):
    (first, mine), (second, theirs) = two_cohorts
    for person, own in ((first, mine), (second, theirs), (first, mine)):
        response = login(person).get(reverse("courses:mine"))
        assert [c.pk for c, _figures in response.context["rows"]] == [own.pk]
    Membership.objects.filter(user=first).update(status=Membership.Status.WITHDRAWN)
    assert login(first).get(reverse("courses:mine")).context["rows"] == []
    preview = login(manager).get(reverse("courses:mine")).context
    assert [c.pk for c, _figures in preview["rows"]] == list(
        Course.objects.order_by("track", "title", "id").values_list("pk", flat=True)
    )
    assert all(figures is None for _course, figures in preview["rows"])


def test_my_courses_pages_as_before_past_one_page(login, trainee, django_assert_num_queries):
    courses = [CourseFactory() for _ in range(PAGE_SIZE + 2)]
    for course in courses:
        EnrollmentFactory(user=trainee, course=course)
    expected = list(Course.objects.visible_to(trainee).values_list("pk", flat=True))
    client = login(trainee)
    client.get(reverse("courses:mine"))  # compiled once per connection
    with django_assert_num_queries(4):  # session, account, the page's rows and one, the count
        first = client.get(reverse("courses:mine")).context["page"]
    second = client.get(reverse("courses:mine") + "?page=2").context["page"]
    assert first.paginator.count == PAGE_SIZE + 2 and first.paginator.num_pages == 2
    assert [c.pk for c in first] + [c.pk for c in second] == expected
    assert [c.pk for c in client.get(reverse("courses:mine") + "?page=x").context["page"]] == (
        expected[:PAGE_SIZE]
    )
