"""Reminder scans at programme scale: every registered scan (notifications.reminders) over 10,000
trainees in 20 running cohorts, 500 sessions, dated course work, mentorships, reviews and
milestones, built with bulk_create on a throw-away test database; reports each scan's queries,
seconds and deliveries found.

    .venv/bin/python bench/reminders_scan.py            # 10,000 trainees, 500 sessions
    .venv/bin/python bench/reminders_scan.py --json     # the figures as JSON (bench/run.py)

Aims (issue 12, "Performance"): a bounded number of queries whatever the number of recipients,
at most ~5 per 100 recipients, and seconds for all scans. Uses DATABASE_URL (PostgreSQL) as the
server to create `test_<name>` on."""

import argparse
import datetime
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

COHORTS = 20
MENTORS = 200


def build(now, *, trainees: int, sessions: int) -> dict:
    """The data, in a few bulk inserts. Sessions are spread evenly over 25 days from an hour
    ahead, so a scan finds the share a real day holds (a few within 24 h, fewer within 2 h)."""
    from accounts.models import User
    from cohorts.models import BAGHDAD, Cohort, CurriculumItem, Membership, Session
    from core.tracks import Track
    from courses import structure
    from courses.models import AssignmentSubmission, Course, Lesson, Module
    from mentoring.models import Meeting, Mentorship
    from proposals.models import Milestone, Proposal, ReviewAssignment

    today = now.astimezone(BAGHDAD).date()
    joined = now - datetime.timedelta(days=40)
    cohorts = Cohort.objects.bulk_create(
        Cohort(
            name=f"دفعة {i}",
            name_en=f"Cohort {i}",
            governorate="najaf",
            starts_on=today - datetime.timedelta(days=40),
            ends_on=today + datetime.timedelta(days=60),
            capacity=10000,
            status=Cohort.Status.RUNNING,
        )
        for i in range(COHORTS)
    )
    people = User.objects.bulk_create(
        User(
            email=f"trainee{i}@bench.example",
            full_name=f"متدرب {i}",
            # A third signed in this week, a third 10 days ago, a third never (idle since joining).
            last_login=(now - datetime.timedelta(days=(1, 10)[i % 3])) if i % 3 < 2 else None,
        )
        for i in range(trainees)
    )
    mentors = User.objects.bulk_create(
        User(email=f"mentor{i}@bench.example", full_name=f"مرشد {i}", role=User.Role.MENTOR)
        for i in range(MENTORS)
    )
    managers = User.objects.bulk_create(
        User(email=f"manager{i}@bench.example", full_name=f"مدير {i}", role=User.Role.MANAGER)
        for i in range(COHORTS)
    )
    cohort_of = {person.pk: cohorts[i % COHORTS] for i, person in enumerate(people)}
    Membership.objects.bulk_create(
        [
            *(
                Membership(cohort=cohort_of[p.pk], user=p, role="trainee", joined_at=joined)
                for p in people
            ),
            *(
                Membership(cohort=cohorts[i % COHORTS], user=m, role="mentor", joined_at=joined)
                for i, m in enumerate(mentors)
            ),
            *(
                Membership(cohort=c, user=m, role="manager", joined_at=joined)
                for c, m in zip(cohorts, managers, strict=True)
            ),
        ]
    )
    spread = datetime.timedelta(days=25) / sessions
    Session.objects.bulk_create(
        Session(
            cohort=cohorts[i % COHORTS],
            title=f"جلسة {i}",
            starts_at=now + datetime.timedelta(hours=1) + i * spread,
            ends_at=now + datetime.timedelta(hours=3) + i * spread,
            facilitator=mentors[i % COHORTS],
        )
        for i in range(sessions)
    )
    # One course in every curriculum: two assignments due in 40 h and 4 days ago (overdue), a
    # quiz due 41 days after the cohort's start (tomorrow).
    course = Course.objects.create(
        title="مقرر",
        track=Track.YOUTH_INITIATIVES,
        is_published=True,
        published_at=now - datetime.timedelta(days=60),
    )
    module = Module.objects.create(course=course, position=1, title="وحدة")
    soon, late, _quiz = Lesson.objects.bulk_create(
        [
            Lesson(module=module, position=1, kind="assignment", title="واجب", due_at=now + datetime.timedelta(hours=40)),
            Lesson(module=module, position=2, kind="assignment", title="واجب سابق", due_at=now - datetime.timedelta(days=4)),
            Lesson(module=module, position=3, kind="quiz", title="اختبار", due_days_after_start=41),
        ]
    )  # fmt: skip
    structure.changed()  # written in bulk, past the signals
    CurriculumItem.objects.bulk_create(
        CurriculumItem(cohort=c, course=course, position=1) for c in cohorts
    )
    AssignmentSubmission.objects.bulk_create(
        AssignmentSubmission(user=p, lesson=lesson, text="إجابة")
        for i, p in enumerate(people)
        for lesson in (soon, late)
        if i % 2
    )
    # Every trainee with an active mentor; half met 10 days ago, half 35 days ago.
    mentorships = Mentorship.objects.bulk_create(
        Mentorship(
            cohort=cohort_of[p.pk],
            mentor=mentors[i % MENTORS],
            trainee=p,
            status=Mentorship.Status.ACTIVE,
            created_at=joined,
            accepted_at=joined,
        )
        for i, p in enumerate(people)
    )
    Meeting.objects.bulk_create(
        Meeting(mentorship=m, date=today - datetime.timedelta(days=(10, 35)[i % 2]), duration_minutes=30)
        for i, m in enumerate(mentorships)
    )  # fmt: skip
    # 500 proposals (one per trainee in a smaller fixture): half in review (reviews due tomorrow or 2 days ago), half being implemented
    # (a milestone due in 2 days each).
    proposals = Proposal.objects.bulk_create(
        Proposal(
            cohort=cohort_of[people[i].pk],
            lead=people[i],
            title=f"مبادرة {i}",
            status=(Proposal.Status.IN_REVIEW, Proposal.Status.IN_IMPLEMENTATION)[i % 2],
        )
        for i in range(min(500, trainees))
    )
    ReviewAssignment.objects.bulk_create(
        ReviewAssignment(
            proposal=p,
            reviewer=mentors[i % MENTORS],
            due_on=today + datetime.timedelta(days=(1, -2)[(i // 2) % 2]),
        )
        for i, p in enumerate(proposals)
        if p.status == Proposal.Status.IN_REVIEW
    )
    Milestone.objects.bulk_create(
        Milestone(proposal=p, title="مرحلة", due_on=today + datetime.timedelta(days=2))
        for p in proposals
        if p.status == Proposal.Status.IN_IMPLEMENTATION
    )
    return {"trainees": trainees, "sessions": sessions, "cohorts": COHORTS, "mentors": MENTORS}


def _counter(queries: list):
    def count(execute, *args):
        queries.append(1)
        return execute(*args)

    return count


def run_scans(now) -> list[dict]:
    from django.db import connection
    from django.urls import reverse

    from notifications import reminders

    reverse("core:ping")  # the URLconf loads once per process, not in the first scan's time
    figures = []
    for kind, reminder in sorted(reminders.registered().items()):
        queries = []
        counter = _counter(queries)
        started = time.perf_counter()
        with connection.execute_wrapper(counter):
            due = list(reminder.scan(now))
        seconds = time.perf_counter() - started
        recipients = len({d.recipient_id for d in due})
        figures.append(
            {
                "kind": kind,
                "queries": len(queries),
                "seconds": round(seconds, 3),
                "deliveries": len(due),
                "recipients": recipients,
                "queries_per_100_recipients": round(100 * len(queries) / recipients, 3)
                if recipients
                else None,
                "unique_keys": len({(d.recipient_id, d.object_key, d.occurrence) for d in due}),
            }
        )
    return figures


def bench(*, trainees: int = 10_000, sessions: int = 500) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        now = timezone.now()
        started = time.perf_counter()
        sizes = build(now, trainees=trainees, sessions=sessions)
        built = time.perf_counter() - started
        scans = run_scans(now)
        return {
            "fixture": sizes,
            "build_seconds": round(built, 1),
            "scans": scans,
            "total_queries": sum(s["queries"] for s in scans),
            "total_seconds": round(sum(s["seconds"] for s in scans), 3),
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def table_rows(result: dict) -> list[dict]:
    """Rows for bench/run.py's table (page = the scan, persona = the beat that runs it)."""
    return [
        {
            "page": f"scan {s['kind']}",
            "persona": "beat",
            "queries": s["queries"],
            "sql_ms": None,
            "note": f"{s['deliveries']} due to {s['recipients']} people in {s['seconds']:.2f} s",
        }
        for s in result["scans"]
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = bench(trainees=args.trainees, sessions=args.sessions)
    if args.json:
        print(json.dumps(result))
        return
    print(
        f"{result['fixture']['trainees']} trainees, {result['fixture']['sessions']} sessions "
        f"built in {result['build_seconds']} s"
    )
    for s in result["scans"]:
        per_100 = s["queries_per_100_recipients"]
        print(
            f"{s['kind']:28} {s['queries']:2d} queries  {s['seconds']:6.3f} s  "
            f"{s['deliveries']:6d} due to {s['recipients']:6d} people"
            + (f"  ({per_100:.3f} queries per 100 recipients)" if per_100 is not None else "")
        )
    print(f"all scans: {result['total_queries']} queries in {result['total_seconds']:.2f} s")


if __name__ == "__main__":
    main()
