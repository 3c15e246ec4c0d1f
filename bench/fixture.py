"""The benchmark's data: a large, deterministic fixture seeded straight into the database.

Each seed function makes sure its rows exist and creates only what is missing, so seeding again
reuses what is there. A later feature adds its data with one more function in SEEDS:

    def seed_courses(*, scale, stdout):
        ...  # idempotent; sizes from scale.count(full, quick=...)
        return {"course": course}  # optional: reaches page URLs as ctx.extra["course"]

    SEEDS = [seed_people, seed_notifications, seed_courses]
"""

import datetime
from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from accounts.models import Governorate, User
from accounts.services import ROLE_CHANGED
from bench.fixture_base import (  # noqa: F401
    DOMAIN,
    PASSWORD,
    PERSONAS,
    SCALE_DOMAIN,
    Scale,
    email,
    personas,
)
from bench.fixture_courses import seed_courses
from cohorts import tallies
from cohorts.models import (
    BAGHDAD,
    Announcement,
    Attendance,
    AttendanceTally,
    Cohort,
    CurriculumItem,
    Membership,
    Session,
    SessionTally,
)
from courses import snapshots
from courses.models import (
    AssignmentSubmission,
    Choice,
    Course,
    CourseEnrollment,
    CourseProgressSnapshot,
    Lesson,
    LessonProgress,
    Module,
    QuizAttempt,
)
from notifications import unread
from notifications.models import Notification

# Arabic name parts with their Latin spelling, combined so that names differ and sort naturally.
FIRST = [
    ("مريم", "Maryam", "female"), ("حسن", "Hassan", "male"), ("فاطمة", "Fatima", "female"),
    ("مصطفى", "Mustafa", "male"), ("زهراء", "Zahraa", "female"), ("علي", "Ali", "male"),
    ("رقية", "Ruqaya", "female"), ("محمد", "Mohammed", "male"), ("آية", "Aya", "female"),
    ("عباس", "Abbas", "male"), ("هدى", "Huda", "female"), ("كرار", "Karrar", "male"),
    ("شيماء", "Shaimaa", "female"), ("سجاد", "Sajjad", "male"), ("بنين", "Baneen", "female"),
    ("أحمد", "Ahmed", "male"),
]  # fmt: skip
FATHER = [
    ("جعفر", "Jaafar"), ("كاظم", "Kadhim"), ("حيدر", "Haider"), ("صادق", "Sadiq"),
    ("جواد", "Jawad"), ("ياسين", "Yaseen"), ("عادل", "Adil"), ("رضا", "Ridha"),
    ("سلمان", "Salman"), ("نوري", "Nouri"),
]  # fmt: skip
FAMILY = [
    ("الياسري", "Al-Yasiri"), ("الخفاجي", "Al-Khafaji"), ("الشمري", "Al-Shammari"),
    ("البديري", "Al-Budairi"), ("التميمي", "Al-Tamimi"), ("الزبيدي", "Al-Zubaidi"),
    ("الحكيم", "Al-Hakeem"), ("الجبوري", "Al-Jubouri"), ("الكعبي", "Al-Kaabi"),
    ("العبيدي", "Al-Obaidi"), ("الموسوي", "Al-Musawi"), ("الطائي", "Al-Taie"),
]  # fmt: skip
GOVERNORATES = list(Governorate.values)


