"""The measuring core: sign the personas in, count each page's SQL queries in-process, then load
each page and the bare view over HTTP and relate them. Needs configured Django settings and a
server already answering on loopback; bench/run.py provides both."""

import http.client
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from . import loadgen
from .pages import BARE, BenchContext, Page
from .stats import Sample, merge, ratio

# The TLS proxy in front of production sets these; with them the production security settings
# (HTTPS redirect, HSTS, secure cookies) and the per-client throttles behave on plain loopback
# HTTP as they do behind the proxy.
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
LANGUAGE_HEADERS = {"Accept-Language": "ar"}


@dataclass(frozen=True)
class Target:
    host: str
    port: int


@dataclass(frozen=True)
class Plan:
    seconds: float
    warmup: float
    concurrency: int
    client: str = "python"  # or "wrk"
    max_requests: int | None = None


def sign_in(user) -> dict[str, str]:
    """A signed-in session made through the configured session engine, as login() would leave it."""
    engine = import_module(settings.SESSION_ENGINE)
    session = engine.SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return {settings.SESSION_COOKIE_NAME: session.session_key}


def browser_cookies(users: dict, host: str) -> dict[str | None, dict[str, str]]:
    """Cookies per persona (None = anonymous) as a browser holds them after a first page: the
    session, and the CSRF cookie that the shell's forms set."""
    jars: dict[str | None, dict[str, str]] = {None: {}}
    for name, user in users.items():
        jars[name] = sign_in(user)
    for name, jar in jars.items():
        client = _client(jar, host)
        client.get("/")
        jar.update({key: morsel.value for key, morsel in client.cookies.items() if morsel.value})
        jars[name] = jar
    return jars


def _client(jar: dict[str, str], host: str) -> Client:
    client = Client(headers={"host": host, **PROXY_HEADERS, **LANGUAGE_HEADERS})
    for key, value in jar.items():
        client.cookies[key] = value
    return client


def count_queries(page: Page, path: str, jar: dict[str, str], host: str) -> dict:
    """Status, SQL queries, SQL time and size of one request to `path`, in-process, against the
    same database and with the same cookies as the load. The first request warms per-process
    caches; the second one is counted."""
    client = _client(jar, host)
    timer = _QueryTimer()
    try:
        client.get(path, headers={"accept": page.accept})
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
            response = client.get(path, headers={"accept": page.accept})
    except Exception as exc:
        return {
            "status": None,
            "error": f"{exc.__class__.__name__}: {exc}",
            "trace": traceback.format_exc(),
        }
    return {
        "status": response.status_code,
        "queries": len(captured),
        "sql_ms": timer.seconds * 1000,
        "kb": len(b"".join(response.streaming_content) if response.streaming else response.content)
        / 1024,
        "sql": [query["sql"] for query in captured.captured_queries],
    }


