"""The reminders cohorts declare (cohorts.reminders): sessions soon, course work due and overdue,
an inactive trainee. Scans are called directly with a chosen `now`; each is checked for what is
due, what is not (yet), what is done, cancelled or removed, for the late catch-up, and for a
query count that does not grow with the number of people."""

import datetime

import pytest

from cohorts.models import BAGHDAD, AttendanceTally, Cohort, Membership
from cohorts.reminders import (
    SESSION_SOON,
    TRAINEE_INACTIVE,
    WORK_DUE,
    WORK_OVERDUE,
)
from notifications import kinds, reminders
from tests.cohorts.factories import CurriculumItemFactory, SessionFactory, cohort_with
from tests.courses.factories import (
    AssignmentFactory,
    CourseFactory,
    ModuleFactory,
    QuizAttemptFactory,
    QuizFactory,
    SubmissionFactory,
)
from tests.factories import MentorFactory, TraineeFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=BAGHDAD)


def scan(kind, now=NOW):
    return sorted(reminders.get(kind).scan(now), key=lambda d: (d.object_key, d.recipient_id))


def window(due) -> str:
    """The window of an occurrence ("24h" of "24h:2026-12-04T14:00Z")."""
    return due.occurrence.split(":")[0]


def keys(due):
    return {(d.recipient_id, d.object_key, window(d)) for d in due}


def still_due(kind, due, now=NOW):
    return reminders.get(kind).still_due(due, now)


def running_cohort(**people):
    return cohort_with(
        starts_on=NOW.date() - datetime.timedelta(days=30),
        ends_on=NOW.date() + datetime.timedelta(days=60),
        **people,
    )


# --- Sessions ----------------------------------------------------------------------------------


@pytest.fixture
def session_world():
    trainees = [TraineeFactory(), TraineeFactory()]
    facilitator, other_mentor, manager = MentorFactory(), MentorFactory(), MentorFactory()
    cohort = running_cohort(
        trainees=trainees, mentors=[other_mentor], facilitators=[facilitator], manager=manager
    )
    session = SessionFactory(
        cohort=cohort,
        starts_at=NOW + datetime.timedelta(hours=20),
        ends_at=NOW + datetime.timedelta(hours=22),
        facilitator=facilitator,
        venue="قاعة الحكمة",
    )
    return {"cohort": cohort, "session": session, "trainees": trainees, "facilitator": facilitator}


def test_session_24h_goes_to_its_trainees_and_facilitator_only(session_world):
    w = session_world
    due = scan(SESSION_SOON)
    key = reminders.object_key(w["session"])
    expected = {(u.pk, key, "24h") for u in [*w["trainees"], w["facilitator"]]}
    assert keys(due) == expected
    assert {d.occurrence for d in due} == {"24h:2026-12-04T02:00Z"}  # the start, in UTC
    assert due[0].params["place"] == "قاعة الحكمة"
    assert all(still_due(SESSION_SOON, d) for d in due)


def test_session_reminder_renders_in_arabic_with_the_place(session_world):
    due = scan(SESSION_SOON)[0]
    title, body = kinds.get(SESSION_SOON).render(due.params)
    assert session_world["session"].title in title
    assert "قاعة الحكمة" in body
    assert "كانون الأول" in body  # the day, in Iraqi month names


def test_session_not_yet_due_more_than_24h_before_nor_once_started(session_world):
    session = session_world["session"]
    assert scan(SESSION_SOON, session.starts_at - datetime.timedelta(hours=24, minutes=1)) == []
    assert scan(SESSION_SOON, session.starts_at) == []


def test_session_2h_window_sends_only_the_2h_reminder_even_when_the_24h_one_was_missed(
    session_world,
):
    """A scan that missed the whole 24 h window (beat down) catches up with the 2 h reminder
    alone: two messages about the same session minutes apart would be noise."""
    session = session_world["session"]
    now = session.starts_at - datetime.timedelta(minutes=90)
    due = scan(SESSION_SOON, now)
    assert {window(d) for d in due} == {"2h"}
    assert len(due) == 3
    # A 24 h reminder claimed earlier but not sent yet is no longer due once within 2 h.
    early = scan(SESSION_SOON)[0]
    assert not still_due(SESSION_SOON, early, now)


