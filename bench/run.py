"""Benchmark runner: `make bench` (or `python bench/run.py --help`).

Seeds a large fixture into a dedicated PostgreSQL database, serves the product with gunicorn
(2 sync workers, production settings) on a free loopback port, and measures each page of
bench/pages.py as a ratio to the bare view measured in the same run. Prints a table and writes
the figures to bench/results/<time>.json."""

import argparse
import contextlib
import datetime
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    # Run as a script, Python puts bench/ first on the path; the project root is what we need.
    sys.path[0] = str(BASE_DIR)

from bench import core, loadgen, matching, reminders_scan, reminders_send, stats  # noqa: E402
from bench.pages import PAGES, SCALE, BenchContext, select  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/ishtar_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
RESULTS_DIR = BASE_DIR / "bench" / "results"
LOG_DIR = BASE_DIR / "var" / "bench"
HOST = "127.0.0.1"


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Measure pages against the bare view through the production middleware stack.",
    )
    parser.add_argument("--seconds", type=float, help="measured seconds per page (default 5)")
    parser.add_argument("--warmup", type=float, help="unmeasured seconds before each (default 1)")
    parser.add_argument("--concurrency", type=int, help="concurrent connections (default 4)")
    parser.add_argument(
        "--pages",
        action="append",
        metavar="PATTERN",
        help="only pages whose name matches (shell pattern; repeat or separate with commas)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny fixture and a fraction of a second per page: checks that everything works",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
        help="PostgreSQL database to seed and serve (env BENCH_DATABASE_URL; created if missing)",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL"),
        help=f"cache as in production (env BENCH_REDIS_URL; default {DEFAULT_REDIS_URL} when it "
        "answers, else the file cache)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument(
        "--client",
        choices=["auto", "python", "wrk"],
        default="auto",
        help="load generator: wrk when installed (auto), or the standard-library one",
    )
    parser.add_argument(
        "--output", type=Path, help="results file (default bench/results/<time>.json)"
    )
    parser.add_argument("--list", action="store_true", help="list the pages and exit")
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="measure the pages only (no reminder scans, sending or matching curve)",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    args.seconds = args.seconds if args.seconds is not None else (0.5 if quick else 5.0)
    args.warmup = args.warmup if args.warmup is not None else (0.2 if quick else 1.0)
    args.concurrency = args.concurrency or (2 if quick else 4)
    args.patterns = [p for value in args.pages or [] for p in value.split(",") if p]
    if args.client == "auto":
        args.client = "wrk" if loadgen.wrk_available() else "python"
    if args.client == "wrk" and not loadgen.wrk_available():
        parser.error("wrk is not installed (apt-get install wrk)")
    if args.client == "python" and not args.list:
        print(
            "NOTE: the FALLBACK standard-library load generator runs (wrk "
            + (
                "is not installed: apt-get install wrk"
                if not loadgen.wrk_available()
                else "not chosen"
            )
            + "); its figures are not comparable with wrk's.",
            file=sys.stderr,
        )
    return args


# --- Database, settings, server ----------------------------------------------------------------


def configure_environment(args) -> dict:
    """The production settings, read from the environment as a deployment would set it."""
    redis_url = args.redis_url if args.redis_url is not None else _default_redis()
    values = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": redis_url,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "https://127.0.0.1",
        # GET requests send no mail; should one try, it goes nowhere.
        "EMAIL_URL": "dummymail://",
        # Production makes managers enrol a second factor; the manager persona signs in with a
        # plain session, so the benchmark turns the requirement off.
        "MFA_REQUIRED_FOR_PRIVILEGED": "False",
    }
    os.environ.update(values)
    return values