def _name(number: int) -> tuple[str, str, str]:
    first, first_latin, gender = FIRST[number % len(FIRST)]
    father, father_latin = FATHER[(number // len(FIRST)) % len(FATHER)]
    family, family_latin = FAMILY[(number // (len(FIRST) * len(FATHER))) % len(FAMILY)]
    return f"{first} {father} {family}", f"{first_latin} {father_latin} {family_latin}", gender


def ensure_people(
    *, role: str, prefix: str, numbers, password: Callable[[], str], domain: str = DOMAIN
) -> int:
    """Accounts `bench-<prefix>-<n>@<domain>` for each n of `numbers`, created if missing, each
    with a verified address; returns how many were created."""
    wanted = {email(prefix, n, domain): n for n in numbers}
    existing = set(User.objects.filter(email__in=wanted).values_list("email", flat=True))
    missing = [(address, n) for address, n in wanted.items() if address not in existing]
    if missing:
        hashed = password()
        people = []
        for address, n in missing:
            name, latin, gender = _name(n)
            people.append(
                User(
                    email=address,
                    full_name=name,
                    full_name_latin=latin,
                    gender=gender,
                    governorate=GOVERNORATES[n % len(GOVERNORATES)],
                    birth_year=1985 + n % 20,
                    role=role,
                    password=hashed,
                )
            )
        User.objects.bulk_create(people, batch_size=500)
    # A verified primary address, as allauth keeps for every person who signed up.
    users = dict(User.objects.filter(email__in=wanted).values_list("email", "pk"))
    verified = set(
        EmailAddress.objects.filter(user_id__in=users.values()).values_list("email", flat=True)
    )
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=address, verified=True, primary=True)
            for address, pk in users.items()
            if address not in verified
        ],
        batch_size=500,
    )
    return len(missing)


def seed_people(*, scale: Scale, stdout) -> None:
    """Managers, mentors and trainees; the first of each role is its persona."""
    hashed: list[str] = []

    def password() -> str:
        if not hashed:
            hashed.append(make_password(PASSWORD))
        return hashed[0]

    for role, prefix, count in [
        (User.Role.MANAGER, "manager", scale.count(5, quick=2)),
        (User.Role.MENTOR, "mentor", scale.count(20, quick=3)),
        (User.Role.TRAINEE, "trainee", scale.count(1000, quick=30)),
    ]:
        created = ensure_people(role=role, prefix=prefix, numbers=range(count), password=password)
        stdout.write(f"  {prefix}s: {count} ({created} created)\n")
    # The two personas of the scale rows (their courses: bench/fixture_scale.py).
    ensure_people(
        role=User.Role.TRAINEE,
        prefix="courses",
        numbers=(1, 20),
        password=password,
        domain=SCALE_DOMAIN,
    )


def seed_notifications(*, scale: Scale, stdout) -> None:
    """Hundreds of notifications for the trainee persona (a fifth unread), a few for others."""
    persona = User.objects.get(email=PERSONAS["trainee"])
    wanted = {persona.pk: scale.count(300, quick=40)}
    others = User.objects.trainees().filter(email__endswith=f"@{DOMAIN}").exclude(pk=persona.pk)
    for pk in others.order_by("email").values_list("pk", flat=True)[: scale.count(500, quick=10)]:
        wanted[pk] = 3
    have = dict(
        Notification.objects.filter(recipient_id__in=wanted, kind=ROLE_CHANGED.key)
        .values("recipient_id")
        .annotate(n=Count("id"))
        .values_list("recipient_id", "n")
    )
    now = timezone.now()
    rows = []
    for pk, count in wanted.items():
        for n in range(have.get(pk, 0), count):
            rows.append(
                Notification(
                    recipient_id=pk,
                    kind=ROLE_CHANGED.key,
                    params={"role": User.Role.TRAINEE},
                    url="/profile/",
                    read_at=None if n % 5 == 0 else now,
                )
            )
    Notification.objects.bulk_create(rows, batch_size=1000)
    # bulk_create sends no post_save: the badges' cached counts are moved on here.
    unread.changed(*wanted)
    stdout.write(f"  notifications: {sum(wanted.values())} ({len(rows)} created)\n")


COHORT_NAME_EN = "Bench cohort — Najaf"
COHORT_SESSIONS = 20
# Of the twenty sessions, these many are held (every trainee marked); the rest are upcoming.
COHORT_HELD = 16
COHORT_LESSONS = 6


def add_members(cohort, *, manager, mentor, trainee_ids) -> None:
    """The manager, the mentor as facilitator and the trainees as members of the cohort (those
    missing), joined on its first day."""
    joined = datetime.datetime.combine(cohort.starts_on, datetime.time(9), tzinfo=BAGHDAD)
    members = set(Membership.objects.filter(cohort=cohort).values_list("user_id", flat=True))
    wanted = [(manager.pk, Membership.Role.MANAGER), (mentor.pk, Membership.Role.FACILITATOR)]
    wanted += [(pk, Membership.Role.TRAINEE) for pk in trainee_ids]
    Membership.objects.bulk_create(
        [
            Membership(cohort=cohort, user_id=pk, role=role, joined_at=joined, added_by=manager)
            for pk, role in wanted
            if pk not in members
        ],
        batch_size=1000,
    )


def add_sessions(cohort, *, mentor, first, count: int, title: tuple[str, str]) -> None:
    """`count` evening sessions three days apart from `first`, facilitated by the mentor, unless
    the cohort has sessions already; `title` is the Arabic and English stem, numbered."""
    if Session.objects.filter(cohort=cohort).exists():
        return

    def at(n: int, hour: int) -> datetime.datetime:
        day = first + datetime.timedelta(days=3 * n)
        return datetime.datetime.combine(day, datetime.time(hour), tzinfo=BAGHDAD)

    Session.objects.bulk_create(
        [
            Session(
                cohort=cohort,
                title=f"{title[0]} {n + 1}",
                title_en=f"{title[1]} {n + 1}",
                facilitator=mentor,
                starts_at=at(n, 17),
                ends_at=at(n, 19),
            )
            for n in range(count)
        ]
    )


def seed_cohort(*, scale: Scale, stdout) -> dict:
    """A running cohort of every bench trainee (1,000) run by the manager persona, with a
    six-lesson course as its curriculum and lesson progress, twenty sessions facilitated by the
    mentor persona (sixteen held, every trainee marked, four upcoming) and a few announcements.
    Creates only what is missing."""
    people = personas()
    manager, mentor = people["manager"], people["mentor"]
    now = timezone.now()
    today = timezone.localdate(now, BAGHDAD)
    cohort = Cohort.objects.filter(name_en=COHORT_NAME_EN).first()
    if cohort is None:
        cohort = Cohort.objects.create(
            name="القادة الشباب — دفعة النجف الكبرى",
            name_en=COHORT_NAME_EN,
            description="دفعة من برنامج إعداد القادة الشباب في ملف المبادرات الشبابية.",
            governorate=Governorate.NAJAF,
            venue="مركز عشتار لدعم الديمقراطية، النجف",
            starts_on=today - datetime.timedelta(days=3 * COHORT_HELD + 7),
            ends_on=today + datetime.timedelta(days=60),
            capacity=scale.count(1000, quick=30),
            status=Cohort.Status.RUNNING,
            created_by=manager,
        )
    trainee_ids = list(
        User.objects.trainees()
        .filter(email__endswith=f"@{DOMAIN}")
        .order_by("email")
        .values_list("pk", flat=True)[: cohort.capacity]
    )
    add_members(cohort, manager=manager, mentor=mentor, trainee_ids=trainee_ids)

    course = Course.objects.filter(title_en=COHORT_NAME_EN).first()
    if course is None:
        course = Course.objects.create(
            title="القيادة والعمل المدني",
            title_en=COHORT_NAME_EN,
            track="youth",
            is_published=True,
            published_at=now,
            created_by=manager,
        )
        module = Module.objects.create(course=course, position=1, title="أسس القيادة")
        for n in range(1, COHORT_LESSONS + 1):
            Lesson.objects.create(module=module, position=n, title=f"الدرس {n}", body="<p>نص</p>")
    CurriculumItem.objects.get_or_create(cohort=cohort, course=course, defaults={"position": 1})
    lessons = list(
        Lesson.objects.filter(module__course=course)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    # Trainee n has completed n % 7 lessons (none to all six), last opened n % 20 days ago.
    done = set(
        LessonProgress.objects.filter(lesson_id__in=lessons).values_list("user_id", "lesson_id")
    )
    progress = []
    for n, pk in enumerate(trainee_ids):
        seen = now - datetime.timedelta(days=n % 20, hours=1)
        for lesson_id in lessons[: n % 7]:
            if (pk, lesson_id) not in done:
                progress.append(
                    LessonProgress(
                        user_id=pk,
                        lesson_id=lesson_id,
                        started_at=seen,
                        last_seen_at=seen,
                        completed_at=seen,
                    )
                )
    LessonProgress.objects.bulk_create(progress, batch_size=2000)

    add_sessions(
        cohort,
        mentor=mentor,
        first=today - datetime.timedelta(days=3 * COHORT_HELD),
        count=COHORT_SESSIONS,
        title=("ورشة القيادة", "Leadership workshop"),
    )
    sessions = list(Session.objects.filter(cohort=cohort).order_by("starts_at", "id"))
    held = sessions[:COHORT_HELD]
    marked = set(Attendance.objects.filter(session__in=held).values_list("session_id", "user_id"))
    statuses = [Attendance.Status.PRESENT] * 7 + [
        Attendance.Status.LATE,
        Attendance.Status.EXCUSED,
        Attendance.Status.ABSENT,
    ]
    marks = [
        Attendance(
            session=session,
            user_id=pk,
            status=statuses[(n * 3 + s) % len(statuses)],
            source=Attendance.Source.ROLL_CALL,
            marked_by=mentor,
            marked_at=session.starts_at,
        )
        for s, session in enumerate(held)
        for n, pk in enumerate(trainee_ids)
        if (session.pk, pk) not in marked
    ]
    Attendance.objects.bulk_create(marks, batch_size=2000)

    if not Announcement.objects.filter(cohort=cohort).exists():
        Announcement.objects.bulk_create(
            [
                Announcement(
                    cohort=cohort,
                    author=manager,
                    title=f"إعلان {n}",
                    body="تذكير بموعد الورشة القادمة.",
                    sent_at=now,
                    recipient_count=len(trainee_ids),
                )
                for n in range(1, 4)
            ]
        )
    # Bulk inserts bypass the write paths that keep the dashboard's stored figures: count them
    # from the records (each a no-op when nothing was added).
    if marks:
        tallies.rebuild([cohort.pk])
    if progress:
        snapshots.refresh_course(course.pk)
    if connection.vendor == "postgresql" and (marks or progress):
        # Freshly bulk-loaded tables: refresh the planner's statistics now, as autovacuum would
        # shortly after, or the first measurements run on plans made for empty tables.
        with connection.cursor() as cursor:
            for model in (
                Membership,
                Session,
                Attendance,
                AttendanceTally,
                SessionTally,
                LessonProgress,
                CourseProgressSnapshot,
            ):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608 - a model's table name
    stdout.write(
        f"  cohort: {len(trainee_ids)} trainees, {len(sessions)} sessions "
        f"({len(marks)} marks, {len(progress)} lesson progress rows created)\n"
    )
    return {"cohort": cohort, "roll_call_session": held[-1]}


# Run in order; each one idempotent.
def seed_programme(*, scale: Scale, stdout) -> dict:
    """Mentoring, proposals and certificates at the programme's scale: bench/programme.py
    (which builds on this module, hence imported here when called)."""
    from bench import programme

    return programme.seed_programme(scale=scale, stdout=stdout)


def seed_reminder_log(*, scale: Scale, stdout) -> None:
    """The bench cohort's reminder deliveries: bench/reminder_log.py (imported when called)."""
    from bench import reminder_log

    reminder_log.seed_reminder_deliveries(scale=scale, stdout=stdout)


def seed_scale(*, scale: Scale, stdout) -> dict:
    """The scale rows (bench/fixture_scale.py, which builds on this module)."""
    from bench import fixture_scale

    return fixture_scale.seed_scale(scale=scale, stdout=stdout)


SEEDS: list[Callable[..., dict | None]] = [
    seed_people,
    seed_notifications,
    seed_cohort,
    seed_courses,
    seed_programme,
    seed_reminder_log,
    seed_scale,
]


def seed(*, scale: Scale, stdout) -> dict:
    """Run every seed; what they return (objects pages link to) is merged for BenchContext.extra."""
    extra = {}
    for function in SEEDS:
        extra.update(function(scale=scale, stdout=stdout) or {})
    analyze_fresh_tables()
    return extra


def analyze_fresh_tables() -> list[str]:
    """Tables that the planner has no statistics for yet (loaded in bulk by a seed that does not
    analyse its own, e.g. mentoring's, proposals' and certificates'): analysed now, as autovacuum
    would shortly after, or their pages are measured on plans made for empty tables. Returns
    their names."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables"
            " WHERE last_analyze IS NULL AND last_autoanalyze IS NULL ORDER BY relname"
        )
        names = [name for (name,) in cursor.fetchall()]
        for name in names:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(name)}")  # noqa: S608 - a table's name
    return names


def sizes() -> dict[str, int]:
    """What the database holds, for the results file."""
    return {
        "trainees": User.objects.trainees().filter(email__endswith=f"@{DOMAIN}").count(),
        "scale_trainees": User.objects.trainees()
        .filter(email__endswith=f"@{SCALE_DOMAIN}")
        .count(),
        "mentors": User.objects.mentors().count(),
        "managers": User.objects.managers().count(),
        "notifications": Notification.objects.count(),
        "persona_trainee_notifications": Notification.objects.filter(
            recipient__email=PERSONAS["trainee"]
        ).count(),
        "cohort_attendance_marks": Attendance.objects.filter(
            session__cohort__name_en=COHORT_NAME_EN
        ).count(),
        "courses": Course.objects.count(),
        "lessons": Lesson.objects.count(),
        "quiz_choices": Choice.objects.count(),
        "course_enrollments": CourseEnrollment.objects.count(),
        "lesson_progress": LessonProgress.objects.count(),
        "quiz_attempts": QuizAttempt.objects.count(),
        "assignment_submissions": AssignmentSubmission.objects.count(),
    }
