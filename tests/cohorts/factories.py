"""Factories for cohorts, with valid minimal defaults (a running cohort in Najaf, this year)."""

import datetime

import factory
from django.utils import timezone

from accounts.models import Governorate
from cohorts import tallies
from cohorts.models import (
    BAGHDAD,
    Application,
    Attendance,
    Cohort,
    CurriculumItem,
    ExcuseRequest,
    Membership,
    Session,
)
from tests.courses.factories import CourseFactory
from tests.factories import TraineeFactory


def today():
    return timezone.localdate()


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"القادة الشباب {n}")
    name_en = factory.Sequence(lambda n: f"Young Leaders {n}")
    governorate = Governorate.NAJAF
    venue = "مركز عشتار، النجف"
    starts_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: today() + datetime.timedelta(days=90))
    capacity = 30
    status = Cohort.Status.RUNNING


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(TraineeFactory)
    role = Membership.Role.TRAINEE


class CurriculumItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CurriculumItem

    cohort = factory.SubFactory(CohortFactory)
    course = factory.SubFactory(CourseFactory)
    position = factory.Sequence(lambda n: n + 1)


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    cohort = factory.SubFactory(CohortFactory, status=Cohort.Status.RECRUITING)
    applicant = factory.SubFactory(TraineeFactory)
    motivation = "أريد أن أتعلم القيادة وخدمة مدينتي."
    availability = "مساء الأحد والثلاثاء"
    consented_at = factory.LazyFunction(timezone.now)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=BAGHDAD)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"ورشة {n}")
    title_en = factory.Sequence(lambda n: f"Workshop {n}")
    format = Session.Format.WORKSHOP
    starts_at = factory.LazyFunction(lambda: at(today() - datetime.timedelta(days=1), 17))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=2))


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(TraineeFactory)
    status = Attendance.Status.PRESENT
    source = Attendance.Source.ROLL_CALL

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        mark = super()._create(model_class, *args, **kwargs)
        # A mark made here bypasses services.attendance.set_mark: recount as that does (cohorts.tallies),
        # so that the dashboard sees it.
        tallies.marks_changed(mark.session, [mark.user_id])
        return mark


class ExcuseRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExcuseRequest

    session = factory.SubFactory(SessionFactory)
    user = factory.SubFactory(TraineeFactory)
    reason = "موعد طبي"


def cohort_with(*, manager=None, trainees=(), mentors=(), facilitators=(), **kwargs) -> Cohort:
    """A cohort with the given people as active members."""
    cohort = CohortFactory(**kwargs)
    for role, people in (
        (Membership.Role.MANAGER, [manager] if manager else []),
        (Membership.Role.TRAINEE, trainees),
        (Membership.Role.MENTOR, mentors),
        (Membership.Role.FACILITATOR, facilitators),
    ):
        for person in people:
            MembershipFactory(cohort=cohort, user=person, role=role)
    return cohort
