"""SQL time of the cohort dashboard at full size: `python bench/dashboard_sql.py`.

Seeds (once; seeding again reuses what is there) a cohort of 1,000 trainees (and 20 who left
half-way, their marks kept) with 20 held sessions (20,200 marks) and two upcoming ones (a few
approved excuses), and the six demo courses built with the authoring services (the first four
are the curriculum), with lesson progress, quiz attempts and assignment submissions for every
trainee (about 18,000 lesson-progress rows). Then it calls `cohorts.dashboard.cohort_dashboard`
warm, 20 times per variant, and prints the median number of queries and of milliseconds spent
inside the database driver (timed with `connection.execute_wrapper`, so Python work around the
queries is not counted).

The database is PostgreSQL `ishtar_dash` by default (`--database-url` or DASH_DATABASE_URL to
change it); it is created if missing and migrated. A script, not a test: time is measured here,
never asserted in the test suite."""

import argparse
import datetime
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    # Run as a script, Python puts bench/ first on the path (where bench/core.py would shadow the
    # core app); the project root is what we need.
    sys.path[0] = str(BASE_DIR)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ishtar_dash"
COHORT_NAME_EN = "Bench dashboard cohort"
TRAINEES = 1000
WITHDRAWN = 20  # trainees who left half-way, their marks kept
HELD_SESSIONS = 20
UPCOMING_SESSIONS = 2
RUNS = 20
WARMUP = 3


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/dashboard_sql.py", description=__doc__)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DASH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="PostgreSQL database to seed and query (created if missing)",
    )
    parser.add_argument("--runs", type=int, default=RUNS, help="measured runs per variant")
    parser.add_argument(
        "--show-queries", action="store_true", help="print each query's time of the median run"
    )
    return parser.parse_args(argv)


