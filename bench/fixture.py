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
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import Governorate, User
from accounts.services import ROLE_CHANGED
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
from core.tracks import Track
from courses import snapshots
from courses.html import clean_html
from courses.models import (
    AssignmentSubmission,
    Choice,
    Course,
    CourseEnrollment,
    CourseProgressSnapshot,
    Lesson,
    LessonProgress,
    Module,
    Question,
    QuizAttempt,
)
from notifications.models import Notification

DOMAIN = "bench.ishtar.example"
# Every bench account shares this password, hashed once per seeding run.
PASSWORD = "ishtar-bench-password"


@dataclass(frozen=True)
class Scale:
    """How much data to make: the full fixture, or a tiny one for a quick check."""

    quick: bool = False

    def count(self, full: int, *, quick: int) -> int:
        return quick if self.quick else full


def email(prefix: str, number: int) -> str:
    return f"bench-{prefix}-{number:04d}@{DOMAIN}"


# The people pages are requested as: persona name -> account e-mail.
PERSONAS = {
    "trainee": email("trainee", 0),
    "mentor": email("mentor", 0),
    "manager": email("manager", 0),
}

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


def _ensure_people(*, role: str, prefix: str, count: int, password: Callable[[], str]) -> int:
    wanted = {email(prefix, n): n for n in range(count)}
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
        created = _ensure_people(role=role, prefix=prefix, count=count, password=password)
        stdout.write(f"  {prefix}s: {count} ({created} created)\n")


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
    stdout.write(f"  notifications: {sum(wanted.values())} ({len(rows)} created)\n")


COHORT_NAME_EN = "Bench cohort — Najaf"
COHORT_SESSIONS = 20
# Of the twenty sessions, these many are held (every trainee marked); the rest are upcoming.
COHORT_HELD = 16
COHORT_LESSONS = 6


