"""Database constraints hold even when a service is bypassed."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from cohorts.models import CHECK_IN_ALPHABET, Membership, new_check_in_code
from tests.cohorts.factories import (
    AttendanceFactory,
    CohortFactory,
    MembershipFactory,
    SessionFactory,
    at,
    today,
)

pytestmark = pytest.mark.django_db


def test_cohort_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        CohortFactory(starts_on=datetime.date(2027, 5, 1), ends_on=datetime.date(2027, 4, 1))


def test_session_must_end_after_it_starts():
    with pytest.raises(IntegrityError):
        SessionFactory(starts_at=at(today(), 17), ends_at=at(today(), 17))


def test_online_session_needs_a_link():
    with pytest.raises(IntegrityError):
        SessionFactory(mode="online", online_url="")


def test_one_active_membership_per_person_and_cohort():
    membership = MembershipFactory()
    MembershipFactory(cohort=membership.cohort, user=membership.user, status="withdrawn")
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(
            cohort=membership.cohort, user=membership.user, role=Membership.Role.MENTOR
        )


def test_one_attendance_mark_per_person_and_session():
    mark = AttendanceFactory()
    with pytest.raises(IntegrityError):
        AttendanceFactory(session=mark.session, user=mark.user, status="absent")


def test_check_in_codes_are_short_and_unambiguous():
    codes = {new_check_in_code() for _ in range(200)}
    assert len(codes) > 190
    assert all(len(c) == 6 and set(c) <= set(CHECK_IN_ALPHABET) for c in codes)
    assert not set("0O1IL2Z5S8B") & set(CHECK_IN_ALPHABET)