def ensure_database(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    base = ["psql", "-h", parts.hostname or "127.0.0.1", "-U", parts.username or "postgres"]
    if parts.port:
        base += ["-p", str(parts.port)]
    exists = f"SELECT 1 FROM pg_database WHERE datname = '{name}'"  # noqa: S608 - our own URL
    found = subprocess.run(
        [*base, "-tAc", exists, "postgres"],
        capture_output=True,
        text=True,
        check=True,
    )
    if found.stdout.strip() != "1":
        subprocess.run([*base, "-c", f'CREATE DATABASE "{name}"', "postgres"], check=True)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ["DEBUG"] = "False"
    import django

    django.setup()
    from django.core.management import call_command

    from config.celery import app

    # Tasks the seeding enqueues (course structure refreshes) run here, against this database,
    # instead of waiting in a broker for a worker that may serve another one.
    app.conf.task_always_eager = True

    call_command("migrate", verbosity=0, interactive=False)


# --- Seeding ------------------------------------------------------------------------------------


def seed(stdout=sys.stdout):
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Governorate, User
    from cohorts.models import (
        BAGHDAD,
        Attendance,
        Cohort,
        CurriculumItem,
        ExcuseRequest,
        Membership,
        Session,
    )
    from courses.demo import COURSES, build_course
    from courses.models import AssignmentSubmission, Course, Lesson, LessonProgress, QuizAttempt

    cohort = Cohort.objects.filter(name_en=COHORT_NAME_EN).first()
    if cohort is not None:
        return cohort
    started = time.perf_counter()
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        manager = User.objects.create(
            email="dash-manager@bench.ishtar.example",
            full_name="مدير اللوحة",
            role=User.Role.MANAGER,
            password=make_password(None),
        )
        courses = []
        for spec in COURSES:
            course = Course.objects.filter(title_en=spec["title_en"]).first()
            courses.append(course or build_course(manager, spec))
        governorates = list(Governorate.values)
        User.objects.bulk_create(
            [
                User(
                    email=f"dash-trainee-{n:04d}@bench.ishtar.example",
                    full_name=f"متدرب {n:04d}",
                    full_name_latin=f"Trainee {n:04d}",
                    governorate=governorates[n % len(governorates)],
                    role=User.Role.TRAINEE,
                    password=make_password(None),
                    last_login=now - datetime.timedelta(days=n % 30) if n % 4 else None,
                )
                for n in range(TRAINEES)
            ],
            batch_size=500,
        )
        User.objects.bulk_create(
            [
                User(
                    email=f"dash-left-{n:04d}@bench.ishtar.example",
                    full_name=f"متدرب غادر {n:04d}",
                    role=User.Role.TRAINEE,
                    password=make_password(None),
                )
                for n in range(WITHDRAWN)
            ]
        )
        trainees = list(User.objects.filter(email__startswith="dash-trainee-").order_by("email"))
        left = list(User.objects.filter(email__startswith="dash-left-").order_by("email"))
        starts_on = today - datetime.timedelta(days=65)
        cohort = Cohort.objects.create(
            name="دفعة قياس لوحة المتابعة",
            name_en=COHORT_NAME_EN,
            governorate=Governorate.NAJAF,
            starts_on=starts_on,
            ends_on=today + datetime.timedelta(days=60),
            capacity=TRAINEES,
            status=Cohort.Status.RUNNING,
            created_by=manager,
        )
        Membership.objects.create(cohort=cohort, user=manager, role=Membership.Role.MANAGER)
        joined = datetime.datetime.combine(starts_on, datetime.time(), tzinfo=BAGHDAD)
        Membership.objects.bulk_create(
            [
                Membership(
                    cohort=cohort,
                    user=person,
                    role=Membership.Role.TRAINEE,
                    # A few filled places from the waitlist half-way through.
                    joined_at=joined if n % 50 else joined + datetime.timedelta(days=30),
                )
                for n, person in enumerate(trainees)
            ]
            + [
                Membership(
                    cohort=cohort,
                    user=person,
                    role=Membership.Role.TRAINEE,
                    status=Membership.Status.WITHDRAWN,
                    joined_at=joined,
                    left_at=joined + datetime.timedelta(days=30),
                )
                for person in left
            ],
            batch_size=500,
        )
        CurriculumItem.objects.bulk_create(
            [
                CurriculumItem(
                    cohort=cohort,
                    course=course,
                    position=i,
                    due_on=starts_on + datetime.timedelta(days=45 + 30 * i),
                )
                for i, course in enumerate(courses[:4])
            ]
        )
        sessions = []
        for i in range(HELD_SESSIONS + UPCOMING_SESSIONS):
            if i < HELD_SESSIONS:
                day = starts_on + datetime.timedelta(days=2 + 3 * i)
            else:
                day = today + datetime.timedelta(days=2 + 3 * (i - HELD_SESSIONS))
            start = datetime.datetime.combine(day, datetime.time(17), tzinfo=BAGHDAD)
            sessions.append(
                Session(
                    cohort=cohort,
                    title=f"جلسة {i + 1}",
                    title_en=f"Session {i + 1}",
                    starts_at=start,
                    ends_at=start + datetime.timedelta(hours=2),
                )
            )
        sessions = Session.objects.bulk_create(sessions)
        marks = []
        for i, session in enumerate(sessions[:HELD_SESSIONS]):
            for n, person in enumerate(trainees):
                pattern = (n + i) % 9
                status = (
                    "absent"
                    if n % 10 == 9 or pattern == 0
                    else "late"
                    if pattern == 1
                    else "excused"
                    if pattern == 2 and n % 3 == 0
                    else "present"
                )
                marks.append(
                    Attendance(
                        session=session,
                        user=person,
                        status=status,
                        source=Attendance.Source.ROLL_CALL,
                        marked_by=manager,
                        marked_at=session.starts_at + datetime.timedelta(minutes=30),
                    )
                )
        for session in sessions[: HELD_SESSIONS // 2]:
            for person in left:
                marks.append(
                    Attendance(
                        session=session,
                        user=person,
                        status="present",
                        source=Attendance.Source.ROLL_CALL,
                        marked_by=manager,
                        marked_at=session.starts_at + datetime.timedelta(minutes=30),
                    )
                )
        excuses = []
        for session in sessions[HELD_SESSIONS:]:
            for person in trainees[:: TRAINEES // 15]:
                excuses.append(
                    ExcuseRequest(
                        session=session,
                        user=person,
                        reason="سفر",
                        status=ExcuseRequest.Status.APPROVED,
                        decided_by=manager,
                        decided_at=now,
                    )
                )
        excuses = ExcuseRequest.objects.bulk_create(excuses)
        for excuse in excuses:
            marks.append(
                Attendance(
                    session=excuse.session,
                    user=excuse.user,
                    status="excused",
                    source=Attendance.Source.EXCUSE,
                    marked_by=manager,
                    marked_at=now,
                    excuse=excuse,
                )
            )
        Attendance.objects.bulk_create(marks, batch_size=2000)

        # Work through every demo course (the curriculum's four and two more, as demo trainees
        # do): trainee n has opened all or all but the last of each course's lessons in outline order, passing most
        # quizzes; assignments are accepted, waiting or returned.
        progress, attempts, submissions = [], [], []
        for c, course in enumerate(courses):
            lessons = list(Lesson.objects.filter(module__course=course).in_outline_order())
            for n, person in enumerate(trainees):
                reached = len(lessons) - (1 if (n + c) % 3 == 0 else 0)
                for k, lesson in enumerate(lessons[:reached]):
                    stamp = now - datetime.timedelta(days=(n + k) % 40, hours=k)
                    done = lesson.completes_by_itself and (k + 1 < reached or n % 2 == 0)
                    progress.append(
                        LessonProgress(
                            user=person,
                            lesson=lesson,
                            started_at=stamp,
                            last_seen_at=stamp,
                            completed_at=stamp if done else None,
                        )
                    )
                    if lesson.kind == Lesson.Kind.QUIZ:
                        passed = (n + k) % 4 != 0
                        attempts.append(
                            QuizAttempt(
                                user=person,
                                lesson=lesson,
                                number=1,
                                score=80 if passed else 40,
                                passed=passed,
                                submitted_at=stamp,
                            )
                        )
                    elif lesson.kind == Lesson.Kind.ASSIGNMENT:
                        status = ("accepted", "submitted", "returned")[(n + k) % 3]
                        submissions.append(
                            AssignmentSubmission(
                                user=person,
                                lesson=lesson,
                                text="مسودتي",
                                status=status,
                                submitted_at=stamp,
                                reviewed_by=manager if status != "submitted" else None,
                                reviewed_at=stamp if status != "submitted" else None,
                            )
                        )
        LessonProgress.objects.bulk_create(progress, batch_size=2000)
        QuizAttempt.objects.bulk_create(attempts, batch_size=2000)
        AssignmentSubmission.objects.bulk_create(submissions, batch_size=2000)
    # Rows written in bulk bypass the services: count the dashboard's figures from them, as
    # after a migration or a repair.
    call_command("refresh_progress_snapshots", stdout=stdout)
    # Freshly loaded and rewritten tables: vacuum them and refresh the planner's statistics now,
    # as autovacuum would shortly after, or the measurements run on plans made for empty tables
    # and through dead row versions.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    stdout.write(
        f"Seeded in {time.perf_counter() - started:.0f} s: {len(trainees)} trainees, "
        f"{len(sessions)} sessions, {len(marks)} marks, {len(progress)} lesson-progress rows, "
        f"{len(attempts)} quiz attempts, {len(submissions)} submissions.\n"
    )
    return cohort


# --- Measuring ----------------------------------------------------------------------------------


class Timer:
    """Time inside the database driver, per query."""

    def __init__(self):
        self.queries: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - started) * 1000, sql))