def test_session_reminder_late_in_its_window_is_still_sent(session_world):
    """Beat down for hours within the 24 h window: the next scan still finds the reminder."""
    session = session_world["session"]
    due = scan(SESSION_SOON, session.starts_at - datetime.timedelta(hours=3))
    assert {window(d) for d in due} == {"24h"}


def test_removed_trainee_and_released_facilitator_are_no_longer_due(session_world):
    w = session_world
    due = {d.recipient_id: d for d in scan(SESSION_SOON)}
    gone, _stays = w["trainees"]
    Membership.objects.filter(cohort=w["cohort"], user=gone).update(
        status=Membership.Status.WITHDRAWN
    )
    Membership.objects.filter(cohort=w["cohort"], user=w["facilitator"]).update(
        status=Membership.Status.WITHDRAWN
    )
    assert not still_due(SESSION_SOON, due[gone.pk])
    assert not still_due(SESSION_SOON, due[w["facilitator"].pk])
    assert {d.recipient_id for d in scan(SESSION_SOON)} == {_stays.pk}


def test_archived_cohort_or_deleted_session_is_no_longer_due(session_world):
    w = session_world
    due = scan(SESSION_SOON)[0]
    Cohort.objects.filter(pk=w["cohort"].pk).update(status=Cohort.Status.ARCHIVED)
    assert scan(SESSION_SOON) == []
    assert not still_due(SESSION_SOON, due)
    Cohort.objects.filter(pk=w["cohort"].pk).update(status=Cohort.Status.RUNNING)
    w["session"].delete()
    assert not still_due(SESSION_SOON, due)


def test_moved_session_is_due_again_in_its_new_window(session_world):
    w = session_world
    due = scan(SESSION_SOON)[0]
    w["session"].starts_at = NOW + datetime.timedelta(days=3)
    w["session"].ends_at = w["session"].starts_at + datetime.timedelta(hours=2)
    w["session"].save()
    assert not still_due(SESSION_SOON, due)
    assert scan(SESSION_SOON) == []
    # Moved after its reminder went out: reminded again for the new time, under a new key.
    again = scan(SESSION_SOON, w["session"].starts_at - datetime.timedelta(hours=20))
    assert {window(d) for d in again} == {"24h"}
    assert due.occurrence not in {d.occurrence for d in again}


def _sessions_at_scale(n_trainees, n_sessions):
    cohort = running_cohort(trainees=TraineeFactory.create_batch(n_trainees))
    for i in range(n_sessions):
        SessionFactory(
            cohort=cohort,
            starts_at=NOW + datetime.timedelta(hours=1 + i),
            ends_at=NOW + datetime.timedelta(hours=2 + i),
        )


@pytest.mark.parametrize("size", [(2, 1), (12, 4)])
def test_session_scan_runs_two_queries_whatever_the_number_of_people(
    size, django_assert_num_queries
):
    _sessions_at_scale(*size)
    with django_assert_num_queries(2):
        due = scan(SESSION_SOON)
    assert len(due) == size[0] * size[1]


# --- Course work -------------------------------------------------------------------------------

DEADLINE = datetime.datetime(2026, 12, 4, 12, 0, tzinfo=BAGHDAD)


@pytest.fixture
def work_world():
    trainees = [TraineeFactory() for _ in range(4)]
    cohort = running_cohort(trainees=trainees)
    course = CourseFactory()
    module = ModuleFactory(course=course)
    assignment = AssignmentFactory(module=module, due_at=DEADLINE)
    # Relative deadline: 30 days after the cohort's start (midnight, Baghdad), i.e. today.
    quiz = QuizFactory(module=module, due_days_after_start=31)
    CurriculumItemFactory(cohort=cohort, course=course)
    return {
        "cohort": cohort,
        "trainees": trainees,
        "assignment": assignment,
        "quiz": quiz,
        "course": course,
    }


def test_work_due_in_48h_goes_to_trainees_who_have_not_done_it(work_world):
    w = work_world
    a, b, c, d = w["trainees"]
    SubmissionFactory(user=b, lesson=w["assignment"])
    QuizAttemptFactory(user=c, lesson=w["quiz"], passed=True, score=100)
    QuizAttemptFactory(user=d, lesson=w["quiz"], passed=False)
    due = scan(WORK_DUE)
    assignment_key = reminders.object_key(w["assignment"])
    quiz_key = reminders.object_key(w["quiz"])
    assert keys(due) == {
        (a.pk, assignment_key, "48h"),
        (c.pk, assignment_key, "48h"),
        (d.pk, assignment_key, "48h"),
        (a.pk, quiz_key, "48h"),
        (b.pk, quiz_key, "48h"),
        (d.pk, quiz_key, "48h"),  # a failed attempt is not done
    }
    assert all(still_due(WORK_DUE, x) for x in due)
    title, body = kinds.get(WORK_DUE).render(due[0].params)
    assert w["course"].title in body