class _QueryTimer:
    """Database time of the queries run inside it, finer than the captured queries' millisecond
    strings."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def headers_for(page: Page, jar: dict[str, str], target: Target) -> dict[str, str]:
    headers = {
        "Host": f"{target.host}:{target.port}",
        "Accept": page.accept,
        "User-Agent": "ishtar-bench",
        **PROXY_HEADERS,
        **LANGUAGE_HEADERS,
    }
    if jar:
        headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in jar.items())
    return headers


def probe(target: Target, path: str, headers: dict[str, str]) -> int:
    """The status of one request over HTTP, checked before loading a URL: a redirect to the
    sign-in page would otherwise be measured as a very fast page."""
    loadgen.require_loopback(target.host)
    conn = http.client.HTTPConnection(target.host, target.port, timeout=30)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def load(
    target: Target,
    path: str,
    headers: dict[str, str],
    plan: Plan,
    *,
    expect: int,
    warm: bool = True,
) -> Sample:
    if warm and plan.warmup > 0:
        _load(target, path, headers, plan, seconds=plan.warmup, expect=expect, budget=None)
    return _load(
        target, path, headers, plan, seconds=plan.seconds, expect=expect, budget=plan.max_requests
    )


def _load(target, path, headers, plan, *, seconds, expect, budget) -> Sample:
    if plan.client == "wrk":
        return loadgen.run_wrk(
            host=target.host,
            port=target.port,
            path=path,
            headers=headers,
            seconds=seconds,
            concurrency=plan.concurrency,
        )
    return loadgen.run(
        host=target.host,
        port=target.port,
        path=path,
        headers=headers,
        seconds=seconds,
        concurrency=plan.concurrency,
        max_requests=budget,
        expect_status=expect,
    )


def measure(
    *,
    target: Target,
    pages: list[Page],
    context: BenchContext,
    plan: Plan,
    progress: Callable[[str], None] = lambda line: None,
) -> dict:
    """Every page's query count and load figures, related to the bare view.

    The bare view is loaded before the first page and again after each page (B P1 B P2 B ...);
    each page is compared with the mean of the two bare runs around it, so that other work
    starting or stopping on a shared machine during the run does not tilt later pages."""
    host = target.host
    unknown = {page.persona for page in pages if page.persona} - set(context.personas)
    if unknown:
        raise ValueError(f"pages name personas the fixture does not have: {sorted(unknown)}")
    jars = browser_cookies(
        {page.persona: context.personas[page.persona] for page in pages if page.persona}, host
    )
    bare_path = BARE.path(context)
    bare_headers = headers_for(BARE, jars[None], target)
    bare_counts = count_queries(BARE, bare_path, jars[None], host)

    def load_bare(*, warm: bool) -> Sample:
        progress(f"bare view {bare_path}")
        return load(target, bare_path, bare_headers, plan, expect=BARE.status, warm=warm)

    bare_runs = [load_bare(warm=True)]
    rows = []
    for page in pages:
        path = page.path(context)
        jar = jars[page.persona]
        counts = count_queries(page, path, jar, host)
        row = {"page": page.name, "persona": page.persona_label, "path": path, **counts}
        note = _status_note(page, counts.get("status"), counts.get("error"))
        headers = headers_for(page, jar, target)
        if note is None:
            status = probe(target, path, headers)
            note = _status_note(page, status, None, over_http=True)
        if note is None:
            progress(f"{page.name} ({page.persona_label}) {path}")
            sample = load(target, path, headers, plan, expect=page.status)
            bare_runs.append(load_bare(warm=False))
            row["load"] = sample.summary()
            row.update(_figures(sample))
            row["bare_requests_per_second"] = _mean_rps(bare_runs[-2:])
            row["ratio"] = ratio(sample.requests_per_second, row["bare_requests_per_second"])
            if sample.errors:
                note = f"{sample.errors} errors"
        row["note"] = note
        rows.append(row)

    bare_rps = _mean_rps(bare_runs)
    bare_row = {
        "page": BARE.name,
        "persona": BARE.persona_label,
        "path": bare_path,
        **bare_counts,
        **_bare_latency(bare_runs),
        "requests_per_second": bare_rps,
        "ratio": 1.0 if bare_rps else None,
        "runs": [run.summary() for run in bare_runs],
        "note": _spread_note(bare_runs),
    }
    return {"bare": bare_row, "pages": rows}


def _figures(sample: Sample) -> dict:
    return {
        "requests_per_second": sample.requests_per_second,
        "p50_ms": sample.p50_ms,
        "p95_ms": sample.p95_ms,
        "p99_ms": sample.p99_ms,
    }


def _bare_latency(runs: list[Sample]) -> dict:
    merged = merge(runs)
    if merged.latencies_ms:
        return {"p50_ms": merged.p50_ms, "p95_ms": merged.p95_ms, "p99_ms": merged.p99_ms}
    # wrk reports percentiles only: take the mean of the runs'.
    p50s = [s.p50_ms for s in runs if s.p50_ms is not None]
    p95s = [s.p95_ms for s in runs if s.p95_ms is not None]
    p99s = [s.p99_ms for s in runs if s.p99_ms is not None]
    return {
        "p50_ms": sum(p50s) / len(p50s) if p50s else None,
        "p95_ms": sum(p95s) / len(p95s) if p95s else None,
        "p99_ms": sum(p99s) / len(p99s) if p99s else None,
    }


def _mean_rps(samples: list[Sample]) -> float | None:
    values = [s.requests_per_second for s in samples if s.requests_per_second]
    return sum(values) / len(values) if values else None


def _status_note(page: Page, status, error, *, over_http=False) -> str | None:
    if error:
        return f"failed: {error}"
    if status != page.status:
        where = "over HTTP" if over_http else "in-process"
        return f"answered {status} {where}, expected {page.status}: not measured"
    return None


def _spread_note(runs: list[Sample]) -> str:
    values = [s.requests_per_second for s in runs if s.requests_per_second]
    if len(values) < 2:
        return ""
    return f"{len(values)} runs, {min(values):.0f}-{max(values):.0f}/s"
