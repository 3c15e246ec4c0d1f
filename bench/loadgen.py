"""Bounded load on one loopback URL: a few concurrent connections, each sending GET requests one
after another until a deadline or a request budget is reached, then stopping by itself.

The default client is the standard library (http.client, one thread per connection); `wrk` is used
instead when asked for and installed. Only loopback addresses are accepted as targets."""

import http.client
import ipaddress
import json
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from .stats import Sample

# A thread that keeps failing gives up instead of spinning until the deadline.
MAX_CONSECUTIVE_ERRORS = 50


def require_loopback(host: str) -> None:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror as exc:
        raise ValueError(f"cannot resolve {host!r}") from exc
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_loopback:
            raise ValueError(f"load is only ever sent to loopback addresses, not {host!r}")


def run(
    *,
    host: str,
    port: int,
    path: str,
    headers: dict[str, str],
    seconds: float,
    concurrency: int,
    max_requests: int | None = None,
    expect_status: int = 200,
    timeout: float = 30.0,
) -> Sample:
    """GET `path` from `concurrency` connections for `seconds` (or until `max_requests` answers
    have come back, whichever is first). Answers with another status count as errors."""
    require_loopback(host)
    if concurrency < 1:
        raise ValueError("concurrency must be at least 1")
    if seconds <= 0 and not max_requests:
        raise ValueError("give a duration or a request budget")
    quotas = _split(max_requests, concurrency)
    results = [Sample() for _ in range(concurrency)]
    start_line = threading.Barrier(concurrency + 1)
    state = {"deadline": None}

    def worker(index: int) -> None:
        sample = results[index]
        quota = quotas[index]
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        consecutive_errors = 0
        start_line.wait()
        deadline = state["deadline"]
        try:
            while (quota is None or sample.ok + sample.errors < quota) and (
                deadline is None or time.perf_counter() < deadline
            ):
                started = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    conn.close()
                    sample.errors += 1
                    consecutive_errors += 1
                    if consecutive_errors >= MAX_CONSECUTIVE_ERRORS:
                        return
                    continue
                elapsed_ms = (time.perf_counter() - started) * 1000
                sample.statuses[status] = sample.statuses.get(status, 0) + 1
                if status == expect_status:
                    sample.ok += 1
                    sample.latencies_ms.append(elapsed_ms)
                    consecutive_errors = 0
                else:
                    sample.errors += 1
                    consecutive_errors += 1
                    if consecutive_errors >= MAX_CONSECUTIVE_ERRORS:
                        return
        finally:
            conn.close()

    threads = [
        threading.Thread(target=worker, args=(i,), daemon=True, name=f"load-{i}")
        for i in range(concurrency)
    ]
    for thread in threads:
        thread.start()
    # The clock starts when every connection is ready, the same moment for all of them.
    cpu_began = time.process_time()
    began = time.perf_counter()
    state["deadline"] = began + seconds if seconds > 0 else None
    start_line.wait()
    for thread in threads:
        thread.join()
    finished = time.perf_counter()

    total = Sample(elapsed=finished - began, client_cpu=time.process_time() - cpu_began)
    for sample in results:
        total.ok += sample.ok
        total.errors += sample.errors
        total.latencies_ms.extend(sample.latencies_ms)
        for code, count in sample.statuses.items():
            total.statuses[code] = total.statuses.get(code, 0) + count
    return total


def _split(budget: int | None, parts: int) -> list[int | None]:
    """Share a request budget between connections so that the shares add up to the budget."""
    if budget is None:
        return [None] * parts
    share, rest = divmod(budget, parts)
    return [share + (1 if i < rest else 0) for i in range(parts)]


# --- wrk, when installed -----------------------------------------------------------------------

WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write("BENCH-JSON ")
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50_us": %f, "p95_us": %f, "p99_us": %f, '
    .. '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99),
    errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(
    *,
    host: str,
    port: int,
    path: str,
    headers: dict[str, str],
    seconds: float,
    concurrency: int,
) -> Sample:
    """The same measurement through wrk (one client thread). wrk counts only statuses of 400 and
    above as errors, so the caller checks the expected status once before the load."""
    require_loopback(host)
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "report.lua"
        script.write_text(WRK_REPORT)
        command = [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(concurrency),
            "--duration",
            f"{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "--script",
            str(script),
        ]
        for name, value in headers.items():
            command += ["--header", f"{name}: {value}"]
        command.append(f"http://{host}:{port}{path}")
        completed = subprocess.run(
            command, capture_output=True, text=True, check=True, timeout=seconds + 60
        )
    return parse_wrk(completed.stdout)


def parse_wrk(output: str) -> Sample:
    for line in output.splitlines():
        if line.startswith("BENCH-JSON "):
            data = json.loads(line.removeprefix("BENCH-JSON "))
            break
    else:
        raise ValueError("wrk printed no report line")
    errors = sum(data[key] for key in ("connect", "read", "write", "status", "timeout"))
    return Sample(
        ok=max(0, data["requests"] - data["status"]),
        errors=errors,
        elapsed=data["duration_us"] / 1e6,
        p50=data["p50_us"] / 1000,
        p95=data["p95_us"] / 1000,
        p99=data["p99_us"] / 1000 if "p99_us" in data else None,
    )
