"""Sending reminders on one real Celery worker: 1,000 people due one reminder each, found by a
registered reminder's scan (the tests' fake one, so the figure does not depend on any app's
scan), inserted under their unique key, one delivery task each, through notify() and the e-mail
channel's lease-based task, with the local memory e-mail backend, on a throw-away database.

    .venv/bin/python bench/reminders_send.py            # 1,000 e-mails
    .venv/bin/python bench/reminders_send.py --json     # the figures as JSON (bench/run.py)

Aim (issue 12, "Performance"): 1,000 e-mails with the local backend on one worker in <= 60 s,
from the scan to the last e-mail marked sent. Uses DATABASE_URL (PostgreSQL) and the configured
broker (Redis with REDIS_URL, else the file-system one)."""

import argparse
import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

AIM_SECONDS = 60


def bench(count: int, timeout: float = 300) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.db import connection

    from config.celery import app
    from tests.notifications import fake_reminder

    fake_reminder.install()
    queue = f"bench-{uuid.uuid4().hex[:12]}"
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    worker = None
    try:
        from accounts.models import User
        from notifications.models import Delivery, Notification
        from notifications.tasks import run_reminder_scans

        User.objects.bulk_create(
            User(email=f"bench{i}{fake_reminder.DOMAIN}", full_name=f"متدرب {i}")
            for i in range(count)
        )
        connection.close()
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "-Q",
                queue,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=WARNING",
            ],
            cwd=BASE_DIR,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "bench.reminders_send_settings",
                "BENCH_DB_NAME": test_name,
                "BENCH_QUEUE": queue,
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(3)  # the worker's start-up is not part of the figure
        start = time.perf_counter()
        new = run_reminder_scans(kinds=[fake_reminder.KIND])
        scanned = time.perf_counter() - start
        sent = 0
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            sent = Notification.objects.filter(
                kind=fake_reminder.KIND, email_status=Notification.EmailStatus.SENT
            ).count()
            if sent >= count:
                break
            time.sleep(0.2)
        wall = time.perf_counter() - start
        return {
            "emails": count,
            "deliveries_new": new,
            "sent": sent,
            "deliveries_sent": Delivery.objects.filter(status="sent").count(),
            "scan_and_enqueue_s": round(scanned, 2),
            "wall_s": round(wall, 2),
            "per_second": round(sent / wall, 1) if wall else None,
            "aim_s": AIM_SECONDS,
            "broker": "redis" if os.environ.get("REDIS_URL") else "filesystem",
        }
    finally:
        if worker is not None:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, 9)
                worker.wait()
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        if os.environ.get("REDIS_URL"):
            with app.connection_for_write() as conn:
                conn.default_channel.client.delete(
                    queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
                )


def table_rows(result: dict) -> list[dict]:
    """A row for bench/run.py's table."""
    return [
        {
            "page": "send reminders (1 worker)",
            "persona": "worker",
            "queries": None,
            "sql_ms": None,
            "note": (
                f"{result['sent']}/{result['emails']} e-mails in {result['wall_s']:.1f} s "
                f"(aim <= {result['aim_s']} s)"
            ),
        }
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--emails", type=int, default=1000)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    result = bench(args.emails)
    if args.json:
        print(json.dumps(result))
        return
    print(
        f"{result['sent']}/{result['emails']} e-mails sent in {result['wall_s']} s "
        f"({result['per_second']}/s, scan and enqueue {result['scan_and_enqueue_s']} s; "
        f"aim <= {AIM_SECONDS} s) on one worker, {result['broker']} broker"
    )


if __name__ == "__main__":
    main()