def test_relative_deadline_follows_the_cohort_start(work_world):
    """The quiz is due 31 days after the start (Lesson.deadline): a cohort that started a week
    later has it due a week later, so nothing yet."""
    w = work_world
    Cohort.objects.filter(pk=w["cohort"].pk).update(
        starts_on=NOW.date() - datetime.timedelta(days=23)
    )
    assert {d.object_key for d in scan(WORK_DUE)} == {reminders.object_key(w["assignment"])}


def test_work_not_yet_due_then_overdue_from_the_next_day(work_world):
    w = work_world
    assert not [
        d
        for d in scan(WORK_DUE, DEADLINE - datetime.timedelta(hours=49))
        if d.object_key == reminders.object_key(w["assignment"])
    ]
    # Past the deadline but the same day: not overdue yet.
    same_evening = scan(WORK_OVERDUE, DEADLINE + datetime.timedelta(hours=6))
    assert reminders.object_key(w["assignment"]) not in {d.object_key for d in same_evening}
    next_morning = datetime.datetime(2026, 12, 5, 8, 0, tzinfo=BAGHDAD)
    overdue = [
        d
        for d in scan(WORK_OVERDUE, next_morning)
        if d.object_key == reminders.object_key(w["assignment"])
    ]
    assert len(overdue) == 4 and {window(d) for d in overdue} == {"overdue"}
    # Handed in late: no longer overdue for that trainee.
    SubmissionFactory(user=w["trainees"][0], lesson=w["assignment"])
    mine = next(d for d in overdue if d.recipient_id == w["trainees"][0].pk)
    assert not still_due(WORK_OVERDUE, mine, next_morning)
    # A week after the due date the scan no longer nags.
    assert scan(WORK_OVERDUE, next_morning + datetime.timedelta(days=8)) == []


def test_withdrawn_trainee_unpublished_course_or_draft_cohort_get_nothing(work_world):
    w = work_world
    gone = w["trainees"][0]
    due = next(d for d in scan(WORK_DUE) if d.recipient_id == gone.pk)
    Membership.objects.filter(cohort=w["cohort"], user=gone).update(
        status=Membership.Status.WITHDRAWN
    )
    assert gone.pk not in {d.recipient_id for d in scan(WORK_DUE)}
    assert not still_due(WORK_DUE, due)
    w["course"].is_published = False
    w["course"].save(update_fields=["is_published"])
    assert scan(WORK_DUE) == []


def _work_at_scale(n_trainees, n_lessons):
    trainees = TraineeFactory.create_batch(n_trainees)
    cohort = running_cohort(trainees=trainees)
    module = ModuleFactory()
    CurriculumItemFactory(cohort=cohort, course=module.course)
    for i in range(n_lessons):
        lesson = AssignmentFactory(module=module, due_at=DEADLINE + datetime.timedelta(hours=i))
        SubmissionFactory(user=trainees[i % n_trainees], lesson=lesson)


@pytest.mark.parametrize("size", [(2, 1), (15, 4)])
def test_work_scan_runs_four_queries_whatever_the_number_of_people(size, django_assert_num_queries):
    _work_at_scale(*size)
    with django_assert_num_queries(4):
        due = scan(WORK_DUE)
    assert len(due) == size[0] * size[1] - size[1]


# --- Inactivity --------------------------------------------------------------------------------


