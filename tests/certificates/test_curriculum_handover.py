"""The dashboard hands the curriculum it has read to its columns (the certificate column's
required courses) for the one call: the columns read it without a query, and afterwards the
same cohort object reads the database again, so a change to the curriculum shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certificates.eligibility import requirements
from cohorts import services as cohort_services
from cohorts.dashboard import cohort_dashboard
from tests.courses.factories import build_course

pytestmark = pytest.mark.django_db


def test_entries_are_the_curriculum_in_order(cohort, manager):
    first = build_course(title="الأولى")
    second = build_course(title="Second <b>")
    cohort_services.add_curriculum_item(actor=manager, cohort=cohort, course=first)
    cohort_services.add_curriculum_item(actor=manager, cohort=cohort, course=second, required=False)
    assert cohort.curriculum_entries() == [
        (first.pk, True, "الأولى"),
        (second.pk, False, "Second <b>"),
    ]
    assert cohort.completion_policy.required_course_ids == (first.pk,)
    assert requirements(cohort).courses == {first.pk: "الأولى"}


def test_handed_entries_within_the_block_only(cohort, manager):
    course = build_course(title="المشاركة المدنية")
    cohort_services.add_curriculum_item(actor=manager, cohort=cohort, course=course)
    handed = [(course.pk, True, "as read")]
    with cohort.handing_curriculum(handed):
        with CaptureQueriesContext(connection) as inside:
            assert requirements(cohort).courses == {course.pk: "as read"}
        assert len(inside) == 0
    with CaptureQueriesContext(connection) as after:
        assert requirements(cohort).courses == {course.pk: "المشاركة المدنية"}
    assert len(after) == 1


def test_a_change_after_a_dashboard_read_shows_on_the_same_object(cohort, manager, trainee):
    course = build_course(title="القيادة")
    board = cohort_dashboard(cohort)
    assert [row.user_id for row in board.rows] == [trainee.pk]
    assert requirements(cohort).courses == {}
    cohort_services.add_curriculum_item(actor=manager, cohort=cohort, course=course)
    assert requirements(cohort).courses == {course.pk: "القيادة"}
    assert "_handed_curriculum" not in cohort.__dict__


def test_the_block_is_left_clean_after_an_error(cohort):
    with pytest.raises(RuntimeError), cohort.handing_curriculum([(1, True, "x")]):
        raise RuntimeError
    assert "_handed_curriculum" not in cohort.__dict__