def _default_redis() -> str:
    try:
        import redis

        redis.Redis.from_url(DEFAULT_REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return ""
    return DEFAULT_REDIS_URL


def ensure_database(url: str) -> None:
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit(f"the benchmark runs against PostgreSQL, not {parts.scheme!r}")
    import psycopg
    from psycopg import sql

    name = parts.path.lstrip("/")
    with psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(*, workers: int, log_path: Path):
    """gunicorn with sync workers on a free loopback port, stopped on the way out."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--bind",
        f"{HOST}:{port}",
        "--chdir",
        str(BASE_DIR),
        # The control socket's default path is one per machine user: another gunicorn would clash.
        "--no-control-socket",
    ]
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=os.environ.copy(),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
        )
        try:
            target = core.Target(HOST, port)
            _wait_until_ready(process, target, log_path)
            yield target
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_ready(process, target, log_path, timeout=60.0) -> None:
    from django.urls import reverse

    path = reverse("core:ping")
    headers = {"Host": f"{target.host}:{target.port}", **core.PROXY_HEADERS}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn stopped:\n{log_path.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            if core.probe(target, path, headers) == 200:
                return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s; see {log_path}")


def static_files_current() -> bool:
    """True when the collected files and their manifest are newer than every source file: the
    production storage hashes and compresses everything again, which takes a minute."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return False
    collected = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if Path(storage.path(path)).stat().st_mtime > collected:
                return False
    return True


# --- Report ------------------------------------------------------------------------------------


def table_rows(result: dict) -> list[dict]:
    return [result["bare"], *result["pages"]]


def _script_json(args, script: str, *options: str, database: bool = True):
    """Run bench/<script> in a process of its own (on a throw-away database next to the
    benchmark's when `database`) and return the JSON of its last line, or None if it failed."""
    env = dict(os.environ)
    if database:
        env.update(DJANGO_SETTINGS_MODULE="config.settings.test", DATABASE_URL=args.database_url)
    completed = subprocess.run(
        [sys.executable, str(BASE_DIR / "bench" / script), "--json", *options],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        print(completed.stderr[-2000:], file=sys.stderr)
        return None
    return json.loads(completed.stdout.strip().splitlines()[-1])


def reminder_scans(args) -> dict | None:
    """Every reminder scan at programme scale (10,000 trainees, 500 sessions; a tenth with
    --quick), on a throw-away database next to the benchmark's."""
    sizes = ["--trainees", "1000", "--sessions", "50"] if args.quick else []
    return _script_json(args, "reminders_scan.py", *sizes)


def reminder_sending(args) -> dict | None:
    """1,000 reminder e-mails (100 with --quick) on one real worker with the local e-mail
    backend, on a throw-away database (aim <= 60 s)."""
    return _script_json(args, "reminders_send.py", "--emails", "100" if args.quick else "1000")


def matching_curve(args) -> list[dict] | None:
    """The matching engine's scale curve (bench/matching.py: 250 to 2,000 trainees x 500
    mentors; 250 and 500 with --quick)."""
    return _script_json(
        args, "matching.py", *(["250", "500"] if args.quick else []), database=False
    )


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.list:
        for page in select(PAGES, args.patterns):
            print(
                f"{page.name:28} {page.persona_label:10} {page.url if isinstance(page.url, str) else '(computed)'}"
            )
        return 0
    environment = configure_environment(args)
    ensure_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from bench import fixture

    print(f"database {urlsplit(args.database_url).path.lstrip('/')}: migrating")
    call_command("migrate", interactive=False, verbosity=0)
    if not static_files_current():
        print("collecting static files")
        call_command("collectstatic", interactive=False, verbosity=0)
    scale = fixture.Scale(quick=args.quick)
    print("seeding the fixture" + (" (quick)" if args.quick else ""))
    started = time.perf_counter()
    extra = fixture.seed(scale=scale, stdout=sys.stdout)
    print(f"  ready in {time.perf_counter() - started:.1f} s")
    sizes = fixture.sizes()
    context = BenchContext(personas=fixture.personas(), extra=extra)
    pages = select(PAGES, args.patterns)
    plan = core.Plan(
        seconds=args.seconds, warmup=args.warmup, concurrency=args.concurrency, client=args.client
    )
    connections.close_all()

    load_before = os.getloadavg()
    print(
        f"serving with gunicorn ({args.workers} sync workers), load from {args.client} client, "
        f"{args.concurrency} connections, {args.seconds:g} s per page after {args.warmup:g} s warm-up"
    )
    with serve(workers=args.workers, log_path=LOG_DIR / "gunicorn.log") as target:
        result = core.measure(
            target=target,
            pages=pages,
            context=context,
            plan=plan,
            progress=lambda line: print(f"  measuring {line}", flush=True),
        )
    load_after = os.getloadavg()
    scans = sending = curve = None
    if not args.pages_only:
        print("scanning reminders (bench/reminders_scan.py)", flush=True)
        scans = reminder_scans(args)
        print("sending reminders on one worker (bench/reminders_send.py)", flush=True)
        sending = reminder_sending(args)
        print("matching curve (bench/matching.py)", flush=True)
        curve = matching_curve(args)

    rows = table_rows(result) + (reminders_scan.table_rows(scans) if scans else [])
    rows += reminders_send.table_rows(sending) if sending else []
    scale_rows = stats.scale_table({row["page"]: row for row in result["pages"]}, SCALE)
    print()
    print(stats.format_table(rows))
    print()
    if any(row["spread"] is not None for row in scale_rows):
        print(stats.format_scale(scale_rows))
        print()
    if curve:
        print("Mentor matching, best of 3 (aim: 2,000 x 500 in <= 2 s):")
        print(matching.format_curve(curve))
        print()
    print(
        "vs bare = a page's requests/s as a share of the bare view's (/ping, the same middleware "
        "stack) in the runs just before and after that page."
    )
    print(
        f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} ({os.cpu_count()} CPUs)"
    )

    document = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "quick": args.quick,
        "settings": environment["DJANGO_SETTINGS_MODULE"],
        "cache": "redis" if environment["REDIS_URL"] else "file",
        "mfa_required_for_privileged": False,
        "server": {"program": "gunicorn", "worker_class": "sync", "workers": args.workers},
        "client": args.client,
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "warmup": args.warmup,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": load_before,
            "load_average_after": load_after,
        },
        "fixture": sizes,
        **result,
        "reminder_scans": scans,
        "reminder_sending": sending,
        "matching_curve": curve,
        "scale": scale_rows,
    }
    output = args.output or RESULTS_DIR / (
        datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%S")
        + ("-quick" if args.quick else "")
        + ".json"
    )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")
    print(
        f"results written to {output.relative_to(BASE_DIR) if output.is_relative_to(BASE_DIR) else output}"
    )
    failed = [row["page"] for row in result["pages"] if row.get("note")]
    if failed or not result["bare"].get("requests_per_second"):
        print(f"not measured cleanly: {', '.join(failed) or 'bare view'}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
