"""The benchmark runner's parts: its arithmetic and table, its bounded load generator, its
idempotent fixture, and its measuring core run end to end (quick plan) against the test database.
Nothing here asserts on speed; only on counts, statuses and what gets reported."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.db import connection

from accounts.models import User
from bench import core, fixture, loadgen, stats
from bench.pages import BARE, PAGES, BenchContext, select
from courses import access, progress
from courses.html import clean_html
from courses.models import AssignmentSubmission, Course, CourseEnrollment, Lesson, QuizAttempt
from notifications.models import Notification


def test_percentile_interpolates_between_closest_ranks():
    assert stats.percentile([4, 1, 3, 2], 50) == 2.5
    assert stats.percentile(range(1, 101), 95) == pytest.approx(95.05)
    assert stats.percentile([7.0], 95) == 7.0
    assert stats.percentile([1, 2, 3], 0) == 1
    assert stats.percentile([1, 2, 3], 100) == 3
    with pytest.raises(ValueError):
        stats.percentile([], 50)
    with pytest.raises(ValueError):
        stats.percentile([1, 2], 101)


def test_ratio_is_the_share_of_the_bare_view_and_unknown_without_both_figures():
    assert stats.ratio(50, 200) == 0.25
    assert stats.ratio(None, 200) is None
    assert stats.ratio(50, None) is None
    assert stats.ratio(50, 0) is None


def test_sample_reports_requests_per_second_and_percentiles_of_successful_requests():
    sample = stats.Sample(ok=4, errors=1, elapsed=2.0, latencies_ms=[10, 20, 30, 40])
    assert sample.requests_per_second == 2.0
    assert sample.p50_ms == 25
    merged = stats.merge([sample, stats.Sample(ok=2, elapsed=2.0, latencies_ms=[50, 60])])
    assert (merged.ok, merged.errors, merged.elapsed) == (6, 1, 4.0)
    assert merged.requests_per_second == 1.5
    assert stats.Sample().requests_per_second is None


def test_table_prints_every_row_with_a_dash_for_what_was_not_measured():
    rows = [
        {"page": "bare", "persona": "anonymous", "queries": 0, "sql_ms": 0.0, "kb": 0.0,
         "requests_per_second": 2000.0, "p50_ms": 1.5, "p95_ms": 3.25, "p99_ms": 4.0, "ratio": 1.0},
        {"page": "people-manager", "persona": "manager", "queries": 5, "sql_ms": 2.5, "kb": 27.0,
         "requests_per_second": 500.0, "p50_ms": 7.0, "p95_ms": 12.0, "ratio": 0.25},
        {"page": "broken", "persona": "trainee", "note": "answered 302 in-process"},
    ]  # fmt: skip
    lines = stats.format_table(rows).splitlines()
    assert lines[0].split() == [
        "page", "persona", "queries", "SQL", "ms", "KB", "req/s", "p50", "ms", "p95", "ms", "p99", "ms", "vs", "bare",
    ]  # fmt: skip
    assert set(lines[1]) <= {"-", " "}
    assert lines[2].split() == [
        "bare",
        "anonymous",
        "0",
        "0.0",
        "0.0",
        "2000",
        "1.5",
        "3.2",
        "4.0",
        "100.0%",
    ]
    assert lines[3].split()[-1] == "25.0%"
    assert lines[4].split() == ["broken", "trainee", *["-"] * 8, "answered", "302", "in-process"]
    assert len(lines) == 5


def test_wrk_report_line_is_parsed_into_a_sample():
    output = "Running 5s test\nBENCH-JSON " + (
        '{"requests": 1000, "duration_us": 5000000, "p50_us": 1500.0, "p95_us": 4000.0, '
        '"p99_us": 6000.0, "connect": 0, "read": 0, "write": 0, "status": 10, "timeout": 0}'
    )
    sample = loadgen.parse_wrk(output)
    assert (sample.ok, sample.errors, sample.elapsed) == (990, 10, 5.0)
    assert (sample.p50_ms, sample.p95_ms, sample.p99_ms) == (1.5, 4.0, 6.0)


@pytest.fixture
def counting_server():
    """A loopback HTTP server that answers 200 on /ok, 404 elsewhere, and counts requests."""
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            status = 200 if self.path == "/ok" else 404
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], seen
    server.shutdown()
    server.server_close()


def test_load_generator_stops_at_its_request_budget(counting_server):
    port, seen = counting_server
    sample = loadgen.run(
        host="127.0.0.1",
        port=port,
        path="/ok",
        headers={},
        seconds=60,
        concurrency=3,
        max_requests=20,
    )
    assert (sample.ok, sample.errors, sample.statuses) == (20, 0, {200: 20})
    assert len(sample.latencies_ms) == 20
    assert seen == ["/ok"] * 20


def test_load_generator_counts_unexpected_statuses_as_errors(counting_server):
    port, _seen = counting_server
    sample = loadgen.run(
        host="127.0.0.1",
        port=port,
        path="/gone",
        headers={},
        seconds=60,
        concurrency=2,
        max_requests=6,
    )
    assert (sample.ok, sample.errors, sample.statuses) == (0, 6, {404: 6})
    assert sample.requests_per_second is None


def test_load_generator_refuses_targets_outside_loopback():
    with pytest.raises(ValueError, match="loopback"):
        loadgen.run(host="192.0.2.1", port=80, path="/", headers={}, seconds=1, concurrency=1)


def test_pages_filter_matches_shell_patterns():
    names = [page.name for page in select(PAGES, ["api-*", "home-trainee"])]
    assert names == ["home-trainee", "api-people-manager", "api-me-trainee"]
    with pytest.raises(SystemExit):
        select(PAGES, ["no-such-page"])


@pytest.mark.django_db
def test_fixture_seeding_is_idempotent():
    scale = fixture.Scale(quick=True)
    fixture.seed(scale=scale, stdout=StringIO())
    first = fixture.sizes()
    fixture.seed(scale=scale, stdout=StringIO())
    assert fixture.sizes() == first
    assert first["trainees"] == 30 and first["mentors"] == 3 and first["managers"] == 2
    trainee = fixture.personas()["trainee"]
    assert trainee.role == User.Role.TRAINEE
    assert Notification.objects.filter(recipient=trainee).count() == 40
    assert Notification.objects.filter(recipient=trainee).unread().count() == 8
    assert trainee.emailaddress_set.get().verified


@pytest.mark.django_db(transaction=True)
def test_measuring_core_relates_every_page_to_the_bare_view(live_server):
    extra = fixture.seed(scale=fixture.Scale(quick=True), stdout=StringIO())
    context = BenchContext(personas=fixture.personas(), extra=extra)
    address = urlsplit(live_server.url)
    # Opening a lesson records the visit, a write on GET. SQLite answers a second concurrent
    # writer "database is locked" at once (a deferred transaction cannot upgrade its lock), so
    # there the pages are loaded over one connection; PostgreSQL takes two.
    concurrency = 1 if connection.vendor == "sqlite" else 2
    plan = core.Plan(seconds=60, warmup=0, concurrency=concurrency, max_requests=6)

    result = core.measure(
        target=core.Target(address.hostname, address.port), pages=PAGES, context=context, plan=plan
    )

    assert result["bare"]["path"] == BARE.path(context)
    assert result["bare"]["queries"] == 0
    assert result["bare"]["ratio"] == 1.0
    # Once before the first page, then after each page.
    assert [run["ok"] for run in result["bare"]["runs"]] == [6] * (len(PAGES) + 1)
    assert [row["page"] for row in result["pages"]] == [page.name for page in PAGES]
    for row in result["pages"]:
        assert row["note"] is None, row
        assert row["status"] == 200
        assert row["load"]["ok"] == 6 and row["load"]["errors"] == 0
        assert row["ratio"] == pytest.approx(
            row["requests_per_second"] / row["bare_requests_per_second"]
        )
    by_name = {row["page"]: row for row in result["pages"]}
    # Signed-in pages read the session and the user; the anonymous home page reads nothing.
    assert by_name["home-anonymous"]["queries"] == 0
    assert by_name["api-me-trainee"]["queries"] >= 2


@pytest.mark.django_db
def test_course_seed_gives_the_persona_progress_the_pages_can_show():
    extra = fixture.seed(scale=fixture.Scale(quick=True), stdout=StringIO())
    people = fixture.personas()
    trainee, mentor = people["trainee"], people["mentor"]
    bench_courses = Course.objects.filter(title_en__startswith="Bench course ")
    assert bench_courses.count() == 3
    assert Lesson.objects.filter(module__course__in=bench_courses).count() == 3 * 5 * 6
    # Stored by bulk_create, so never through Lesson.save's sanitiser: already clean.
    for body in Lesson.objects.filter(module__course__in=bench_courses).values_list(
        "body", flat=True
    ):
        assert clean_html(body) == body
    assert CourseEnrollment.objects.filter(user=trainee).count() == 2
    # The cohort course and the two enrolled.
    assert Course.objects.visible_to(trainee).count() == 3

    course = extra["course"]
    status = progress.course_status(trainee, course)
    assert course.sequential_modules
    assert [m.completed for m in status.modules] == [True, True, True, False, False]
    assert [m.locked for m in status.modules] == [False, False, False, False, True]
    text = status.lesson(extra["course_text_lesson"].pk)
    assert (text.lesson.kind, text.state) == ("text", "started")
    quiz = status.lesson(extra["course_quiz_lesson"].pk)
    assert (quiz.lesson.kind, quiz.state, quiz.attempts, quiz.best_score) == (
        "quiz",
        "started",
        1,
        0,
    )
    assert status.required_done == 3 * 6 + 1
    # Every one of the six questions holds one right and one wrong answer the attempts used.
    attempt = QuizAttempt.objects.get(user=trainee, lesson=extra["course_quiz_lesson"])
    assert len(attempt.question_order) == 6 and set(attempt.results.values()) == {False}
    # Half the enrolled trainees wait for review in the module they are in; the bench cohort's
    # facilitator (the mentor persona) may review them.
    waiting = AssignmentSubmission.objects.visible_to(mentor).filter(
        status__in=AssignmentSubmission.AWAITING_REVIEW
    )
    assert waiting.exists()
    assert all(access.can_review(mentor, submission) for submission in waiting)
    assert not AssignmentSubmission.objects.filter(
        user=trainee, status__in=AssignmentSubmission.AWAITING_REVIEW
    ).exists()