def test_trainee_idle_for_seven_days_is_nudged_once_per_stretch():
    idle, active, attending, newcomer = (TraineeFactory() for _ in range(4))
    cohort = running_cohort(trainees=[idle, active, attending, newcomer])
    long_ago = NOW - datetime.timedelta(days=40)
    Membership.objects.filter(cohort=cohort).update(joined_at=long_ago)
    Membership.objects.filter(cohort=cohort, user=newcomer).update(
        joined_at=NOW - datetime.timedelta(days=2)
    )
    type(idle).objects.filter(pk=idle.pk).update(last_login=NOW - datetime.timedelta(days=8))
    type(idle).objects.filter(pk=active.pk).update(last_login=NOW - datetime.timedelta(days=1))
    AttendanceTally.objects.update_or_create(
        cohort=cohort,
        user=attending,
        defaults={"course_activity_at": NOW - datetime.timedelta(days=3)},
    )
    due = scan(TRAINEE_INACTIVE)
    assert [d.recipient_id for d in due] == [idle.pk]
    assert due[0].occurrence == (NOW - datetime.timedelta(days=8)).date().isoformat()
    assert still_due(TRAINEE_INACTIVE, due[0])
    # Back, then idle again: a new stretch, a new occurrence; the old one is no longer due.
    later = NOW + datetime.timedelta(days=10)
    type(idle).objects.filter(pk=idle.pk).update(last_login=NOW + datetime.timedelta(days=1))
    assert not still_due(TRAINEE_INACTIVE, due[0], later)
    again = [d for d in scan(TRAINEE_INACTIVE, later) if d.recipient_id == idle.pk]
    assert again[0].occurrence == (NOW + datetime.timedelta(days=1)).date().isoformat()


@pytest.mark.parametrize("n", [2, 20])
def test_inactivity_scan_is_one_query(n, django_assert_num_queries):
    cohort = running_cohort(trainees=TraineeFactory.create_batch(n))
    Membership.objects.filter(cohort=cohort).update(joined_at=NOW - datetime.timedelta(days=9))
    with django_assert_num_queries(1):
        assert len(scan(TRAINEE_INACTIVE)) == n


def test_every_reminder_has_a_kind_with_texts():
    for kind in reminders.registered():
        title, body = kinds.get(kind).render({})
        assert title and body


def test_delivery_defaults_of_the_reminder_and_event_kinds():
    """A session reminder or a deadline cannot wait for tomorrow's digest; a revoked certificate
    must reach its holder (it cannot be turned off); the rest may be digested or turned off."""
    assert not kinds.get(SESSION_SOON).digestible
    assert not kinds.get(WORK_DUE).digestible
    assert not kinds.get("proposals.review_due").digestible
    assert not kinds.get("mentoring.mentee_proposed").digestible
    revoked = kinds.get("certificates.revoked")
    assert not revoked.can_turn_off and not revoked.digestible
    for key in (WORK_OVERDUE, TRAINEE_INACTIVE, "mentoring.no_meeting", "certificates.issued"):
        assert kinds.get(key).can_turn_off and kinds.get(key).digestible


def test_send_time_check_reads_the_deadline_of_the_recipients_own_cohort(work_world):
    """The same course in a cohort that started later: its quiz is not due there yet, so a
    reminder for a trainee of that cohort is not due, although it is in the first cohort."""
    w = work_world
    late_starter = TraineeFactory()
    later = cohort_with(
        trainees=[late_starter],
        starts_on=NOW.date() - datetime.timedelta(days=10),
        ends_on=NOW.date() + datetime.timedelta(days=60),
    )
    CurriculumItemFactory(cohort=later, course=w["course"])
    quiz_key = reminders.object_key(w["quiz"])
    assert late_starter.pk not in {
        d.recipient_id for d in scan(WORK_DUE) if d.object_key == quiz_key
    }
    claimed = next(d for d in scan(WORK_DUE) if d.object_key == quiz_key)
    forged = type(claimed)(late_starter.pk, quiz_key, claimed.occurrence, {}, "")
    assert not still_due(WORK_DUE, forged)
    assert still_due(WORK_DUE, claimed)


def test_inactivity_counts_from_the_cohorts_first_day_and_only_while_it_runs():
    """Accepted weeks before the start: idle from the first day, not from the acceptance; a
    recruiting cohort nudges nobody."""
    early = TraineeFactory()
    cohort = cohort_with(
        trainees=[early],
        starts_on=NOW.date() - datetime.timedelta(days=3),
        ends_on=NOW.date() + datetime.timedelta(days=60),
    )
    Membership.objects.filter(cohort=cohort).update(joined_at=NOW - datetime.timedelta(days=30))
    assert scan(TRAINEE_INACTIVE) == []
    assert [d.recipient_id for d in scan(TRAINEE_INACTIVE, NOW + datetime.timedelta(days=5))] == [
        early.pk
    ]
    Cohort.objects.filter(pk=cohort.pk).update(status=Cohort.Status.RECRUITING)
    assert scan(TRAINEE_INACTIVE, NOW + datetime.timedelta(days=5)) == []