def seed_cohort(*, scale: Scale, stdout) -> dict:
    """A running cohort of every bench trainee (1,000) run by the manager persona, with a
    six-lesson course as its curriculum and lesson progress, twenty sessions facilitated by the
    mentor persona (sixteen held, every trainee marked, four upcoming) and a few announcements.
    Creates only what is missing."""
    people = personas()
    manager, mentor = people["manager"], people["mentor"]
    baghdad = BAGHDAD
    now = timezone.now()
    today = timezone.localdate(now, baghdad)
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
    joined = datetime.datetime.combine(cohort.starts_on, datetime.time(9), tzinfo=baghdad)

    trainee_ids = list(
        User.objects.trainees()
        .filter(email__endswith=f"@{DOMAIN}")
        .order_by("email")
        .values_list("pk", flat=True)[: cohort.capacity]
    )
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

    if not Session.objects.filter(cohort=cohort).exists():
        first = today - datetime.timedelta(days=3 * COHORT_HELD)
        Session.objects.bulk_create(
            [
                Session(
                    cohort=cohort,
                    title=f"ورشة القيادة {n + 1}",
                    title_en=f"Leadership workshop {n + 1}",
                    facilitator=mentor,
                    starts_at=datetime.datetime.combine(
                        first + datetime.timedelta(days=3 * n), datetime.time(17), tzinfo=baghdad
                    ),
                    ends_at=datetime.datetime.combine(
                        first + datetime.timedelta(days=3 * n), datetime.time(19), tzinfo=baghdad
                    ),
                )
                for n in range(COHORT_SESSIONS)
            ]
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


# Course catalogue: COURSES courses of COURSE_MODULES modules, each module with one lesson of
# every kind that matters, in this order.
COURSE_TITLE_EN = "Bench course {:02d}"
COURSES = 20
COURSE_MODULES = 8
MODULE_PLAN = ["text", "text", "video", "text", "quiz", "assignment"]
QUIZ_QUESTIONS = 6
QUIZ_CHOICES = 4
# The persona and the next trainees (by e-mail) are enrolled directly in the first courses.
ENROLLED_COURSES = 8
ENROLLED_TRAINEES = 200

PARAGRAPHS = [
    "يعمل المركز على إشراك المجتمع بنخبه وفاعليه في رسم السياسات العامة للدولة والمساهمة "
    "بتعزيز الممارسة الديمقراطية من خلال طاولات حوارية وحلقات نقاشية ومؤتمرات وورش عمل.",
    "تخرج هذه اللقاءات بتوصيات ومقترحات وخطط وأوراق سياسات تقدم إلى الجهات ذات العلاقة، "
    "ويعمل المركز كجماعة ضغط تدفع باتجاه تشريع القوانين وتعديلها وإصدار القرارات.",
    "انطلقت النشاطات في مدينة النجف بمبادرة مجموعة من الشباب المهتمين بالشأن العام، "
    "السياسي والاجتماعي والاقتصادي والثقافي، لتبادل الرؤى والأفكار في القضايا العامة.",
    "أصبح النادي مساحة محايدة للتواصل والحوار الهادف بين الشباب الفاعل والنخب المؤثرة "
    "في المجتمع وصناع القرار.",
]


def _lesson_body(number: int) -> str:
    """A lesson text of a few kilobytes: headings, paragraphs, a list, a link. Stored as
    bulk_create stores it, so it must already be what Lesson.save's sanitiser would keep."""
    paragraphs = "".join(f"<p>{PARAGRAPHS[(number + n) % len(PARAGRAPHS)]}</p>" for n in range(6))
    points = "".join(f"<li>{PARAGRAPHS[n][:60]}</li>" for n in range(len(PARAGRAPHS)))
    body = (
        f"<h2>الفكرة {number}</h2>{paragraphs}<h3>للنقاش</h3><ul>{points}</ul>"
        '<p><a href="https://ishtar.example/reading" rel="noopener noreferrer nofollow">'
        "قراءة إضافية</a></p>"
    )
    assert clean_html(body) == body, "bench lesson body must be stored already clean"
    return body


def _create_course(*, number: int, modules: int, sequential: bool, author, now) -> Course:
    """One course with its modules, lessons, quiz questions and choices: a few bulk inserts in
    one transaction, so a course is either all there or absent."""
    with transaction.atomic():
        course = Course.objects.create(
            title=f"القيادة الشبابية والمشاركة المدنية {number}",
            title_en=COURSE_TITLE_EN.format(number),
            summary=PARAGRAPHS[number % len(PARAGRAPHS)],
            track=list(Track.values)[number % len(Track.values)],
            estimated_hours=12,
            sequential_modules=sequential,
            is_published=True,
            published_at=now,
            created_by=author,
        )
        created = Module.objects.bulk_create(
            Module(course=course, position=m, title=f"الوحدة {m}: {PARAGRAPHS[m % 4][:40]}")
            for m in range(1, modules + 1)
        )
        lessons = Lesson.objects.bulk_create(
            Lesson(
                module=module,
                position=p,
                kind=kind,
                title=f"الدرس {module.position}.{p}",
                body=_lesson_body(module.position * 10 + p) if kind != "quiz" else "",
                video_url="https://video.ishtar.example/lesson" if kind == "video" else "",
                transcript=PARAGRAPHS[p % len(PARAGRAPHS)] * 3 if kind == "video" else "",
                pass_mark=60,
                max_attempts=3 if kind == "quiz" else None,
            )
            for module in created
            for p, kind in enumerate(MODULE_PLAN, start=1)
        )
        questions = Question.objects.bulk_create(
            Question(lesson=lesson, position=q, text=f"السؤال {q}: {PARAGRAPHS[q % 4][:80]}؟")
            for lesson in lessons
            if lesson.kind == Lesson.Kind.QUIZ
            for q in range(1, QUIZ_QUESTIONS + 1)
        )
        Choice.objects.bulk_create(
            Choice(question=question, position=c, text=f"الإجابة {c}", is_correct=c == 1)
            for question in questions
            for c in range(1, QUIZ_CHOICES + 1)
        )
    return course


def _quiz_attempt(*, user_id, quiz, number, passed, at, answer_key) -> QuizAttempt:
    """An attempt as the service stores it: every answer right (passed) or every one wrong."""
    order = [question_id for question_id, _right, _wrong in answer_key]
    return QuizAttempt(
        user_id=user_id,
        lesson_id=quiz,
        number=number,
        answers={str(q): [right if passed else wrong] for q, right, wrong in answer_key},
        question_order=order,
        results={str(q): passed for q in order},
        score=100 if passed else 0,
        passed=passed,
        submitted_at=at,
    )


def _modules_done(trainee: int, course: int, modules: int) -> int:
    """How many modules the n-th enrolled trainee has completed in the c-th enrolled course:
    from none to all, three for the persona in the first course."""
    return (3 + 5 * trainee + course) % (modules + 1)


def seed_courses(*, scale: Scale, stdout) -> dict:
    """Twenty published courses (eight modules of six lessons: text, text, video, text, a quiz of
    six questions, an assignment; every other course takes its modules in order); the trainee
    persona and the next 199 trainees enrolled directly in the first eight, each with progress:
    trainee n has done `_modules_done(n, c)` modules of course c (the persona: three of the
    first course) — text and video marked, the quiz failed once for one in three then passed, the
    assignment accepted — and in the next module the first lesson done, the second opened, the
    quiz failed once and, for every other trainee, the assignment waiting for review. Creates
    only what is missing."""
    people = personas()
    manager, mentor = people["manager"], people["mentor"]
    now = timezone.now()
    modules = scale.count(COURSE_MODULES, quick=5)
    course_count = scale.count(COURSES, quick=3)
    titles = [COURSE_TITLE_EN.format(n) for n in range(1, course_count + 1)]
    existing = set(Course.objects.filter(title_en__in=titles).values_list("title_en", flat=True))
    for number, title in enumerate(titles, start=1):
        if title not in existing:
            _create_course(
                number=number, modules=modules, sequential=number % 2 == 1, author=manager, now=now
            )
    courses = {c.title_en: c for c in Course.objects.filter(title_en__in=titles)}
    courses = [courses[title] for title in titles]
    enrolled_courses = courses[: scale.count(ENROLLED_COURSES, quick=2)]

    trainee_ids = list(
        User.objects.trainees()
        .filter(email__endswith=f"@{DOMAIN}")
        .order_by("email")
        .values_list("pk", flat=True)[: scale.count(ENROLLED_TRAINEES, quick=10)]
    )
    have = set(
        CourseEnrollment.objects.filter(course__in=enrolled_courses).values_list(
            "user_id", "course_id"
        )
    )
    enrollments = [
        CourseEnrollment(user_id=pk, course=course, enrolled_at=now, enrolled_by=manager)
        for course in enrolled_courses
        for pk in trainee_ids
        if (pk, course.pk) not in have
    ]
    CourseEnrollment.objects.bulk_create(enrollments, batch_size=2000)

    # Outline of the enrolled courses: {course id: [[(lesson id, kind), ...] per module]}.
    outline = {course.pk: [] for course in enrolled_courses}
    for module_course, lesson_id, kind in (
        Lesson.objects.filter(module__course__in=enrolled_courses)
        .order_by("module__course_id", "module__position", "position")
        .values_list("module__course_id", "pk", "kind")
    ):
        rows = outline[module_course]
        if not rows or len(rows[-1]) == len(MODULE_PLAN):
            rows.append([])
        rows[-1].append((lesson_id, kind))
    answer_keys: dict[int, list] = {}
    for quiz, question, choice, correct in (
        Choice.objects.filter(question__lesson__module__course__in=enrolled_courses)
        .order_by("question__lesson_id", "question__position", "position")
        .values_list("question__lesson_id", "question_id", "pk", "is_correct")
    ):
        key = answer_keys.setdefault(quiz, {})
        entry = key.setdefault(question, [question, None, None])
        entry[1 if correct else 2] = entry[1 if correct else 2] or choice
    answer_keys = {quiz: [tuple(e) for e in key.values()] for quiz, key in answer_keys.items()}

    done_progress = set(
        LessonProgress.objects.filter(
            user_id__in=trainee_ids, lesson__module__course__in=enrolled_courses
        ).values_list("user_id", "lesson_id")
    )
    done_attempts = set(
        QuizAttempt.objects.filter(
            user_id__in=trainee_ids, lesson__module__course__in=enrolled_courses
        ).values_list("user_id", "lesson_id")
    )
    done_submissions = set(
        AssignmentSubmission.objects.filter(
            user_id__in=trainee_ids, lesson__module__course__in=enrolled_courses
        ).values_list("user_id", "lesson_id")
    )
    progress, attempts, submissions = [], [], []
    for n, pk in enumerate(trainee_ids):
        for c, course in enumerate(enrolled_courses):
            finished = _modules_done(n, c, modules)
            started = now - datetime.timedelta(days=30 - (n + c) % 20)
            for m, lessons in enumerate(outline[course.pk][: finished + 1]):
                partial = m == finished
                at = started + datetime.timedelta(days=m, hours=n % 12)
                for p, (lesson_id, kind) in enumerate(lessons):
                    if partial and p > 1 and kind not in ("quiz", "assignment"):
                        continue
                    complete = not partial or p == 0
                    if (pk, lesson_id) not in done_progress:
                        progress.append(
                            LessonProgress(
                                user_id=pk,
                                lesson_id=lesson_id,
                                started_at=at,
                                last_seen_at=at + datetime.timedelta(minutes=p),
                                completed_at=at + datetime.timedelta(minutes=p)
                                if complete
                                else None,
                            )
                        )
                    if kind == "quiz" and (pk, lesson_id) not in done_attempts:
                        key = answer_keys[lesson_id]
                        number = 1
                        if partial or (n + m) % 3 == 0:
                            attempts.append(
                                _quiz_attempt(
                                    user_id=pk, quiz=lesson_id, number=1, passed=False, at=at,
                                    answer_key=key,
                                )
                            )  # fmt: skip
                            number = 2
                        if not partial:
                            attempts.append(
                                _quiz_attempt(
                                    user_id=pk, quiz=lesson_id, number=number, passed=True,
                                    at=at + datetime.timedelta(minutes=10), answer_key=key,
                                )
                            )  # fmt: skip
                    if kind == "assignment" and (pk, lesson_id) not in done_submissions:
                        if partial and n % 2 == 0:
                            continue
                        submissions.append(
                            AssignmentSubmission(
                                user_id=pk,
                                lesson_id=lesson_id,
                                text=PARAGRAPHS[(n + m) % len(PARAGRAPHS)],
                                submitted_at=at,
                                status=(
                                    AssignmentSubmission.Status.SUBMITTED
                                    if partial
                                    else AssignmentSubmission.Status.ACCEPTED
                                ),
                                feedback="" if partial else "عمل جيد.",
                                reviewed_by=None if partial else mentor,
                                reviewed_at=None if partial else at + datetime.timedelta(days=1),
                            )
                        )
    LessonProgress.objects.bulk_create(progress, batch_size=2000)
    QuizAttempt.objects.bulk_create(attempts, batch_size=2000)
    AssignmentSubmission.objects.bulk_create(submissions, batch_size=2000)
    if connection.vendor == "postgresql" and (progress or attempts or submissions or enrollments):
        # As in seed_cohort: statistics for the freshly loaded tables, and for the people the
        # review queue joins (bulk-loaded by seed_people, otherwise planned as a few rows).
        with connection.cursor() as cursor:
            for model in (
                User, Course, Module, Lesson, Question, Choice, CourseEnrollment, LessonProgress,
                QuizAttempt, AssignmentSubmission,
            ):  # fmt: skip
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608 - a model's table name

    # The persona (trainee 0) in the first course: the module after those it has done.
    course = enrolled_courses[0]
    current = outline[course.pk][_modules_done(0, 0, modules)]
    stdout.write(
        f"  courses: {len(courses)} × {modules} modules × {len(MODULE_PLAN)} lessons, "
        f"{len(trainee_ids)} trainees in {len(enrolled_courses)} ({len(enrollments)} enrollments, "
        f"{len(progress)} lesson progress rows, {len(attempts)} quiz attempts, "
        f"{len(submissions)} submissions created)\n"
    )
    return {
        "course": course,
        "course_text_lesson": Lesson.objects.get(pk=current[1][0]),
        "course_quiz_lesson": Lesson.objects.get(pk=current[MODULE_PLAN.index("quiz")][0]),
    }


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


SEEDS: list[Callable[..., dict | None]] = [
    seed_people,
    seed_notifications,
    seed_cohort,
    seed_courses,
    seed_programme,
    seed_reminder_log,
]


def seed(*, scale: Scale, stdout) -> dict:
    """Run every seed; what they return (objects pages link to) is merged for BenchContext.extra."""
    extra = {}
    for function in SEEDS:
        extra.update(function(scale=scale, stdout=stdout) or {})
    return extra


def personas() -> dict[str, User]:
    users = {user.email: user for user in User.objects.filter(email__in=PERSONAS.values())}
    return {name: users[address] for name, address in PERSONAS.items()}


def sizes() -> dict[str, int]:
    """What the database holds, for the results file."""
    return {
        "trainees": User.objects.trainees().count(),
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