def measure(function, *, runs: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = []
    for n in range(WARMUP + runs):
        timer = Timer()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
            function()
        if n >= WARMUP:
            results.append((sum(ms for ms, _sql in timer.queries), len(captured), timer.queries))
    results.sort(key=lambda r: r[0])
    return results[len(results) // 2], statistics.median(r[0] for r in results)


def main(argv=None) -> int:
    args = parse_args(argv)
    ensure_database(args.database_url)
    setup_django(args.database_url)
    from django.db import connection

    from cohorts.dashboard import cohort_dashboard
    from cohorts.exports import csv_chunks

    cohort = seed()
    connection.ensure_connection()
    variants = {
        "default (risk, page 1 of 50)": lambda: cohort_dashboard(cohort),
        "sorted by name, page 3": lambda: cohort_dashboard(cohort, sort="name", page=3),
        "governorate filter": lambda: cohort_dashboard(cohort, governorate="najaf"),
        "search": lambda: cohort_dashboard(cohort, q="0042"),
        "at-risk filter": lambda: cohort_dashboard(cohort, flag="at_risk"),
        "CSV export (all rows)": lambda: "".join(
            csv_chunks(cohort_dashboard(cohort, page_size=200))
        ),
    }
    print(f"{'variant':32} {'queries':>8} {'SQL ms (median of ' + str(args.runs) + ')':>24}")
    for name, function in variants.items():
        (_ms, count, queries), median = measure(function, runs=args.runs)
        print(f"{name:32} {count:>8} {median:>24.2f}")
        if args.show_queries:
            for ms, sql in queries:
                print(f"    {ms:7.2f}  {sql[:150]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
