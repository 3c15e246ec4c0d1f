"""Services: the cohort lifecycle, selection and capacity, the waitlist, sessions, attendance,
excuses, sign-in sheet import and announcements."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from cohorts import services
from cohorts.models import (
    Announcement,
    Application,
    Attendance,
    Cohort,
    ExcuseRequest,
    Membership,
    Session,
)
from core.models import AuditEvent
from notifications.models import Notification
from tests.cohorts.factories import (
    ApplicationFactory,
    MembershipFactory,
    SessionFactory,
    at,
    cohort_with,
    today,
)
from tests.courses.factories import CourseFactory
from tests.factories import ManagerFactory, MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db

A = Application.Status


def recruiting(manager, **kwargs):
    return cohort_with(manager=manager, status=Cohort.Status.RECRUITING, **kwargs)


def apply(person, cohort, **kwargs):
    values = {
        "motivation": "أريد خدمة مجتمعي",
        "availability": "المساء",
        "consent": True,
        **kwargs,
    }
    return services.apply_to_cohort(applicant=person, cohort=cohort, **values)


# --- Cohort lifecycle ---------------------------------------------------------------------------


def test_create_cohort_makes_the_creator_its_manager(manager):
    cohort = services.create_cohort(
        actor=manager,
        name="القادة الشباب 2027 — النجف",
        name_en="Young Leaders 2027 — Najaf",
        governorate="najaf",
        starts_on=datetime.date(2027, 2, 1),
        ends_on=datetime.date(2027, 6, 30),
        capacity=30,
    )
    assert cohort.status == Cohort.Status.DRAFT
    assert Membership.objects.get(cohort=cohort).role == Membership.Role.MANAGER
    assert Cohort.objects.managed_by(manager).filter(pk=cohort.pk).exists()
    assert AuditEvent.objects.about(cohort).filter(action="cohorts.create_cohort").exists()


def test_create_cohort_refuses_dates_that_end_before_they_start(manager):
    with pytest.raises(ValidationError) as exc:
        services.create_cohort(
            actor=manager,
            name="دفعة",
            governorate="najaf",
            starts_on=datetime.date(2027, 6, 1),
            ends_on=datetime.date(2027, 5, 1),
            capacity=30,
        )
    assert "ends_on" in exc.value.message_dict
    assert not Cohort.objects.exists()


def test_create_cohort_is_for_program_managers_only(trainee, mentor):
    for person in (trainee, mentor):
        with pytest.raises(PermissionDenied):
            services.create_cohort(
                actor=person,
                name="دفعة",
                governorate="najaf",
                starts_on=datetime.date(2027, 1, 1),
                ends_on=datetime.date(2027, 2, 1),
                capacity=5,
            )


def test_status_follows_the_transition_table(manager):
    cohort = cohort_with(manager=manager, status=Cohort.Status.DRAFT)
    services.change_cohort_status(actor=manager, cohort=cohort, status="recruiting")
    services.change_cohort_status(actor=manager, cohort=cohort, status="running")
    with pytest.raises(services.Conflict) as exc:
        services.change_cohort_status(actor=manager, cohort=cohort, status="draft")
    assert exc.value.code == "bad_transition"
    cohort.refresh_from_db()
    assert cohort.status == Cohort.Status.RUNNING
    assert AuditEvent.objects.about(cohort).filter(action="cohorts.change_status").count() == 2


def test_another_manager_cannot_change_a_cohort_they_do_not_manage(manager):
    cohort = cohort_with(manager=manager, status=Cohort.Status.DRAFT)
    other = ManagerFactory()
    with pytest.raises(PermissionDenied):
        services.change_cohort_status(actor=other, cohort=cohort, status="recruiting")


def test_completion_policy_lists_required_courses(manager):
    cohort = cohort_with(manager=manager)
    first, optional = CourseFactory(), CourseFactory()
    services.set_curriculum(
        actor=manager,
        cohort=cohort,
        items=[{"course": first}, {"course": optional, "required": False}],
    )
    policy = cohort.completion_policy
    assert policy.required_course_ids == (first.pk,)
    assert policy.min_attendance_percent == 75
    assert policy.requires_approved_initiative is False
    assert [i.position for i in cohort.curriculum.all()] == [1, 2]


def test_curriculum_refuses_a_course_twice(manager):
    cohort = cohort_with(manager=manager)
    course = CourseFactory()
    services.add_curriculum_item(actor=manager, cohort=cohort, course=course)
    with pytest.raises(ValidationError):
        services.add_curriculum_item(actor=manager, cohort=cohort, course=course)
    assert cohort.curriculum.count() == 1


# --- Applications -------------------------------------------------------------------------------


def test_apply_once_and_only_while_recruiting(manager, trainee):
    cohort = recruiting(manager)
    application = apply(trainee, cohort)
    assert application.status == A.SUBMITTED
    assert application.consented_at is not None
    with pytest.raises(services.Conflict) as exc:
        apply(trainee, cohort)
    assert exc.value.code == "already_applied"
    assert Application.objects.filter(cohort=cohort).count() == 1

    closed = cohort_with(manager=manager, status=Cohort.Status.RUNNING)
    with pytest.raises(services.Conflict) as exc:
        apply(trainee, closed)
    assert exc.value.code == "not_recruiting"
    assert not Application.objects.filter(cohort=closed).exists()


def test_apply_requires_consent_and_required_answers(manager, trainee):
    cohort = recruiting(manager)
    services.set_application_questions(
        actor=manager, cohort=cohort, questions=[{"text": "ما مبادرتك المقترحة؟"}]
    )
    with pytest.raises(ValidationError) as exc:
        apply(trainee, cohort, consent=False)
    assert set(exc.value.message_dict) == {"consent", "answers"}
    question = cohort.application_questions.get()
    application = apply(trainee, cohort, answers={str(question.pk): "حملة نظافة"})
    assert application.answers == {str(question.pk): "حملة نظافة"}


def test_the_database_holds_one_application_per_person(manager, trainee):
    application = ApplicationFactory(applicant=trainee)
    with pytest.raises(IntegrityError):
        ApplicationFactory(applicant=trainee, cohort=application.cohort)


def test_decisions_notify_the_applicant_in_their_language(
    manager, django_capture_on_commit_callbacks
):
    cohort = recruiting(manager)
    english = TraineeFactory(preferred_language="en")
    application = ApplicationFactory(cohort=cohort, applicant=english)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_application(actor=manager, application=application, decision="accepted")
    application.refresh_from_db()
    assert application.status == A.ACCEPTED
    assert Membership.objects.active().trainees().filter(cohort=cohort, user=english).exists()
    assert len(mail.outbox) == 1
    assert "accepted" in mail.outbox[0].subject
    assert (
        AuditEvent.objects.about(application).filter(action="cohorts.decide_application").exists()
    )


def test_accept_refuses_past_capacity_or_waitlists(manager):
    cohort = recruiting(manager, trainees=[TraineeFactory()], capacity=1)
    first, second = ApplicationFactory(cohort=cohort), ApplicationFactory(cohort=cohort)
    with pytest.raises(services.Conflict) as exc:
        services.decide_application(actor=manager, application=first, decision="accepted")
    assert exc.value.code == "cohort_full"
    result = services.decide_application(
        actor=manager, application=second, decision="accepted", overflow="waitlist"
    )
    assert result.status == A.WAITLISTED
    assert cohort.active_trainee_count() == 1


def test_bulk_decide_fills_places_in_submission_order_then_waitlists(manager):
    cohort = recruiting(manager, capacity=2)
    apps = [ApplicationFactory(cohort=cohort) for _ in range(4)]
    result = services.bulk_decide(
        actor=manager, cohort=cohort, application_ids=[a.pk for a in apps], decision="accepted"
    )
    assert result.counts == {A.ACCEPTED: 2, A.WAITLISTED: 2}
    statuses = [Application.objects.get(pk=a.pk).status for a in apps]
    assert statuses == [A.ACCEPTED, A.ACCEPTED, A.WAITLISTED, A.WAITLISTED]
    assert cohort.active_trainee_count() == 2


def test_withdrawal_promotes_the_first_on_the_waitlist(manager, django_capture_on_commit_callbacks):
    cohort = recruiting(manager, capacity=1)
    accepted = ApplicationFactory(cohort=cohort)
    services.decide_application(actor=manager, application=accepted, decision="accepted")
    later, earlier = ApplicationFactory(cohort=cohort), ApplicationFactory(cohort=cohort)
    with time_machine.travel(datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)):
        services.decide_application(actor=manager, application=earlier, decision="waitlisted")
    with time_machine.travel(datetime.datetime(2030, 1, 2, tzinfo=datetime.UTC)):
        services.decide_application(actor=manager, application=later, decision="waitlisted")
    mail.outbox.clear()
    membership = Membership.objects.get(cohort=cohort, user=accepted.applicant)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.withdraw_membership(actor=accepted.applicant, membership=membership)
    assert [a.pk for a in result.promoted] == [earlier.pk]
    assert Application.objects.get(pk=accepted.pk).status == A.WITHDRAWN
    assert Application.objects.get(pk=earlier.pk).status == A.ACCEPTED
    assert Application.objects.get(pk=later.pk).status == A.WAITLISTED
    assert (
        Membership.objects.active().trainees().filter(cohort=cohort).get().user == earlier.applicant
    )
    assert Notification.objects.filter(
        recipient=earlier.applicant, kind="cohorts.promoted_from_waitlist"
    ).exists()
    assert [m.to for m in mail.outbox] == [[earlier.applicant.email]]


# --- Sessions -----------------------------------------------------------------------------------


def test_create_session_refuses_an_end_before_the_start(manager):
    cohort = cohort_with(manager=manager)
    start = at(today(), 17)
    with pytest.raises(ValidationError) as exc:
        services.create_session(
            actor=manager, cohort=cohort, title="ورشة", starts_at=start, ends_at=start
        )
    assert "ends_at" in exc.value.message_dict
    assert not Session.objects.exists()


def test_facilitator_gets_a_membership(manager):
    cohort = cohort_with(manager=manager)
    facilitator = MentorFactory()
    start = at(today(), 17)
    services.create_session(
        actor=manager,
        cohort=cohort,
        title="طاولة حوار",
        format=Session.Format.DIALOGUE_TABLE,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        facilitator=facilitator,
    )
    assert Membership.objects.active().get(cohort=cohort, user=facilitator).role == "facilitator"


def test_generate_series_skips_fridays_in_baghdad_time(manager):
    cohort = cohort_with(
        manager=manager, starts_on=datetime.date(2027, 3, 1), ends_on=datetime.date(2027, 3, 31)
    )
    sessions = services.generate_series(
        actor=manager,
        cohort=cohort,
        title="ورشة أسبوعية",
        first_day=datetime.date(2027, 3, 1),  # a Monday
        last_day=datetime.date(2027, 3, 14),
        weekdays=[0, 4],  # Monday and Friday
        start_time=datetime.time(17, 0),
        end_time=datetime.time(19, 0),
    )
    assert [s.starts_at.date() for s in sessions] == [
        datetime.date(2027, 3, 1),
        datetime.date(2027, 3, 8),
    ]
    assert sessions[0].starts_at.isoformat() == "2027-03-01T17:00:00+03:00"
    assert Session.objects.filter(cohort=cohort).count() == 2
    assert len({s.series for s in Session.objects.all()}) == 1

    with_fridays = services.generate_series(
        actor=manager,
        cohort=cohort,
        title="جمعة",
        first_day=datetime.date(2027, 3, 1),
        last_day=datetime.date(2027, 3, 14),
        weekdays=[4],
        start_time=datetime.time(10, 0),
        end_time=datetime.time(12, 0),
        skip_fridays=False,
    )
    assert [s.starts_at.date() for s in with_fridays] == [
        datetime.date(2027, 3, 5),
        datetime.date(2027, 3, 12),
    ]


# --- Attendance ---------------------------------------------------------------------------------


def test_check_in_inside_the_window_only(cohort, trainee):
    session = SessionFactory(cohort=cohort, starts_at=at(today(), 17), ends_at=at(today(), 19))
    code = session.check_in_code
    with time_machine.travel(at(today(), 16, 30)):
        with pytest.raises(services.Conflict) as exc:
            services.check_in(user=trainee, session=session, code=code)
        assert exc.value.code == "check_in_closed"
    with time_machine.travel(at(today(), 16, 50)):
        attendance = services.check_in(user=trainee, session=session, code=code.lower())
    assert attendance.status == Attendance.Status.PRESENT
    assert attendance.source == Attendance.Source.CHECK_IN
    latecomer = MembershipFactory(cohort=cohort).user
    with time_machine.travel(at(today(), 19, 1)), pytest.raises(services.Conflict):
        services.check_in(user=latecomer, session=session, code=code)
    assert not Attendance.objects.filter(user=latecomer).exists()


def test_check_in_late_after_ten_minutes_and_refuses_another_sessions_code(cohort, trainee):
    session = SessionFactory(cohort=cohort, starts_at=at(today(), 17), ends_at=at(today(), 19))
    other = SessionFactory(cohort=cohort, starts_at=at(today(), 17), ends_at=at(today(), 19))
    with time_machine.travel(at(today(), 17, 30)):
        with pytest.raises(ValidationError):
            services.check_in(user=trainee, session=session, code=other.check_in_code)
        with pytest.raises(ValidationError):
            services.check_in(user=trainee, session=session, code="WRONG1")
        assert not Attendance.objects.exists()
        attendance = services.check_in(user=trainee, session=session, code=session.check_in_code)
    assert attendance.status == Attendance.Status.LATE


@pytest.mark.parametrize("store", ["default", "file"])
def test_check_in_refused_after_ten_wrong_codes_for_that_person_and_session(
    cohort, trainee, settings, tmp_path, store
):
    if store == "file":  # the embedded deployment's cache (no Redis)
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            }
        }
    session = SessionFactory(cohort=cohort, starts_at=at(today(), 17), ends_at=at(today(), 21))
    other = SessionFactory(cohort=cohort, starts_at=at(today(), 17), ends_at=at(today(), 21))
    neighbour = MembershipFactory(cohort=cohort).user
    with time_machine.travel(at(today(), 17, 1)):
        for _ in range(services.MAX_CHECK_IN_FAILURES):
            with pytest.raises(ValidationError):
                services.check_in(user=trainee, session=session, code="WRONG1")
    # Long after the last wrong code (the file cache's default timeout is five minutes), the
    # right code is refused too; another person, or another session, is not.
    with time_machine.travel(at(today(), 18, 30)):
        with pytest.raises(services.Conflict) as exc:
            services.check_in(user=trainee, session=session, code=session.check_in_code)
        assert exc.value.code == "too_many_attempts"
        services.check_in(user=neighbour, session=session, code=session.check_in_code)
        services.check_in(user=trainee, session=other, code=other.check_in_code)
    assert not Attendance.objects.filter(session=session, user=trainee).exists()
    assert Attendance.objects.filter(user=neighbour).count() == 1


def test_mark_attendance_by_facilitator_or_manager_only(cohort, manager, trainee, mentor):
    facilitator = MentorFactory()
    MembershipFactory(cohort=cohort, user=facilitator, role="facilitator")
    session = SessionFactory(cohort=cohort, facilitator=facilitator)
    services.mark_attendance(actor=facilitator, session=session, user=trainee, status="late")
    assert Attendance.objects.get(session=session, user=trainee).status == "late"
    services.mark_attendance(actor=manager, session=session, user=trainee, status="present")
    assert Attendance.objects.get(session=session, user=trainee).marked_by == manager
    for person in (mentor, trainee):
        with pytest.raises(PermissionDenied):
            services.mark_attendance(actor=person, session=session, user=trainee, status="absent")
    assert Attendance.objects.get(session=session, user=trainee).status == "present"


def test_excuse_before_the_session_then_approved(cohort, manager, trainee):
    session = SessionFactory(cohort=cohort, starts_at=at(today(), 17), ends_at=at(today(), 19))
    with time_machine.travel(at(today(), 17, 5)), pytest.raises(services.Conflict):
        services.request_excuse(user=trainee, session=session, reason="مريض")
    with time_machine.travel(at(today(), 9)):
        excuse = services.request_excuse(user=trainee, session=session, reason="مريض")
    services.decide_excuse(actor=manager, excuse=excuse, approve=True)
    attendance = Attendance.objects.get(session=session, user=trainee)
    assert attendance.status == Attendance.Status.EXCUSED
    assert attendance.excuse == excuse
    assert ExcuseRequest.objects.get().status == ExcuseRequest.Status.APPROVED


# --- Announcements ------------------------------------------------------------------------------


def test_announcement_notifies_every_active_member_once(
    cohort, manager, trainee, mentor, django_capture_on_commit_callbacks
):
    gone = TraineeFactory()
    MembershipFactory(cohort=cohort, user=gone, status="withdrawn")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        announcement = services.post_announcement(
            actor=manager, cohort=cohort, title="تغيير القاعة", body="الجلسة القادمة في القاعة ٢"
        )
    assert len(callbacks) >= 1
    announcement.refresh_from_db()
    assert announcement.sent_at is not None
    assert announcement.recipient_count == 2
    assert set(
        Notification.objects.filter(kind="cohorts.announcement").values_list("recipient", flat=True)
    ) == {trainee.pk, mentor.pk}
    assert services.deliver_announcement(announcement_id=announcement.pk) == 0
    assert Notification.objects.filter(kind="cohorts.announcement").count() == 2
    assert Announcement.objects.count() == 1
