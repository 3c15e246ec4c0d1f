"""The scale rows of the benchmark: the same pages at other sizes, to show that a page's cost does
not grow with data it does not show. The home page and a course outline for a trainee enrolled in
1 and in 20 courses (the main persona has 8), the dashboard's first page of cohorts of 100, 1,000
and 5,000 trainees built alike (the main cohort of 1,000 has more sessions, courses, mentors and
proposals: not comparable) and the roll call of cohorts of 20 and 200, run by a second manager
persona. Its trainees live under their own domain (fixture_base.SCALE_DOMAIN).
Creates only what is missing."""

import datetime

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from accounts.models import Governorate, User
from bench.fixture import COHORT_NAME_EN, add_members, add_sessions, ensure_people
from bench.fixture_base import PASSWORD, SCALE_DOMAIN, Scale, personas
from cohorts import tallies
from cohorts.models import (
    BAGHDAD,
    Attendance,
    AttendanceTally,
    Cohort,
    CurriculumItem,
    Membership,
    Session,
)
from courses.models import Course, CourseEnrollment

# (label, full size, quick size) of each cohort; the label names the page.
COHORTS = [
    ("roll_call_20", 20, 3),
    ("dashboard_100", 100, 4),
    ("roll_call_200", 200, 6),
    ("dashboard_1000", 1000, 8),
    ("dashboard_5000", 5000, 12),
]
HELD, UPCOMING = 4, 1


def _enrol_personas(people, manager, now) -> Course:
    courses = list(Course.objects.filter(title_en__startswith="Bench course ").order_by("title_en"))
    wanted = {(people["trainee_1course"].pk, courses[0].pk)}
    wanted |= {(people["trainee_20courses"].pk, course.pk) for course in courses[:20]}
    existing = set(
        CourseEnrollment.objects.filter(
            user__in=[people["trainee_1course"], people["trainee_20courses"]]
        ).values_list("user_id", "course_id")
    )
    CourseEnrollment.objects.bulk_create(
        [
            CourseEnrollment(user_id=u, course_id=c, enrolled_at=now, enrolled_by=manager)
            for u, c in sorted(wanted - existing)
        ]
    )
    return courses[0]


def _cohort(label, size, trainee_ids, course, manager, mentor, now) -> tuple[Cohort, Session, int]:
    today = timezone.localdate(now, BAGHDAD)
    name_en = f"Bench scale cohort — {label}"
    cohort = Cohort.objects.filter(name_en=name_en).first()
    if cohort is None:
        cohort = Cohort.objects.create(
            name=f"دفعة القياس — {size}",
            name_en=name_en,
            governorate=Governorate.NAJAF,
            starts_on=today - datetime.timedelta(days=3 * HELD + 7),
            ends_on=today + datetime.timedelta(days=60),
            capacity=size,
            status=Cohort.Status.RUNNING,
            created_by=manager,
        )
    add_members(cohort, manager=manager, mentor=mentor, trainee_ids=trainee_ids[:size])
    CurriculumItem.objects.get_or_create(cohort=cohort, course=course, defaults={"position": 1})
    add_sessions(
        cohort,
        mentor=mentor,
        first=today - datetime.timedelta(days=3 * HELD),
        count=HELD + UPCOMING,
        title=("ورشة", "Workshop"),
    )
    held = list(Session.objects.filter(cohort=cohort).order_by("starts_at", "id"))[:HELD]
    marked = set(Attendance.objects.filter(session__in=held).values_list("session_id", "user_id"))
    statuses = [Attendance.Status.PRESENT] * 3 + [Attendance.Status.ABSENT]
    marks = [
        Attendance(
            session=session,
            user_id=pk,
            status=statuses[(n + s) % len(statuses)],
            source=Attendance.Source.ROLL_CALL,
            marked_by=mentor,
            marked_at=session.starts_at,
        )
        for s, session in enumerate(held)
        for n, pk in enumerate(trainee_ids[:size])
        if (session.pk, pk) not in marked
    ]
    Attendance.objects.bulk_create(marks, batch_size=2000)
    if marks:
        tallies.rebuild([cohort.pk])
    return cohort, held[-1], len(marks)


def seed_scale(*, scale: Scale, stdout) -> dict:
    people = personas()
    manager, mentor = people["scale_manager"], people["mentor"]
    now = timezone.now()
    scale_course = _enrol_personas(people, manager, now)
    sizes = [(label, scale.count(full, quick=quick)) for label, full, quick in COHORTS]
    hashed = []

    def password() -> str:
        if not hashed:
            hashed.append(make_password(PASSWORD))
        return hashed[0]

    largest = max(size for _label, size in sizes)
    ensure_people(
        role=User.Role.TRAINEE,
        prefix="cohort",
        numbers=range(largest),
        password=password,
        domain=SCALE_DOMAIN,
    )
    trainee_ids = list(
        User.objects.filter(email__startswith="bench-cohort-", email__endswith=f"@{SCALE_DOMAIN}")
        .order_by("email")
        .values_list("pk", flat=True)
    )
    course = Course.objects.get(title_en=COHORT_NAME_EN)
    extra, created = {"scale_course": scale_course}, 0
    for label, size in sizes:
        cohort, session, marks = _cohort(label, size, trainee_ids, course, manager, mentor, now)
        extra[f"scale_{label}_cohort"] = cohort
        extra[f"scale_{label}_session"] = session
        created += marks
    if connection.vendor == "postgresql" and created:
        with connection.cursor() as cursor:
            for model in (Membership, Attendance, AttendanceTally, User):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608 - a model's table name
    stdout.write(
        "  scale rows: cohorts of "
        + ", ".join(str(size) for _label, size in sizes)
        + f" ({created} marks created), personas in 1 and 20 courses\n"
    )
    return extra
