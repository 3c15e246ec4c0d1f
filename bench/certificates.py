"""Certificate figures: CPU time and size per PDF (pure renderer, QR included), and a bulk issue
of 1,000 trainees end to end (eligibility, issue, notification with its e-mail enqueued, render,
storage) on a throw-away test database, with the queries it ran.

    .venv/bin/python bench/certificates.py              # both parts
    .venv/bin/python bench/certificates.py --render-only

Aims (issue "Performance"): <= 15 ms CPU per certificate, <= 60 KB per PDF, 1,000 certificates in
one bulk run in <= 30 s. Run it alone on the machine: the figures are CPU time of this process
(renderer) and wall time (bulk run).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

NAMES = [
    ("مُحَمَّد عَبْدُ الله الجُبُوري", "Muhammad Abdullah Al-Jubouri"),
    ("ڕێباز عەلی ئەحمەد", "Rebaz Ali Ahmed"),
    ("سارة Smith (2)", "Sara Smith"),
    ("عبد الرحمن " * 11, "Abdulrahman " * 10),
    ("زينب حسين", ""),
]


def bench_render(count: int) -> dict:
    from certificates.pdf import CertificateData, Signatory, qr_matrix, render

    signatories = (
        Signatory("د. سارة علي", "Dr Sara Ali", "مديرة المركز", "Director"),
        Signatory("أحمد حسن", "Ahmed Hassan", "منسق البرنامج", "Programme coordinator"),
    )
    cpu, sizes = [], []
    for i in range(count):
        name_ar, name_latin = NAMES[i % len(NAMES)]
        code = f"{i:026d}"
        data = CertificateData(
            code=code,
            display_code=code[:12],
            verify_url=f"https://lms.ishtar.example/verify/{code}/",
            name_ar=f"{name_ar} {i}".strip(),
            name_latin=f"{name_latin} {i}".strip(),
            programme_ar="مسار المبادرات الشبابية",
            programme_en="Youth initiatives",
            cohort_ar="الدفعة الثالثة — أربيل",
            cohort_en="Cohort 3 — Erbil",
            issued_on=date(2026, 3, 25),
            starts_on=date(2026, 1, 10),
            ends_on=date(2026, 3, 20),
            signatories=signatories,
        )
        start = time.process_time()
        pdf = render(data)
        cpu.append((time.process_time() - start) * 1000)
        sizes.append(len(pdf))
    start = time.process_time()
    for i in range(count):
        qr_matrix(f"https://lms.ishtar.example/verify/{i:026d}/")
    qr_ms = (time.process_time() - start) * 1000 / count
    cpu.sort()
    return {
        "renders": count,
        "cpu_ms_mean": statistics.mean(cpu),
        "cpu_ms_p95": cpu[int(len(cpu) * 0.95) - 1],
        "qr_matrix_ms": qr_ms,
        "bytes_mean": statistics.mean(sizes),
        "bytes_max": max(sizes),
    }


def bench_bulk(count: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    from django.core import mail

    from config.celery import app

    # As in production: a task is published to the broker (here kombu's in-memory one) and run
    # by another worker, not run inline as the test settings do. The bulk run renders its PDFs
    # itself, so the figure is issue + notification + enqueued e-mails + render + storage.
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    media = tempfile.mkdtemp(prefix="certificates-bench-")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": media},
        },
    }
    try:
        from accounts.models import User
        from certificates import bulk
        from certificates.models import BulkIssueRun, Certificate
        from cohorts.models import Membership
        from notifications.models import Notification
        from tests.cohorts.factories import CohortFactory

        cohort = CohortFactory(status="running")
        users = User.objects.bulk_create(
            User(
                email=f"bench{i}@example.org",
                full_name=f"متدرب رقم {i}",
                full_name_latin=f"Trainee {i}",
            )
            for i in range(count)
        )
        Membership.objects.bulk_create(
            Membership(cohort=cohort, user=u, role="trainee") for u in users
        )
        run = BulkIssueRun.objects.create(cohort=cohort, total=count)
        queries = []
        start = time.perf_counter()
        cpu = time.process_time()
        with connection.execute_wrapper(lambda execute, *a: queries.append(1) or execute(*a)):
            run = bulk.run_bulk_issue(run.pk)
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu
        rendered = Certificate.objects.filter(cohort=cohort).exclude(sha256="").count()
        return {
            "certificates": run.done,
            "failed": run.failed,
            "rendered": rendered,
            "wall_s": wall,
            "cpu_s": cpu,
            "queries": len(queries),
            "emails_queued": Notification.objects.filter(
                kind="certificates.issued", email_status=Notification.EmailStatus.PENDING
            ).count(),
            "emails_sent_inline": len(mail.outbox),
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=300)
    parser.add_argument("--bulk", type=int, default=1000)
    parser.add_argument("--render-only", action="store_true")
    args = parser.parse_args()
    figures = bench_render(args.renders)
    print(
        f"render: {figures['cpu_ms_mean']:.1f} ms CPU mean, {figures['cpu_ms_p95']:.1f} ms p95 "
        f"(QR matrix {figures['qr_matrix_ms']:.1f} ms) over {figures['renders']} PDFs; "
        f"{figures['bytes_mean'] / 1024:.1f} KB mean, {figures['bytes_max'] / 1024:.1f} KB max"
    )
    if not args.render_only:
        bulk = bench_bulk(args.bulk)
        print(
            f"bulk: {bulk['certificates']} issued ({bulk['failed']} failed, "
            f"{bulk['rendered']} rendered) in {bulk['wall_s']:.1f} s wall, "
            f"{bulk['cpu_s']:.1f} s CPU, {bulk['queries']} queries "
            f"({bulk['queries'] / max(bulk['certificates'], 1):.2f} per certificate); "
            f"{bulk['emails_queued']} e-mails queued, {bulk['emails_sent_inline']} sent inline"
        )


if __name__ == "__main__":
    main()
